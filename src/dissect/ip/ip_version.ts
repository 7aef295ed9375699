/**
 * An IP packet recognised by its version nibble (tunnels that do not say what they carry).
 *
 * @module
 */

import type { Packet } from "../packet.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { decodeIpv4 } from "./ipv4.ts";
import { decodeIpv6 } from "./ipv6.ts";

/** Dissect the IP header at `off` by its version nibble; {@linkcode DECLINED} if neither. */
export function ipByVersion(p: Packet, off: number, w: Walk): number {
  const version = p.u8(off) & 0xf0;
  if (version === 0x40) return decodeIpv4(p, off, w);
  if (version === 0x60) return decodeIpv6(p, off, w);
  return DECLINED;
}
