/**
 * PIM: `:pim`; a REGISTER message carries an IP packet after 8 bytes, which is dissected
 * (after IPv4: as a header of its own; in IPv6: IPv4 so, IPv6 in place).
 *
 * @module
 */

import { decodeIpv4, decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6End, restartIpv6 } from "../ip/ipv6.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { ipByVersion } from "../ip/ip_version.ts";

const REGISTER = 1;
/** Bytes of the PIM header and the REGISTER flags in front of the packet. */
const REGISTER_HEADER = 8;

function isRegister(p: Packet, off: number): boolean {
  return (p.u8(off) & 0x0f) === REGISTER;
}

/** PIM after the innermost IPv4 header. */
export function decodePimAfterIpv4(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.PIM);
  if (isRegister(p, off)) {
    const next = ipByVersion(p, off + REGISTER_HEADER, w);
    if (next !== DECLINED) return next;
  }
  return decodeIpv4Flow(p);
}

/** PIM in the IPv6 walk. */
export function decodePimInIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.PIM);
  if (isRegister(p, off)) {
    const inner = off + REGISTER_HEADER;
    const version = p.u8(inner) & 0xf0;
    if (version === 0x40) return decodeIpv4(p, inner, w);
    if (version === 0x60) return restartIpv6(p, w, inner, p.u8(inner + 6));
  }
  return decodeIpv6End(p, off, w);
}
