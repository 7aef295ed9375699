/**
 * LLDP (by EtherType): named and flagged, then a layer-2 flow packet.
 *
 * @module
 */

import { L2_LLDP } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";

/** LLDP. */
export function decodeLldp(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.LLDP);
  p.statusLo |= L2_LLDP;
  return w.l2End(p, off, w);
}
