/**
 * PROTOTYPE (issue 15): a flow-sharded run, minimal enough to measure the reading designs.
 *
 *     deno run -A tasks/multicore/proto_main.ts --shards N [--ring] -r CAPTURE -w OUTDIR/ [-s]
 *
 * The plugin list is fixed (`flow`: basicFlow basicStats tcpWin txtSink, SUBNET_ON=0; `-b` and
 * `--set` are accepted and ignored so that the benchmark's command lines fit). N shard workers
 * run the shard engine; the main thread merges their rows into `_flows.txt` (txtSink) and
 * their packet lines into `_packets.txt`, with the run's findex. `--ring`: the main thread
 * reads and dissects every record to find its shard and feeds the workers through one
 * SharedArrayBuffer ring (design a); without it every worker reads the file and skips the
 * other shards' packets after dissecting them (design b).
 *
 * Not written: the end report (the merged counters are printed to stderr with `--stats`) and
 * tcpWin's summary file. Timings of the workers' start-up go to stderr with `--stats`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { nowMs, protoSettings, type WorkerConfig } from "./proto_setup.ts";
import { ALL_PLUGINS } from "./proto_setup.ts";
import { type Batch, Merge } from "./rows.ts";
import { Ring, RingWriter } from "./ring.ts";
import { Descriptors, ZeroCopyPcap } from "./zring.ts";
import { flowHash, quickFlowHash } from "./shard_engine.ts";
import { Engine } from "../../src/core/engine.ts";
import { Counters } from "../../src/core/counters.ts";
import { openCapture } from "../../src/capture/open.ts";
import { dissectPacket } from "../../src/dissect/link_layer.ts";
import { Packet } from "../../src/dissect/packet.ts";
import { ByteWriter } from "../../src/output/byte_writer.ts";
import { openOutputFile } from "../../src/output/output_file.ts";
import { ReportWriter } from "../../src/output/report_writer.ts";
import { outputPrefix } from "../../src/core/output_prefix.ts";
import type { OutputBuffer } from "../../src/plugin/output_buffer.ts";

const t0 = nowMs();
const { values } = parseArgs({
  args: Deno.args,
  options: {
    shards: { type: "string", default: "2" },
    ring: { type: "boolean", default: false },
    zring: { type: "boolean", default: false },
    r: { type: "string" },
    w: { type: "string" },
    s: { type: "boolean", default: false },
    b: { type: "string" },
    set: { type: "string", multiple: true },
    stats: { type: "boolean", default: false },
    "ring-mib": { type: "string", default: "4" },
    rows: { type: "string", default: "text" },
    quick: { type: "boolean", default: true },
  },
});
const shards = Number(values.shards);
const path = values.r!;
const prefix = outputPrefix(path, values.w);

// The main thread's engine: columns, _headers.txt, the flow file's header, the packet file's
// header, and the sink. It sees no packet.
const pktFile = values.s ? openOutputFile(prefix + "_packets.txt") : null;
const pktWriter = pktFile ? new ByteWriter(pktFile, 1 << 22) : null;
const main = new Engine({
  plugins: ALL_PLUGINS,
  settings: protoSettings(),
  outputPrefix: prefix,
  packetWriter: pktWriter,
  report: new ReportWriter(new ByteWriter(null, 1 << 12), false),
  geo: null,
  hashFactor: 1,
  run: {
    commandLine: "proto",
    sensorId: 666,
    startWallTime: new Date(),
    version: "proto",
    input: path,
  },
  unsupportedLinkType: () => {},
});
main.start();
const sinks = main.hooks.filter((h) => h.bufferToSink);
const columns = main.columns;
let mergeMs = 0;
// Text rows go straight into the flow file (txtSink's file, opened by the main engine's
// txtSink: the prototype writes through a writer of its own on the same path).
const flowText = values.rows === "text"
  ? new ByteWriter(openOutputFile(prefix + "_flows.txt"), 1 << 18)
  : null;
if (flowText) flowText.text("%" + columns.map((c) => c.name).join("\t") + "\n");
const merge = new Merge(shards, {
  row(out: OutputBuffer) {
    for (const s of sinks) s.bufferToSink!(out, columns);
  },
  rowText(bytes, start, end, findex) {
    // "A\t" or "B\t", the findex, then the rest from the tab after the shard's findex.
    const w = flowText!;
    let tab = start + 2;
    while (bytes[tab] !== 9) tab++;
    w.bytes(bytes, start, start + 2);
    w.uint(findex);
    w.bytes(bytes, tab, end);
  },
  packetLine(pktNo, findex, bytes, start, end) {
    const w = pktWriter!;
    w.uint(pktNo);
    w.tab();
    w.uint(findex);
    w.tab();
    w.bytes(bytes, start, end);
  },
});

// Run from a bundle: PROTO_WORKER names the bundled worker.
const workerUrl = Deno.env.get("PROTO_WORKER") ??
  new URL("./proto_worker.ts", import.meta.url).href;
const ring = values.ring ? new Ring(Number(values["ring-mib"]) * (1 << 20), shards) : null;
const zpcap = values.zring ? new ZeroCopyPcap(path) : null;
const zdesc = values.zring ? new Descriptors(1 << 16, shards) : null;
const workers: Worker[] = [];
let firstBatchAt = 0;
const finished = Promise.withResolvers<void>();
for (let i = 0; i < shards; i++) {
  const w = new Worker(workerUrl, { type: "module" });
  w.onmessage = (e: MessageEvent<Batch>) => {
    if (!firstBatchAt) firstBatchAt = nowMs();
    const m0 = performance.now();
    merge.add(e.data);
    mergeMs += performance.now() - m0;
    if (merge.finished) finished.resolve();
  };
  w.onerror = (e) => {
    e.preventDefault();
    console.error(`[ERR] worker ${i}: ${e.message}`);
    Deno.exit(1);
  };
  const cfg: WorkerConfig = {
    shard: i,
    shards,
    path: ring || zpcap ? null : path,
    ring: ring ? { sab: ring.sab, ctrl: ring.ctrlSab } : null,
    zring: zpcap
      ? { data: zpcap.data, desc: zdesc!.sab, ctrl: zdesc!.ctrlSab, size: zdesc!.size }
      : null,
    packetMode: values.s,
    textRows: values.rows === "text",
    quick: values.quick,
    outputPrefix: prefix,
    spawnedAt: nowMs(),
  };
  w.postMessage(cfg);
  workers.push(w);
}

let readerMs = 0;
let readerWaits = 0;
if (ring) {
  // Design a: read, dissect to find the shard, put the record into the ring.
  const r0 = performance.now();
  const writer = new RingWriter(ring, shards);
  const reader = openCapture(path);
  const p = new Packet();
  const ctx = { counters: new Counters(), warn() {}, unsupportedLinkType() {} };
  let n = 0;
  while (reader.next()) {
    const capLen = reader.capLen;
    let shard = 0;
    const h = values.quick && capLen > 0
      ? quickFlowHash(p, reader.data, reader.offset, capLen, reader.linkType)
      : -1;
    if (h >= 0) shard = h % shards;
    else if (capLen > 0) {
      p.reset(reader.data, reader.offset, capLen, reader.wireLen);
      p.linkType = reader.linkType;
      dissectPacket(p, ctx);
      shard = flowHash(p) % shards;
    }
    while (!writer.hasRoom(capLen)) await writer.waitForSpace();
    writer.put(
      reader.data,
      reader.offset,
      capLen,
      reader.wireLen,
      reader.tsSec,
      reader.tsNs,
      reader.linkType,
      shard,
    );
    // Let the merge run now and then (row batches arrive as messages).
    if ((++n & 0xffff) === 0) await new Promise((r) => setTimeout(r, 0));
  }
  reader.close();
  writer.end();
  readerMs = performance.now() - r0;
  readerWaits = writer.waits;
}

if (zpcap) {
  // Design a without copies: records stay where they were read; descriptors go to the workers.
  const r0 = performance.now();
  const desc = zdesc!;
  const p = new Packet();
  const ctx = { counters: new Counters(), warn() {}, unsupportedLinkType() {} };
  // Per chunk: descriptors up to which it is read (its last record's count).
  const lastOfChunk = new Float64Array(zpcap.chunks);
  zpcap.canReuse = (c) => desc.minRead(shards) >= lastOfChunk[c];
  const wait = async (slot: number, value: number) => {
    desc.publish();
    readerWaits++;
    const res = Atomics.waitAsync(desc.ctrl, 2 + slot, BigInt(value), 20);
    if (res.async) await res.value;
  };
  const slowest = () => {
    let s = 0;
    let m = Infinity;
    for (let i = 0; i < shards; i++) {
      const v = Number(Atomics.load(desc.ctrl, 2 + i));
      if (v < m) [m, s] = [v, i];
    }
    return [s, m];
  };
  let n = 0;
  for (;;) {
    const st = zpcap.step();
    if (st === 0) break;
    if (st < 0) {
      const [s, m] = slowest();
      await wait(s, m);
      continue;
    }
    while (desc.written - desc.minRead(shards) >= desc.size) {
      const [s, m] = slowest();
      await wait(s, m);
    }
    const cap = zpcap.capLen;
    let shard = 0;
    if (cap > 0) {
      const h = values.quick
        ? quickFlowHash(p, zpcap.bytes, zpcap.offset, cap, zpcap.linkType)
        : -1;
      if (h >= 0) shard = h % shards;
      else {
        p.reset(zpcap.bytes, zpcap.offset, cap, zpcap.wireLen);
        p.linkType = zpcap.linkType;
        dissectPacket(p, ctx);
        shard = flowHash(p) % shards;
      }
    }
    desc.put(zpcap, shard);
    lastOfChunk[zpcap.chunkIndex] = desc.written;
    if ((++n & 63) === 0) desc.publish();
    if ((n & 0xffff) === 0) await new Promise((r) => setTimeout(r, 0));
  }
  zpcap.close();
  desc.end();
  readerMs = performance.now() - r0;
}

await finished.promise;
const threadCpu = values.stats ? threadTimes() : "";
for (const w of workers) w.terminate();
main.finalize();
flowText?.flush();
pktWriter?.flush();
pktFile?.close();

if (values.stats) {
  const st = merge.stats();
  const end = nowMs();
  const f = (x: number) => x.toFixed(0);
  console.error(
    `shards ${shards}${ring ? " ring" : ""}: total ${f(end - t0)} ms, main start→workers ` +
      `spawned ${f(st[0]!.spawnedAt - t0)} ms, first batch at ${f(firstBatchAt - t0)} ms, ` +
      `merge ${f(mergeMs)} ms, reader ${
        f(readerMs)
      } ms (waits ${readerWaits}); rows ${merge.rows}, ` +
      `findex ${merge.totalfIndex}, max flows in memory ${merge.peak}`,
  );
  for (const s of st) {
    if (!s) continue;
    console.error(
      `  worker: module load ${f(s.loadedAt - s.spawnedAt)} ms, config ${
        f(s.gotConfigAt - s.spawnedAt)
      } ms, ready ${f(s.readyAt - s.spawnedAt)} ms, packets ${f(s.readAt - s.readyAt)} ms, ` +
        `flush ${f(s.doneAt - s.readAt)} ms; own ${s.ownPackets}, foreign ${s.foreignPackets}, ` +
        `rows ${s.rows}, A/B pkts ${s.numAPackets}/${s.numBPackets}, A/B flows ${s.totalAFlows}/${s.totalBFlows}, ` +
        `waits ${s.waits}, heap ${(s.heapTotal / 1048576).toFixed(1)} MiB, ext ${
          (s.external / 1048576).toFixed(1)
        } MiB`,
    );
  }
  const sum = (k: string) => st.reduce((a, s) => a + (s?.[k] ?? 0), 0);
  console.error(`  thread CPU ms: ${threadCpu}`);
  console.error(
    `  merged: A/B packets ${sum("numAPackets")}/${sum("numBPackets")}, A/B flows ${
      sum("totalAFlows")
    }/${sum("totalBFlows")}; peak RSS now ${(Deno.memoryUsage().rss / 1048576).toFixed(1)} MiB`,
  );
}

/** CPU time of each thread of this process (Linux /proc; clock ticks of 10 ms), by name. */
function threadTimes(): string {
  const by = new Map<string, number>();
  try {
    for (const t of Deno.readDirSync("/proc/self/task")) {
      const comm = Deno.readTextFileSync(`/proc/self/task/${t.name}/comm`).trim();
      const stat = Deno.readTextFileSync(`/proc/self/task/${t.name}/stat`);
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      const name = comm.startsWith("V8") ? "v8-bg" : comm.startsWith("tokio") ? "tokio" : comm;
      by.set(name, (by.get(name) ?? 0) + ms);
    }
  } catch {
    return "unknown";
  }
  return [...by].map(([k, v]) => `${k} ${v}`).join(", ");
}
