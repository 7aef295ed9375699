/**
 * EtherIP (IP protocol 97, RFC 3378): a 2-byte header (version 3 or more), then an Ethernet
 * frame with VLAN tags, then IPv4 or IPv6; any other EtherType is named and stops dissection.
 * On an IPv4 header an inner IPv4 header is continued in place; in the IPv6 walk an inner IPv6
 * header is (T2 then reuses the outer next-header value, 97).
 *
 * @module
 */

import { L3_ETHIPF, STPDSCT_H } from "../../base/flow_status.ts";
import { continueInPlace, decodeIpv4, decodeIpv4IpInIp } from "../ip/ipv4.ts";
import { decodeIpv6, decodeIpv6End, restartIpv6 } from "../ip/ipv6.ts";
import { skipVlans } from "../l2/vlan.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, STOP, type Walk } from "../walk.ts";

/** Bytes of the EtherIP header. */
const HEADER = 2;
/** The lowest EtherIP version T2 accepts (in the high nibble). */
const MIN_VERSION = 0x30;

/** Start the Ethernet frame after the EtherIP header at `off`; returns its EtherType offset. */
function ethernet(p: Packet, off: number): number {
  p.addHdr(P.ETHERIP);
  p.addHdr(P.ETH_C);
  p.statusLo |= L3_ETHIPF;
  const skip = ((off - p.l2Off) + HEADER) & 0xffff;
  p.snapL2Len -= skip;
  p.l2Off = off + HEADER;
  return skipVlans(p, off + HEADER + 12);
}

/** EtherIP at `off` on the current IPv4 header; goes on with IP in IP on the current header. */
export function decodeEtherIpOnIpv4(p: Packet, off: number, w: Walk): number {
  const type = ethernet(p, off);
  const t = p.u16(type);
  if (t === ETHERTYPE.IPV4) {
    p.addHdr(P.IPV4);
    continueInPlace(p, type + 2);
    return decodeIpv4IpInIp(p, 0, w);
  }
  if (t === ETHERTYPE.IPV6) return decodeIpv6(p, type + 2, w);
  p.statusHi |= STPDSCT_H;
  return w.name(Space.ETHER_NAME, t, decodeIpv4IpInIp);
}

/** EtherIP in the IPv6 walk; an old version makes no flow. */
export function decodeEtherIpInIpv6(p: Packet, off: number, w: Walk): number {
  if ((p.u8(off) & 0xf0) < MIN_VERSION) return STOP;
  const l2Before = p.l2Off;
  const type = ethernet(p, off);
  p.l2Len = (p.l2Len - (((off - l2Before) + HEADER) & 0xffff)) & 0xffff;
  const t = p.u16(type);
  if (t === ETHERTYPE.IPV6) {
    p.addHdr(P.IPV6);
    return restartIpv6(p, w, type + 2, w.ip6Next);
  }
  if (t === ETHERTYPE.IPV4) return decodeIpv4(p, type + 2, w);
  p.statusHi |= STPDSCT_H;
  return w.name(Space.ETHER_NAME, t, decodeIpv6End);
}
