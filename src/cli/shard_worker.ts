/**
 * A shard worker of a run over several threads (`--threads N`): the built-in plugins by name,
 * the geo labels, then the shard's run (src/core/shard/worker_run.ts).
 *
 * @module
 */

import { runShard } from "../core/shard/worker_run.ts";
import type { FromShard, ShardConfig } from "../core/shard/protocol.ts";
import { loadGeoLabels } from "../geo/geo_labels.ts";
import { SHARD_PLUGINS, SHARD_SINKS } from "./shard_plugins.ts";

/** The worker's global scope (typed here so the file checks with the main-thread libs too). */
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ShardConfig>) => void) | null;
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
};

scope.onmessage = (e) => {
  const cfg = e.data;
  const post = (m: FromShard, transfer: ArrayBuffer[]) => scope.postMessage(m, transfer);
  const plugins = cfg.plugins.map((name) => SHARD_PLUGINS.find((p) => p.name === name));
  if (plugins.some((p) => p === undefined)) {
    post({ type: "fallback", reason: "a plugin that is not built in" }, []);
    return;
  }
  const sink = cfg.lineSink === null ? null : SHARD_SINKS.find((p) => p.name === cfg.lineSink);
  if (sink === undefined) {
    post({ type: "fallback", reason: "a plugin that is not built in" }, []);
    return;
  }
  const geo = () => loadGeoLabels()?.labels ?? null;
  runShard(cfg, plugins.map((p) => p!), sink, geo, post);
};
