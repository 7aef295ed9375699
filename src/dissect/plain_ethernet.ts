/**
 * What the Ethernet decoder and the type field record for the plain frames that
 * plain_ipv4.ts and plain_ipv6.ts dissect straight through: an Ethernet header, at most one
 * 802.1Q tag, then the IP EtherType.
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { DLT } from "./numbers.ts";
import type { Packet } from "./packet.ts";

/**
 * Where the EtherType field of `p`'s Ethernet frame lies (after at most one 802.1Q tag), or -1
 * when the packet is not Ethernet or its first byte starts a Cisco ISL header.
 */
export function plainEtherTypeAt(p: Packet): number {
  if (p.linkType !== DLT.EN10MB) return -1;
  const data = p.data;
  const start = p.start;
  const b0 = data[start];
  if (b0 === 0x01 || b0 === 0x03) return -1; // the first byte of a Cisco ISL header
  const tagged = data[start + 12] === 0x81 && data[start + 13] === 0x00;
  return tagged ? start + 16 : start + 12;
}

/**
 * The link-layer fields of the frame at `start` (`tagged`: one 802.1Q tag) carrying `ethType`,
 * with header description `node` (`vlanNode` when tagged) for the whole packet.
 */
export function setPlainEthernet(
  p: Packet,
  start: number,
  tagged: boolean,
  ethType: number,
  node: number,
  vlanNode: number,
): void {
  const data = p.data;
  p.l2Off = start;
  if (tagged) {
    p.statusLo |= S.L2_VLAN;
    p.vlanHdrOff = start + 14;
    p.vlanHdrCnt = 1;
    p.vlanId = ((data[start + 14] << 8) | data[start + 15]) & 0x0fff;
    if (p.vlanId === 0) p.statusHi |= S.FS_VLAN0_H;
    p.numHdrs = 4;
    p.hdrNode = vlanNode;
  } else {
    p.numHdrs = 3;
    p.hdrNode = node;
  }
  p.outerEthType = ethType;
  p.ethType = ethType;
}
