/**
 * Private test helpers: tiny builders for classic pcap and pcapng files, and access to the shared
 * real captures and reference outputs (when `../shared` exists beside the repository).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { CaptureReader } from "../../src/capture/types.ts";

// ---------------------------------------------------------------------------------------------
// Classic pcap

/** One record of a hand-made classic pcap file. */
export interface PcapRecord {
  sec: number;
  /** Microseconds or nanoseconds, as stored. */
  frac: number;
  /** Packet bytes, or a length to fill with a counting pattern. */
  data: Uint8Array | number;
  /** Stored caplen field (default: the data length). */
  capField?: number;
  /** Stored len field (default: the data length). */
  lenField?: number;
}

/** Options of {@linkcode pcapFile}. */
export interface PcapFileOptions {
  littleEndian?: boolean;
  nanosecond?: boolean;
  major?: number;
  minor?: number;
  snapLen?: number;
  linkType?: number;
}

/** Builds a classic pcap file. */
export function pcapFile(records: PcapRecord[], options: PcapFileOptions = {}): Uint8Array {
  const le = options.littleEndian ?? true;
  const datas = records.map((r) => typeof r.data === "number" ? pattern(r.data, r.sec) : r.data);
  const size = 24 + datas.reduce((n, d) => n + 16 + d.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, options.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, options.major ?? 2, le);
  v.setUint16(6, options.minor ?? 4, le);
  v.setUint32(16, options.snapLen ?? 65535, le);
  v.setUint32(20, options.linkType ?? 1, le);
  let p = 24;
  records.forEach((r, i) => {
    const d = datas[i];
    v.setUint32(p, r.sec, le);
    v.setUint32(p + 4, r.frac, le);
    v.setUint32(p + 8, r.capField ?? d.length, le);
    v.setUint32(p + 12, r.lenField ?? d.length, le);
    out.set(d, p + 16);
    p += 16 + d.length;
  });
  return out;
}

/** A recognisable byte pattern of length `n` (depends on `seed`). */
export function pattern(n: number, seed = 0): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 7 + seed * 13 + 1) & 0xff;
  return d;
}

// ---------------------------------------------------------------------------------------------
// pcapng

/** Pads to a multiple of 4. */
function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** A generic block: type, body (padded to 4), header and trailer lengths. */
export function block(
  type: number,
  body: Uint8Array,
  le = true,
  lengthOverride?: { header?: number; trailer?: number },
): Uint8Array {
  const len = 12 + pad4(body.length);
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, lengthOverride?.header ?? len, le);
  out.set(body, 8);
  v.setUint32(len - 4, lengthOverride?.trailer ?? len, le);
  return out;
}

/** Encodes options (code, value) followed by opt_endofopt. */
export function options(opts: [number, Uint8Array][], le = true): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const size = opts.reduce((n, [, val]) => n + 4 + pad4(val.length), 0) + 4;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let p = 0;
  for (const [code, val] of opts) {
    v.setUint16(p, code, le);
    v.setUint16(p + 2, val.length, le);
    out.set(val, p + 4);
    p += 4 + pad4(val.length);
  }
  return out; // the last 4 bytes stay 0: opt_endofopt
}

/** Section header block. */
export function shb(le = true, major = 1, minor = 0): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  v.setUint32(0, 0x1a2b3c4d, le);
  v.setUint16(4, major, le);
  v.setUint16(6, minor, le);
  v.setBigInt64(8, -1n, le);
  return block(0x0a0d0d0a, body, le);
}

/** Options of {@linkcode idb}. */
export interface IdbOptions {
  le?: boolean;
  linkType?: number;
  snapLen?: number;
  /** Raw `if_tsresol` byte. */
  tsresol?: number;
  /** `if_tsoffset` in seconds. */
  tsoffset?: bigint;
  /** Extra options before the timestamp ones. */
  extra?: [number, Uint8Array][];
}

/** Interface description block. */
export function idb(o: IdbOptions = {}): Uint8Array {
  const le = o.le ?? true;
  const opts: [number, Uint8Array][] = [...(o.extra ?? [])];
  if (o.tsresol !== undefined) opts.push([9, new Uint8Array([o.tsresol])]);
  if (o.tsoffset !== undefined) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, o.tsoffset, le);
    opts.push([14, b]);
  }
  const ob = options(opts, le);
  const body = new Uint8Array(8 + ob.length);
  const v = new DataView(body.buffer);
  v.setUint16(0, o.linkType ?? 1, le);
  v.setUint32(4, o.snapLen ?? 65535, le);
  body.set(ob, 8);
  return block(1, body, le);
}

/** Options of {@linkcode epb}. */
export interface EpbOptions {
  le?: boolean;
  ifId?: number;
  /** Timestamp in interface ticks. */
  ticks?: bigint;
  data?: Uint8Array | number;
  capField?: number;
  lenField?: number;
  /** Obsolete packet block (type 2) instead of an enhanced one. */
  obsolete?: boolean;
  /** Packet options to append after the data. */
  opts?: [number, Uint8Array][];
}

/** Enhanced (or obsolete) packet block. */
export function epb(o: EpbOptions = {}): Uint8Array {
  const le = o.le ?? true;
  const data = typeof o.data === "number" ? pattern(o.data) : o.data ?? pattern(60);
  const ob = options(o.opts ?? [], le);
  const body = new Uint8Array(20 + pad4(data.length) + ob.length);
  const v = new DataView(body.buffer);
  const ticks = o.ticks ?? 0n;
  if (o.obsolete) {
    v.setUint16(0, o.ifId ?? 0, le);
    v.setUint16(2, 0, le);
  } else v.setUint32(0, o.ifId ?? 0, le);
  v.setUint32(4, Number(ticks >> 32n), le);
  v.setUint32(8, Number(ticks & 0xffffffffn), le);
  v.setUint32(12, o.capField ?? data.length, le);
  v.setUint32(16, o.lenField ?? data.length, le);
  body.set(data, 20);
  body.set(ob, 20 + pad4(data.length));
  return block(o.obsolete ? 2 : 6, body, le);
}

/** Simple packet block. */
export function spb(data: Uint8Array, lenField = data.length, le = true): Uint8Array {
  const body = new Uint8Array(4 + pad4(data.length));
  new DataView(body.buffer).setUint32(0, lenField, le);
  body.set(data, 4);
  return block(3, body, le);
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading helpers

/** Everything a reader said about one record (copied out of the reader). */
export interface ReadRecord {
  tsSec: number;
  tsNs: number;
  capLen: number;
  wireLen: number;
  linkType: number;
  snapLen: number;
  recordOffset: number;
  bytes: Uint8Array;
}

/** Reads all records (copying their bytes) and returns them with the final damage. */
export function readAll(reader: CaptureReader): ReadRecord[] {
  const out: ReadRecord[] = [];
  while (reader.next()) {
    out.push({
      tsSec: reader.tsSec,
      tsNs: reader.tsNs,
      capLen: reader.capLen,
      wireLen: reader.wireLen,
      linkType: reader.linkType,
      snapLen: reader.snapLen,
      recordOffset: reader.recordOffset,
      bytes: reader.data.slice(reader.offset, reader.offset + reader.capLen),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared real captures and reference outputs

/** `../shared` beside the repository, or `null` when absent. */
export const SHARED: string | null = (() => {
  const dir = fileURLToPath(new URL("../../../shared/", import.meta.url));
  try {
    return Deno.statSync(`${dir}captures/MANIFEST.tsv`).isFile ? dir : null;
  } catch {
    return null;
  }
})();

/** Why real-capture tests are skipped, printed once. */
export const SHARED_MISSING = "../shared/captures is absent: real-capture tests are ignored";

/** One row of `captures/MANIFEST.tsv`. */
export interface ManifestRow {
  /** Path relative to `captures/` (may start with `malformed/`). */
  file: string;
  /** Leading number of the packets column. */
  packets: number;
  format: string;
}

/** Reads `captures/MANIFEST.tsv`. */
export function manifest(shared: string): ManifestRow[] {
  const lines = Deno.readTextFileSync(`${shared}captures/MANIFEST.tsv`).split("\n");
  const head = lines[0].split("\t");
  const iFile = head.indexOf("file");
  const iPackets = head.indexOf("packets");
  const iFormat = head.indexOf("format");
  return lines.slice(1).filter((l) => l.trim() !== "").map((l) => {
    const c = l.split("\t");
    return { file: c[iFile], packets: parseInt(c[iPackets], 10), format: c[iFormat] };
  });
}

/** The `base` report of a capture (`<stem>` relative to `reference/`), or `null`. */
export function baseReport(shared: string, stem: string): string | null {
  const dir = `${shared}reference/${stem}/base/`;
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.endsWith("_report.txt")) return Deno.readTextFileSync(dir + e.name);
    }
  } catch {
    // no reference for this capture
  }
  return null;
}

/** The value after `label` on its line of a report, or `null`. */
export function reportLine(report: string, label: string): string | null {
  for (const line of report.split("\n")) {
    if (line.startsWith(label)) return line.slice(label.length).trim();
  }
  return null;
}

/** Formats a timestamp as T2 does in `Dump start:` (`%lu.%09lu`). */
export function t2Time(sec: number, ns: number): string {
  return `${sec}.${String(ns).padStart(9, "0")}`;
}
