/**
 * OSPF in the IPv6 walk: named, with its header length by version. (After IPv4, OSPF is only
 * named; its header length is in ipv4_lengths.ts.)
 *
 * @module
 */

import { ospfHeaderLen } from "../ip/ipv4_lengths.ts";
import { decodeIpv6End } from "../ip/ipv6.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";

/** OSPF. */
export function decodeOspfInIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.OSPF);
  w.ip6L4HdrLen = ospfHeaderLen(p, off);
  return decodeIpv6End(p, off, w);
}
