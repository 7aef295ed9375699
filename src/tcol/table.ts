/**
 * The table `column -t -s TAB` (util-linux) prints, byte for byte: `../shared/spec/tools/tcol.md`
 * §2. Every tab separates two cells (empty cells are kept), each column is as wide as its widest
 * cell (display width, see width.ts), cells are padded with spaces and joined by two spaces, the
 * last column is not padded, and blank lines are dropped.
 *
 * Two passes over the input bytes, the first for the widths, the second to write; no line is
 * kept in between, so a flow file of hundreds of megabytes needs no more than itself in memory.
 *
 * @module
 */

import { cellWidth, copyCell } from "./width.ts";

const TAB = 0x09;
const NL = 0x0a;

/** Whether `b[start..end)` holds only ASCII white space (then `column` drops the line). */
function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}

/**
 * Call `line(start, end)` for each line of `b` that `column` shows: split at `\n` (a last line
 * without one counts), cut at a NUL byte (`column` reads C strings), blank ones left out.
 */
function forEachLine(b: Uint8Array, line: (start: number, end: number) => void): void {
  let start = 0;
  while (start < b.length) {
    let nl = b.indexOf(NL, start);
    if (nl < 0) nl = b.length;
    let end = nl;
    const nul = b.subarray(start, end).indexOf(0);
    if (nul >= 0) end = start + nul;
    if (!isBlank(b, start, end)) line(start, end);
    start = nl + 1;
  }
}

/** The width of each column over all inputs (the length is the number of columns). */
export function columnWidths(inputs: readonly Uint8Array[]): number[] {
  const widths: number[] = [];
  for (const b of inputs) {
    forEachLine(b, (start, end) => {
      let col = 0;
      let cell = start;
      for (;;) {
        let tab = b.subarray(cell, end).indexOf(TAB);
        tab = tab < 0 ? end : cell + tab;
        const w = cellWidth(b, cell, tab);
        if (col >= widths.length) widths.push(w);
        else if (w > widths[col]) widths[col] = w;
        col++;
        if (tab === end) break;
        cell = tab + 1;
      }
    });
  }
  return widths;
}

/**
 * Format `inputs` (each file's bytes, or standard input's) as `column -t -s TAB` does and hand
 * the text to `write` in pieces of about `chunk` bytes.
 */
export function formatTable(
  inputs: readonly Uint8Array[],
  write: (bytes: Uint8Array) => void,
  chunk = 1 << 16,
): void {
  const widths = columnWidths(inputs);
  const last = widths.length - 1;
  const maxPad = Math.max(0, ...widths) + 2;
  let buf = new Uint8Array(chunk);
  let at = 0;
  const room = (n: number) => {
    if (at + n <= buf.length) return;
    if (at > 0) write(buf.subarray(0, at));
    if (n > buf.length) buf = new Uint8Array(n);
    else buf = new Uint8Array(buf.length); // the consumer may keep the one it was given
    at = 0;
  };
  const pad = (n: number) => {
    buf.fill(0x20, at, at + n);
    at += n;
  };
  for (const b of inputs) {
    forEachLine(b, (start, end) => {
      let col = 0;
      let cell = start;
      let more = true;
      while (col <= last) {
        let tab = end;
        if (more) {
          const t = b.subarray(cell, end).indexOf(TAB);
          if (t >= 0) tab = cell + t;
        }
        const len = more ? tab - cell : 0;
        room(4 * len + maxPad + 1);
        const w = more ? cellWidth(b, cell, tab) : 0;
        if (more) at = copyCell(b, cell, tab, buf, at);
        if (col < last) pad(widths[col] - w + 2);
        col++;
        if (more && tab === end) more = false;
        cell = tab + 1;
      }
      room(1);
      buf[at++] = NL;
    });
  }
  if (at > 0) write(buf.subarray(0, at));
}
