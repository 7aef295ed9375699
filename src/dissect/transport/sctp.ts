/**
 * SCTP: `:sctp`, L4_SCTP and the ports. After IPv4 the ports need an IP length of 36 bytes, in
 * IPv6 16 captured bytes.
 *
 * @module
 */

import { L3SNAPLENGTH_H, L4_SCTP, L4HDRSHRTLEN_H } from "../../base/flow_status.ts";
import { decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6End } from "../ip/ipv6.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { setPorts } from "./l4_ports.ts";

/** Bytes of the SCTP common header. */
const SCTP_HEADER = 12;

/** SCTP after the innermost IPv4 header. */
export function decodeSctpAfterIpv4(p: Packet, off: number, w: Walk): number {
  if (!w.l4Named) p.addHdr(P.SCTP);
  p.statusLo |= L4_SCTP;
  if (p.l3Len < 36) p.statusHi |= L4HDRSHRTLEN_H;
  else setPorts(p, off);
  return decodeIpv4Flow(p);
}

/** SCTP in the IPv6 walk. */
export function decodeSctpInIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.SCTP);
  p.statusLo |= L4_SCTP;
  w.ip6L4HdrLen = SCTP_HEADER;
  const captured = (p.end - off) >>> 0;
  if ((p.statusHi & L3SNAPLENGTH_H) && captured < SCTP_HEADER) p.statusHi |= L4HDRSHRTLEN_H;
  if (captured < 16) p.statusHi |= L4HDRSHRTLEN_H;
  else setPorts(p, off);
  return decodeIpv6End(p, off, w);
}
