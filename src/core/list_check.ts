/**
 * T2's check of a `-R` list before any capture is read (read_caplist): a `Checking list file`
 * line and one `    checking file '...'` line per listed capture in the report; captures
 * that cannot be read or are not captures are left out, each with an `[ERR]` line.
 *
 * @module
 */

import { compressionOf, formatOfHead, formatOfMagic, readsCompressed } from "../capture/format.ts";
import { type Input, inputLabel, PCAPNG_WARNING } from "./inputs.ts";
import type { ReportWriter } from "../output/report_writer.ts";

/** The captures of a list that passed, and their total size in bytes. */
export interface CheckedList {
  readonly inputs: Input[];
  readonly size: number;
}

/**
 * Check the captures of list `listFile`: the valid ones with their total size, or the text
 * of the error that ends the run (a list that is a binary file, or no valid capture in it).
 */
export function checkList(
  listFile: string,
  listed: readonly Input[],
  r: ReportWriter,
  errLine: (text: string) => void,
): CheckedList | string {
  r.line("Checking list file");
  const inputs: Input[] = [];
  let size = 0;
  for (const input of listed) {
    const name = inputLabel(input);
    if (typeof input === "string" && !exists(input) && looksBinary(input)) {
      return `'${listFile}' is not a valid list of PCAP files`;
    }
    r.line(`    checking file '${name}'`);
    const head = captureHead(input);
    if (typeof head === "string") {
      errLine(head);
      continue;
    }
    if (formatOfMagic(head.bytes) === "pcapng") r.warn(PCAPNG_WARNING);
    // A gzip or zstd capture is accepted by its compression's magic (its reader checks the rest).
    const compression = compressionOf(head.bytes);
    const compressed = compression !== null && readsCompressed(compression);
    if (!compressed && formatOfHead(head.bytes) === null) {
      errLine(`File '${name}' is not a valid PCAP/PCAP-NG file`);
      continue;
    }
    size += head.size;
    inputs.push(input);
  }
  if (inputs.length === 0) return `No valid files found in ${listFile}`;
  return { inputs, size };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The first 12 bytes and the size of a capture, or T2's error text (ckpcaphdr). */
function captureHead(input: Input): { bytes: Uint8Array; size: number } | string {
  const name = inputLabel(input);
  if (typeof input !== "string") {
    if (input.bytes.length === 0) return `PCAP file '${name}' is empty`;
    return { bytes: input.bytes.subarray(0, 12), size: input.bytes.length };
  }
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(input, { read: true });
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : e instanceof Deno.errors.PermissionDenied
      ? "Permission denied"
      : (e as Error).message;
    return `Failed to open file '${name}' for reading: ${why}`;
  }
  try {
    const info = f.statSync();
    if (info.size === 0) return `PCAP file '${name}' is empty`;
    const bytes = new Uint8Array(12);
    let got = 0;
    try {
      while (got < 12) {
        const n = f.readSync(bytes.subarray(got));
        if (n === null) break;
        got += n;
      }
    } catch {
      got = 0;
    }
    if (got === 0) return `Failed to read data from file '${name}'`;
    return { bytes: bytes.subarray(0, got), size: info.size };
  } finally {
    f.close();
  }
}

/** T2's test for a list that is really a binary file: a missing name ending in non-ASCII. */
function looksBinary(line: string): boolean {
  const b = new TextEncoder().encode(line);
  return b.length < 2 || b[b.length - 1] > 127 || b[b.length - 2] > 127;
}
