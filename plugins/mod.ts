/**
 * The plugins built into the program, and the set a run loads without `-b`.
 *
 * The program's entry points (the CLI, the batch worker) and the tests take their plugins from
 * here; the core and the plugin API in `src/` know no plugin. `deno task plugin:new NAME NUMBER`
 * adds a plugin to this list (one import line and one entry).
 *
 * @module
 */

import type { PluginDefinition } from "../mod.ts";
import { basicFlow } from "./basic_flow/mod.ts";
import { basicStats } from "./basic_stats/mod.ts";
import { connStat } from "./conn_stat/mod.ts";
import { icmpDecode } from "./icmp_decode/mod.ts";
import { macRecorder } from "./mac_recorder/mod.ts";
import { portClassifier } from "./port_classifier/mod.ts";
import { protoStats } from "./proto_stats/mod.ts";
import { tcpFlags } from "./tcp_flags/mod.ts";
import { tcpStates } from "./tcp_states/mod.ts";
import { tcpWin } from "./tcp_win/mod.ts";
import { tcpWinTMT } from "./tcp_win_tmt/mod.ts";
import { txtSink } from "./txt_sink/mod.ts";
import { jsonSink } from "./json_sink/mod.ts";
import { psqlSink } from "./psql_sink/mod.ts";

export type { PluginDefinition };

/** Every built-in plugin. */
export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [
  protoStats,
  basicFlow,
  macRecorder,
  portClassifier,
  basicStats,
  tcpFlags,
  tcpStates,
  icmpDecode,
  tcpWin,
  tcpWinTMT,
  connStat,
  txtSink,
  jsonSink,
  psqlSink,
];

/**
 * Plugins loaded without `-b`: T2's default set (what a default T2 build loads; the reference
 * set `dflt`), in plugin-number order. tcpWin and tcpWinTMT (the tutorials' plugins),
 * jsonSink and psqlSink are built in too and load only when a list (`-b`) names them. A name
 * here that is not in {@linkcode BUILTIN_PLUGINS} makes a run without `-b` stop with an error
 * naming it.
 */
export const DEFAULT_PLUGINS: readonly string[] = [
  "protoStats",
  "basicFlow",
  "macRecorder",
  "portClassifier",
  "basicStats",
  "tcpFlags",
  "tcpStates",
  "icmpDecode",
  "connStat",
  "txtSink",
];
