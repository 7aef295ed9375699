/**
 * t2ts: a Tranalyzer2-compatible network flow analyzer in TypeScript.
 *
 * This module is the public API, for plugin authors and for programs that embed the analyzer.
 * The built-in plugins import nothing else; the plugins themselves are in `plugins/mod.ts`
 * (`BUILTIN_PLUGINS`, `DEFAULT_PLUGINS`; the package export `./plugins`).
 *
 * **Plugins.** A plugin is a {@linkcode PluginDefinition}: a name, a number (plugins run in
 * ascending number order), a version, optionally `dependencies` and `settings`, and a `create`
 * function. For every run the core calls `create` with a {@linkcode PluginContext} and gets the
 * run's {@linkcode PluginHooks}, T2's callbacks under new names: `columns` (t2PrintHeader),
 * `init`, `onNewFlow`, `onLayer2`, `onLayer4`, `onFlowTerminate`, `report`, `finalize`. Per-flow
 * state lives in typed arrays indexed by the flow ({@linkcode PluginContext.perFlow}); flow
 * values are appended to an {@linkcode OutputBuffer} in the order of the columns declared with
 * a {@linkcode ColumnBuilder}. `deno task plugin:new NAME NUMBER` writes a skeleton; the
 * tutorials in `docs/tutorials/` build T2's tcpWin and tcpWinTMT step by step.
 *
 * **What a plugin reads.** The {@linkcode Packet} passed to the packet callbacks is one view
 * reused for every packet: header fields by name (`p.tcpWindow()`, `p.tcpFlags()`,
 * `p.tcpSeq()`, `p.ipTTL()`, `p.ipToS()`, `p.icmpType()`, `p.srcMacInto(...)`, ...; a field
 * past the captured bytes reads as 0), plain fields (`p.srcPort`, `p.l4Proto`, `p.ipId`,
 * `p.ethType`, the lengths and header offsets) and bounded reads `p.u8/u16/u32(offset)`. The
 * flows ({@linkcode PluginContext.flows}, a {@linkcode Flows}) give each flow's key
 * (`srcPort(flow)`, `l4Proto(flow)`, `ipVersion(flow)`, `srcAddrText(flow)`, `vlanId(flow)`,
 * ...), its direction (`isReply`, `setReply`, `servicePort`), its status, times, opposite
 * flow and timeout, and find a flow by key (`findIp`). Protocol numbers have names
 * ({@linkcode IpProto}, {@linkcode EtherType}, {@linkcode TcpFlag}), flow status bits too
 * ({@linkcode flowStatus}).
 *
 * **What a plugin writes.** Flow columns ({@linkcode OutputBuffer}), packet-file columns
 * ({@linkcode PluginContext.packetFile}), end-report lines ({@linkcode ReportWriter}), warnings
 * during the run (`ctx.warn`, `ctx.info`), errors (`ctx.error`; `ctx.fail` stops the run),
 * summary files (`ctx.summaryFile("_suffix.txt")`, closed by the core after `finalize`), flow
 * timeouts (`ctx.registerTimeout`, `ctx.setTimeout`), flow status bits (`ctx.setFlowStatus`)
 * and the reply direction of a new flow (`ctx.flows.setReply`). A plugin reads another plugin's per-flow values through
 * {@linkcode PluginContext.dependency}, typed by the other's definition (T2's
 * `T2_PLUGIN_INIT_WITH_DEPS`). Numbers and addresses as T2 prints them: `formatF`,
 * `formatFixed`, `formatG7`, `ipv4Text`, `ipWordsText`, `macText`, `readableSuffix`,
 * `percent`.
 *
 * **Sinks** (plugins with `bufferToSink`, e.g. txtSink) read the typed values of the
 * {@linkcode OutputBuffer} ({@linkcode Tag}, {@linkcode tagOf}, {@linkcode slotsOf}) and write
 * through a {@linkcode ByteWriter} into files made with {@linkcode openOutputFile}. A sink
 * whose line depends on the values alone can also give its formatting as
 * {@linkcode PluginDefinition.flowLine} (returning where the {@linkcode FLOW_INDEX_SLOT}
 * value's digits are) and write such lines in `writeFlowLine`: a run over several threads
 * then formats the lines in its shards (txtSink does).
 *
 * **Plugin folders.** {@linkcode resolvePluginSet} is what `t2 -p DIR -b LIST` does: load the
 * plugin modules of a folder ({@linkcode loadPluginFolder}), choose the run's plugins and apply
 * T2's load-time checks ({@linkcode acceptPlugins}: a plugin whose dependencies are not loaded
 * before it is left out).
 *
 * **Runs.** {@linkcode run} (and {@linkcode runAsync}) analyses captures with a list of plugins
 * and writes T2's output files and end report.
 *
 * @example A plugin with one column: the number of TCP SYN packets of each flow
 * ```ts
 * import { IpProto, type PluginDefinition, TcpFlag } from "./mod.ts";
 *
 * export const synCount: PluginDefinition = {
 *   name: "synCount",
 *   number: 160,
 *   version: "0.1.0",
 *   create(ctx) {
 *     const { syns } = ctx.perFlow({ syns: Uint32Array });
 *     return {
 *       columns: (c) => c.add("synCountSyns", "Number of TCP SYN packets", "U32"),
 *       onNewFlow: (_p, flow) => void (syns[flow] = 0),
 *       onLayer4(p, flow) {
 *         if (ctx.flows.l4Proto(flow) !== IpProto.TCP || !p.firstFragment) return;
 *         if (p.tcpFlags() & TcpFlag.SYN) syns[flow]++;
 *       },
 *       onFlowTerminate: (flow, out) => out.u32(syns[flow]),
 *     };
 *   },
 * };
 * ```
 *
 * @module
 */

import * as flowStatusBits from "./src/base/flow_status.ts";

// The plugin API.
export type {
  FlowLineFormat,
  FlowNotes,
  PerFlow,
  PluginContext,
  PluginDefinition,
  PluginHooks,
  RunFacts,
  TypedArrayConstructor,
} from "./src/plugin/api.ts";
export { NO_FLOW } from "./src/plugin/api.ts";
export type { Column, ValueType } from "./src/plugin/columns.ts";
export { ColumnBuilder, ColumnMismatchError, columnTypeText } from "./src/plugin/columns.ts";
export {
  FLOW_INDEX_SLOT,
  OutputBuffer,
  slotsOf,
  Tag,
  tagName,
  tagOf,
} from "./src/plugin/output_buffer.ts";
export type {
  SettingAssignment,
  SettingSpec,
  SettingSpecs,
  SettingValue,
} from "./src/plugin/settings.ts";
export { EtherType, IpProto, TcpFlag } from "./src/plugin/protocols.ts";
export { hdrDescText, Packet, PacketKind } from "./src/dissect/packet.ts";
export type { Flows, IpFlowKey } from "./src/flow/flows.ts";
export type { KeyTable } from "./src/flow/key_table.ts";
export type { Counters } from "./src/base/counters.ts";
export type { GeoLabels } from "./src/geo/labels.ts";
export type { PacketFile } from "./src/output/packet_file.ts";
export type { ReportWriter } from "./src/output/report_writer.ts";
export type { SummaryFile } from "./src/output/summary_file.ts";

/**
 * The flowStat bits (T2's names: `L2_FLOW`, `L3FLOWINVERT`, ...; bits 32-63 end in `_H` and
 * apply to the high word, `flows.statusHi[flow]`). A plain object, so reading a bit in a hot
 * callback costs what a constant does.
 */
export const flowStatus: typeof flowStatusBits = Object.freeze({ ...flowStatusBits });

// Text as T2 prints it, for packet columns, report lines and summary files.
export { formatF, formatFixed, formatG7 } from "./src/output/printf.ts";
export { ipv4Text, macText } from "./src/output/ip_text.ts";
export { ipWordsText } from "./src/output/ip_words.ts";
export { readableSuffix } from "./src/output/readable.ts";
export { percent } from "./src/output/report_writer.ts";
export { dateText } from "./src/output/time_text.ts";
export { sanitizeText } from "./src/output/escape.ts";

// Writing files (sinks).
export { type ByteSink, ByteWriter } from "./src/output/byte_writer.ts";
export { openOutputFile, type OutputFile, OutputFileError } from "./src/output/output_file.ts";
export { stdoutSink } from "./src/output/stdout_sink.ts";

// Choosing the plugins of a run (the built-in ones: plugins/mod.ts).
export { parsePluginList, PluginListError, selectPlugins } from "./src/plugin/registry.ts";
export {
  acceptPlugins,
  definitionsOf,
  isPluginDefinition,
  loadPluginFolder,
  resolvePluginSet,
} from "./src/plugin/external.ts";
export type { ExternalPlugin, PluginFolder, PluginSetOptions } from "./src/plugin/external.ts";

// Runs.
export { run, runAsync } from "./src/core/run.ts";
export type {
  AsyncRunOptions,
  GeoWithInfo,
  Input,
  NumberedInputs,
  RunOptions,
  RunProgress,
  RunResult,
} from "./src/core/run.ts";

// ---------------------------------------------------------------------------------------------
// For sink plugins (jsonSink, psqlSink; added on the `sinks` branch): the escape styles of
// `sanitizeText` (flow file, JSON, PostgreSQL), and a file of the program (repository, bundle or
// compiled binary alike), e.g. a worker module.
export type { EscapeStyle } from "./src/output/escape.ts";
export { rootUrl } from "./src/root.ts";
// ---------------------------------------------------------------------------------------------
