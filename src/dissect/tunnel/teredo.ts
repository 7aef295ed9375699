/**
 * Teredo (IPv6 over UDP, RFC 4380): tried on every UDP packet whose ports are both above 1024;
 * taken when an IPv6 header follows the optional authentication and origin indication headers
 * and either a port is 3544 or an address is a Teredo address (2001:0::/32).
 *
 * @module
 */

import { L3_TRDO } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** The Teredo server port. */
const TEREDO_PORT = 3544;
/** The Teredo prefix 2001:0::/32 as a 32-bit word. */
const TEREDO_PREFIX = 0x20010000;
/** Indicator types in front of the IPv6 header. */
const AUTHENTICATION = 0x0001;
const ORIGIN = 0x0000;

/** Teredo at `off` (the UDP payload). */
export function decodeTeredo(p: Packet, off: number, w: Walk): number {
  const ip6 = teredoIpv6At(p, off);
  if (ip6 < 0) return DECLINED;
  const src0 = p.u32(ip6 + 8);
  const dst0 = p.u32(ip6 + 24);
  if (
    p.srcPort !== TEREDO_PORT && src0 !== TEREDO_PREFIX && p.dstPort !== TEREDO_PORT &&
    dst0 !== TEREDO_PREFIX
  ) return DECLINED;
  p.addHdr(P.TEREDO);
  p.statusLo |= L3_TRDO;
  return decodeIpv6(p, ip6, w);
}

/**
 * Where the IPv6 header of a Teredo payload at `off` starts (after the optional
 * authentication and origin indication headers), or -1 when there is none. Only reads.
 */
export function teredoIpv6At(p: Packet, off: number): number {
  let pos = off;
  let marker = p.u16(pos);
  if (p.u8(pos) !== 0x60 && marker !== AUTHENTICATION && marker !== ORIGIN) return -1;
  if (marker === AUTHENTICATION) {
    pos += 13 + p.u8(pos + 2) + p.u8(pos + 3);
    marker = p.u16(pos);
  }
  if (marker === ORIGIN) pos += 8;
  return (p.u8(pos) & 0xf0) === 0x60 ? pos : -1;
}
