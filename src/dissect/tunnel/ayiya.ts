/**
 * AYIYA ("anything in anything", port 5072), tried on the ports of TCP, UDP, UDP-Lite and SCTP
 * on an IPv4 header: IPv4 or IPv6 inside is decapsulated, "no next header" is labelled. On SCTP
 * T2 only labels it and stops.
 *
 * @module
 */

import { L3_AYIYA, STPDSCT_H } from "../../base/flow_status.ts";
import { IPPROTO } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, type Decoder, type Walk } from "../walk.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** AYIYA at `off` (the transport payload) on the IPv4 header `p.l3Off`. */
export function decodeAyiya(p: Packet, off: number, w: Walk): number {
  const ip = p.l3Off;
  const proto = p.u8(ip + 9);
  if (proto === IPPROTO.SCTP) {
    nameTransport(p, w, P.SCTP);
    p.addHdr(P.AYIYA);
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  // T2 wants the IP length to leave room for the AYIYA header.
  if (p.u16(ip + 2) - p.l3HdrLen - w.outerL4Len - 8 < 0) return DECLINED;
  nameTransport(p, w, proto === IPPROTO.TCP ? P.TCP : proto === IPPROTO.UDP ? P.UDP : P.UDPLITE);
  const idLen = p.u8(off) >> 4;
  const sigLen = p.u8(off + 1) >> 4;
  const next = p.u8(off + 3);
  const inner = off + 8 + (1 << idLen) + (sigLen << 2);
  if (inner >= p.end) return DECLINED;
  const version = p.u8(inner) & 0xf0;
  if (next === IPPROTO.IPV6 && version === 0x60) return taken(p, w, decodeIpv6, inner);
  if (next === IPPROTO.IPV4 && version === 0x40) return taken(p, w, decodeIpv4, inner);
  if (next === IPPROTO.IPV6 || next === IPPROTO.IPV4) return DECLINED;
  if (next === IPPROTO.NO_NEXT_HEADER) {
    p.addHdr(P.AYIYA);
    p.statusLo |= L3_AYIYA;
  }
  p.statusHi |= STPDSCT_H;
  return DECLINED;
}

function taken(p: Packet, w: Walk, decode: Decoder, inner: number): number {
  p.addHdr(P.AYIYA);
  p.statusLo |= L3_AYIYA;
  return decode(p, inner, w);
}

/** Append the transport's piece unless the IPv4 header named it already. */
function nameTransport(p: Packet, w: Walk, piece: number): void {
  if (w.l4Named) return;
  p.addHdr(piece);
  w.l4Named = true;
}
