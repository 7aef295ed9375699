/**
 * IEEE 802.3 slow protocols (by EtherType): `:slow` and the subtype's name (LACP, marker,
 * OAM, OSSP), then a layer-2 flow packet.
 *
 * @module
 */

import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";

/** Subtype byte (after the EtherType) → piece. */
const SUBTYPES = new Map<number, number>([
  [1, P.LACP],
  [2, P.MARKER],
  [3, P.OAMPDU],
  [10, P.OSSP],
]);

/** Slow protocols; the EtherType is at `off`. */
export function decodeSlow(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.SLOW);
  const subtype = SUBTYPES.get(p.u8(off + 3));
  if (subtype !== undefined) p.addHdr(subtype);
  return w.l2End(p, off, w);
}
