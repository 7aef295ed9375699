/**
 * PPPoE (by EtherType): discovery frames are named and flagged; session frames carry PPP,
 * whose protocol is dispatched (IPv4, IPv6) or named.
 *
 * @module
 */

import { L2_PPPOE_D, L2_PPPOE_S } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, type Walk } from "../walk.ts";

/** PPPoE discovery stage. */
export function decodePppoeDiscovery(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.PPPOED);
  p.statusLo |= L2_PPPOE_D;
  return w.l2End(p, off, w);
}

/** PPPoE session stage; the EtherType is at `off`, the 6-byte PPPoE header follows. */
export function decodePppoeSession(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.PPPOES);
  p.statusLo |= L2_PPPOE_S;
  p.addHdr(P.PPP);
  return w.via(Space.PPP, p.u16(off + 8), off + 10, w.l2End);
}
