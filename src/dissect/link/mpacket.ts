/**
 * 802.3br mPackets (DLT_ETHERNET_MPACKET, spec/dissection.md §2): T2 skips the 8 bytes of
 * preamble and start delimiter and dissects the Ethernet frame after them (`fpp:eth`).
 *
 * @module
 */

import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { decodeEthernet } from "./ethernet.ts";

/** Bytes of preamble and SMD in front of the frame. */
const PREAMBLE_LEN = 8;

/** DLT_ETHERNET_MPACKET. */
export function decodeMpacket(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.FPP);
  return decodeEthernet(p, off + PREAMBLE_LEN, w);
}
