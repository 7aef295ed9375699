/**
 * GENEVE (UDP 6081) carrying Ethernet: the header and its options, then the inner frame.
 * Another protocol type makes the tunnel give up.
 *
 * @module
 */

import { L3_GENEVE, STPDSCT_H } from "../../base/flow_status.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { tunnelledEthernet } from "./tunnel_ethernet.ts";

const HEADER = 8;

/** GENEVE at `off` (the UDP payload). */
export function decodeGeneve(p: Packet, off: number, w: Walk): number {
  const pos = off + HEADER + ((p.u8(off) & 0x3f) << 2);
  if (pos >= p.end) return DECLINED;
  if ((p.u8(off + 1) & 0x3f) !== 0 || p.u8(off + 4) !== 0) return DECLINED;
  if (p.u16(off + 2) !== ETHERTYPE.TEB) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  w.save(p.l2Off, p.l3Off, p.snapL2Len);
  p.statusLo |= L3_GENEVE;
  p.addHdr(P.GENEVE);
  p.snapL2Len -= (pos - p.l2Off) & 0xffff;
  p.l2Off = pos;
  return tunnelledEthernet(p, pos, w, p.snapL2Len >= 4);
}
