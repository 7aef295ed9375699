/**
 * Link types without a link header: raw IP (DLT_RAW and its aliases: the version nibble
 * decides), and DLT_IPV4 / DLT_IPV6 (no `raw` piece: the description starts with `:ipv4`).
 *
 * @module
 */

import { L2_NO_ETH } from "../../base/flow_status.ts";
import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { STOP, type Walk } from "../walk.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

function noLinkHeader(p: Packet, off: number): void {
  p.l2Off = off;
  p.l3Off = off;
  p.statusLo |= L2_NO_ETH;
}

/** Raw IP: IPv4 or IPv6 by the version nibble. */
export function decodeRawIp(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.RAW);
  noLinkHeader(p, off);
  const version = p.u8(off) & 0xf0;
  if (version === 0x40) return decodeIpv4(p, off, w);
  if (version === 0x60) return decodeIpv6(p, off, w);
  addNotice(p, Notice.RAW_IP_VERSION, version >> 4);
  return STOP;
}

/** DLT_IPV4. */
export function decodeIpv4Link(p: Packet, off: number, w: Walk): number {
  noLinkHeader(p, off);
  return decodeIpv4(p, off, w);
}

/** DLT_IPV6. */
export function decodeIpv6Link(p: Packet, off: number, w: Walk): number {
  noLinkHeader(p, off);
  return decodeIpv6(p, off, w);
}
