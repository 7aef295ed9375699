/**
 * PROTOTYPE (issue 15): the work of each thread of a sharded run, measured one at a time in
 * one process (no other thread of ours running), so that a machine shared with other users
 * still gives each stage's cost; the whole-process runs (bench_whole.ts) show what the threads
 * make of it together.
 *
 *     deno run -A tasks/multicore/shard_work.ts MODE CAPTURE [-s]
 *
 * Modes (N shards, shard i):
 *  - `full`: the shard engine with one shard (the whole run's flow and plugin work, rows
 *    serialized for the merge; no sink);
 *  - `b:i/N`: design b, a worker that reads and dissects every record and files its own;
 *  - `a:i/N`: design a, a worker fed from the ring: records marked with their shard are in
 *    memory (prepared before the clock starts), only its own are dissected;
 *  - `reader:N`: design a's reader: read, dissect, hash, copy into a 4 MiB ring (no waiting);
 *  - `balance`: packets per shard for 2, 3, 4, 8 and 16 shards (largest / mean);
 *  - `zreader:N`: design a's reader without copying (zring.ts): read into shared chunks, find
 *    the shard, write a descriptor per record; `zcheck`: it reads what src/capture reads;
 *  - `merge:N`: the merge of N shards' binary rows (collected before the clock starts, design
 *    b) into `_flows.txt` by txtSink, with findex; `mergeonly:N` the same without formatting;
 *  - `splice`: the text-row alternative's merge cost per row: copy the lines of a flow file
 *    (made before the clock starts), rewriting each line's findex;
 *  - `text:i/N`: `b:i/N` with txtSink formatting the rows in the worker.
 *
 * Flags (after the capture, or appended to the mode: `b:0/2+quick+text`): `-s` packet mode;
 * `--quick` workers (and the reader) find the shard of plain IPv4 records from their bytes
 * without dissecting them; `--text` workers format their rows as text (the merge copies them).
 *
 * Prints one JSON line `{mode, ms, ...}`.
 *
 * @module
 */

import { Engine, flowHash, quickFlowHash } from "./shard_engine.ts";
import { type Batch, Merge, RowBatcher } from "./rows.ts";
import { ALL_PLUGINS, protoSettings, SHARD_PLUGINS } from "./proto_setup.ts";
import { RECORD_HEADER } from "./ring.ts";
import { Descriptors, ZeroCopyPcap } from "./zring.ts";
import { Engine as MainEngine } from "../../src/core/engine.ts";
import { Counters } from "../../src/core/counters.ts";
import { openCapture } from "../../src/capture/open.ts";
import { dissectPacket } from "../../src/dissect/link_layer.ts";
import { Packet } from "../../src/dissect/packet.ts";
import { ByteWriter } from "../../src/output/byte_writer.ts";
import { openOutputFile } from "../../src/output/output_file.ts";
import { ReportWriter } from "../../src/output/report_writer.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";

const [modeArg, path, ...rest] = Deno.args;
// A mode may carry its flags: `b:0/2+quick+text`.
const [mode, ...modeFlags] = modeArg.split("+");
const flags = [...rest, ...modeFlags.map((f) => `--${f}`)];
const packetMode = flags.includes("-s");
/** Workers find the shard of plain IPv4 records without dissecting them. */
const quick = flags.includes("--quick");
/** Workers format their rows as text (the merge copies them). */
const textRows = flags.includes("--text");
const tmp = Deno.makeTempDirSync({ prefix: "t2ts-shard-" });

function shardEngine(
  shard: number,
  shards: number,
  post: (b: Batch) => void,
  plugins: PluginDefinition[] = SHARD_PLUGINS,
  sinksInShard = false,
): { engine: Engine; rows: RowBatcher } {
  const rows = new RowBatcher(shard, (b) => post(b));
  const pw = packetMode ? new ByteWriter(null, 1 << 20) : null;
  if (pw) {
    rows.takeLineBytes = () => pw.takeBytes();
    rows.lineBytesWritten = () => pw.written;
  }
  const engine = new Engine({
    shard,
    shards,
    rows,
    sinksInShard,
    plugins,
    settings: protoSettings(),
    outputPrefix: `${tmp}/s${shard}`,
    packetWriter: pw,
    report: new ReportWriter(new ByteWriter(null, 1 << 12), false),
    geo: null,
    hashFactor: 1,
    run: { commandLine: "", sensorId: 666, startWallTime: new Date(), version: "", input: path },
    unsupportedLinkType: () => {},
  });
  engine.start();
  rows.startLines();
  engine.quickShard = quick;
  if (textRows) rows.textColumns = engine.columns;
  return { engine, rows };
}

/** Design b: the worker reads every record. */
function runFromFile(engine: Engine, rows: RowBatcher): void {
  const reader = openCapture(path);
  let k = 0;
  while (reader.next()) {
    engine.processRecord(
      reader.data,
      reader.offset,
      reader.capLen,
      reader.wireLen,
      reader.tsSec,
      reader.tsNs,
      reader.linkType,
    );
    if (++k % 16384 === 0) rows.flush(engine.counters.numPackets);
  }
  reader.close();
  rows.flush(engine.counters.numPackets);
  rows.currentPacket = engine.counters.numPackets + 1;
  engine.flushFlows();
  rows.flush(engine.counters.numPackets + 1, true);
}

/** All records as they sit in the ring, with their shard (design a's input). */
function ringImage(shards: number): { buf: ArrayBuffer; end: number } {
  const reader = openCapture(path);
  let buf = new ArrayBuffer(((Deno.statSync(path).size * 2) & ~7) + (1 << 20));
  let u8 = new Uint8Array(buf);
  let u32 = new Uint32Array(buf);
  let f64 = new Float64Array(buf);
  const p = new Packet();
  const ctx = { counters: new Counters(), warn() {}, unsupportedLinkType() {} };
  let o = 0;
  while (reader.next()) {
    const cap = reader.capLen;
    if (o + RECORD_HEADER + cap + 8 > buf.byteLength) {
      const b = new ArrayBuffer(buf.byteLength * 2);
      new Uint8Array(b).set(u8);
      buf = b;
      u8 = new Uint8Array(b);
      u32 = new Uint32Array(b);
      f64 = new Float64Array(b);
    }
    let shard = 0;
    if (cap > 0) {
      p.reset(reader.data, reader.offset, cap, reader.wireLen);
      p.linkType = reader.linkType;
      dissectPacket(p, ctx);
      shard = flowHash(p) % shards;
    }
    u32[o >> 2] = cap;
    u32[(o >> 2) + 1] = reader.wireLen;
    f64[(o >> 3) + 1] = reader.tsSec;
    u32[(o >> 2) + 4] = reader.tsNs;
    u32[(o >> 2) + 5] = reader.linkType | (shard << 16);
    u8.set(reader.data.subarray(reader.offset, reader.offset + cap), o + RECORD_HEADER);
    o += RECORD_HEADER + ((cap + 7) & ~7);
  }
  reader.close();
  return { buf, end: o };
}

function runFromRing(engine: Engine, rows: RowBatcher, img: { buf: ArrayBuffer; end: number }) {
  const me = Number(mode.split(":")[1].split("/")[0]);
  const u8 = new Uint8Array(img.buf);
  const u32 = new Uint32Array(img.buf);
  const f64 = new Float64Array(img.buf);
  let k = 0;
  for (let o = 0; o < img.end;) {
    const x = o >> 2;
    const cap = u32[x];
    const lt = u32[x + 5];
    engine.processRecord(
      u8,
      o + RECORD_HEADER,
      cap,
      u32[x + 1],
      f64[(o >> 3) + 1],
      u32[x + 4],
      lt & 0xffff,
      (lt >>> 16) === me ? 1 : 0,
    );
    o += RECORD_HEADER + ((cap + 7) & ~7);
    if (++k % 16384 === 0) rows.flush(engine.counters.numPackets);
  }
  rows.flush(engine.counters.numPackets);
  rows.currentPacket = engine.counters.numPackets + 1;
  engine.flushFlows();
  rows.flush(engine.counters.numPackets + 1, true);
}

/** Design a's reader; `upTo`: stop after reading (1), dissecting (2), hashing (3). */
function reader(shards: number, upTo = 4): number {
  const ring = new ArrayBuffer(4 << 20);
  const u8 = new Uint8Array(ring);
  const u32 = new Uint32Array(ring);
  const f64 = new Float64Array(ring);
  const reader = openCapture(path);
  const p = new Packet();
  const ctx = { counters: new Counters(), warn() {}, unsupportedLinkType() {} };
  let o = 0;
  let sum = 0;
  while (reader.next()) {
    const cap = reader.capLen;
    if (upTo === 1) {
      sum += cap;
      continue;
    }
    let shard = 0;
    if (cap > 0) {
      const h = quick ? quickFlowHash(p, reader.data, reader.offset, cap, reader.linkType) : -1;
      if (h >= 0) shard = h % shards;
      else {
        p.reset(reader.data, reader.offset, cap, reader.wireLen);
        p.linkType = reader.linkType;
        dissectPacket(p, ctx);
        if (upTo === 2) {
          sum += p.statusLo & 1;
          continue;
        }
        shard = flowHash(p) % shards;
      }
    }
    if (upTo <= 3) {
      sum += shard;
      continue;
    }
    const rec = RECORD_HEADER + ((cap + 7) & ~7);
    if (o + rec > ring.byteLength) o = 0;
    u32[o >> 2] = cap;
    u32[(o >> 2) + 1] = reader.wireLen;
    f64[(o >> 3) + 1] = reader.tsSec;
    u32[(o >> 2) + 4] = reader.tsNs;
    u32[(o >> 2) + 5] = reader.linkType | (shard << 16);
    u8.set(reader.data.subarray(reader.offset, reader.offset + cap), o + RECORD_HEADER);
    o += rec;
    sum += shard;
  }
  reader.close();
  return sum;
}

/** Design a's reader without copying: records read into shared chunks, descriptors out. */
function zeroCopyReader(shards: number): number {
  const r = new ZeroCopyPcap(path);
  const desc = new Descriptors();
  const p = new Packet();
  const ctx = { counters: new Counters(), warn() {}, unsupportedLinkType() {} };
  let sum = 0;
  while (r.next()) {
    const cap = r.capLen;
    let shard = 0;
    if (cap > 0) {
      const h = quick ? quickFlowHash(p, r.bytes, r.offset, cap, r.linkType) : -1;
      if (h >= 0) shard = h % shards;
      else {
        p.reset(r.bytes, r.offset, cap, r.wireLen);
        p.linkType = r.linkType;
        dissectPacket(p, ctx);
        shard = flowHash(p) % shards;
      }
    }
    desc.put(r, shard);
    sum += shard;
  }
  r.close();
  return sum;
}

/** The zero-copy reader gives the same records as the project's reader. */
function zeroCopyCheck(): string {
  const a = openCapture(path);
  const b = new ZeroCopyPcap(path, 1 << 16, 3);
  let n = 0;
  for (;;) {
    const x = a.next();
    const y = b.next();
    if (x !== y) return `record ${n}: one ends first`;
    if (!x) break;
    n++;
    if (
      a.capLen !== b.capLen || a.wireLen !== b.wireLen || a.tsSec !== b.tsSec || a.tsNs !== b.tsNs
    ) {
      return `record ${n}: header differs`;
    }
    for (let i = 0; i < a.capLen; i++) {
      if (a.data[a.offset + i] !== b.bytes[b.offset + i]) return `record ${n}: byte ${i} differs`;
    }
  }
  a.close();
  b.close();
  return `ok, ${n} records`;
}

/** The main thread's engine (headers, sink) for the merge modes. */
function mainEngine(): MainEngine {
  const e = new MainEngine({
    plugins: ALL_PLUGINS,
    settings: protoSettings(),
    outputPrefix: `${tmp}/main`,
    packetWriter: packetMode ? new ByteWriter(openOutputFile(`${tmp}/main_packets.txt`)) : null,
    report: new ReportWriter(new ByteWriter(null, 1 << 12), false),
    geo: null,
    hashFactor: 1,
    run: { commandLine: "", sensorId: 666, startWallTime: new Date(), version: "", input: path },
    unsupportedLinkType: () => {},
  });
  e.start();
  return e;
}

const result: Record<string, unknown> = { mode: modeArg };
/** This thread's time on a CPU and waiting for one, in ms (/proc/thread-self/schedstat). */
function threadTimes(): [number, number] {
  const f = Deno.readTextFileSync("/proc/thread-self/schedstat").trim().split(" ");
  return [Number(f[0]) / 1e6, Number(f[1]) / 1e6];
}
let cpu0: [number, number] = [0, 0];
let proc0 = 0;
/** Start the clocks (wall, this thread's CPU, the process's CPU). */
function startClocks(): number {
  cpu0 = threadTimes();
  proc0 = procCpu();
  return performance.now();
}
function procCpu(): number {
  const f = Deno.readTextFileSync("/proc/self/stat");
  const x = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(x[11]) + Number(x[12])) * 10;
}
function stopClocks(): void {
  const [c, w] = threadTimes();
  result.cpuMs = Math.round((c - cpu0[0]) * 10) / 10;
  result.runqMs = Math.round((w - cpu0[1]) * 10) / 10;
  result.procCpuMs = procCpu() - proc0;
}
let ms = 0;
const kind = mode.split(":")[0];
const arg = mode.split(":")[1] ?? "";
const [iText, nText] = arg.includes("/") ? arg.split("/") : ["0", arg || "1"];
const shard = Number(iText);
const shards = Number(nText);
let rowsOut = 0;
const drop = (b: Batch) => void (rowsOut += b.rowIndex.length / 5);

if (kind === "full" || kind === "b" || kind === "text") {
  const plugins = kind === "text" ? ALL_PLUGINS : SHARD_PLUGINS;
  const { engine, rows } = shardEngine(
    kind === "full" ? 0 : shard,
    kind === "full" ? 1 : shards,
    drop,
    plugins,
    kind === "text",
  );
  const t = startClocks();
  runFromFile(engine, rows);
  if (kind === "text") engine.finalize();
  ms = performance.now() - t;
  stopClocks();
  result.own = engine.ownPackets;
  result.foreign = engine.foreignPackets;
  result.rows = rowsOut;
} else if (kind === "a") {
  const img = ringImage(shards);
  const { engine, rows } = shardEngine(shard, shards, drop);
  const t = startClocks();
  runFromRing(engine, rows, img);
  ms = performance.now() - t;
  stopClocks();
  result.own = engine.ownPackets;
  result.foreign = engine.foreignPackets;
  result.rows = rowsOut;
} else if (kind === "reader" || kind === "read" || kind === "dissect" || kind === "hash") {
  const t = startClocks();
  result.sum = reader(shards, { read: 1, dissect: 2, hash: 3, reader: 4 }[kind]);
  ms = performance.now() - t;
  stopClocks();
} else if (kind === "zreader") {
  const t = startClocks();
  result.sum = zeroCopyReader(shards);
  ms = performance.now() - t;
  stopClocks();
} else if (kind === "balance") {
  // Packets per shard for 2..16 shards: the largest shard's share against an even split.
  const r = openCapture(path);
  const p = new Packet();
  const ctx = { counters: new Counters(), warn() {}, unsupportedLinkType() {} };
  const ns = [2, 3, 4, 8, 16];
  const counts = ns.map((n) => new Float64Array(n));
  let total = 0;
  while (r.next()) {
    total++;
    let h = 0;
    if (r.capLen > 0) {
      p.reset(r.data, r.offset, r.capLen, r.wireLen);
      p.linkType = r.linkType;
      dissectPacket(p, ctx);
      h = flowHash(p);
    }
    for (let k = 0; k < ns.length; k++) counts[k][h % ns[k]]++;
  }
  r.close();
  result.maxOverMean = Object.fromEntries(
    ns.map((n, k) => [n, Math.round(Math.max(...counts[k]) / (total / n) * 1000) / 1000]),
  );
} else if (kind === "zcheck") {
  result.check = zeroCopyCheck();
} else if (kind === "merge" || kind === "mergeonly") {
  // Collect every shard's batches first (design b), then merge them in an order a real run
  // could see: by progress.
  const all: Batch[] = [];
  for (let s = 0; s < shards; s++) {
    const { engine, rows } = shardEngine(s, shards, (b) => all.push(b));
    runFromFile(engine, rows);
  }
  all.sort((a, b) => a.progress - b.progress || a.shard - b.shard);
  const main = mainEngine();
  const sinks = main.hooks.filter((h) => h.bufferToSink);
  const cols = main.columns;
  const format = kind === "merge";
  const flowText = textRows
    ? new ByteWriter(openOutputFile(`${tmp}/text_flows.txt`), 1 << 18)
    : null;
  let n = 0;
  const pw = packetMode ? new ByteWriter(openOutputFile(`${tmp}/m_packets.txt`), 1 << 22) : null;
  const merge = new Merge(shards, {
    row(out) {
      n++;
      if (format) { for (const s of sinks) s.bufferToSink!(out, cols); }
    },
    rowText(bytes, start, end, findex) {
      n++;
      if (!format) return;
      let tab = start + 2;
      while (bytes[tab] !== 9) tab++;
      flowText!.bytes(bytes, start, start + 2);
      flowText!.uint(findex);
      flowText!.bytes(bytes, tab, end);
    },
    packetLine(pktNo, findex, bytes, start, end) {
      if (!pw) return;
      pw.uint(pktNo);
      pw.tab();
      pw.uint(findex);
      pw.tab();
      pw.bytes(bytes, start, end);
    },
  });
  const t = startClocks();
  for (const b of all) merge.add(b);
  main.finalize();
  flowText?.flush();
  pw?.flush();
  ms = performance.now() - t;
  stopClocks();
  result.rows = n;
  result.peak = merge.peak;
} else if (kind === "splice") {
  // The flow file of a whole run, made first; then copied line by line with the findex
  // (second field) rewritten, as a merge of text rows would.
  const { engine, rows } = shardEngine(0, 1, drop, ALL_PLUGINS, true);
  runFromFile(engine, rows);
  engine.finalize();
  const text = Deno.readFileSync(`${tmp}/s0_flows.txt`);
  const starts: number[] = [];
  for (let i = text.indexOf(10) + 1; i < text.length; i = text.indexOf(10, i) + 1) starts.push(i);
  const w = new ByteWriter(openOutputFile(`${tmp}/spliced.txt`), 1 << 18);
  const t = startClocks();
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k];
    const e = k + 1 < starts.length ? starts[k + 1] : text.length;
    let tab = s + 2;
    while (text[tab] !== 9) tab++;
    w.bytes(text, s, s + 2);
    w.uint(k + 1);
    w.bytes(text, tab, e);
  }
  w.flush();
  ms = performance.now() - t;
  stopClocks();
  result.rows = starts.length;
}
result.ms = Math.round(ms * 10) / 10;
Deno.removeSync(tmp, { recursive: true });
console.log(JSON.stringify(result));
