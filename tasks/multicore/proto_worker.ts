/**
 * PROTOTYPE (issue 15): one shard worker. Reads the capture itself (design b) or the reader's
 * ring (design a), runs the shard engine with the shard plugins, and posts its rows and
 * events in batches to the merge.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { nowMs, protoSettings, SHARD_PLUGINS, type WorkerConfig } from "./proto_setup.ts";
const loadedAt = nowMs();
import { Engine } from "./shard_engine.ts";
import { type Batch, RowBatcher } from "./rows.ts";
import { readRing, Ring } from "./ring.ts";
import { Descriptors, readDescriptors } from "./zring.ts";
import { openCapture } from "../../src/capture/open.ts";
import { ByteWriter } from "../../src/output/byte_writer.ts";
import { ReportWriter } from "../../src/output/report_writer.ts";

/** The columns of the whole run (the shard engine knows its plugins' only; txtSink adds none). */
function mainColumns(e: Engine) {
  return e.columns;
}

/** Posts between two batches, in packets. */
const BATCH_PACKETS = 16384;
/** Or when this many row slots wait. */
const BATCH_SLOTS = 1 << 17;

self.onmessage = (e: MessageEvent<WorkerConfig>) => {
  const cfg = e.data;
  const gotConfigAt = nowMs();
  const post = (b: Batch, transfer: ArrayBuffer[]) => self.postMessage(b, transfer);
  const rows = new RowBatcher(cfg.shard, post);
  const pktWriter = cfg.packetMode ? new ByteWriter(null, 1 << 20) : null;
  if (pktWriter) {
    rows.takeLineBytes = () => pktWriter.takeBytes();
    rows.lineBytesWritten = () => pktWriter.written;
  }
  const engine = new Engine({
    shard: cfg.shard,
    shards: cfg.shards,
    rows,
    plugins: SHARD_PLUGINS,
    settings: protoSettings(),
    outputPrefix: cfg.outputPrefix,
    packetWriter: pktWriter,
    report: new ReportWriter(new ByteWriter(null, 1 << 12), false),
    geo: null,
    hashFactor: 1,
    run: {
      commandLine: "proto",
      sensorId: 666,
      startWallTime: new Date(),
      version: "proto",
      input: cfg.path ?? "ring",
    },
    unsupportedLinkType: () => {
      throw new Error("unsupported link type");
    },
  });
  engine.start();
  rows.startLines();
  engine.quickShard = cfg.quick;
  if (cfg.textRows) rows.textColumns = mainColumns(engine);
  const readyAt = nowMs();
  let n = 0;
  let waits = 0;
  const between = () => {
    if (rows.pending >= BATCH_SLOTS || ++n % 16 === 0) {
      rows.flush(engine.counters.numPackets);
    }
  };
  if (cfg.path) {
    const reader = openCapture(cfg.path);
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
      if (++k === BATCH_PACKETS / 16) {
        k = 0;
        between();
      }
    }
    reader.close();
  } else if (cfg.zring) {
    const z = cfg.zring;
    const desc = new Descriptors(z.size, 0, z.desc, z.ctrl);
    waits = readDescriptors(
      desc,
      new Uint8Array(z.data),
      cfg.shard,
      (d, o, cap, wire, s, ns, lt, mine) => engine.processRecord(d, o, cap, wire, s, ns, lt, mine),
      between,
    ).waits;
  } else {
    const ring = new Ring(cfg.ring!.sab, cfg.ring!.ctrl);
    waits = readRing(
      ring,
      cfg.shard,
      (d, o, cap, wire, s, ns, lt, mine) => engine.processRecord(d, o, cap, wire, s, ns, lt, mine),
      between,
    ).waits;
  }
  const readAt = nowMs();
  rows.flush(engine.counters.numPackets);
  rows.currentPacket = engine.counters.numPackets + 1;
  engine.flushFlows();
  const c = engine.counters;
  const mem = Deno.memoryUsage();
  rows.flush(c.numPackets + 1, true, {
    spawnedAt: cfg.spawnedAt,
    loadedAt,
    gotConfigAt,
    readyAt,
    readAt,
    doneAt: nowMs(),
    ownPackets: engine.ownPackets,
    foreignPackets: engine.foreignPackets,
    rows: rows.rows,
    numAPackets: c.numAPackets,
    numBPackets: c.numBPackets,
    totalAFlows: c.totalAFlows,
    totalBFlows: c.totalBFlows,
    waits,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
  });
};
