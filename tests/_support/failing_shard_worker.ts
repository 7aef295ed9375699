/**
 * A shard worker whose plugin `boom` throws at packet 50 (tests/threads_test.ts: a shard that
 * fails ends the run with one error and no complete-looking output).
 *
 * @module
 */

import { runShard } from "../../src/core/shard/worker_run.ts";
import type { FromShard, ShardConfig } from "../../src/core/shard/protocol.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";
import { SHARD_PLUGINS, SHARD_SINKS } from "../../src/cli/shard_plugins.ts";

/** Throws in `onLayer4` at packet 50. */
export const boom: PluginDefinition = {
  name: "boom",
  number: 999,
  version: "0",
  create: () => ({
    onLayer4(p) {
      if (p.pktNo >= 50) throw new Error("boom at 50");
    },
  }),
};

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ShardConfig>) => void) | null;
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
};

scope.onmessage = (e) => {
  const cfg = e.data;
  const all = [...SHARD_PLUGINS, boom];
  const plugins = cfg.plugins.map((name) => all.find((p) => p.name === name)!);
  const sink = SHARD_SINKS.find((p) => p.name === cfg.lineSink) ?? null;
  runShard(cfg, plugins, sink, () => null, (m: FromShard, t) => scope.postMessage(m, t));
};
