/**
 * Linux cooked captures. SLL (v1): a 16-byte header whose last field is an EtherType. SLL2: a
 * 20-byte header with the protocol first; T2 0.9.3 refuses this link type, we dissect it:
 * IPv4 and IPv6 (when the version agrees), anything else is a layer-2 flow packet named by
 * its EtherType.
 *
 * @module
 */

import { L2_NO_ETH, L2SNAPLENGTH_H, L3_IPVX } from "../../base/flow_status.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, STOP, type Walk } from "../walk.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";
import { decodeTypeField } from "../l2/type_field.ts";
import { decodeL2Flow } from "../l2/l2_flow.ts";

/** Bytes of an SLL header; its EtherType is in the last two. */
const SLL_LEN = 16;
/** Bytes of an SLL2 header. */
const SLL2_LEN = 20;

/** Linux cooked capture v1. */
export function decodeSll(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.SLL);
  if (p.snapL2Len < SLL_LEN) {
    p.statusHi |= L2SNAPLENGTH_H;
    return STOP;
  }
  p.l2Off = off;
  return decodeTypeField(p, off + SLL_LEN - 2, w);
}

/** Linux cooked capture v2. */
export function decodeSll2(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.SLL2);
  if (p.snapL2Len < SLL2_LEN) {
    p.statusHi |= L2SNAPLENGTH_H;
    return STOP;
  }
  p.l2Off = off;
  p.statusLo |= L2_NO_ETH;
  const type = p.u16(off);
  p.outerEthType = type;
  p.ethType = type;
  const payload = off + SLL2_LEN;
  if (type !== ETHERTYPE.IPV4 && type !== ETHERTYPE.IPV6) {
    p.l7Off = payload;
    return w.name(Space.ETHER_NAME, type, decodeL2Flow);
  }
  p.l3Off = payload;
  const version = p.u8(payload) & 0xf0;
  if (type === ETHERTYPE.IPV4 && version === 0x40) return decodeIpv4(p, payload, w);
  if (type === ETHERTYPE.IPV6 && version === 0x60) return decodeIpv6(p, payload, w);
  p.l7Off = payload;
  p.ipvxByType++;
  p.addHdr(P.IPVX);
  p.statusLo |= L3_IPVX;
  return decodeL2Flow(p);
}
