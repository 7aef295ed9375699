/**
 * GRE (IP protocol 47). T2 decodes it on three code paths that treat its payload differently;
 * each is a decoder here:
 *
 * | payload      | on an IPv4 header (outer) | after the innermost IPv4 | in the IPv6 walk |
 * |--------------|---------------------------|--------------------------|------------------|
 * | IPv4         | continued in place        | in place, then the flow  | named, stop      |
 * | IPv6         | named, stop               | no flow                  | continued in place |
 * | PPP          | IPv4 in place, IPv6; PPP without address/control bytes too | IPv4 in place, IPv6 | IPv6 in place |
 * | Ethernet     | VLAN, LLC; IPv4 in place, IPv6 | VLAN; IPv4, IPv6    | IPv6 assumed, in place |
 * | ERSPAN       | as Ethernet after 8 bytes | no flow                  | named, stop      |
 * | WCCP         | IPv4 or IPv6 after 4 bytes | no flow                 | named, stop      |
 * | other        | named, stop               | no flow                  | named, stop      |
 *
 * "In place": T2 appends the inner header's piece and continues with the inner header as part
 * of the outer one's dissection (ipv4.ts, ipv6.ts). "Stop": STPDSCT, the outer header makes
 * the flow. Compressed PPP is labelled and stops on every path.
 *
 * @module
 */

import * as S from "../../base/flow_status.ts";
import { continueInPlace, decodeIpv4, decodeIpv4EtherIp, decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6, decodeIpv6End, restartIpv6 } from "../ip/ipv6.ts";
import { skipVlans } from "../l2/vlan.ts";
import { ETHERTYPE, MAX_8023_LENGTH, PPP_ADDRESS_CONTROL, PPP_PROTO } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, Space, STOP, stop, type Walk } from "../walk.ts";
import { ipByVersion } from "../ip/ip_version.ts";

/** Bytes of an ERSPAN type II header. */
const ERSPAN_LEN = 8;
/** Bytes of a WCCP redirect header. */
const WCCP_LEN = 4;
/** The first byte of a compressed PPP frame (T2 cannot read its header). */
const PPP_COMPRESSED = 0xfd;

/** Offset of the first byte after the optional GRE fields (T2 counts 4 bytes per flag). */
function greOptionsEnd(p: Packet, gre: number): number {
  const f0 = p.u8(gre);
  let off = gre + 4;
  if (f0 & 0x80) off += 4; // checksum
  if (f0 & 0x40) off += 4; // routing offset
  if (f0 & 0x20) off += 4; // key
  if (f0 & 0x10) off += 4; // sequence number
  if (f0 & 0x08) off += 4; // strict source route
  if (p.u8(gre + 1) & 0x80) off += 4; // acknowledgment number
  return off;
}

/** Enhanced GRE (version 1) whose payload length is 0: no PPP header is present. */
function noPayload(p: Packet, gre: number): boolean {
  return (p.u8(gre + 1) & 0x07) === 1 && p.u16(gre + 4) === 0;
}

/** Start a PPP payload at `inner`; true when it is compressed (labelled, STPDSCT). */
function pppCompressed(p: Packet, inner: number): boolean {
  p.addHdr(P.PPP);
  p.statusLo |= S.L2_PPP;
  if (p.u8(inner) !== PPP_COMPRESSED) return false;
  p.addHdr(P.COMP_DATA);
  p.statusHi |= S.PPP_NRHD_H | S.STPDSCT_H;
  return true;
}

/** Append `:ipv4` and continue with the IPv4 header at `ip` in place. */
function ipv4InPlace(p: Packet, ip: number): void {
  p.addHdr(P.IPV4);
  continueInPlace(p, ip);
}

// ------------------------------------------------ on an IPv4 header (T2's first path)

/** GRE at `gre` on the outer IPv4 header; goes on with EtherIP on the current header. */
export function decodeGreOnIpv4(p: Packet, gre: number, w: Walk): number {
  p.addHdr(P.GRE);
  p.statusLo |= S.L2_GRE;
  p.l4Off = gre;
  const inner = greOptionsEnd(p, gre);
  const type = p.u16(gre + 2);
  w.greLen = inner - gre;
  switch (type) {
    case ETHERTYPE.IPV4:
      ipv4InPlace(p, inner);
      return decodeIpv4EtherIp(p, 0, w);
    case ETHERTYPE.PPP:
      return pppOnIpv4(p, gre, inner, w);
    case ETHERTYPE.ERSPAN:
      p.addHdr(P.ERSPAN);
      p.statusLo |= S.L2_ERSPAN;
      w.greLen += ERSPAN_LEN;
      return ethernetOnIpv4(p, inner + ERSPAN_LEN, w);
    case ETHERTYPE.TEB:
      return ethernetOnIpv4(p, inner, w);
    case ETHERTYPE.WCCP: {
      p.addHdr(P.WCCP);
      p.statusLo |= S.L2_WCCP;
      const next = ipByVersion(p, inner + WCCP_LEN, w);
      if (next !== DECLINED) return next;
      p.statusHi |= S.STPDSCT_H;
      return decodeIpv4EtherIp(p, 0, w);
    }
    default:
      w.l4Named = true;
      p.statusHi |= S.STPDSCT_H;
      return w.name(Space.ETHER_NAME, type, decodeIpv4EtherIp);
  }
}

/** PPP in GRE on the outer IPv4 header (the only path that reads PPP without address bytes). */
function pppOnIpv4(p: Packet, gre: number, inner: number, w: Walk): number {
  if (pppCompressed(p, inner)) return decodeIpv4EtherIp(p, 0, w);
  if (noPayload(p, gre)) {
    p.statusHi |= S.STPDSCT_H;
    return decodeIpv4EtherIp(p, 0, w);
  }
  const b0 = p.u8(inner);
  if (b0 === PPP_ADDRESS_CONTROL >> 8) {
    const proto = p.u16(inner + 2);
    if (proto === PPP_PROTO.IPV4) {
      w.greLen += 4;
      ipv4InPlace(p, inner + 4);
      return decodeIpv4EtherIp(p, 0, w);
    }
    if (proto === PPP_PROTO.IPV6) return decodeIpv6(p, inner + 4, w);
    p.statusHi |= S.STPDSCT_H;
    return w.name(Space.PPP_NAME, proto, decodeIpv4EtherIp);
  }
  // Address and control bytes absent: a 1-byte protocol (odd), or 2 bytes.
  if (b0 & 0x01) {
    if (b0 === PPP_PROTO.IPV4) ipv4InPlace(p, inner + 1);
    return decodeIpv4EtherIp(p, 0, w);
  }
  if (p.u16(inner) === PPP_PROTO.IPV4) {
    w.greLen += 4;
    ipv4InPlace(p, inner + 4); // T2 skips 4 bytes although the protocol field has 2
    return decodeIpv4EtherIp(p, 0, w);
  }
  p.statusHi |= S.STPDSCT_H;
  return w.name(Space.PPP_NAME, p.u16(inner), decodeIpv4EtherIp);
}

/** An Ethernet frame at `eth` in GRE on the outer IPv4 header. */
function ethernetOnIpv4(p: Packet, eth: number, w: Walk): number {
  const l2Skip = (eth - p.l2Off) & 0xffff;
  p.addHdr(P.ETH_C);
  let pos = eth + 12;
  let type = pos;
  if (p.snapL2Len >= 4) pos = type = skipVlans(p, type);
  const typeLen = p.u16(type);
  if (typeLen <= MAX_8023_LENGTH || typeLen === ETHERTYPE.LLC_JUMBO) {
    p.addHdr(P.LLC);
    p.llcOff = pos;
    pos += 8;
    type = pos; // T2 takes the payload to start at the EtherType after LLC/SNAP
  } else {
    pos += 2;
  }
  const t = p.u16(type);
  if (t === ETHERTYPE.IPV4 || t === ETHERTYPE.IPV6) {
    p.l2Off = eth;
    p.snapL2Len -= l2Skip;
    if (t === ETHERTYPE.IPV6) return decodeIpv6(p, pos, w);
    ipv4InPlace(p, pos);
    return decodeIpv4EtherIp(p, 0, w);
  }
  p.statusHi |= S.STPDSCT_H;
  return w.name(Space.ETHER_NAME, t, decodeIpv4EtherIp);
}

// ------------------------------------------------ after the innermost IPv4 (T2's second path)

/** GRE as the protocol after the innermost IPv4 header. */
export function decodeGreAfterIpv4(p: Packet, gre: number, w: Walk): number {
  if (!w.l4Named) p.addHdr(P.GRE);
  p.statusLo |= S.L2_GRE;
  const inner = greOptionsEnd(p, gre);
  switch (p.u16(gre + 2)) {
    case ETHERTYPE.IPV4:
      ipv4InPlace(p, inner);
      return decodeIpv4Flow(p);
    case ETHERTYPE.PPP: {
      if (pppCompressed(p, inner)) return decodeIpv4Flow(p);
      const proto = p.u16(inner + 2);
      if (proto === PPP_PROTO.IPV4) {
        ipv4InPlace(p, inner + 4);
        return decodeIpv4Flow(p);
      }
      if (proto === PPP_PROTO.IPV6) return decodeIpv6(p, inner + 4, w);
      p.statusHi |= S.STPDSCT_H;
      if (noPayload(p, gre)) return decodeIpv4Flow(p);
      return w.name(Space.PPP_NAME, proto, decodeIpv4Flow);
    }
    case ETHERTYPE.TEB: { // no `:eth` on this path
      const eth = inner;
      const pos = eth + 12;
      const type = skipVlans(p, pos);
      const ip = type !== pos ? type : pos + 2; // as in tunnel_ethernet.ts
      const t = p.u16(type);
      if (t !== ETHERTYPE.IPV4 && t !== ETHERTYPE.IPV6) {
        return w.name(Space.ETHER_NAME, t, stop); // no flow
      }
      p.snapL2Len -= (eth - p.l2Off) & 0xffff;
      p.l2Off = eth;
      return t === ETHERTYPE.IPV4 ? decodeIpv4(p, ip, w) : decodeIpv6(p, ip, w);
    }
    default:
      return STOP; // no flow
  }
}

// ------------------------------------------------ in the IPv6 walk (T2's third path)

/** GRE in the IPv6 walk. */
export function decodeGreInIpv6(p: Packet, gre: number, w: Walk): number {
  p.addHdr(P.GRE);
  p.statusLo |= S.L2_GRE;
  const inner = greOptionsEnd(p, gre);
  const type = p.u16(gre + 2);
  // T2 continues with an inner IPv6 header without reading its next header.
  switch (type) {
    case ETHERTYPE.IPV6:
      return restartIpv6(p, w, inner, w.ip6Next);
    case ETHERTYPE.PPP: {
      if (pppCompressed(p, inner)) return decodeIpv6End(p, gre, w);
      const proto = p.u16(inner + 2);
      if (proto === PPP_PROTO.IPV6) return restartIpv6(p, w, inner + 4, w.ip6Next);
      p.statusHi |= S.STPDSCT_H;
      if (noPayload(p, gre)) return decodeIpv6End(p, gre, w);
      return w.name(Space.PPP_NAME, proto, decodeIpv6End);
    }
    case ETHERTYPE.TEB: // T2 takes the frame to carry IPv6 without looking
      return restartIpv6(p, w, inner + 14, w.ip6Next);
    default:
      p.statusHi |= S.STPDSCT_H;
      return w.name(Space.ETHER_NAME, type, decodeIpv6End);
  }
}
