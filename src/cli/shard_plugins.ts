/**
 * The built-in plugins a shard worker can run (`--threads N`): every built-in plugin but the
 * sinks, which run on the main thread only (but txtSink's line format, `SHARD_SINKS`). Imported one by one rather than through
 * `plugins/mod.ts`, so that a worker does not load the sinks' dependencies (`node:zlib`, the
 * PostgreSQL client: about 12 MiB per worker). A built-in plugin missing here makes a run that
 * loads it use one thread (`shard_plugins_test.ts` checks the list).
 *
 * @module
 */

import type { PluginDefinition } from "../plugin/api.ts";
import { basicFlow } from "../../plugins/basic_flow/mod.ts";
import { basicStats } from "../../plugins/basic_stats/mod.ts";
import { connStat } from "../../plugins/conn_stat/mod.ts";
import { icmpDecode } from "../../plugins/icmp_decode/mod.ts";
import { macRecorder } from "../../plugins/mac_recorder/mod.ts";
import { portClassifier } from "../../plugins/port_classifier/mod.ts";
import { protoStats } from "../../plugins/proto_stats/mod.ts";
import { tcpFlags } from "../../plugins/tcp_flags/mod.ts";
import { tcpStates } from "../../plugins/tcp_states/mod.ts";
import { tcpWin } from "../../plugins/tcp_win/mod.ts";
import { tcpWinTMT } from "../../plugins/tcp_win_tmt/mod.ts";
import { txtSink } from "../../plugins/txt_sink/mod.ts";

/** Every built-in plugin but the sinks. */
export const SHARD_PLUGINS: readonly PluginDefinition[] = [
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
];

/** The built-in sinks whose lines the shards can format (`PluginDefinition.flowLine`). */
export const SHARD_SINKS: readonly PluginDefinition[] = [txtSink];
