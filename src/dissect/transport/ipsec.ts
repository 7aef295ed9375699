/**
 * IPsec: ESP after IPv4 (named and flagged; in IPv6 T2 only names it) and the Authentication
 * Header (after IPv4 it names the protocol it protects; in IPv6 it is an extension header).
 *
 * @module
 */

import { L3_IPSEC_AH, L3_IPSEC_ESP } from "../../base/flow_status.ts";
import { decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6Next } from "../ip/ipv6.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, type Walk } from "../walk.ts";

/** ESP after the innermost IPv4 header. */
export function decodeEsp(p: Packet): number {
  p.addHdr(P.ESP);
  p.statusLo |= L3_IPSEC_ESP;
  return decodeIpv4Flow(p);
}

/** AH after the innermost IPv4 header. */
export function decodeAhAfterIpv4(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.AH);
  p.statusLo |= L3_IPSEC_AH;
  return w.name(Space.IP_NAME, p.u8(off), decodeIpv4Flow);
}

/** AH in the IPv6 walk (its length counts 4-byte units after the first two). */
export function decodeAhInIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.AH);
  p.statusLo |= L3_IPSEC_AH;
  w.ip6Next = p.u8(off);
  w.ip6HdrLen += (p.u8(off + 1) + 2) << 2;
  return decodeIpv6Next(p, off, w);
}
