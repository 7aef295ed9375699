/**
 * Which way a new flow without an opposite probably runs (T2's A/B guess): a flow whose first
 * packet comes from a well-known port towards a higher one, from port 8080-8081 or 8088-8089,
 * or that starts with a TCP SYN-ACK is taken for a reply (flowStat bit 0, a B flow).
 *
 * @module
 */

import type { Packet } from "../dissect/packet.ts";

/** TCP flags SYN and ACK. */
const SYN_ACK = 0x12;

/** Whether packet `p`, the first of a flow without opposite, looks like a server's reply. */
export function startsAsReply(p: Packet): boolean {
  const sp = p.srcPort;
  return (sp < 1024 && sp < p.dstPort) || (sp & 0xfff6) === 8080 ||
    (p.l4Proto === 6 && (p.u8(p.l4Off + 13) & SYN_ACK) === SYN_ACK);
}
