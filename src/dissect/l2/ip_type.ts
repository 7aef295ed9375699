/**
 * IPv4 and IPv6 by EtherType: T2 checks that the header's version agrees with the EtherType;
 * when it does not, the frame is a layer-2 flow packet marked L3_IPVX (`:ipvx`).
 *
 * @module
 */

import { L3_IPVX } from "../../base/flow_status.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";

/** The IPv4 or IPv6 EtherType at `off`. */
export function decodeIpByEtherType(p: Packet, off: number, w: Walk): number {
  const v4 = p.u16(off) === ETHERTYPE.IPV4;
  const ip = off + 2;
  p.l3Off = ip;
  if ((p.u8(ip) & 0xf0) !== (v4 ? 0x40 : 0x60)) {
    p.ipvxByType++; // T2 counts such a frame here and again by its L3_IPVX status
    p.addHdr(P.IPVX);
    p.statusLo |= L3_IPVX;
    return w.l2End(p, off, w);
  }
  return v4 ? decodeIpv4(p, ip, w) : decodeIpv6(p, ip, w);
}
