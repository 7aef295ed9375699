/**
 * The main thread of a run over several threads (`--threads N`, docs/multicore.md): decides
 * whether the run's plugins allow it, starts the shard workers on the capture, merges their
 * events ({@linkcode ShardMerge}) into the main thread's sinks and packet file, and leaves the
 * run's counters and the plugins' merged state for the end report, as one thread would.
 *
 * @module
 */

import type { ByteWriter } from "../../output/byte_writer.ts";
import type { ReportWriter } from "../../output/report_writer.ts";
import type { PluginDefinition, PluginHooks } from "../../plugin/api.ts";
import type { SettingAssignment, SettingSpecs } from "../../plugin/settings.ts";
import { CORE_SETTINGS } from "../core_settings.ts";
import { CORE, type Engine } from "../engine.ts";
import type { Pause } from "../inputs.ts";
import { mergeCounters, ShardMerge } from "./merge.ts";
import { type FromShard, PENDING, type ShardConfig, STOP_AT } from "./protocol.ts";
import { ShardFallback } from "./role.ts";

/** A shard worker failed (a bug, out of memory): the run ends with this error. */
export class ShardError extends Error {}

/** What the main thread of a sharded run needs besides the engine. */
export interface ShardedRead {
  /** The shard worker module (src/cli/shard_worker.ts). */
  readonly workerUrl: URL;
  /** The shards' configuration but their number and plugin names. */
  readonly config: Omit<ShardConfig, "shard" | "plugins" | "control" | "lineSink">;
  readonly engine: Engine;
  /** The run's plugins (their definitions, in the engine's order). */
  readonly defs: readonly PluginDefinition[];
  readonly packets: ByteWriter | null;
  readonly report: ReportWriter;
  /** Flow slots of one thread's table. */
  readonly capacity: number;
  /** A stop was requested (SIGINT): every shard ends at one packet, as one thread would. */
  readonly stopRequested: () => boolean;
}

/**
 * The plugins to run in the shards (all but the sinks), after `engine.start()`; throws
 * {@linkcode ShardFallback} naming a plugin that needs one thread.
 */
export function shardPlugins(
  defs: readonly PluginDefinition[],
  hooks: readonly PluginHooks[],
): string[] {
  const names: string[] = [];
  defs.forEach((def, i) => {
    const h = hooks[i];
    if (def.oneThread) throw new ShardFallback(`${def.name} ${def.oneThread}`);
    if (h.bufferToSink) {
      if (h.onFlowTerminate || h.onNewFlow || h.onLayer2 || h.onLayer4) {
        throw new ShardFallback(`${def.name} is a sink that also watches packets`);
      }
      return;
    }
    if ((h.report || h.finalize) && !h.onFlowWritten && !h.mergeShards) {
      throw new ShardFallback(`${def.name} has run-wide state and no merge hook`);
    }
    names.push(def.name);
  });
  return names;
}

/**
 * The settings assignments for the shards: those naming the core or a shard's plugin (a
 * sink's, such as `-W`'s `txtSink.TFS_SPLIT_SIZE`, would name a part the shards do not load).
 */
export function shardSettings(
  assignments: readonly SettingAssignment[],
  defs: readonly PluginDefinition[],
  plugins: readonly string[],
): SettingAssignment[] {
  const parts = new Map<string, SettingSpecs>([[CORE, CORE_SETTINGS]]);
  for (const d of defs) if (plugins.includes(d.name)) parts.set(d.name, d.settings ?? {});
  return assignments.filter((a) =>
    a.part === undefined
      ? [...parts.values()].some((specs) => specs[a.name] !== undefined)
      : parts.get(a.part)?.[a.name] !== undefined
  );
}

/**
 * The run's sink whose lines the shards format: the only sink, with `flowLine` and
 * `writeFlowLine` (else the lines go to the main thread as values and every sink formats).
 */
export function lineSink(
  defs: readonly PluginDefinition[],
  hooks: readonly PluginHooks[],
): { readonly name: string; readonly hooks: PluginHooks } | null {
  const sinks = defs.flatMap((d, i) => hooks[i].bufferToSink ? [{ def: d, hooks: hooks[i] }] : []);
  if (sinks.length !== 1) return null;
  const { def, hooks: h } = sinks[0];
  return def.flowLine && h.writeFlowLine ? { name: def.name, hooks: h } : null;
}

/** Records a shard may read past the furthest batch seen when a stop is requested. */
const STOP_MARGIN = 1 << 16;

/**
 * Read the capture with `config.shards` shard workers; see the module. Returns whether a stop
 * request ended the reading.
 */
export function* readSharded(
  o: ShardedRead,
  plugins: readonly string[],
): Generator<Pause, boolean, boolean> {
  const n = o.config.shards;
  const engine = o.engine;
  const lines = lineSink(o.defs, engine.plugins.hooks);
  const control = new Int32Array(new SharedArrayBuffer(4 * (PENDING + n)));
  const merge = new ShardMerge(n, {
    // A batch is merged: its shard may go on if it waits.
    merged: (shard) => {
      Atomics.sub(control, PENDING + shard, 1);
      Atomics.notify(control, PENDING + shard);
    },
    sinks: engine.plugins.bufferToSink,
    lineSink: lines?.hooks ?? null,
    terminators: engine.plugins.onFlowTerminate,
    columns: engine.plugins.columns,
    packets: o.packets,
    capacity: o.capacity,
  });
  const queue: FromShard[] = [];
  let wake: (() => void) | null = null;
  const workers: Worker[] = [];
  let furthest = 0;
  const arrive = (m: FromShard) => {
    queue.push(m);
    wake?.();
  };
  try {
    for (let shard = 0; shard < n; shard++) {
      const w = new Worker(o.workerUrl.href, { type: "module" });
      w.onmessage = (e: MessageEvent<FromShard>) => arrive(e.data);
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        arrive({ type: "error", message: e.message, packet: 0 });
      };
      w.postMessage(
        {
          ...o.config,
          shard,
          plugins,
          lineSink: lines?.name ?? null,
          control: control.buffer as SharedArrayBuffer,
        } satisfies ShardConfig,
      );
      workers.push(w);
    }
    let ended = 0;
    while (ended < n) {
      const m = queue.shift();
      if (m === undefined) {
        yield { until: new Promise<void>((resolve) => wake = resolve) };
        wake = null;
        continue;
      }
      if (m.type === "fallback") throw new ShardFallback(m.reason);
      if (m.type === "error") {
        throw new ShardError(`a shard failed at packet ${m.packet}: ${m.message}`);
      }
      if (m.type === "end") ended++;
      furthest = Math.max(furthest, m.batch.done);
      mergeOrFail(() => merge.add(m.batch, m.type === "end" ? m.end : null));
      if (Atomics.load(control, STOP_AT) === 0 && o.stopRequested()) {
        // Far enough ahead that no shard has read past it yet.
        Atomics.store(control, STOP_AT, furthest + STOP_MARGIN);
      }
    }
  } finally {
    for (const w of workers) w.terminate();
  }
  mergeOrFail(() => finishMerge(o, merge));
  return Atomics.load(control, STOP_AT) !== 0;
}

/**
 * Run a step of the merge; a bug in it (a TypeError, RangeError) ends the run like a failed
 * shard: one error line, no output file that looks complete. Output errors (full disk) and
 * fallbacks go on as they are.
 */
function mergeOrFail(step: () => void): void {
  try {
    step();
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) {
      throw new ShardError(`the merge failed: ${e.message}`);
    }
    throw e;
  }
}

/** The run's counters, the plugins' merged state and shard 0's report lines. */
function finishMerge(o: ShardedRead, merge: ShardMerge): void {
  const ends = merge.ends!;
  const plugins = o.engine.plugins;
  const main = plugins.columns.map((c) => c.name).join("\t");
  for (const e of ends) {
    if (e.columns.join("\t") !== main) throw new ShardError("the shards' columns differ");
  }
  mergeCounters(o.engine.counters, ends, merge);
  const hooks = plugins.hooks.filter((h) => !h.bufferToSink);
  hooks.forEach((h, i) => h.mergeShards?.(ends.map((e) => e.states[i])));
  o.report.writer.bytes(ends[0].report);
}
