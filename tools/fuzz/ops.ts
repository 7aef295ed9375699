/**
 * Mutation operations as plain data. A fuzz input is a source capture plus a list of
 * {@linkcode Op}s; {@linkcode applyOps} rebuilds the input from them, so a failing input made from
 * a capture that must not enter the repository can be recorded as (capture name, seed, ops) and
 * replayed later. Every op is total: positions or indices past the end make it a no-op.
 *
 * @module
 */

import { type Layout, packetIndices, parseLayout, type RecordSpan } from "./layout.ts";

/** One mutation step. Offsets are byte offsets in the file as it is when the step runs. */
export type Op =
  /** Keep the file header, the non-packet blocks before the window, and packets `[first, first+count)`. */
  | { op: "window"; first: number; count: number }
  /** Flip one bit. */
  | { op: "flip"; at: number; bit: number }
  /** Store an unsigned value of 1, 2 or 4 bytes. */
  | { op: "set"; at: number; size: 1 | 2 | 4; value: number; le: boolean }
  /** Cut the file at an offset. */
  | { op: "truncate"; at: number }
  /** Exchange two records (all records, not only packets, count). */
  | { op: "swap"; a: number; b: number }
  /** Insert a copy of a record right after it. */
  | { op: "dup"; index: number }
  /** Remove `count` (default 1) records from `index` on. */
  | { op: "drop"; index: number; count?: number }
  /** Insert raw bytes (hex) at an offset, framing be damned. */
  | { op: "insert"; at: number; hex: string }
  /**
   * Replace `del` packet bytes at `at` (relative to the packet's first byte) of record `index`
   * with `hex` repeated `repeat` times (default 1), re-framing the record: captured and wire
   * length (and pcapng block lengths) change by the same amount, so the file stays well framed.
   */
  | { op: "edit"; index: number; at: number; del: number; hex: string; repeat?: number }
  /** Cut every packet to at most `len` captured bytes (wire lengths unchanged), re-framed. */
  | { op: "snap"; len: number };

/** Apply ops in order to a copy of `bytes`. */
export function applyOps(bytes: Uint8Array, ops: readonly Op[]): Uint8Array {
  let b = bytes;
  for (const op of ops) b = applyOp(b, op);
  return b === bytes ? bytes.slice() : b;
}

/** Apply one op; returns the new bytes (possibly `b` itself, modified in place). */
export function applyOp(b: Uint8Array, op: Op): Uint8Array {
  switch (op.op) {
    case "window":
      return window(b, op.first, op.count);
    case "flip":
      if (op.at < b.length) {
        b = own(b);
        b[op.at] ^= 1 << (op.bit & 7);
      }
      return b;
    case "set":
      if (op.at + op.size <= b.length) {
        b = own(b);
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        if (op.size === 1) v.setUint8(op.at, op.value & 0xff);
        else if (op.size === 2) v.setUint16(op.at, op.value & 0xffff, op.le);
        else v.setUint32(op.at, op.value >>> 0, op.le);
      }
      return b;
    case "truncate":
      return op.at < b.length ? b.slice(0, Math.max(0, op.at)) : b;
    case "swap": {
      const L = parseLayout(b);
      const r = L.records;
      if (op.a === op.b || op.a >= r.length || op.b >= r.length) return b;
      const [x, y] = op.a < op.b ? [r[op.a], r[op.b]] : [r[op.b], r[op.a]];
      return concat([
        b.subarray(0, x.start),
        b.subarray(y.start, y.end),
        b.subarray(x.end, y.start),
        b.subarray(x.start, x.end),
        b.subarray(y.end),
      ]);
    }
    case "dup": {
      const r = parseLayout(b).records[op.index];
      if (!r) return b;
      return concat([b.subarray(0, r.end), b.subarray(r.start, r.end), b.subarray(r.end)]);
    }
    case "drop": {
      const recs = parseLayout(b).records;
      const r = recs[op.index];
      if (!r) return b;
      const last = recs[Math.min(recs.length, op.index + Math.max(1, op.count ?? 1)) - 1];
      return concat([b.subarray(0, r.start), b.subarray(last.end)]);
    }
    case "insert": {
      if (op.at > b.length) return b;
      return concat([b.subarray(0, op.at), fromHex(op.hex), b.subarray(op.at)]);
    }
    case "edit": {
      const L = parseLayout(b);
      const r = L.records[op.index];
      if (!r || !r.packet || op.at > r.dataLen) return b;
      const data = r.dataLen;
      const del = Math.min(op.del, data - op.at);
      const d = b.subarray(r.dataStart, r.dataStart + data);
      const unit = fromHex(op.hex);
      const n = Math.max(0, Math.min(op.repeat ?? 1, 1 << 20));
      const ins = new Uint8Array(unit.length * n);
      for (let i = 0; i < n; i++) ins.set(unit, i * unit.length);
      const next = concat([d.subarray(0, op.at), ins, d.subarray(op.at + del)]);
      return reframe(b, L, r, next, next.length - data);
    }
    case "snap": {
      const L = parseLayout(b);
      let out = b;
      // From the last record backwards, so earlier offsets stay valid.
      for (let i = L.records.length - 1; i >= 0; i--) {
        const r = L.records[i];
        if (!r.packet || r.dataLen <= op.len) continue;
        const d = out.subarray(r.dataStart, r.dataStart + Math.max(0, op.len));
        out = reframe(out, L, r, d.slice(), 0);
      }
      return out;
    }
  }
}

/** Replace record `r`'s packet bytes with `data`; the wire length changes by `wireDelta`. */
function reframe(
  b: Uint8Array,
  L: Layout,
  r: RecordSpan,
  data: Uint8Array,
  wireDelta: number,
): Uint8Array {
  const le = r.le;
  const src = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const wire = r.wireLenAt >= 0 ? src.getUint32(r.wireLenAt, le) : data.length;
  const newWire = Math.max(0, Math.min(0xffffffff, wire + wireDelta));
  if (L.format === "pcap") {
    const rec = new Uint8Array(16 + data.length);
    rec.set(b.subarray(r.start, r.start + 16));
    rec.set(data, 16);
    const v = new DataView(rec.buffer);
    v.setUint32(8, data.length, le);
    v.setUint32(12, newWire, le);
    return concat([b.subarray(0, r.start), rec, b.subarray(r.end)]);
  }
  // pcapng packet blocks: header up to the data, data padded to 4, options kept, trailer.
  const headLen = r.dataStart - r.start;
  const oldPadded = pad4(r.dataLen);
  const optStart = r.dataStart + oldPadded;
  const opts = optStart <= r.end - 4 ? b.subarray(optStart, r.end - 4) : new Uint8Array(0);
  const total = headLen + pad4(data.length) + opts.length + 4;
  const blk = new Uint8Array(total);
  blk.set(b.subarray(r.start, r.dataStart));
  blk.set(data, headLen);
  blk.set(opts, headLen + pad4(data.length));
  const v = new DataView(blk.buffer);
  v.setUint32(4, total, le);
  v.setUint32(total - 4, total, le);
  if (r.blockType === 3) v.setUint32(8, data.length, le);
  else {
    v.setUint32(20, data.length, le);
    v.setUint32(24, newWire, le);
  }
  return concat([b.subarray(0, r.start), blk, b.subarray(r.end)]);
}

function window(b: Uint8Array, first: number, count: number): Uint8Array {
  const L = parseLayout(b);
  if (L.format === "unknown") return b;
  const pk = packetIndices(L);
  const from = pk[first];
  if (from === undefined) return b;
  const lastPk = pk[Math.min(pk.length, first + Math.max(1, count)) - 1];
  const parts: Uint8Array[] = [b.subarray(0, L.format === "pcap" ? L.headerEnd : 0)];
  L.records.forEach((r, i) => {
    if (i > lastPk) return;
    if (r.packet ? i >= from : true) parts.push(b.subarray(r.start, r.end));
  });
  return concat(parts);
}

/** `b` if it is a private copy already, else a copy (ops never modify the caller's bytes). */
const owned = new WeakSet<Uint8Array>();
function own(b: Uint8Array): Uint8Array {
  if (owned.has(b)) return b;
  const c = b.slice();
  owned.add(c);
  return c;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  owned.add(out);
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Bytes as lower-case hex. */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Hex (even length) to bytes. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
