/**
 * Display width of a table cell as util-linux `column` measures it in a UTF-8 locale (see
 * `../shared/spec/tools/tcol.md` §2): a printable character counts its terminal width (CJK 2,
 * combining marks 0), a control byte counts 0 and hides a terminal colour sequence (`ESC[...m`)
 * after it, and a byte that is not valid UTF-8 is printed as `\xHH`, so it counts 4.
 *
 * @module
 */

import { DOUBLE_WIDTH, ZERO_WIDTH } from "./width_table.ts";

/** A table of width_table.ts as flat [first, last, first, last, ...] numbers. */
function parseRanges(lines: readonly string[]): Uint32Array {
  const out: number[] = [];
  for (const item of lines.join(" ").split(" ")) {
    const [a, b] = item.split("-");
    out.push(parseInt(a, 16), parseInt(b ?? a, 16));
  }
  return Uint32Array.from(out);
}

const ZERO = parseRanges(ZERO_WIDTH);
const DOUBLE = parseRanges(DOUBLE_WIDTH);

/** Whether `cp` is in one of the [first, last] ranges of `table` (sorted). */
function inRanges(table: Uint32Array, cp: number): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < table[2 * mid]) hi = mid - 1;
    else if (cp > table[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Terminal width of one code point (glibc's `wcwidth`; 0 for a character it cannot print). */
export function charWidth(cp: number): number {
  if (cp < 0x80) return cp < 0x20 || cp === 0x7f ? 0 : 1;
  if (inRanges(ZERO, cp)) return 0;
  return inRanges(DOUBLE, cp) ? 2 : 1;
}

/**
 * The UTF-8 sequence at `b[i]` (before `end`) as `codePoint << 3 | length`, or -1 when the bytes
 * there are not valid UTF-8 (overlong forms, surrogates, beyond U+10FFFF, or cut short).
 */
export function decodeAt(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  let need: number;
  let cp: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    need = 1;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    cp = c & 0x0f;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    cp = c & 0x07;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else {
    return -1;
  }
  if (i + need >= end) return -1;
  for (let k = 1; k <= need; k++) {
    const d = b[i + k];
    if (d < lo || d > hi) return -1;
    lo = 0x80;
    hi = 0xbf;
    cp = (cp << 6) | (d & 0x3f);
  }
  return (cp << 3) | (need + 1);
}

/** Whether `b` is a control byte (what C's `iscntrl` says of a single byte). */
function isControl(b: number): boolean {
  return b < 0x20 || b === 0x7f;
}

/**
 * Display width of `b[start..end)`. A control byte counts 0; when `[` follows it, everything up to
 * the next `m` in the cell counts 0 too (a colour sequence). Invalid bytes count 4 (`\xHH`).
 */
export function cellWidth(b: Uint8Array, start: number, end: number): number {
  let w = 0;
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      if (isControl(c)) {
        i++;
        if (i < end && b[i] === 0x5b) {
          const m = b.subarray(i, end).indexOf(0x6d);
          if (m >= 0) i += m + 1;
        }
        continue;
      }
      w++;
      i++;
      continue;
    }
    const seq = decodeAt(b, i, end);
    if (seq < 0) {
      w += 4;
      i++;
    } else {
      w += charWidth(seq >> 3);
      i += seq & 7;
    }
  }
  return w;
}

const HEX = "0123456789abcdef";

/**
 * Append `b[start..end)` to `out` at `at` as `column` prints it: unchanged, except that each
 * byte that is not valid UTF-8 becomes the four characters `\xHH`. Returns the new end.
 * `out` must have room for 4 bytes per input byte.
 */
export function copyCell(b: Uint8Array, start: number, end: number, out: Uint8Array, at: number) {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      out[at++] = c;
      i++;
      continue;
    }
    const seq = decodeAt(b, i, end);
    if (seq < 0) {
      out[at++] = 0x5c; // \
      out[at++] = 0x78; // x
      out[at++] = HEX.charCodeAt(c >> 4);
      out[at++] = HEX.charCodeAt(c & 15);
      i++;
    } else {
      const n = seq & 7;
      for (let k = 0; k < n; k++) out[at++] = b[i + k];
      i += n;
    }
  }
  return at;
}
