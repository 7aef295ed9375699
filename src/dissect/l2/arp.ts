/**
 * ARP, AppleTalk ARP and reverse ARP (by EtherType): named and flagged, then layer-2 flow
 * packets.
 *
 * @module
 */

import { L2_ARP, L2_RARP } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";

/** ARP. */
export function decodeArp(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.ARP);
  p.statusLo |= L2_ARP;
  return w.l2End(p, off, w);
}

/** AppleTalk ARP (T2 gives it the ARP bit). */
export function decodeAarp(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.AARP);
  p.statusLo |= L2_ARP;
  return w.l2End(p, off, w);
}

/** Reverse ARP. */
export function decodeRarp(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.RARP);
  p.statusLo |= L2_RARP;
  return w.l2End(p, off, w);
}
