/**
 * BSD loopback (DLT_NULL, DLT_LOOP): a 4-byte address family, then IPv4 or IPv6. DLT_NULL's
 * family is in the capturing host's byte order, DLT_LOOP's in network order.
 *
 * @module
 */

import { L2_NO_ETH, L2SNAPLENGTH_H } from "../../base/flow_status.ts";
import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { STOP, type Walk } from "../walk.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** Bytes of the family field. */
const FAMILY_LEN = 4;
/** AF_INET on every system. */
const AF_INET = 2;
/** AF_INET6 of Linux, the BSDs, Darwin and others. */
const AF_INET6 = [10, 23, 24, 26, 28, 30];
/** Families above this are taken to be in network order. */
const MAX_FAMILY = 30;

/** DLT_NULL. */
export function decodeNull(p: Packet, off: number, w: Walk): number {
  return loopback(p, off, w, false);
}

/** DLT_LOOP. */
export function decodeLoop(p: Packet, off: number, w: Walk): number {
  return loopback(p, off, w, true);
}

function loopback(p: Packet, off: number, w: Walk, networkOrder: boolean): number {
  p.addHdr(P.NULL);
  if (p.snapL2Len < FAMILY_LEN) {
    p.statusHi |= L2SNAPLENGTH_H;
    return STOP;
  }
  const ip = off + FAMILY_LEN;
  p.l2Off = off;
  p.l3Off = ip;
  let family = (p.u8(off) | (p.u8(off + 1) << 8) | (p.u8(off + 2) << 16) |
    (p.u8(off + 3) << 24)) >>> 0;
  if (family > MAX_FAMILY || networkOrder) family = p.u32(off);
  p.statusLo |= L2_NO_ETH;
  if (family === AF_INET) return decodeIpv4(p, ip, w);
  if (AF_INET6.includes(family)) return decodeIpv6(p, ip, w);
  addNotice(p, Notice.NULL_FAMILY, family);
  return STOP;
}
