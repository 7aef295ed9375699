/**
 * Finding the column-name line: in the input file (read from the start until the line is
 * found), or at the start of piped standard input (read into memory, then handed on to gawk).
 *
 * @module
 */

import { type HeaderRule, isHeaderLine } from "./names.ts";

/** What the start of an input says. */
export interface HeaderScan {
  /** The column-name line, or null when there is none. */
  readonly header: string | null;
  /** Its line number (1-based), or 0. */
  readonly lineNo: number;
  /** Why the input is not a T2 text file (binary), or null. */
  readonly binary: string | null;
  /** Whether the input holds no byte at all. */
  readonly empty: boolean;
}

const CHUNK = 1 << 16;

/** A reason when `bytes` (the first bytes of an input) are not text, else null. */
export function binaryReason(bytes: Uint8Array): string | null {
  if (bytes.length >= 4) {
    const m = (bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) >>> 0;
    if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(m)) {
      return "a pcap capture, not a T2 output file (run t2 -r on it first)";
    }
    if (m === 0x0a0d0d0a) return "a pcapng capture, not a T2 output file (run t2 -r on it first)";
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return "gzip-compressed (zcat it into t2 tawk -I FILE, or unpack it first)";
  }
  if (bytes.indexOf(0) >= 0) return "a binary file, not a T2 text output";
  return null;
}

/**
 * Scan lines of text arriving in pieces for the column-name line. `push` returns true once the
 * line is found (or can no longer be: a -N row passed); `finish` takes the last line.
 */
class LineScanner {
  #rest = "";
  #lineNo = 0;
  #decoder = new TextDecoder();
  header: string | null = null;
  headerLineNo = 0;
  constructor(readonly rule: HeaderRule) {}

  #line(text: string): boolean {
    this.#lineNo++;
    if (isHeaderLine(this.rule, this.#lineNo, text)) {
      this.header = text;
      this.headerLineNo = this.#lineNo;
      return true;
    }
    // with -N or an empty prefix, only one line can be the header
    if (this.rule.row !== null ? this.#lineNo >= this.rule.row : this.rule.prefix === "") {
      return true;
    }
    return false;
  }

  push(bytes: Uint8Array): boolean {
    const text = this.#rest + this.#decoder.decode(bytes, { stream: true });
    const lines = text.split("\n");
    this.#rest = lines.pop()!;
    for (const l of lines) if (this.#line(l.replace(/\r$/, ""))) return true;
    return false;
  }

  finish(): void {
    const last = this.#rest + this.#decoder.decode();
    if (last !== "") this.#line(last);
  }
}

/** Find the column-name line of a file. */
export function scanFile(path: string, rule: HeaderRule): HeaderScan {
  const f = Deno.openSync(path);
  try {
    const buf = new Uint8Array(CHUNK);
    const scanner = new LineScanner(rule);
    let first = true;
    let total = 0;
    for (;;) {
      const n = f.readSync(buf);
      if (n === null || n === 0) break;
      const bytes = buf.subarray(0, n);
      total += n;
      if (first) {
        first = false;
        const why = binaryReason(bytes);
        if (why) return { header: null, lineNo: 0, binary: why, empty: false };
      }
      if (scanner.push(bytes)) {
        return { header: scanner.header, lineNo: scanner.headerLineNo, binary: null, empty: false };
      }
    }
    scanner.finish();
    return {
      header: scanner.header,
      lineNo: scanner.headerLineNo,
      binary: null,
      empty: total === 0,
    };
  } finally {
    f.close();
  }
}

/** The start of piped standard input: the bytes read so far and what they say. */
export interface StdinPeek extends HeaderScan {
  /** The bytes already read, to be handed on before the rest. */
  readonly taken: Uint8Array[];
  /** Whether standard input ended within them. */
  readonly ended: boolean;
}

/** How much of piped standard input is read, at most, to look for the column names. */
export const PEEK_LIMIT = 1 << 20;

/** Read the start of standard input (up to the column-name line, at most PEEK_LIMIT bytes). */
export async function peekStdin(rule: HeaderRule): Promise<StdinPeek> {
  const taken: Uint8Array[] = [];
  const scanner = new LineScanner(rule);
  let total = 0;
  let ended = false;
  let found = false;
  while (total < PEEK_LIMIT) {
    const buf = new Uint8Array(CHUNK);
    const n = await Deno.stdin.read(buf);
    if (n === null) {
      ended = true;
      break;
    }
    const bytes = buf.subarray(0, n);
    if (total === 0) {
      const why = binaryReason(bytes);
      if (why) return { header: null, lineNo: 0, binary: why, empty: false, taken, ended };
    }
    taken.push(bytes);
    total += n;
    if (scanner.push(bytes)) {
      found = true;
      break;
    }
  }
  if (ended && !found) scanner.finish();
  return {
    header: scanner.header,
    lineNo: scanner.headerLineNo,
    binary: null,
    empty: ended && total === 0,
    taken,
    ended,
  };
}
