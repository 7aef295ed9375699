/**
 * A tunnel that gives up after a part of it was named: dissection stops there (STPDSCT) and
 * goes on where the layer that tried the tunnel says (`Walk.declined`), after restoring the
 * offsets the tunnel had moved, if any.
 *
 * @module
 */

import { STPDSCT_H } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import type { Walk } from "../walk.ts";

/** The tunnel gives up. */
export function decodeTunnelGiveUp(p: Packet, off: number, w: Walk): number {
  p.statusHi |= STPDSCT_H;
  return w.declined(p, off, w);
}

/** The tunnel gives up and restores the offsets saved with `Walk.save`. */
export function decodeTunnelUndo(p: Packet, off: number, w: Walk): number {
  undoTunnel(p, w);
  return w.declined(p, off, w);
}

/** Restore the offsets saved with `Walk.save` and stop dissecting (STPDSCT). */
export function undoTunnel(p: Packet, w: Walk): void {
  p.snapL2Len = w.savedSnapL2Len;
  p.l2Off = w.savedL2Off;
  p.l3Off = w.savedL3Off;
  p.statusHi |= STPDSCT_H;
}
