/**
 * IPv6 extension headers of the walk in ipv6.ts: hop-by-hop and destination options, routing,
 * fragment. Each adds its piece and its length and names the next header.
 *
 * @module
 */

import { IPPROTO } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { decodeIpv6End, decodeIpv6Next, fragmentOffset } from "./ipv6.ts";

/** Bytes of a fragment header. */
const FRAGMENT_HEADER = 8;

/** Length of an extension header whose length byte counts 8-byte units after the first. */
function extLength(p: Packet, off: number): number {
  return (p.u8(off + 1) + 1) << 3;
}

/** Hop-by-hop or destination options. */
export function decodeOptions(p: Packet, off: number, w: Walk): number {
  if (w.ip6Next === IPPROTO.HOPOPTS) {
    p.addHdr(P.HOPOPTS);
    p.ip6HopOptsOff = off;
  } else {
    p.addHdr(P.DSTOPTS);
    p.ip6DstOptsOff = off;
  }
  w.ip6HdrLen += extLength(p, off);
  w.ip6Next = p.u8(off);
  return decodeIpv6Next(p, off, w);
}

/** Routing header. */
export function decodeRouting(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.ROUTING);
  w.ip6Next = p.u8(off);
  w.ip6HdrLen += extLength(p, off);
  return decodeIpv6Next(p, off, w);
}

/** Fragment header: a later fragment ends the walk. */
export function decodeFragment(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.FRAGHDR);
  w.ip6FragHdr = off;
  p.ip6FragHeaders++;
  w.ip6Next = p.u8(off);
  w.ip6HdrLen += FRAGMENT_HEADER;
  if (fragmentOffset(p, off) !== 0) {
    p.l4Off = off + FRAGMENT_HEADER;
    return decodeIpv6End(p, off, w);
  }
  return decodeIpv6Next(p, off, w);
}
