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
import { tcpFlags } from "./tcp_flags/mod.ts";
import { tcpStates } from "./tcp_states/mod.ts";
import { tcpWin } from "./tcp_win/mod.ts";
import { tcpWinTMT } from "./tcp_win_tmt/mod.ts";
import { txtSink } from "./txt_sink/mod.ts";

export type { PluginDefinition };

/** Every built-in plugin. */
export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [
  basicFlow,
  basicStats,
  tcpFlags,
  tcpStates,
  tcpWin,
  tcpWinTMT,
  txtSink,
];

/**
 * Plugins loaded without `-b`: basicFlow, basicStats, tcpWin and txtSink. tcpWinTMT changes
 * flow boundaries, so it loads only when listed.
 */
export const DEFAULT_PLUGINS: readonly string[] = ["basicFlow", "basicStats", "tcpWin", "txtSink"];
