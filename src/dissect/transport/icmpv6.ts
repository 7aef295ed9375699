/**
 * ICMPv6 in the IPv6 walk (an 8-byte header). ICMP after IPv4 needs no decoder: it is named,
 * and its header length is in ipv4_lengths.ts.
 *
 * @module
 */

import { L3SNAPLENGTH_H, L4HDRSHRTLEN_H } from "../../base/flow_status.ts";
import { decodeIpv6End } from "../ip/ipv6.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";

const ICMPV6_HEADER = 8;

/** ICMPv6. */
export function decodeIcmpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.ICMPV6);
  w.ip6L4HdrLen = ICMPV6_HEADER;
  const captured = (p.end - off) >>> 0;
  if ((p.statusHi & L3SNAPLENGTH_H) && captured < ICMPV6_HEADER) p.statusHi |= L4HDRSHRTLEN_H;
  return decodeIpv6End(p, off, w);
}
