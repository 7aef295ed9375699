/**
 * TCP. T2's IPv4 and IPv6 code differ: after IPv4 the header length is known already and the
 * ports need an IP length of 40 bytes; in IPv6 the header length is found here and the ports
 * need 20 captured bytes.
 *
 * @module
 */

import { L3SNAPLENGTH_H, L4HDRSHRTLEN_H } from "../../base/flow_status.ts";
import { decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6End } from "../ip/ipv6.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { addSsdp, setPorts } from "./l4_ports.ts";

/** Bytes of a TCP header without options. */
const TCP_HEADER = 20;
/** IPv4 length a whole TCP header needs. */
const IPV4_TCP_LEN = 40;

/** TCP after the innermost IPv4 header. */
export function decodeTcpAfterIpv4(p: Packet, off: number, w: Walk): number {
  if (!w.l4Named) p.addHdr(P.TCP);
  if (p.l3Len < IPV4_TCP_LEN) p.statusHi |= L4HDRSHRTLEN_H;
  else {
    setPorts(p, off);
    addSsdp(p);
  }
  return decodeIpv4Flow(p);
}

/** TCP in the IPv6 walk. */
export function decodeTcpInIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.TCP);
  const captured = (p.end - off) >>> 0;
  if ((p.statusHi & L3SNAPLENGTH_H) && captured < TCP_HEADER) {
    p.statusHi |= L4HDRSHRTLEN_H;
    w.ip6L4HdrLen = TCP_HEADER;
  } else {
    w.ip6L4HdrLen = (p.u8(off + 12) >> 4) << 2;
  }
  if (captured < TCP_HEADER) p.statusHi |= L4HDRSHRTLEN_H;
  else {
    setPorts(p, off);
    addSsdp(p);
  }
  return decodeIpv6End(p, off, w);
}
