/**
 * ERSPAN type II by EtherType (T2 ethertype.c): an 8-byte header, then an Ethernet frame whose
 * EtherType is dispatched again (no VLAN tags are looked for).
 *
 * @module
 */

import { L2_ERSPAN } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { viaEtherType } from "./type_field.ts";

/** ERSPAN; its EtherType is at `off`. */
export function decodeErspan(p: Packet, off: number, w: Walk): number {
  p.statusLo |= L2_ERSPAN;
  p.addHdr(P.ERSPAN);
  p.addHdr(P.ETH_C);
  p.l2Off = off + 10; // after the EtherType and the 8-byte ERSPAN header
  return viaEtherType(p, off + 22, w);
}
