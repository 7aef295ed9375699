/**
 * The plugins built into the program and the default set (the tutorials' set).
 *
 * @module
 */

import type { PluginDefinition } from "./api.ts";
import { basicFlow } from "../../plugins/basic_flow/mod.ts";
import { basicStats } from "../../plugins/basic_stats/mod.ts";
import { tcpWin } from "../../plugins/tcp_win/mod.ts";
import { tcpWinTMT } from "../../plugins/tcp_win_tmt/mod.ts";
import { txtSink } from "../../plugins/txt_sink/mod.ts";
import { jsonSink } from "../../plugins/json_sink/mod.ts";
import { psqlSink } from "../../plugins/psql_sink/mod.ts";

/** Every built-in plugin. */
export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [
  basicFlow,
  basicStats,
  tcpWin,
  tcpWinTMT,
  txtSink,
  jsonSink,
  psqlSink,
];

/**
 * Plugins loaded without `-b`: basicFlow, basicStats, tcpWin and txtSink. tcpWinTMT changes
 * flow boundaries, so it loads only when listed.
 */
export const DEFAULT_PLUGINS: readonly string[] = ["basicFlow", "basicStats", "tcpWin", "txtSink"];
