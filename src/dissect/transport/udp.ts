/**
 * UDP and UDP-Lite. After IPv4 (T2: the ports need an IP length of 28 bytes): DTLS records,
 * SSDP, and NAT traversal (port 4500: `:udpencap`, then ESP, IKE or a keep-alive). In IPv6:
 * DTLS records, L2TP (port 1701), SSDP. Tunnels tried by port on an outer IPv4 header are not
 * here: see `wiring.ts`, `IPV4_PORT_TUNNELS`.
 *
 * @module
 */

import { L3_IPSEC_ESP, L4HDRSHRTLEN_H } from "../../base/flow_status.ts";
import { decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6End } from "../ip/ipv6.ts";
import { IPPROTO } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { PORTS } from "../ports.ts";
import { decodeL2tp } from "../tunnel/l2tp.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { dtlsRecords } from "./dtls.ts";
import { addSsdp, setPorts } from "./l4_ports.ts";

/** Bytes of a UDP header. */
const UDP_HEADER = 8;
/** IPv4 length a whole UDP header needs. */
const IPV4_UDP_LEN = 28;

/** UDP or UDP-Lite after the innermost IPv4 header. */
export function decodeUdpAfterIpv4(p: Packet, off: number, w: Walk): number {
  if (p.l4Proto === IPPROTO.UDPLITE && !w.l4Named) {
    p.addHdr(P.UDPLITE);
    w.l4Named = true;
  }
  if (!w.l4Named) p.addHdr(P.UDP);
  if (p.l3Len < IPV4_UDP_LEN) p.statusHi |= L4HDRSHRTLEN_H;
  else {
    setPorts(p, off);
    dtlsRecords(p, off + UDP_HEADER);
    if (!addSsdp(p) && PORTS.NAT_T.matches(p.srcPort, p.dstPort)) natTraversal(p, off);
  }
  return decodeIpv4Flow(p);
}

/** IPsec NAT traversal (RFC 3948) in the UDP datagram at `off`. */
function natTraversal(p: Packet, off: number): void {
  const payload = off + UDP_HEADER;
  p.addHdr(P.UDPENCAP);
  const keepAlive = p.u8(payload) === 0xff && p.u16(off + 4) - UDP_HEADER === 1;
  if (keepAlive) return;
  if (p.u32(payload) !== 0) {
    p.addHdr(P.ESP);
    p.statusLo |= L3_IPSEC_ESP;
  } else {
    p.addHdr(P.ISAKMP); // a zero "non-ESP marker" precedes IKE
  }
}

/** UDP or UDP-Lite in the IPv6 walk. */
export function decodeUdpInIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(w.ip6Next === IPPROTO.UDPLITE ? P.UDPLITE : P.UDP);
  w.ip6L4HdrLen = UDP_HEADER;
  setPorts(p, off);
  dtlsRecords(p, off + UDP_HEADER);
  if (PORTS.L2TP.matches(p.srcPort, p.dstPort)) {
    w.declined = decodeIpv6UdpEnd;
    const next = decodeL2tp(p, off + UDP_HEADER, w);
    if (next !== DECLINED) return next;
  }
  return decodeIpv6UdpEnd(p, off, w);
}

/** The rest of an IPv6 UDP header once L2TP did not take it: SSDP. */
export function decodeIpv6UdpEnd(p: Packet, off: number, w: Walk): number {
  addSsdp(p);
  return decodeIpv6End(p, off, w);
}
