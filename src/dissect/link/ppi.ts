/**
 * Per-Packet Information (DLT_PPI, spec/dissection-wireless.md §3): a header that names the
 * link type of what follows. T2 reads only its length and that link type (both little-endian),
 * checks that at least one byte follows the header, and dissects the rest as a record of that
 * link type, numbered as written (no LINKTYPE → DLT mapping: 101 is not raw IP here). A link
 * type it cannot dissect gets a warning per packet; only PPI inside PPI (and LAPD) ends the
 * run, as an unsupported link type of the capture does.
 *
 * @module
 */

import { L2SNAPLENGTH_H } from "../../base/flow_status.ts";
import { DLT } from "../numbers.ts";
import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { MAX_CODE, Space, STOP, type Walk } from "../walk.ts";

/** Link types T2 stops the run at, also inside PPI. */
const FATAL_INSIDE: readonly number[] = [DLT.PPI, DLT.LINUX_LAPD, DLT.LAPD];

/** DLT_PPI. */
export function decodePpi(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.PPI);
  const len = p.u8(off + 2) | (p.u8(off + 3) << 8);
  const dlt = (p.u8(off + 4) | (p.u8(off + 5) << 8) | (p.u8(off + 6) << 16) |
    (p.u8(off + 7) << 24)) >>> 0;
  if (p.snapL2Len < len + 1) {
    p.statusHi |= L2SNAPLENGTH_H;
    return STOP;
  }
  p.snapL2Len -= len;
  if (FATAL_INSIDE.includes(dlt)) {
    addNotice(p, Notice.UNSUPPORTED_LINK_TYPE, dlt);
    return STOP;
  }
  if (dlt > MAX_CODE) return innerUnsupported(p, dlt);
  return w.via(Space.LINK, dlt, off + len, decodeInnerUnsupported);
}

/** The link type inside PPI (`w.missed`) has no decoder: a warning, no flow. */
function decodeInnerUnsupported(p: Packet, _off: number, w: Walk): number {
  return innerUnsupported(p, w.missed);
}

function innerUnsupported(p: Packet, dlt: number): number {
  addNotice(p, Notice.PPI_UNSUPPORTED_LINK_TYPE, dlt);
  return STOP;
}
