/**
 * The 16-bit sum T2's tcpFlags uses for IP and layer-4 checksums (spec/plugins/tcpFlags.md
 * §5.6): words read little-endian (as an x86 build reads them), one word optionally subtracted
 * first (the checksum field itself), an odd last byte added as is, carries folded in. For a
 * normal header `~sum` byte-swapped is the ordinary network-order checksum; for a word outside
 * the summed range (bogus lengths) it is not, which is why it is kept literal.
 *
 * @module
 */

const TWO32 = 4294967296;

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
  const whole = Math.min(stop, end) - 1; // last index where a complete captured pair starts
  let sum = 0;
  let i = start;
  for (; i < whole && i + 1 < stop; i += 2) sum += data[i] | (data[i + 1] << 8);
  for (; i + 1 < stop; i += 2) sum += le16(data, i, end);
  if (i < stop) sum += i < end ? data[i] : 0;
  // The sum of at most 32768 words stays below 2^31: one modulo gives the 32-bit result.
  acc = (acc + sum) % TWO32;
  if (acc < 0) acc += TWO32;
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 65536);
  return acc;
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
