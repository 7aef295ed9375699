/**
 * Ethernet padding of short frames (T2 counts it per flow and per run): the bytes after what
 * the headers say the frame holds.
 *
 * @module
 */

import type { Packet } from "../packet.ts";

/** Frames up to this wire length may carry Ethernet padding (T2 MINRAWLEN). */
export const SHORT_FRAME = 64;

/** Record `pad` bytes of padding (a negative estimate means none). */
export function setPadding(p: Packet, pad: number): void {
  if (pad >= 0) p.padLen = pad;
}

/** Padding after the innermost IP datagram of a short frame (IP flow packets). */
export function setIpPadding(p: Packet): void {
  if (p.rawLen <= SHORT_FRAME) setPadding(p, p.rawLen - p.l3Len - (p.l3Off - p.start));
}
