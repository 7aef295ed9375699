/**
 * Text of addresses stored as 32-bit words (the flow key layout): IPv4 uses word 0, IPv6
 * words 0-3; version 0 (no IP) prints `-` as T2 does.
 *
 * @module
 */

import { ipv4Text, ipv6Text } from "./ip_text.ts";

const scratch = new Uint8Array(16);

/** Text of an IP address of `version` 4, 6 or 0 from `words[off..off+4)`. */
export function ipWordsText(version: number, words: ArrayLike<number>, off: number): string {
  if (version === 4) return ipv4Text(words[off]);
  if (version === 6) {
    for (let i = 0; i < 4; i++) {
      const w = words[off + i];
      scratch[4 * i] = w >>> 24;
      scratch[4 * i + 1] = (w >>> 16) & 255;
      scratch[4 * i + 2] = (w >>> 8) & 255;
      scratch[4 * i + 3] = w & 255;
    }
    return ipv6Text(scratch, 0);
  }
  return "-";
}
