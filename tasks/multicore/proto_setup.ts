/**
 * PROTOTYPE (issue 15): what the main thread and the shard workers of the prototype share: the
 * plugin list `flow` (basicFlow basicStats tcpWin, and txtSink in the main thread only) and its
 * settings (SUBNET_ON=0), as `deno task bench` runs them.
 *
 * @module
 */

import { CORE_SETTINGS } from "../../src/core/core_settings.ts";
import { CORE } from "../../src/core/engine.ts";
import { Settings } from "../../src/plugin/settings.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";
import { basicFlow } from "../../plugins/basic_flow/mod.ts";
import { basicStats } from "../../plugins/basic_stats/mod.ts";
import { tcpWin } from "../../plugins/tcp_win/mod.ts";
import { txtSink } from "../../plugins/txt_sink/mod.ts";

/** The plugins that run in the shards. */
export const SHARD_PLUGINS: PluginDefinition[] = [basicFlow, basicStats, tcpWin];
/** All plugins of the run (the main thread's list: columns, headers, the sink). */
export const ALL_PLUGINS: PluginDefinition[] = [basicFlow, basicStats, tcpWin, txtSink];

/** The run's settings (as the session makes them). */
export function protoSettings(): Settings {
  const s = new Settings();
  s.declare(CORE, CORE_SETTINGS);
  for (const p of ALL_PLUGINS) s.declare(p.name, p.settings ?? {});
  s.apply([{ name: "SUBNET_ON", value: "0" }]);
  return s;
}

/** What the main thread tells a worker. */
export interface WorkerConfig {
  readonly shard: number;
  readonly shards: number;
  /** Design b: the capture to read; design a: null (records come through the ring). */
  readonly path: string | null;
  readonly ring: { sab: SharedArrayBuffer; ctrl: SharedArrayBuffer } | null;
  /** Design a without copies: the shared chunks and the descriptor ring. */
  readonly zring: {
    data: SharedArrayBuffer;
    desc: SharedArrayBuffer;
    ctrl: SharedArrayBuffer;
    size: number;
  } | null;
  readonly packetMode: boolean;
  /** Format rows as text in the worker (else binary slots, formatted by the merge). */
  readonly textRows: boolean;
  /** Find the shard of plain IPv4 records without dissecting them. */
  readonly quick: boolean;
  readonly outputPrefix: string;
  /** performance.timeOrigin + now() when the main thread created the worker. */
  readonly spawnedAt: number;
}

/** Absolute milliseconds comparable between isolates. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
