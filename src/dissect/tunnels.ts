/**
 * Tunnels recognised by UDP port (GTP, VXLAN, GENEVE, CAPWAP, LWAPP, L2TP, Teredo) and
 * AYIYA, tried in T2's order on the outer IPv4 header (spec/dissection.md §3.3).
 *
 * IEEE 802.11 payloads (CAPWAP with wireless binding, LWAPP) are not dissected: the tunnel
 * is labelled and dissection stops there.
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { type DissectContext, P } from "./context.ts";
import { addEthProto, addPppProto, pppoeSession, processVlans } from "./link_layer.ts";
import { dissectIPv4 } from "./ipv4.ts";
import { dissectIPv6 } from "./ipv6.ts";
import type { Packet } from "./packet.ts";

/** The packet was decapsulated and fully dissected. */
export const TUNNEL_DONE = -1;
/** No tunnel took the packet, but `:udp` was appended. */
export const TUNNEL_UDP_ADDED = 0;
/** No tunnel port matched. */
export const TUNNEL_NONE = 1;

const over1024 = (port: number) => port > 1024;

/**
 * Try the UDP tunnels in T2's order for a UDP packet whose payload starts at `payload`.
 * `priproto` tells whether `:udp` is still to be appended.
 */
export function tryUdpTunnels(
  p: Packet,
  d: DissectContext,
  payload: number,
  priproto: boolean,
): number {
  const sport = p.srcPort;
  const dport = p.dstPort;
  // Plain code, no closures: this runs for every UDP packet.
  let added = !priproto;

  if (
    !stopped(p) &&
    (((sport === 2152 || sport === 2123 || sport === 3386) && over1024(dport)) ||
      ((dport === 2152 || dport === 2123 || dport === 3386) && over1024(sport)))
  ) {
    added = addUdpOnce(p, added);
    if (gtp(p, d, payload)) return TUNNEL_DONE;
  }
  if (
    !stopped(p) &&
    (((sport === 4789 || sport === 4790 || sport === 8472) && over1024(dport)) ||
      ((dport === 4789 || dport === 4790 || dport === 8472) && over1024(dport)))
  ) {
    added = addUdpOnce(p, added);
    if (vxlan(p, d, payload)) return TUNNEL_DONE;
  }
  if (
    !stopped(p) &&
    ((sport === 6081 && over1024(dport)) || (dport === 6081 && over1024(sport)))
  ) {
    added = addUdpOnce(p, added);
    if (geneve(p, d, payload)) return TUNNEL_DONE;
  }
  if (
    !stopped(p) &&
    (((sport === 5247 || sport === 5246) && over1024(dport)) ||
      ((dport === 5247 || dport === 5246) && over1024(sport)))
  ) {
    added = addUdpOnce(p, added);
    if (capwap(p, d, payload)) return TUNNEL_DONE;
  }
  if (
    !stopped(p) &&
    (((sport === 12222 || sport === 12223) && over1024(dport)) ||
      ((dport === 12222 || dport === 12223) && over1024(sport)))
  ) {
    added = addUdpOnce(p, added);
    if (lwapp(p, payload)) return TUNNEL_DONE;
  }
  if (!stopped(p) && (sport === 1701 || dport === 1701)) {
    added = addUdpOnce(p, added);
    if (l2tp(p, d, payload)) return TUNNEL_DONE;
  }
  if (!stopped(p) && over1024(sport) && over1024(dport)) {
    added = addUdpOnce(p, added);
    if (teredo(p, d, payload)) return TUNNEL_DONE;
  }
  return added && priproto ? TUNNEL_UDP_ADDED : TUNNEL_NONE;
}

/** Whether dissection was stopped. */
function stopped(p: Packet): boolean {
  return (p.statusHi & S.STPDSCT_H) !== 0;
}

/** Append `:udp` unless `added` says it is there already; returns true. */
function addUdpOnce(p: Packet, added: boolean): boolean {
  if (!added) p.addHdr(P.UDP);
  return true;
}

/** Continue with an inner IP header by version nibble; true when dissected. */
export function innerIp(p: Packet, d: DissectContext, off: number): boolean {
  const v = p.u8(off) & 0xf0;
  if (v === 0x40) {
    p.l3Off = off;
    dissectIPv4(p, d);
    return true;
  }
  if (v === 0x60) {
    p.l3Off = off;
    dissectIPv6(p, d);
    return true;
  }
  return false;
}

/** GTP: only T-PDUs (message type 0xff) are decapsulated. */
function gtp(p: Packet, d: DissectContext, off: number): boolean {
  p.addHdr(P.GTP);
  p.statusLo |= S.L3_GTP;
  if (p.u8(off + 1) !== 0xff) return false;
  const flags = p.u8(off);
  const version = (flags & 0xe0) >> 5;
  let skip = 8;
  if (version === 0) {
    skip += 12;
  } else if (version === 1) {
    if (flags & 0x07) skip += 4;
    if (flags & 0x04) skip += p.u8(off + skip) << 2;
  } else if (version === 2) {
    p.statusHi |= S.STPDSCT_H;
    return false;
  }
  const inner = off + skip;
  if (inner >= p.end) return false;
  if (innerIp(p, d, inner)) return true;
  p.statusHi |= S.STPDSCT_H;
  return false;
}

/** Ethernet frame inside a tunnel: VLANs, then IPv4/IPv6/PPPoE or an L2 EtherType. */
function tunnelledEthernet(
  p: Packet,
  d: DissectContext,
  eth: number,
  snapCheck: boolean,
): boolean {
  p.addHdr(P.ETH_C);
  let pos = eth + 12;
  const shape = snapCheck ? processVlans(p, d, pos) : pos;
  if (pos !== shape) pos = shape;
  else pos += 2;
  const t = p.u16(shape);
  switch (t) {
    case 0x0800:
      p.l3Off = pos;
      dissectIPv4(p, d);
      return true;
    case 0x86dd:
      p.l3Off = pos;
      dissectIPv6(p, d);
      return true;
    case 0x8863:
      p.addHdr(P.PPPOED);
      p.statusLo |= S.L2_PPPOE_D;
      return false;
    case 0x8864:
      return pppoeSession(p, d, shape);
    default:
      addEthProto(p, t);
      return false;
  }
}

/** VXLAN and VXLAN-GPE. */
function vxlan(p: Packet, d: DissectContext, off: number): boolean {
  const oldL2 = p.l2Off;
  const oldL3 = p.l3Off;
  const gpe = p.srcPort === 4790 || p.dstPort === 4790;
  const flags = p.u8(off);
  let pos = off + 8;
  if (pos >= p.end) return false;
  const skip = (pos - p.l2Off) & 0xffff;
  if (gpe) {
    if (p.u16(off + 1) !== 0 || p.u8(off + 7) !== 0) return false;
    p.snapL2Len -= skip;
    p.l2Off = pos;
    p.statusLo |= S.L3_VXLAN;
    p.addHdr(P.VXLAN_GPE);
    if (flags & 0x04) {
      let next = p.u8(off + 3);
      for (;;) {
        if (next === 1 || next === 2) {
          p.l3Off = pos;
          if (next === 1) dissectIPv4(p, d);
          else dissectIPv6(p, d);
          return true;
        }
        if (next === 3) break;
        if (next === 5) {
          p.addHdr(P.MPLS);
          p.statusLo |= S.L2_MPLS_UCAST;
          return false;
        }
        if (next === 4) {
          p.addHdr(P.NSH);
          const nshLen = (p.u8(pos) & 0x3f) << 2;
          next = p.u8(pos + 3);
          pos += nshLen;
          continue;
        }
        // Unknown next protocol: revert.
        p.snapL2Len += skip;
        p.l2Off = oldL2;
        p.l3Off = oldL3;
        p.statusHi |= S.STPDSCT_H;
        return false;
      }
    }
  } else if (p.u8(off + 1) !== 0 || p.u8(off + 7) !== 0) {
    return false;
  } else {
    p.statusLo |= S.L3_VXLAN;
    p.addHdr(P.VXLAN);
    p.snapL2Len -= skip;
    p.l2Off = pos;
  }
  if (tunnelledEthernet(p, d, pos, p.snapL2Len >= 4)) return true;
  p.snapL2Len += skip;
  p.l2Off = oldL2;
  p.l3Off = oldL3;
  p.statusHi |= S.STPDSCT_H;
  return false;
}

/** GENEVE carrying Ethernet. */
function geneve(p: Packet, d: DissectContext, off: number): boolean {
  const oldL2 = p.l2Off;
  const oldL3 = p.l3Off;
  const oldSnap = p.snapL2Len;
  const pos = off + 8 + ((p.u8(off) & 0x3f) << 2);
  if (pos >= p.end) return false;
  const skip = (pos - p.l2Off) & 0xffff;
  if ((p.u8(off + 1) & 0x3f) !== 0 || p.u8(off + 4) !== 0) return false;
  if (p.u16(off + 2) === 0x6558) {
    p.statusLo |= S.L3_GENEVE;
    p.addHdr(P.GENEVE);
    p.snapL2Len -= skip;
    p.l2Off = pos;
    if (tunnelledEthernet(p, d, pos, p.snapL2Len >= 4)) return true;
  }
  p.snapL2Len = oldSnap;
  p.l2Off = oldL2;
  p.l3Off = oldL3;
  p.statusHi |= S.STPDSCT_H;
  return false;
}

/** CAPWAP; only IEEE 802.3 payloads are decapsulated. */
function capwap(p: Packet, d: DissectContext, off: number): boolean {
  const oldL2 = p.l2Off;
  const oldL3 = p.l3Off;
  const oldSnap = p.snapL2Len;
  if (off + 8 > p.end) return false;
  const b0 = p.u8(off);
  const type = b0 & 0x0f;
  const version = b0 >> 4;
  const b1 = p.u8(off + 1);
  const b2 = p.u8(off + 2);
  const hlen = b1 >> 3;
  const flagT = b2 & 0x01;
  const wbid = (b2 >> 1) & 0x1f;
  const b3 = p.u8(off + 3);
  let pos = off;
  if (type === 0) {
    pos += hlen << 2;
    if (pos >= p.end) return false;
  }
  const skip = (pos - p.l2Off) & 0xffff;
  const fragOff = p.u16(off + 6);
  if ((b3 & 0x07) !== 0 || (fragOff & 0x3) !== 0 || version !== 0 || (flagT === 1 && wbid !== 1)) {
    return false;
  }
  const control = !(p.srcPort === 5247 || p.dstPort === 5247);
  p.addHdr(control ? P.CAPWAP : P.CAPWAP_DATA);
  p.statusLo |= S.L3_CAPWAP;
  if (type === 1) {
    p.addHdr(P.DTLS);
    p.statusHi |= S.STPDSCT_H | S.L7_DTLS_H;
    return false;
  }
  const keepAlive = (b3 & 0x08) !== 0;
  const fragment = (b3 & 0x80) !== 0 && ((fragOff & 0xfff8) >> 3) !== 0;
  if (keepAlive || control || fragment) {
    p.statusHi |= S.STPDSCT_H;
    return false;
  }
  if (flagT === 0) {
    p.addHdr(P.ETH_C);
    p.snapL2Len -= skip;
    p.l2Off = pos;
    pos += 12;
    let shape = pos;
    if (oldSnap - skip >= 4) shape = processVlans(p, d, pos);
    if (pos === shape) {
      pos += 2;
    } else {
      pos = shape;
      const id = p.u16(shape);
      if (id <= 1500 || id === 0x8870) {
        p.addHdr(P.LLC);
        p.llcOff = pos;
        pos += 8;
        shape = pos;
      }
    }
    const t = p.u16(shape);
    if (t === 0x0800) {
      p.l3Off = pos;
      dissectIPv4(p, d);
      return true;
    }
    if (t === 0x86dd) {
      p.l3Off = pos;
      dissectIPv6(p, d);
      return true;
    }
    if (t === 0x888e) p.addHdr(P.EAPOL);
    else addEthProto(p, t);
  }
  // IEEE 802.11 payloads are not dissected.
  p.snapL2Len = oldSnap;
  p.l2Off = oldL2;
  p.l3Off = oldL3;
  p.statusHi |= S.STPDSCT_H;
  return false;
}

/** LWAPP: labelled; its IEEE 802.11 payload is not dissected. */
function lwapp(p: Packet, off: number): boolean {
  let pos = off;
  if (p.srcPort === 12223 || p.dstPort === 12223) pos += 6;
  const flags = p.u8(pos);
  pos += 6;
  if (pos >= p.end) return false;
  p.addHdr(P.LWAPP);
  p.statusLo |= S.L3_CAPWAP;
  if ((flags & 0x04) === 0x04) {
    p.statusHi |= S.STPDSCT_H;
    return false;
  }
  p.statusHi |= S.STPDSCT_H;
  return false;
}

/** L2TP (v2 over UDP) carrying PPP. */
function l2tp(p: Packet, d: DissectContext, off: number): boolean {
  return l2tpAt(p, d, off);
}

/** L2TP header at `off`: labels it and continues with its PPP payload. */
export function l2tpAt(p: Packet, d: DissectContext, off: number): boolean {
  const b0 = p.u8(off);
  const b1 = p.u8(off + 1);
  if (b1 & 0xf0) return false; // reserved bits must be zero
  const version = b1 & 0x0f;
  if (version !== 2 && version !== 3) return false;
  p.addHdr(P.L2TP);
  p.statusLo |= S.L2_L2TP;
  if (b0 & 0x80) { // control message
    p.statusHi |= S.STPDSCT_H;
    return false;
  }
  let pos = off + 2;
  if (version === 3) {
    pos += 4;
  } else {
    if (b0 & 0x40) pos += 2; // length
    pos += 4; // tunnel and session IDs
    if (b0 & 0x08) pos += 4; // sequence numbers
    if (b0 & 0x02) pos += p.u16(pos) + 2; // offset
  }
  if (pos >= p.end) {
    p.statusHi |= S.STPDSCT_H;
    return false;
  }
  const first = p.u8(pos);
  p.addHdr(first === 0x0f || first === 0x8f ? P.CHDLC : P.PPP);
  p.statusLo |= S.L2_PPP;
  pos += 2; // address and control
  if (p.u16(pos) === 0x003d) { // multilink
    p.addHdr(P.MP);
    pos += 6;
  }
  const proto = p.u16(pos);
  pos += 2;
  if (pos >= p.end) {
    p.statusHi |= S.STPDSCT_H;
    return false;
  }
  if (proto === 0x0021) {
    p.l3Off = pos;
    dissectIPv4(p, d);
    return true;
  }
  if (proto === 0x0057) {
    p.l3Off = pos;
    dissectIPv6(p, d);
    return true;
  }
  addPppProto(p, proto);
  p.statusHi |= S.STPDSCT_H;
  return false;
}

/** Teredo (IPv6 over UDP), with optional authentication and origin indication headers. */
function teredo(p: Packet, d: DissectContext, off: number): boolean {
  const pos = teredoIpv6At(p, off);
  if (pos < 0) return false;
  const src0 = p.u32(pos + 8);
  const dst0 = p.u32(pos + 24);
  if (
    p.srcPort !== 3544 && src0 !== 0x20010000 && p.dstPort !== 3544 && dst0 !== 0x20010000
  ) return false;
  p.addHdr(P.TEREDO);
  p.statusLo |= S.L3_TRDO;
  p.l3Off = pos;
  dissectIPv6(p, d);
  return true;
}

/**
 * Where the IPv6 header of a Teredo payload at `off` starts (after the optional
 * authentication and origin indication headers), or -1 when there is none. Only reads.
 */
export function teredoIpv6At(p: Packet, off: number): number {
  let pos = off;
  let marker = p.u16(pos);
  if (p.u8(pos) !== 0x60 && marker !== 0x0001 && marker !== 0x0000) return -1;
  if (marker === 0x0001) {
    pos += 13 + p.u8(pos + 2) + p.u8(pos + 3);
    marker = p.u16(pos);
  }
  if (marker === 0x0000) pos += 8;
  return (p.u8(pos) & 0xf0) === 0x60 ? pos : -1;
}

/** AYIYA at `off`; true when the inner packet was dissected. */
export function tryAyiya(p: Packet, d: DissectContext, off: number): boolean {
  const idLen = p.u8(off) >> 4;
  const sigLen = p.u8(off + 1) >> 4;
  const next = p.u8(off + 3);
  const skip = 8 + (1 << idLen) + (sigLen << 2);
  if (off + skip >= p.end) return false;
  const pos = off + skip;
  switch (next) {
    case 41:
      if ((p.u8(pos) & 0xf0) === 0x60) {
        p.addHdr(P.AYIYA);
        p.statusLo |= S.L3_AYIYA;
        p.l3Off = pos;
        dissectIPv6(p, d);
        return true;
      }
      return false;
    case 4:
      if ((p.u8(pos) & 0xf0) === 0x40) {
        p.addHdr(P.AYIYA);
        p.statusLo |= S.L3_AYIYA;
        p.l3Off = pos;
        dissectIPv4(p, d);
        return true;
      }
      return false;
    case 59:
      p.addHdr(P.AYIYA);
      p.statusLo |= S.L3_AYIYA;
      p.statusHi |= S.STPDSCT_H;
      return false;
    default:
      p.statusHi |= S.STPDSCT_H;
      return false;
  }
}
