/**
 * Text forms of IPv4, IPv6 and MAC addresses as T2 prints them (glibc `inet_ntop`,
 * `%02x:…` for MACs).
 *
 * @module
 */

/** Decimal text of 0 … 255. */
const DEC: string[] = [];
/** Two lower-case hex digits of 0 … 255. */
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) {
  DEC.push("" + i);
  HEX2.push((i < 16 ? "0" : "") + i.toString(16));
}

/**
 * Dotted decimal text of an IPv4 address.
 *
 * @param a The address as an unsigned 32-bit number, first octet most significant.
 * @returns E.g. `"192.168.0.1"`.
 *
 * @example Usage
 * ```ts
 * import { ipv4Text } from "./ip_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ipv4Text(0xc0a80001), "192.168.0.1");
 * ```
 */
export function ipv4Text(a: number): string {
  return DEC[(a >>> 24) & 255] + "." + DEC[(a >>> 16) & 255] + "." + DEC[(a >>> 8) & 255] + "." +
    DEC[a & 255];
}

/**
 * Dotted decimal text of the IPv4 address in 4 bytes.
 *
 * @param bytes The buffer.
 * @param off Offset of the first octet.
 * @returns E.g. `"10.0.0.1"`.
 *
 * @example Usage
 * ```ts
 * import { ipv4BytesText } from "./ip_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ipv4BytesText(new Uint8Array([10, 0, 0, 1]), 0), "10.0.0.1");
 * ```
 */
export function ipv4BytesText(bytes: Uint8Array, off: number): string {
  return DEC[bytes[off]] + "." + DEC[bytes[off + 1]] + "." + DEC[bytes[off + 2]] + "." +
    DEC[bytes[off + 3]];
}

/**
 * glibc `inet_ntop(AF_INET6, …)` text of the 16 bytes at `off`.
 *
 * Groups are lower-case hex without leading zeros; the longest run of at least two zero groups
 * (the first one if several are equally long) becomes `::`. The last 32 bits are written in dotted
 * decimal when the longest zero run is exactly groups 0–5 (`::1.2.3.4`; `::` and `::1` are not
 * affected because their runs are longer) or exactly groups 0–4 followed by `ffff`
 * (`::ffff:1.2.3.4`).
 *
 * @param bytes The buffer.
 * @param off Offset of the address.
 * @returns The text, e.g. `"6c2:6a7f:1:384b::c100"`.
 *
 * @example Usage
 * ```ts
 * import { ipv6Text } from "./ip_text.ts";
 * import assert from "node:assert/strict";
 *
 * const a = new Uint8Array(16);
 * a[15] = 1;
 * assert.equal(ipv6Text(a, 0), "::1");
 * a[10] = a[11] = 0xff;
 * assert.equal(ipv6Text(a, 0), "::ffff:0.0.0.1");
 * ```
 */
export function ipv6Text(bytes: Uint8Array, off: number): string {
  // longest run of zero groups (first if tied)
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if ((bytes[off + 2 * i] | bytes[off + 2 * i + 1]) === 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else {
      curBase = -1;
    }
  }
  if (bestLen < 2) bestBase = -1;
  const bestEnd = bestBase + bestLen;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestEnd) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (
      i === 6 && bestBase === 0 &&
      (bestLen === 6 || (bestLen === 5 && bytes[off + 10] === 255 && bytes[off + 11] === 255))
    ) {
      return out + ipv4BytesText(bytes, off + 12);
    }
    out += ((bytes[off + 2 * i] << 8) | bytes[off + 2 * i + 1]).toString(16);
  }
  if (bestBase >= 0 && bestEnd === 8) out += ":";
  return out;
}

/**
 * `xx:xx:xx:xx:xx:xx` (lower case) text of the MAC address in the 6 bytes at `off`.
 *
 * @param bytes The buffer.
 * @param off Offset of the address.
 * @returns E.g. `"00:80:48:b3:22:ef"`.
 *
 * @example Usage
 * ```ts
 * import { macText } from "./ip_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(macText(new Uint8Array([0, 0x80, 0x48, 0xb3, 0x22, 0xef]), 0), "00:80:48:b3:22:ef");
 * ```
 */
export function macText(bytes: Uint8Array, off: number): string {
  return HEX2[bytes[off]] + ":" + HEX2[bytes[off + 1]] + ":" + HEX2[bytes[off + 2]] + ":" +
    HEX2[bytes[off + 3]] + ":" + HEX2[bytes[off + 4]] + ":" + HEX2[bytes[off + 5]];
}
