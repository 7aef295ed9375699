/**
 * The 16-bit sum T2's tcpFlags uses for IP and layer-4 checksums (spec/plugins/tcpFlags.md
 * §5.6): words read little-endian (as an x86 build reads them), one word optionally subtracted
 * first (the checksum field itself), an odd last byte added as is, carries folded in. For a
 * normal header `~sum` byte-swapped is the ordinary network-order checksum; for a word outside
 * the summed range (bogus lengths) it is not, which is why it is kept literal.
 *
 * @module
 */

/**
 * The sum of `len` bytes of `data` from `start`, beginning with `init`, minus the
 * little-endian word `skipWord` (a 16-bit word index; 0: none) — in 32-bit unsigned arithmetic,
 * folded to 16 bits. Bytes at or past `end` read as 0.
 */
export function csum(
  data: Uint8Array,
  start: number,
  len: number,
  end: number,
  init: number,
  skipWord: number,
): number {
  let acc = init;
  if (skipWord > 0) acc -= le16(data, start + 2 * skipWord, end);
  const stop = start + len;
  let sum = 0;
  let i = start;
  // Whole captured 4-byte groups: two little-endian words each.
  const fours = (stop <= end ? stop : end) - 3;
  if (i < fours) {
    const v = viewOf(data);
    for (; i < fours; i += 4) {
      const w = v.getUint32(i, true);
      sum += (w & 0xffff) + (w >>> 16);
    }
  }
  // The rest (bytes past `end` read as 0).
  for (; i + 1 < stop; i += 2) sum += le16(data, i, end);
  if (i < stop) sum += i < end ? data[i] : 0;
  // At most 32768 words: the sum stays below 2^31, so ToUint32 is the 32-bit wrap-around.
  return fold((acc + sum) >>> 0);
}

let lastData: Uint8Array = new Uint8Array(0);
let lastView = new DataView(lastData.buffer);

/** A DataView of `data` (made again only when the bytes live in another buffer). */
function viewOf(data: Uint8Array): DataView {
  if (data !== lastData) {
    lastData = data;
    lastView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  return lastView;
}

/** Carries of a 32-bit sum folded into 16 bits. */
export function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return acc;
}

/**
 * The sum of a pseudo header (spec §5.8 C) added to `init`, without building its bytes: IPv4
 * `src dst 0 proto len(2)`, IPv6 `src dst len(4) 0 0 0 proto`, addresses as big-endian words
 * (`addr[0..3]` source, `addr[4..7]` destination; IPv4 uses words 0 and 4).
 */
export function pseudoSum(
  addr: Uint32Array,
  v6: boolean,
  proto: number,
  len: number,
  init: number,
): number {
  let sum = init + swap16(len) + (proto << 8);
  if (v6) {
    for (let i = 0; i < 8; i++) sum += wordSum(addr[i]);
  } else {
    sum += wordSum(addr[0]) + wordSum(addr[4]);
  }
  return fold(sum);
}

/** The two 16-bit words of a big-endian 32-bit value, each read little-endian, added. */
function wordSum(w: number): number {
  return swap16(w >>> 16) + swap16(w & 0xffff);
}

function swap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}

/** Little-endian 16-bit word at `at` (bytes at or past `end` read as 0). */
function le16(data: Uint8Array, at: number, end: number): number {
  const lo = at < end && at >= 0 ? data[at] : 0;
  const hi = at + 1 < end && at + 1 >= 0 ? data[at + 1] : 0;
  return lo | (hi << 8);
}

/** The checksum field value T2 computes from a sum: `~sum` with its bytes swapped. */
export function checksumOf(sum: number): number {
  const v = ~sum & 0xffff;
  return ((v & 0xff) << 8) | (v >>> 8);
}
