/**
 * IEEE 802.1Q/802.1ad VLAN tags (T2 vlan.c, spec/dissection.md §2): skipped as a stack in front
 * of an EtherType, counted as one aggregated header (`:vlan`, `:vlan{n}`).
 *
 * @module
 */

import { FS_VLAN0_H, L2_VLAN } from "../../base/flow_status.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { addRepeated, P } from "../pieces.ts";

/** Bytes of one tag (TPID and TCI). */
const TAG_LEN = 4;
/** The VLAN ID bits of a TCI. */
const VID_MASK = 0x0fff;

/** Whether `type` is one of the tag protocol identifiers T2 knows. */
export function isVlanType(type: number): boolean {
  return type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.VLAN_9100 ||
    type === ETHERTYPE.VLAN_9200;
}

/**
 * Skip the VLAN tags starting at the type field `pos`; returns the offset of the type field
 * after the last tag (`pos` itself when there is none). The packet's VLAN ID is the innermost
 * tag's.
 */
export function skipVlans(p: Packet, pos: number): number {
  if (!isVlanType(p.u16(pos))) return pos;
  p.statusLo |= L2_VLAN;
  p.vlanHdrOff = pos + 2;
  let count = 0;
  const last = p.end - TAG_LEN;
  while (isVlanType(p.u16(pos)) && pos <= last) {
    if ((p.u16(pos + 2) & VID_MASK) === 0) p.statusHi |= FS_VLAN0_H;
    pos += TAG_LEN;
    count++;
  }
  p.vlanHdrCnt += count;
  addRepeated(p, P.VLAN, count);
  p.vlanId = p.u16(pos - 2) & VID_MASK;
  return pos;
}
