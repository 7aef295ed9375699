/**
 * The end of a frame that makes no IP flow: a pure layer-2 flow packet (T2
 * t2_dispatch_l2_packet, spec/dissection.md §5), its payload starting after the last
 * EtherType or LLC header.
 *
 * @module
 */

import { L2_FLOW } from "../../base/flow_status.ts";
import { ETHERTYPE } from "../numbers.ts";
import { type Packet, PacketKind } from "../packet.ts";
import { STOP, type Walk } from "../walk.ts";
import { setPadding, SHORT_FRAME } from "./padding.ts";

/** ARP payload for IPv4 over Ethernet: what T2 takes an ARP frame to hold before padding. */
const ARP_LEN = 28;

/** A layer-2 flow packet ending at the EtherType field `w.typePos`. */
export function decodeL2AfterType(p: Packet, _off: number, w: Walk): number {
  const pos = w.typePos;
  p.l7Off = pos + 2;
  if (p.rawLen <= SHORT_FRAME) {
    let pad: number;
    if (p.llcOff >= 0) pad = p.rawLen - p.u16(p.llcOff) - (pos - 6 - p.start);
    else if (p.u16(pos) === ETHERTYPE.ARP) pad = p.rawLen - ARP_LEN - (pos + 2 - p.start);
    else pad = p.rawLen - (pos + 2 - p.start);
    setPadding(p, pad);
  }
  return decodeL2Flow(p);
}

/** A layer-2 flow packet whose payload offset (`l7Off`) is set. */
export function decodeL2Flow(p: Packet): number {
  p.statusLo |= L2_FLOW;
  const l2HdrLen = p.l7Off - p.l2Off;
  p.l7Len = (p.rawLen - (p.l7Off - p.start)) & 0xffff;
  p.len = p.l7Len;
  p.snapL3Len = (p.snapL2Len - l2HdrLen) & 0xffff;
  p.snapL4Len = p.snapL3Len;
  p.snapL7Len = p.snapL4Len;
  p.l2HdrLen = l2HdrLen;
  p.kind = PacketKind.L2;
  return STOP;
}
