/**
 * Prism monitor headers (DLT_PRISM_HEADER, spec/dissection-wireless.md §4): T2 skips 144 bytes,
 * whatever the header says, and warns for every packet whose header gives another length. The
 * captured length of the layer 2 is not reduced by the Prism header (T2).
 *
 * @module
 */

import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { wlanFrame } from "./ieee80211.ts";

/** Bytes of a Prism header (the length T2 assumes). */
export const PRISM_LEN = 144;

/** DLT_PRISM_HEADER. */
export function decodePrism(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.PRISM);
  const len = (p.u8(off + 4) | (p.u8(off + 5) << 8) | (p.u8(off + 6) << 16) |
    (p.u8(off + 7) << 24)) >>> 0;
  if (len !== PRISM_LEN) addNotice(p, Notice.PRISM_LENGTH, len);
  return wlanFrame(p, off + PRISM_LEN, w);
}
