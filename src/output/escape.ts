/**
 * Byte escaping for T2's text outputs: the UTF-8 string sanitiser of `S`/`SC` columns
 * (`bin2txt.c`, `TFS_SAN_UTF8=1`) and the `l7Content` escaping of the packet file.
 *
 * @module
 */

const BACKSLASH = 0x5c;

/**
 * Sanitiser action per ASCII byte (0 … 0x7f): 0 copy, 1 `\u00XX`, otherwise the letter written
 * after a backslash.
 */
const SAN_ASCII = new Uint8Array(128);
{
  for (let b = 0; b < 0x20; b++) SAN_ASCII[b] = 1;
  SAN_ASCII[0x7f] = 1;
  SAN_ASCII[0x08] = 0x62; // \b
  SAN_ASCII[0x0c] = 0x66; // \f
  SAN_ASCII[0x0a] = 0x6e; // \n
  SAN_ASCII[0x0d] = 0x72; // \r
  SAN_ASCII[0x09] = 0x74; // \t
  SAN_ASCII[0x0b] = 0x76; // \v
  SAN_ASCII[0x5c] = 0x5c; // \\
  SAN_ASCII[0x22] = 0x22; // \"
}
const HEX_UPPER = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70];

/**
 * jsonSink's variant (spec/plugins/jsonSink.md §3.2): only `\t \n \r \\ \"` get a letter;
 * `\b \f \v` and the other control bytes become `\u00XX`.
 */
const JSON_ASCII = SAN_ASCII.slice();
JSON_ASCII[0x08] = JSON_ASCII[0x0c] = JSON_ASCII[0x0b] = 1;

/**
 * psqlSink's variant (spec/plugins/psqlSink.md §5.1, without the SQL quote doubling): as the
 * text sink, but the other control bytes become `\\u00XX` (two backslashes).
 */
const PSQL_ASCII = SAN_ASCII.slice();
for (let b = 0; b < 128; b++) if (PSQL_ASCII[b] === 1) PSQL_ASCII[b] = 2;

/** Which sink's escapes: `txt` (flow files), `json` (jsonSink), `psql` (psqlSink). */
export type EscapeStyle = "txt" | "json" | "psql";

const STYLES: Record<EscapeStyle, Uint8Array> = {
  txt: SAN_ASCII,
  json: JSON_ASCII,
  psql: PSQL_ASCII,
};

/**
 * T2's UTF-8 string sanitiser (`S` and `SC` columns) writing UTF-8 bytes into `dst`.
 *
 * The input is a C string: it ends at the first NUL byte or at `end`, whichever comes first
 * (reaching `end` counts as reading a NUL). Bytes `\b \f \n \r \t \v \ "` become
 * `\b \f \n \r \t \v \\ \"`; other bytes ≤ 0x1f and 0x7f become `\u00XX` (upper-case hex).
 * Bytes ≥ 0x80 are copied when they form a valid UTF-8 sequence (2–4 bytes, no overlong form, no
 * surrogate, at most U+10FFFF); otherwise a `.` is written:
 * - for a byte that cannot start a sequence (0x80–0xc1, 0xf5–0xff), which is consumed;
 * - for a continuation byte that is not 0x80–0xbf, which is then read again as a new first byte;
 * - for an overlong 3/4-byte form or a code point above U+10FFFF (known from the second byte) or a
 *   surrogate (known from the third), consuming the bytes read so far;
 * - for a NUL (or `end`) inside a sequence, which ends the string.
 *
 * @param src The bytes.
 * @param start First byte of the string.
 * @param end End of the available bytes (exclusive).
 * @param dst Destination; must have room for `6 * (end - start)` bytes from `pos` (`7 *` for
 *   the `psql` style).
 * @param pos Where to write in `dst`.
 * @param style Which sink's escapes of ASCII bytes (the UTF-8 check is the same for all).
 * @returns The position in `dst` after the written bytes.
 *
 * @example Usage
 * ```ts
 * import { sanitizeInto } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * const src = new TextEncoder().encode('a"\tb');
 * const dst = new Uint8Array(6 * src.length);
 * const n = sanitizeInto(src, 0, src.length, dst, 0);
 * assert.equal(new TextDecoder().decode(dst.subarray(0, n)), 'a\\"\\tb');
 * ```
 */
export function sanitizeInto(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  pos: number,
  style: EscapeStyle = "txt",
): number {
  const table = STYLES[style];
  let i = start;
  // `b` is the byte being examined as a first byte; -1 means "read the next one"
  let b = -1;
  for (;;) {
    if (b < 0) b = i < end ? src[i++] : 0;
    if (b === 0) return pos;
    if (b < 0x80) {
      pos = asciiInto(b, dst, pos, table);
      b = -1;
      continue;
    }
    if (b < 0xc2 || b >= 0xf5) {
      dst[pos++] = 0x2e;
      b = -1;
      continue;
    }
    const n = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    // second byte
    const b2 = i < end ? src[i++] : 0;
    if (b2 === 0) {
      dst[pos++] = 0x2e;
      return pos;
    }
    if ((b2 & 0xc0) !== 0x80) {
      dst[pos++] = 0x2e;
      b = b2;
      continue;
    }
    if (n === 2) {
      dst[pos++] = b;
      dst[pos++] = b2;
      b = -1;
      continue;
    }
    if (
      (b === 0xe0 && b2 < 0xa0) || (b === 0xf0 && b2 < 0x90) || (b === 0xf4 && b2 >= 0x90)
    ) {
      dst[pos++] = 0x2e;
      b = -1;
      continue;
    }
    // third byte
    const b3 = i < end ? src[i++] : 0;
    if (b3 === 0) {
      dst[pos++] = 0x2e;
      return pos;
    }
    if ((b3 & 0xc0) !== 0x80) {
      dst[pos++] = 0x2e;
      b = b3;
      continue;
    }
    if (n === 3) {
      if (b === 0xed && b2 >= 0xa0) { // U+D800 … U+DFFF
        dst[pos++] = 0x2e;
      } else {
        dst[pos++] = b;
        dst[pos++] = b2;
        dst[pos++] = b3;
      }
      b = -1;
      continue;
    }
    // fourth byte
    const b4 = i < end ? src[i++] : 0;
    if (b4 === 0) {
      dst[pos++] = 0x2e;
      return pos;
    }
    if ((b4 & 0xc0) !== 0x80) {
      dst[pos++] = 0x2e;
      b = b4;
      continue;
    }
    dst[pos++] = b;
    dst[pos++] = b2;
    dst[pos++] = b3;
    dst[pos++] = b4;
    b = -1;
  }
}

/** One ASCII byte in a style's table: as is, `\` and a letter, `\u00XX` or (psql) `\\u00XX`. */
function asciiInto(b: number, dst: Uint8Array, pos: number, table: Uint8Array): number {
  const act = table[b];
  if (act === 0) {
    dst[pos++] = b;
  } else if (act <= 2) {
    if (act === 2) dst[pos++] = BACKSLASH;
    dst[pos++] = BACKSLASH;
    dst[pos++] = 0x75; // u
    dst[pos++] = 0x30;
    dst[pos++] = 0x30;
    dst[pos++] = HEX_UPPER[b >> 4];
    dst[pos++] = HEX_UPPER[b & 15];
  } else {
    dst[pos++] = BACKSLASH;
    dst[pos++] = act;
  }
  return pos;
}

let scratch = new Uint8Array(1024);
const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

/**
 * T2's UTF-8 string sanitiser ({@linkcode sanitizeInto}) returning a JavaScript string whose
 * UTF-8 encoding is exactly the bytes T2 writes (without the quotes of `S` columns).
 *
 * @param bytes The bytes of the C string.
 * @param start First byte (default 0).
 * @param end End of the available bytes, exclusive (default `bytes.length`); the string also ends
 * at the first NUL byte.
 * @param style Which sink's escapes (default: the flow file's).
 * @returns The sanitised text.
 *
 * @example Usage
 * ```ts
 * import { sanitizeString } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sanitizeString(new Uint8Array([0x41, 0x01, 0xc3, 0xa9, 0xff, 0x5c])), "A\\u0001é.\\\\");
 * ```
 */
export function sanitizeString(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
  style: EscapeStyle = "txt",
): string {
  const need = 7 * (end - start);
  if (need <= 0) return "";
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, 2 * scratch.length));
  const n = sanitizeInto(bytes, start, end, scratch, 0, style);
  return DECODER.decode(scratch.subarray(0, n));
}

/**
 * {@linkcode sanitizeString} of the UTF-8 encoding of a JavaScript string (lone surrogates are
 * encoded as U+FFFD by `TextEncoder`; a U+0000 ends the string as in C).
 *
 * @param s The text.
 * @param style Which sink's escapes (default: the flow file's).
 * @returns The sanitised text.
 *
 * @example Usage
 * ```ts
 * import { sanitizeText } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sanitizeText('say "hi"\n'), 'say \\"hi\\"\\n');
 * ```
 */
export function sanitizeText(s: string, style: EscapeStyle = "txt"): string {
  // Most texts (header descriptions, names) are plain printable ASCII and come back unchanged.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      return sanitizeString(ENCODER.encode(s), 0, undefined, style);
    }
  }
  return s;
}

/**
 * `l7Content` output per input byte: a byte below 256 is written as is, 256 + c means a
 * backslash followed by c.
 */
const L7: Uint16Array = new Uint16Array(256);
{
  for (let b = 0; b < 256; b++) L7[b] = b >= 0x20 && b <= 0x7e ? b : 0x2e;
  L7[0x08] = 256 + 0x62; // \b
  L7[0x0c] = 256 + 0x66; // \f
  L7[0x0a] = 256 + 0x6e; // \n
  L7[0x0d] = 256 + 0x72; // \r
  L7[0x09] = 256 + 0x74; // \t
  L7[0x0b] = 256 + 0x76; // \v
  L7[0x5c] = 256 + 0x5c; // \\
}

/**
 * Packet-file `l7Content` escaping: `\b \f \n \r \t \v` become a backslash and the letter, `\`
 * becomes `\\`, printable ASCII 0x20–0x7e (including `"`) is copied, every other byte becomes `.`.
 *
 * @param src The bytes.
 * @param start First byte to escape.
 * @param end End of the bytes to escape (exclusive).
 * @param dst Destination; must have room for `2 * (end - start)` bytes from `pos`.
 * @param pos Where to write in `dst`.
 * @returns The position in `dst` after the written bytes.
 *
 * @example Usage
 * ```ts
 * import { escapeL7Into } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * const src = new Uint8Array([0x47, 0x0d, 0x0a, 0x00, 0xff, 0x5c]);
 * const dst = new Uint8Array(2 * src.length);
 * const n = escapeL7Into(src, 0, src.length, dst, 0);
 * assert.equal(new TextDecoder().decode(dst.subarray(0, n)), "G\\r\\n..\\\\");
 * ```
 */
export function escapeL7Into(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  pos: number,
): number {
  for (let i = start; i < end; i++) {
    const t = L7[src[i]];
    if (t < 256) {
      dst[pos++] = t;
    } else {
      dst[pos++] = BACKSLASH;
      dst[pos++] = t - 256;
    }
  }
  return pos;
}
