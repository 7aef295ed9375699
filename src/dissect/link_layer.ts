/**
 * Entry point of dissection: the link layer (per pcap link type), VLAN tags, 802.2 LLC/SNAP,
 * EtherType dispatch (ARP, MPLS, PPPoE, ERSPAN, ...) and the pure layer-2 flow case.
 * Behaviour follows T2 0.9.3 (spec/dissection.md §2, §5).
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { type DissectContext, P, repeatPiece } from "./context.ts";
import { dissectIPv4 } from "./ipv4.ts";
import { dissectIPv6 } from "./ipv6.ts";
import { type Packet, PacketKind } from "./packet.ts";
import { dissectPlainIpv4 } from "./plain_ipv4.ts";
import {
  ethProtoPieces,
  llcProtoPieces,
  pppProtoPieces,
  unknownEthProtoPiece,
  unknownLlcProtoPiece,
  unknownPppProtoPiece,
} from "./proto_names.ts";

/** Frames up to this wire length may carry Ethernet padding (T2 MINRAWLEN). */
const MIN_RAW_LEN = 64;

/** Link types (DLT numbers as read from the capture, reserved bits masked). */
export const DLT = {
  NULL: 0,
  EN10MB: 1,
  PPP: 9,
  RAW: 12,
  RAW_OPENBSD: 14,
  PPP_SERIAL: 50,
  RAW_LINKTYPE: 101,
  C_HDLC: 104,
  FRELAY: 107,
  LOOP: 108,
  LINUX_SLL: 113,
  PPP_WITH_DIR: 204,
  C_HDLC_WITH_DIR: 205,
  FRELAY_WITH_DIR: 206,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Dissect a packet whose record fields were set by {@linkcode Packet.reset}. */
export function dissectPacket(p: Packet, d: DissectContext): void {
  if (!dissectPlainIpv4(p, d)) dissectAllCases(p, d);
}

/**
 * The dissector for every kind of packet; {@linkcode dissectPacket} takes it for all but the
 * plain IPv4 packets of plain_ipv4.ts (exported for the test that compares both).
 */
export function dissectAllCases(p: Packet, d: DissectContext): void {
  const type = linkLayer(p, d);
  if (type >= 0) ethernetPayload(p, d, type);
}

/** Whether the dissector handles this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  switch (linkType) {
    case DLT.NULL:
    case DLT.LOOP:
    case DLT.EN10MB:
    case DLT.RAW:
    case DLT.RAW_OPENBSD:
    case DLT.RAW_LINKTYPE:
    case DLT.IPV4:
    case DLT.IPV6:
    case DLT.LINUX_SLL:
    case DLT.LINUX_SLL2:
    case DLT.PPP:
    case DLT.PPP_SERIAL:
    case DLT.PPP_WITH_DIR:
    case DLT.C_HDLC:
    case DLT.C_HDLC_WITH_DIR:
    case DLT.FRELAY:
    case DLT.FRELAY_WITH_DIR:
      return true;
    default:
      return false;
  }
}

/** Mark an L2 header cut by the snap length (no flow for this packet). */
function l2Snapped(p: Packet, d: DissectContext): void {
  p.statusHi |= S.L2SNAPLENGTH_H;
  d.counters.globalWarnHi |= S.L2SNAPLENGTH_H;
}

/**
 * Link-layer header. Returns the offset of the EtherType field to continue with, or -1 when
 * the packet was fully handled here (IP dissected, or nothing more to do).
 */
function linkLayer(p: Packet, d: DissectContext): number {
  const start = p.start;
  switch (p.linkType) {
    case DLT.EN10MB: {
      if (p.snapL2Len < 16) {
        l2Snapped(p, d);
        return -1;
      }
      let off = start;
      p.l2Off = off;
      const b0 = p.u8(off);
      if (
        (b0 === 0x01 || b0 === 0x03) && p.u8(off + 1) === 0x00 && p.u8(off + 2) === 0x0c &&
        p.u8(off + 3) === 0x00 && p.u8(off + 4) === 0x00
      ) {
        p.addHdr(P.ISL);
        if (p.snapL2Len < 16 + 26) {
          l2Snapped(p, d);
          return -1;
        }
        off += 26;
        p.l2Off = off;
      }
      p.addHdr(P.ETH);
      return off + 12;
    }
    case DLT.NULL:
    case DLT.LOOP: {
      p.addHdr(P.NULL);
      if (p.snapL2Len < 4) {
        l2Snapped(p, d);
        return -1;
      }
      p.l2Off = start;
      p.l3Off = start + 4;
      // The family is in the byte order of the capturing host.
      let family = (p.u8(start) | (p.u8(start + 1) << 8) | (p.u8(start + 2) << 16) |
        (p.u8(start + 3) << 24)) >>> 0;
      if (family > 30 || p.linkType === DLT.LOOP) family = p.u32(start);
      p.statusLo |= S.L2_NO_ETH;
      switch (family) {
        case 2:
          dissectIPv4(p, d);
          break;
        case 10:
        case 23:
        case 24:
        case 26:
        case 28:
        case 30:
          dissectIPv6(p, d);
          break;
        default:
          d.warn(`Null/Loopback header: unhandled family ${family}`);
      }
      return -1;
    }
    case DLT.RAW:
    case DLT.RAW_OPENBSD:
    case DLT.RAW_LINKTYPE: {
      p.addHdr(P.RAW);
      p.l2Off = start;
      p.l3Off = start;
      p.statusLo |= S.L2_NO_ETH;
      const v = p.u8(start) & 0xf0;
      if (v === 0x40) dissectIPv4(p, d);
      else if (v === 0x60) dissectIPv6(p, d);
      else d.warn(`Unknown IP protocol ${v >> 4} in raw pcap`);
      return -1;
    }
    case DLT.IPV4:
    case DLT.IPV6:
      p.l2Off = start;
      p.l3Off = start;
      p.statusLo |= S.L2_NO_ETH;
      if (p.linkType === DLT.IPV4) dissectIPv4(p, d);
      else dissectIPv6(p, d);
      return -1;
    case DLT.LINUX_SLL:
      p.addHdr(P.SLL);
      if (p.snapL2Len < 16) {
        l2Snapped(p, d);
        return -1;
      }
      p.l2Off = start;
      return start + 14;
    case DLT.LINUX_SLL2:
      linuxSll2(p, d);
      return -1;
    case DLT.PPP:
    case DLT.PPP_SERIAL:
    case DLT.PPP_WITH_DIR:
      return pppLink(p, d);
    case DLT.C_HDLC:
    case DLT.C_HDLC_WITH_DIR:
    case DLT.FRELAY:
    case DLT.FRELAY_WITH_DIR: {
      const withDir = p.linkType === DLT.C_HDLC_WITH_DIR || p.linkType === DLT.FRELAY_WITH_DIR;
      const off = withDir ? start + 1 : start;
      p.addHdr(
        p.linkType === DLT.FRELAY || p.linkType === DLT.FRELAY_WITH_DIR ? P.FR_LINK : P.CHDLC_LINK,
      );
      p.l2Off = start;
      p.statusLo |= S.L2_NO_ETH;
      return off + 2;
    }
    default:
      d.unsupportedLinkType(p.linkType);
      return -1;
  }
}

/** Point-to-point link (T2's DLT_PPP handling). */
function pppLink(p: Packet, d: DissectContext): number {
  let off = p.start;
  if (p.linkType === DLT.PPP_WITH_DIR) off++;
  p.addHdr(P.PPP_LINK);
  p.statusLo |= S.L2_NO_ETH | S.L2_PPP;
  p.l2Off = p.start;
  const addctl = p.u16(off);
  if (addctl === 0x0f00 || addctl === 0x8f00) {
    p.addHdr(P.CHDLC);
    return off + 2;
  }
  let proto: number;
  if (addctl === 0xff03) {
    proto = p.u16(off + 2);
    off += 4;
  } else {
    proto = addctl;
    off += 2;
  }
  switch (proto) {
    case 0x0021:
      p.l3Off = off;
      dissectIPv4(p, d);
      return -1;
    case 0x0057:
      p.l3Off = off;
      dissectIPv6(p, d);
      return -1;
    case 0x0281:
    case 0x0283:
      // MPLS: continue as if an MPLS EtherType preceded the label stack.
      return mplsStack(p, d, off, proto === 0x0281 ? 0x8847 : 0x8848);
    default:
      addPppProto(p, proto);
      return -1;
  }
}

/**
 * Linux cooked capture v2 (20-byte header, protocol type first). T2 0.9.3 refuses this link
 * type; we dissect it. There is no Ethernet header, so the packet gets L2_NO_ETH.
 */
function linuxSll2(p: Packet, d: DissectContext): void {
  p.addHdr(P.SLL2);
  if (p.snapL2Len < 20) {
    l2Snapped(p, d);
    return;
  }
  p.l2Off = p.start;
  p.statusLo |= S.L2_NO_ETH;
  const type = p.u16(p.start);
  p.outerEthType = type;
  const payload = p.start + 20;
  if (type === 0x0800 || type === 0x86dd) {
    p.ethType = type;
    p.l3Off = payload;
    const v = p.u8(payload) & 0xf0;
    if (type === 0x0800 && v === 0x40) return dissectIPv4(p, d);
    if (type === 0x86dd && v === 0x60) return dissectIPv6(p, d);
    d.counters.numVxPackets++;
    p.addHdr(P.IPVX);
    p.statusLo |= S.L3_IPVX;
  } else {
    p.ethType = type;
    addEthProto(p, type);
  }
  p.l7Off = payload;
  dispatchL2(p, d);
}

/** Everything after the link header for link types that carry an EtherType. */
function ethernetPayload(p: Packet, d: DissectContext, type: number): void {
  type = processVlans(p, d, type);
  const typeLen = p.u16(type);
  if (typeLen > 1500 && typeLen !== 0x8870) {
    p.outerEthType = typeLen;
  } else {
    p.addHdr(P.LLC);
    p.llcOff = type;
    if (p.u8(type + 2) === 0xaa && p.u8(type + 3) === 0xaa) {
      type += 8; // SNAP: the EtherType follows the 6-byte LLC/SNAP header
      p.outerEthType = p.u16(type);
    } else {
      let llcLen = 5; // length field, DSAP, SSAP, control
      if ((p.u8(type + 4) & 0x03) !== 3) llcLen++; // I and S frames have 2 control bytes
      const payload = type + llcLen;
      const dsap = p.u8(type + 2);
      if (dsap !== 0x06) {
        addLlcProto(p, dsap);
      } else {
        const v = p.u8(payload) & 0xf0;
        if (v === 0x40) {
          p.l3Off = payload;
          return dissectIPv4(p, d);
        }
        if (v === 0x60) {
          p.l3Off = payload;
          return dissectIPv6(p, d);
        }
        p.addHdr(P.IPVX);
        p.statusLo |= S.L3_IPVX;
      }
      p.ethType = p.u16(type + 2);
      p.outerEthType = p.ethType;
      if (p.rawLen <= MIN_RAW_LEN) {
        addPadding(p, d, p.rawLen - typeLen - (type + 2 - p.start));
      }
      p.l7Off = payload;
      return dispatchL2(p, d);
    }
  }

  const pos = processEthertype(p, d, type);
  if (pos < 0) return;
  p.l7Off = pos + 2;
  if (p.rawLen <= MIN_RAW_LEN) {
    let pad: number;
    if (p.llcOff >= 0) pad = p.rawLen - typeLen - (pos - 6 - p.start);
    else if (p.u16(pos) === 0x0806) pad = p.rawLen - 28 - (pos + 2 - p.start);
    else pad = p.rawLen - (pos + 2 - p.start);
    addPadding(p, d, pad);
  }
  dispatchL2(p, d);
}

function addPadding(p: Packet, d: DissectContext, pad: number): void {
  if (pad >= 0) {
    p.padLen = pad;
    d.counters.padBytesOnWire += pad;
  }
}

function isVlanType(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100 || t === 0x9200;
}

/**
 * Skip VLAN tags starting at the EtherType field `pos`; returns the offset of the EtherType
 * after the last tag (or `pos` when there is none).
 */
export function processVlans(p: Packet, d: DissectContext, pos: number): number {
  if (!isVlanType(p.u16(pos))) return pos;
  p.statusLo |= S.L2_VLAN;
  p.vlanHdrOff = pos + 2;
  let count = 0;
  const last = p.end - 4;
  while (isVlanType(p.u16(pos)) && pos <= last) {
    if ((p.u16(pos + 2) & 0x0fff) === 0) p.statusHi |= S.FS_VLAN0_H;
    pos += 4;
    count++;
  }
  p.vlanHdrCnt += count;
  addRepeated(p, P.VLAN, count);
  if (p.vlanHdrCnt > d.counters.vlanHdrCntMx) d.counters.vlanHdrCntMx = p.vlanHdrCnt & 0xff;
  p.vlanId = p.u16(pos - 2) & 0x0fff;
  return pos;
}

/** T2's aggregated repeated header: `desc` then `{n}` when n >= 2; counts n headers. */
function addRepeated(p: Packet, piece: number, n: number): void {
  p.addHdr(piece);
  if (n < 2) return;
  p.addHdr(repeatPiece(n));
  p.numHdrs += n - 2;
}

/**
 * PPPoE session header whose EtherType field is at `pos`: IPv4 or IPv6 inside PPP is
 * dissected (returns true), another PPP protocol is labelled (returns false).
 */
export function pppoeSession(p: Packet, d: DissectContext, pos: number): boolean {
  p.addHdr(P.PPPOES);
  p.statusLo |= S.L2_PPPOE_S;
  p.addHdr(P.PPP);
  const proto = p.u16(pos + 8);
  if (proto === 0x0021 || proto === 0x0057) {
    p.l3Off = pos + 10;
    if (proto === 0x0021) dissectIPv4(p, d);
    else dissectIPv6(p, d);
    return true;
  }
  addPppProto(p, proto);
  return false;
}

/**
 * EtherType dispatch at `pos` (the offset of the 16-bit type). Returns -1 when the packet
 * was dissected as IP, otherwise the offset of the (innermost) EtherType field for an L2
 * flow.
 */
export function processEthertype(p: Packet, d: DissectContext, pos: number): number {
  const type = p.u16(pos);
  p.ethType = type;
  switch (type) {
    case 0x0800:
    case 0x86dd: {
      p.l3Off = pos + 2;
      const want = type === 0x0800 ? 0x40 : 0x60;
      if ((p.u8(pos + 2) & 0xf0) !== want) {
        d.counters.numVxPackets++;
        p.addHdr(P.IPVX);
        p.statusLo |= S.L3_IPVX;
        return pos;
      }
      if (type === 0x0800) dissectIPv4(p, d);
      else dissectIPv6(p, d);
      return -1;
    }
    case 0x80f3:
      p.addHdr(P.AARP);
      p.statusLo |= S.L2_ARP;
      return pos;
    case 0x0806:
      p.addHdr(P.ARP);
      p.statusLo |= S.L2_ARP;
      return pos;
    case 0x8035:
      p.addHdr(P.RARP);
      p.statusLo |= S.L2_RARP;
      return pos;
    case 0x8847:
    case 0x8848:
      return mplsStack(p, d, pos + 2, type);
    case 0x88be:
      p.statusLo |= S.L2_ERSPAN;
      p.addHdr(P.ERSPAN);
      p.addHdr(P.ETH_C);
      p.l2Off = pos + 10;
      return processEthertype(p, d, pos + 22);
    case 0x8863:
      p.addHdr(P.PPPOED);
      p.statusLo |= S.L2_PPPOE_D;
      return pos;
    case 0x8864:
      return pppoeSession(p, d, pos) ? -1 : pos;
    case 0x88cc:
      p.addHdr(P.LLDP);
      p.statusLo |= S.L2_LLDP;
      return pos;
    case 0x8809:
      p.addHdr(P.SLOW);
      switch (p.u8(pos + 3)) {
        case 1:
          p.addHdr(P.LACP);
          break;
        case 2:
          p.addHdr(P.MARKER);
          break;
        case 3:
          p.addHdr(P.OAMPDU);
          break;
        case 10:
          p.addHdr(P.OSSP);
          break;
      }
      return pos;
    default:
      addEthProto(p, type);
      return pos;
  }
}

/** MPLS label stack starting at `labels`; `type` is the MPLS EtherType (unicast/multicast). */
function mplsStack(p: Packet, d: DissectContext, labels: number, type: number): number {
  p.statusLo |= type === 0x8848 ? S.L2_MPLS_MCAST : S.L2_MPLS_UCAST;
  let pos = labels;
  const last = p.end - 4;
  let count = 1;
  while (!(p.u8(pos + 2) & 0x01) && pos <= last) {
    pos += 4;
    count++;
  }
  pos += 4;
  p.mplsHdrCnt += count;
  addRepeated(p, P.MPLS, count);
  if (p.mplsHdrCnt > d.counters.mplsHdrCntMx) d.counters.mplsHdrCntMx = p.mplsHdrCnt & 0xff;
  const v = p.u8(pos) & 0xf0;
  if (v === 0x40) {
    p.l3Off = pos;
    dissectIPv4(p, d);
    return -1;
  }
  if (v === 0x60) {
    p.l3Off = pos;
    dissectIPv6(p, d);
    return -1;
  }
  if (v === 0) {
    // Probably a pseudowire Ethernet control word (RFC 4448).
    p.addHdr(P.PWETHCW);
    pos += 4;
  }
  p.addHdr(P.ETH_C);
  p.l2Off = pos;
  pos = processVlans(p, d, pos + 12);
  return processEthertype(p, d, pos);
}

/**
 * Append the name pieces of protocol `code` from a name table, or, for a code the table does
 * not know, its `unknown` piece, and stop dissection there.
 */
export function addProtoName(
  p: Packet,
  code: number,
  table: (code: number) => readonly number[] | null,
  unknown: (code: number) => number,
): void {
  const pieces = table(code);
  if (pieces) p.addHdrs(pieces);
  else {
    p.addHdr(unknown(code));
    p.statusHi |= S.STPDSCT_H;
  }
}

/** Append the name of an EtherType; an unknown one stops dissection. */
export function addEthProto(p: Packet, type: number): void {
  addProtoName(p, type, ethProtoPieces, unknownEthProtoPiece);
}

/** Append the name of a PPP protocol; an unknown one stops dissection. */
export function addPppProto(p: Packet, proto: number): void {
  addProtoName(p, proto, pppProtoPieces, unknownPppProtoPiece);
}

function addLlcProto(p: Packet, dsap: number): void {
  addProtoName(p, dsap, llcProtoPieces, unknownLlcProtoPiece);
}

/** A frame that becomes a pure layer-2 flow packet (`l7Off` set by the caller). */
export function dispatchL2(p: Packet, d: DissectContext): void {
  p.statusLo |= S.L2_FLOW;
  d.counters.numL2Packets++;
  const l2HdrLen = p.l7Off - p.l2Off;
  p.l7Len = (p.rawLen - (p.l7Off - p.start)) & 0xffff;
  p.len = p.l7Len;
  p.snapL3Len = (p.snapL2Len - l2HdrLen) & 0xffff;
  p.snapL4Len = p.snapL3Len;
  p.snapL7Len = p.snapL4Len;
  p.l2HdrLen = l2HdrLen;
  p.kind = PacketKind.L2;
}
