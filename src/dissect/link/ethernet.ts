/**
 * Ethernet (DLT_EN10MB), with Cisco ISL in front when the destination address says so
 * (spec/dissection.md §2). At least 16 bytes must be captured, else the packet gets
 * L2SNAPLENGTH and no flow.
 *
 * @module
 */

import { L2SNAPLENGTH_H } from "../../base/flow_status.ts";
import { decodeTypeField } from "../l2/type_field.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { STOP, type Walk } from "../walk.ts";

/** Captured bytes an Ethernet header needs (T2's test). */
const MIN_CAPTURED = 16;
/** Bytes of a Cisco ISL header. */
const ISL_LEN = 26;

/** Whether the frame at `off` starts with an ISL destination (01/03:00:0c:00:00). */
function isIsl(p: Packet, off: number): boolean {
  const b0 = p.u8(off);
  return (b0 === 0x01 || b0 === 0x03) && p.u8(off + 1) === 0x00 && p.u8(off + 2) === 0x0c &&
    p.u8(off + 3) === 0x00 && p.u8(off + 4) === 0x00;
}

/** An Ethernet frame at `off`. */
export function decodeEthernet(p: Packet, off: number, w: Walk): number {
  if (p.snapL2Len < MIN_CAPTURED) {
    p.statusHi |= L2SNAPLENGTH_H;
    return STOP;
  }
  p.l2Off = off;
  if (isIsl(p, off)) {
    p.addHdr(P.ISL);
    if (p.snapL2Len < MIN_CAPTURED + ISL_LEN) {
      p.statusHi |= L2SNAPLENGTH_H;
      return STOP;
    }
    off += ISL_LEN;
    p.l2Off = off;
  }
  p.addHdr(P.ETH);
  return decodeTypeField(p, off + 12, w);
}
