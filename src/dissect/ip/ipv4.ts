/**
 * IPv4 as T2 0.9.3 dissects it (dissembleIPv4Packet, spec/dissection.md §3), in stages:
 *
 * 1. {@linkcode decodeIpv4}: the header; its transport ports, for the tunnels tried by port
 *    (`wiring.ts`, `IPV4_PORT_TUNNELS`).
 * 2. {@linkcode decodeIpv4Encapsulated}: when the header's protocol is one, encapsulations of
 *    the header: {@linkcode decodeIpv4Gre}, {@linkcode decodeIpv4EtherIp},
 *    {@linkcode decodeIpv4IpInIp}. T2 continues an inner IPv4 header found there "in place":
 *    its `:ipv4` is appended and the next stage looks at it, but it is not dissected as a
 *    header of its own (no tunnels by port, no GRE on it).
 * 3. {@linkcode decodeIpv4Layer4}: lengths of the innermost header, its layer-4 header, then the
 *    layer-4 protocol by number (`wiring.ts`, the IPv4 column of `IP_PROTOCOLS`).
 * 4. {@linkcode decodeIpv4Flow}: an IPv4 flow packet.
 *
 * @module
 */

import * as S from "../../base/flow_status.ts";
import { setIpPadding } from "../l2/padding.ts";
import { ETHERTYPE, IPPROTO } from "../numbers.ts";
import { type Packet, PacketKind } from "../packet.ts";
import { P } from "../pieces.ts";
import { somePortRuleMayMatch } from "../ports.ts";
import { Space, Stage, STOP, type Walk } from "../walk.ts";
import {
  ihl,
  IPV4_MIN_HEADER,
  l4HeaderLen,
  minL4Header,
  setIpv4Lengths,
  setPayloadLengths,
} from "./ipv4_lengths.ts";
import { decodeIpv6 } from "./ipv6.ts";

/** Whether dissection was stopped. */
function stopped(p: Packet): boolean {
  return (p.statusHi & S.STPDSCT_H) !== 0;
}

/** Whether the IPv4 header at `ip` is a second or later fragment. */
function laterFragment(p: Packet, ip: number): boolean {
  return (p.u16(ip + 6) & 0x1fff) !== 0;
}

/** Bytes of the transport header whose ports T2 reads on an IPv4 header, -1 for none. */
function portedHeaderLen(p: Packet, proto: number, l4: number): number {
  if (proto === IPPROTO.TCP) return (p.u8(l4 + 12) >> 4) << 2;
  const min = minL4Header(proto); // UDP, UDP-Lite, SCTP; 0 for the rest
  return min === 0 ? -1 : min;
}

/** An IPv4 header at `off`. */
export function decodeIpv4(p: Packet, off: number, w: Walk): number {
  p.l3Off = off;
  p.ethType = ETHERTYPE.IPV4;
  p.statusHi |= S.FS_IPV4_PKT_H;
  p.addHdr(P.IPV4);
  const hl = ihl(p, off);
  if (hl < IPV4_MIN_HEADER) {
    p.statusHi |= S.IPV4_HL_TOO_SHORT_H;
    return STOP;
  }
  p.l3HdrLen = hl;
  const l4 = off + hl;
  p.l4Off = l4;
  w.l4Named = false;
  w.greLen = 0;
  const later = laterFragment(p, off);
  if (later) p.statusHi |= S.STPDSCT_H;

  const proto = p.u8(off + 9);
  const l4Len = later ? -1 : portedHeaderLen(p, proto, l4);
  const sport = l4Len < 0 ? 0 : p.u16(l4);
  const dport = l4Len < 0 ? 0 : p.u16(l4 + 2);
  p.srcPort = sport;
  p.dstPort = dport;
  if (sport !== 0 && dport !== 0 && somePortRuleMayMatch(proto, sport, dport)) {
    w.outerL4Len = l4Len;
    w.declined = decodeIpv4Encapsulated;
    return w.to(Stage.IPV4_PORT_TUNNELS, l4 + l4Len);
  }
  return decodeIpv4Encapsulated(p, l4, w);
}

/** The stages of encapsulations on the IPv4 header, or straight its layer 4 when it has none. */
export function decodeIpv4Encapsulated(p: Packet, off: number, w: Walk): number {
  switch (p.u8(p.l3Off + 9)) {
    case IPPROTO.GRE:
    case IPPROTO.ETHERIP:
    case IPPROTO.IPV4:
    case IPPROTO.IPV6:
      return decodeIpv4Gre(p, off, w);
    default:
      return decodeIpv4Layer4(p, off, w);
  }
}

/** GRE on the (outer) IPv4 header `p.l3Off`. */
export function decodeIpv4Gre(p: Packet, _off: number, w: Walk): number {
  const ip = p.l3Off;
  if (p.u8(ip + 9) === IPPROTO.GRE && !stopped(p)) {
    return w.to(Stage.GRE_ON_IPV4, ip + p.l3HdrLen);
  }
  return decodeIpv4EtherIp(p, ip, w);
}

/** EtherIP on the current IPv4 header `p.l3Off` (needs an EtherIP version of 3 or more). */
export function decodeIpv4EtherIp(p: Packet, _off: number, w: Walk): number {
  const ip = p.l3Off;
  const payload = ip + p.l3HdrLen;
  if (
    p.u8(ip + 9) === IPPROTO.ETHERIP && (p.u8(payload) & 0xf0) >= 0x30 && !stopped(p)
  ) {
    return w.to(Stage.ETHERIP_ON_IPV4, payload);
  }
  return decodeIpv4IpInIp(p, ip, w);
}

/** IP in IP on the current IPv4 header: IPv4 continues in place, IPv6 is dissected. */
export function decodeIpv4IpInIp(p: Packet, _off: number, w: Walk): number {
  if (!stopped(p)) {
    const ip = p.l3Off;
    const proto = p.u8(ip + 9);
    const inner = ip + p.l3HdrLen;
    if (proto === IPPROTO.IPV4) {
      p.statusLo |= S.L3_IPIP;
      p.addHdr(P.IPV4);
      if (inner > p.end) p.statusHi |= S.STPDSCT_H;
      else continueInPlace(p, inner);
    } else if (proto === IPPROTO.IPV6) {
      p.statusLo |= S.L3_IPIP;
      if (inner <= p.end) return decodeIpv6(p, inner, w);
      p.statusHi |= S.FS_IPV6_PKT_H | S.STPDSCT_H;
    }
  }
  return decodeIpv4Layer4(p, p.l3Off, w);
}

/** Make the IPv4 header at `ip` the current one without dissecting it as a header. */
export function continueInPlace(p: Packet, ip: number): void {
  p.l3Off = ip;
  p.l3HdrLen = ihl(p, ip);
}

/** Lengths and the layer-4 header of the innermost IPv4 header `p.l3Off`. */
export function decodeIpv4Layer4(p: Packet, _off: number, w: Walk): number {
  const ip = p.l3Off;
  if ((p.u8(ip) & 0xf0) !== 0x40) {
    p.statusLo |= S.L3_IPVX;
    p.addHdr(P.IPVX);
    return STOP;
  }
  const l3Len = setIpv4Lengths(p, ip);
  const proto = p.u8(ip + 9);
  p.l4Proto = proto;
  const l4 = ip + p.l3HdrLen;
  p.l4Off = l4;
  const ipOff = p.u16(ip + 6);
  const later = (ipOff & 0x1fff) !== 0;
  const l4HdrLen = later ? 0 : l4HeaderLen(p, ip, l4, proto, w.greLen);
  p.l4HdrLen = l4HdrLen;
  setPayloadLengths(p, ip, l3Len, l4HdrLen);

  const a = p.addr;
  p.u32Into(a, 0, ip + 12);
  a[1] = a[2] = a[3] = 0;
  p.u32Into(a, 4, ip + 16);
  a[5] = a[6] = a[7] = 0;
  if (!stopped(p)) {
    p.srcPort = 0;
    p.dstPort = 0;
  }
  p.ipId = p.u16(ip + 4);
  p.ipOff = ipOff;
  p.firstFragment = !later;

  if (later) { // T2 names the protocol of a later fragment; nothing more is known
    return w.l4Named ? decodeIpv4Flow(p) : w.name(Space.IP_NAME, proto, decodeIpv4Flow);
  }
  if (stopped(p)) return decodeIpv4Flow(p);
  return w.via(Space.IPV4_NEXT, proto, l4, decodeIpv4Flow);
}

/** An IPv4 flow packet. */
export function decodeIpv4Flow(p: Packet): number {
  p.statusLo |= S.L2_IPV4;
  p.kind = PacketKind.IPV4;
  setIpPadding(p);
  return STOP;
}

/** IPv4 carried by the innermost IPv4 header (protocol 4): dissected as a header of its own. */
export function decodeIpv4InIpv4(p: Packet, off: number, w: Walk): number {
  p.statusLo |= S.L3_IPIP;
  if (off > p.end || p.l3HdrLen === 0) {
    p.statusHi |= S.STPDSCT_H;
    return decodeIpv4Flow(p);
  }
  return decodeIpv4(p, off, w);
}
