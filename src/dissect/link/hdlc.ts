/**
 * Cisco HDLC and Frame Relay link types (with or without a direction byte): two bytes of
 * address and control, then an EtherType-like type field.
 *
 * @module
 */

import { L2_NO_ETH } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { decodeTypeField } from "../l2/type_field.ts";

function hdlc(p: Packet, start: number, off: number, w: Walk, piece: number): number {
  p.addHdr(piece);
  p.l2Off = start;
  p.statusLo |= L2_NO_ETH;
  return decodeTypeField(p, off + 2, w);
}

/** DLT_C_HDLC. */
export function decodeCiscoHdlc(p: Packet, off: number, w: Walk): number {
  return hdlc(p, off, off, w, P.CHDLC_LINK);
}

/** DLT_C_HDLC_WITH_DIR. */
export function decodeCiscoHdlcWithDir(p: Packet, off: number, w: Walk): number {
  return hdlc(p, off, off + 1, w, P.CHDLC_LINK);
}

/** DLT_FRELAY. */
export function decodeFrameRelay(p: Packet, off: number, w: Walk): number {
  return hdlc(p, off, off, w, P.FR_LINK);
}

/** DLT_FRELAY_WITH_DIR. */
export function decodeFrameRelayWithDir(p: Packet, off: number, w: Walk): number {
  return hdlc(p, off, off + 1, w, P.FR_LINK);
}
