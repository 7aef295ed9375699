/**
 * A shard worker's run (`--threads N`): reads the whole capture, runs the engine as shard
 * `k` of `n` (src/core/shard/shard_role.ts) with every plugin but the sinks, and posts its
 * events in batches; at the end its counters and its plugins' run-wide state.
 *
 * @module
 */

import { openCapture } from "../../capture/open.ts";
import type { GeoLabels } from "../../geo/labels.ts";
import { ByteWriter } from "../../output/byte_writer.ts";
import { ReportWriter } from "../../output/report_writer.ts";
import type { PluginDefinition } from "../../plugin/api.ts";
import { PluginFailure } from "../../plugin/context.ts";
import { Settings } from "../../plugin/settings.ts";
import { CORE_SETTINGS } from "../core_settings.ts";
import { CORE, Engine } from "../engine.ts";
import { type ShardBatch, transferables } from "./batch.ts";
import { type FromShard, MAX_PENDING, PENDING, type ShardConfig, STOP_AT } from "./protocol.ts";
import { ShardFallback } from "./role.ts";
import { Shard } from "./shard_role.ts";

/** Records between two batches. */
const BATCH_RECORDS = 8192;

/**
 * Run shard `cfg.shard` with `plugins`; `lineSink`: the run's sink that formats its lines here
 * (`cfg.lineSink`), else null; `post` sends to the main thread.
 */
export function runShard(
  cfg: ShardConfig,
  plugins: readonly PluginDefinition[],
  lineSink: PluginDefinition | null,
  geo: () => GeoLabels | null,
  post: (m: FromShard, transfer: ArrayBuffer[]) => void,
): void {
  let engine: Engine | null = null;
  try {
    engine = shardEngine(cfg, plugins, geo);
    if (lineSink?.flowLine) {
      parts.get(engine)!.shard.formatLines(lineSink.flowLine, engine.plugins.columns);
    }
    readAll(cfg, engine, post);
  } catch (e) {
    if (e instanceof ShardFallback) post({ type: "fallback", reason: e.message }, []);
    else if (e instanceof PluginFailure) {
      post({ type: "fallback", reason: "a plugin stopped the run" }, []);
    } else {
      const message = e instanceof Error ? e.message : String(e);
      const packet = engine?.counters.numPackets ?? 0;
      post({ type: "error", message: message || String(e), packet }, []);
    }
  }
}

interface ShardParts {
  readonly shard: Shard;
  readonly lines: ByteWriter | null;
  readonly report: ByteWriter;
  readonly pluginReport: ByteWriter;
}

const parts = new WeakMap<Engine, ShardParts>();

function shardEngine(
  cfg: ShardConfig,
  plugins: readonly PluginDefinition[],
  geo: () => GeoLabels | null,
): Engine {
  const settings = new Settings();
  settings.declare(CORE, CORE_SETTINGS);
  for (const p of plugins) settings.declare(p.name, p.settings ?? {});
  settings.apply(cfg.settings);
  const lines = cfg.packetMode ? new ByteWriter(null, 1 << 20) : null;
  const shard = new Shard(cfg.shard, cfg.shards, lines);
  const report = new ByteWriter(null, 1 << 12);
  const pluginReport = new ByteWriter(null, 1 << 12);
  const engine = new Engine({
    plugins,
    settings,
    outputPrefix: cfg.outputPrefix,
    packetWriter: lines,
    report: new ReportWriter(report, cfg.color),
    pluginReport: new ReportWriter(pluginReport, cfg.color),
    geo: settings.num(CORE, "SUBNET_ON") === 0 ? null : geo(),
    hashFactor: cfg.hashFactor,
    run: cfg.run,
    errorLine: () => {
      throw new ShardFallback("a plugin wrote an error line");
    },
    unsupportedLinkType: () => {
      throw new ShardFallback("a link type that cannot be dissected");
    },
    shard,
  });
  engine.start();
  // The main thread writes the packet file's header and the plugins' lines of `init`.
  lines?.takeBytes();
  if (lines) shard.linesFrom(lines.written);
  pluginReport.takeBytes();
  parts.set(engine, { shard, lines, report, pluginReport });
  return engine;
}

function readAll(
  cfg: ShardConfig,
  engine: Engine,
  post: (m: FromShard, transfer: ArrayBuffer[]) => void,
): void {
  const { shard, lines, report, pluginReport } = parts.get(engine)!;
  const control = new Int32Array(cfg.control);
  const mine = PENDING + cfg.shard;
  // Posts a message, then waits while the merge is that far behind (bounded memory).
  const postBatch = (m: FromShard, batch: ShardBatch) => {
    Atomics.add(control, mine, 1);
    post(m, transferables(batch));
    for (let n = Atomics.load(control, mine); n > MAX_PENDING; n = Atomics.load(control, mine)) {
      Atomics.wait(control, mine, n, 1000);
    }
  };
  const reader = openCapture(cfg.path);
  const send = (last: boolean) => {
    if (pluginReport.written !== 0) throw new ShardFallback("a plugin wrote a report line");
    const bytes = lines?.takeBytes() ?? new Uint8Array(0);
    if (lines) shard.linesFrom(lines.written);
    const batch = shard.events.take(
      cfg.shard,
      engine.counters.numPackets,
      bytes,
      shard.takeFlowLines(),
    );
    if (!last) {
      postBatch({ type: "batch", batch }, batch);
      return;
    }
    const end = {
      counters: engine.counters,
      ip6FragHeaders: shard.ip6FragHeaders,
      states: engine.plugins.hooks.map((h) => h.shardState?.()),
      columns: engine.plugins.columns.map((c) => c.name),
      report: report.takeBytes(),
    };
    postBatch({ type: "end", batch, end }, batch);
  };
  // Lines of a pair go out together (the merge orders by the pair's place).
  shard.full = () => send(false);
  try {
    reader.onSkip = () => {
      throw new ShardFallback("the capture is damaged");
    };
    let n = 0;
    const c = engine.counters;
    while (reader.next()) {
      const stop = Atomics.load(control, STOP_AT);
      if (stop !== 0 && c.numPackets >= stop) break;
      engine.processRecord(
        reader.data,
        reader.offset,
        reader.capLen,
        reader.wireLen,
        reader.tsSec,
        reader.tsNs,
        reader.linkType,
      );
      if (++n === BATCH_RECORDS) {
        n = 0;
        send(false);
      }
    }
    if (reader.damage || reader.inputError) throw new ShardFallback("the capture is damaged");
  } finally {
    reader.close();
  }
  send(false);
  engine.flushFlows();
  send(true);
}
