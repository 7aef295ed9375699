/**
 * IGMP after IPv4: `:igmp`, and by message type DVMRP, PIM version 1 or RGMP.
 *
 * @module
 */

import { decodeIpv4Flow } from "../ip/ipv4.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";

const DVMRP = 0x13;
const PIM_V1 = 0x14;
/** RGMP messages are types 0xfc-0xff sent to 224.0.0.25. */
const RGMP_TYPES = 0xfc;
const RGMP_GROUP = 0xe0000019;

/** IGMP. */
export function decodeIgmp(p: Packet, off: number): number {
  p.addHdr(P.IGMP);
  const type = p.u8(off);
  if (type === DVMRP) p.addHdr(P.DVMRP);
  else if (type === PIM_V1) p.addHdr(P.PIM);
  else if (type >= RGMP_TYPES && p.u32(p.l3Off + 16) === RGMP_GROUP) p.addHdr(P.RGMP);
  return decodeIpv4Flow(p);
}
