/**
 * t2ts: a Tranalyzer2-compatible network flow analyzer in TypeScript.
 *
 * This module is the public API, for plugin authors and for programs that embed the analyzer.
 *
 * **Plugins.** A plugin is a {@linkcode PluginDefinition}: a name, a number (plugins run in
 * ascending number order), a version, optionally `dependencies` and `settings`, and a `create`
 * function. For every run the core calls `create` with a {@linkcode PluginContext} and gets the
 * run's {@linkcode PluginHooks}, T2's callbacks under new names: `columns` (t2PrintHeader),
 * `init`, `onNewFlow`, `onLayer2`, `onLayer4`, `onFlowTerminate`, `report`, `finalize`. Per-flow
 * state lives in typed arrays indexed by the flow ({@linkcode PluginContext.perFlow}); flow
 * values are appended to an {@linkcode OutputBuffer} in the order of the columns declared with
 * a {@linkcode ColumnBuilder}; the {@linkcode Packet} passed to the packet callbacks is one view
 * reused for every packet. `deno task plugin:new NAME NUMBER` writes a skeleton; the tutorials in
 * `docs/tutorials/` build T2's tcpWin and tcpWinTMT step by step.
 *
 * **Plugin folders.** {@linkcode resolvePluginSet} is what `t2 -p DIR -b LIST` does: load the
 * plugin modules of a folder ({@linkcode loadPluginFolder}), choose the run's plugins and apply
 * T2's load-time checks ({@linkcode acceptPlugins}: a plugin whose dependencies are not loaded
 * before it is left out).
 *
 * **Runs.** {@linkcode run} (and {@linkcode runAsync}) analyses captures with a list of plugins
 * and writes T2's output files and end report.
 *
 * @example A plugin with one column: the number of TCP packets of each flow
 * ```ts
 * import type { PluginDefinition } from "./mod.ts";
 *
 * export const tcpCount: PluginDefinition = {
 *   name: "tcpCount",
 *   number: 160,
 *   version: "0.1.0",
 *   create(ctx) {
 *     const { packets } = ctx.perFlow({ packets: Uint32Array });
 *     return {
 *       columns: (c) => c.add("tcpCountPkts", "Number of TCP packets", "U32"),
 *       onNewFlow: (_p, flow) => void (packets[flow] = 0),
 *       onLayer4(_p, flow) {
 *         if (ctx.flows.l4Proto(flow) === 6) packets[flow]++;
 *       },
 *       onFlowTerminate: (flow, out) => out.u32(packets[flow]),
 *     };
 *   },
 * };
 * ```
 *
 * @module
 */

// The plugin API.
export type {
  PerFlow,
  PluginContext,
  PluginDefinition,
  PluginHooks,
  RunFacts,
  TypedArrayConstructor,
} from "./src/plugin/api.ts";
export { NO_FLOW } from "./src/plugin/api.ts";
export type { Column, ValueType } from "./src/plugin/columns.ts";
export { ColumnBuilder } from "./src/plugin/columns.ts";
export { OutputBuffer } from "./src/plugin/output_buffer.ts";
export type {
  SettingAssignment,
  SettingSpec,
  SettingSpecs,
  SettingValue,
} from "./src/plugin/settings.ts";
export { Packet, PacketKind } from "./src/dissect/packet.ts";
export type { Flows } from "./src/flow/flows.ts";
export type { KeyTable } from "./src/flow/key_table.ts";
export type { Counters } from "./src/core/counters.ts";
export type { GeoLabels } from "./src/geo/labels.ts";
export type { PacketFile } from "./src/output/packet_file.ts";
export type { ReportWriter } from "./src/output/report_writer.ts";
export type { ByteSink, ByteWriter } from "./src/output/byte_writer.ts";
export * as flowStatus from "./src/core/flow_status.ts";

// Text as T2 prints it, for packet columns, report lines and summary files.
export { formatF, formatFixed, formatG7 } from "./src/output/printf.ts";
export { ipv4Text, macText } from "./src/output/ip_text.ts";

// Choosing the plugins of a run.
export { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "./src/plugin/builtin.ts";
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
// For sink plugins (jsonSink, psqlSink; added on the `sinks` branch): reading an OutputBuffer
// (the type tag of each value and how many number slots it uses), T2's text of values, output
// files and standard output, and the error that ends a run.
export { slotsOf, Tag, tagName, tagOf } from "./src/plugin/output_buffer.ts";
export { type EscapeStyle, sanitizeText } from "./src/output/escape.ts";
export { ipWordsText } from "./src/output/ip_words.ts";
export { openOutputFile, OutputFileError } from "./src/output/output_file.ts";
export type { OutputFile } from "./src/output/output_file.ts";
export { stdoutSink } from "./src/output/stdout_sink.ts";
export { PluginError } from "./src/plugin/plugin_error.ts";
// A file of the program (repository, bundle or compiled binary alike), e.g. a worker module.
export { rootUrl } from "./src/root.ts";
// ---------------------------------------------------------------------------------------------
