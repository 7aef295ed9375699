/**
 * t2ts: a Tranalyzer2-compatible network flow analyzer in TypeScript.
 *
 * This module is the public API for plugin authors and for programs that embed the analyzer:
 * the plugin callbacks and context, column types, the flow output buffer, the packet view,
 * flowStat bits, the built-in plugins, and {@linkcode run}.
 *
 * @module
 */

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
export type { SettingSpec, SettingSpecs, SettingValue } from "./src/plugin/settings.ts";
export { Packet, PacketKind } from "./src/dissect/packet.ts";
export type { Flows } from "./src/flow/flows.ts";
export type { Counters } from "./src/core/counters.ts";
export type { PacketFile } from "./src/output/packet_file.ts";
export type { ReportWriter } from "./src/output/report_writer.ts";
export * as flowStatus from "./src/core/flow_status.ts";
export { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "./src/plugin/builtin.ts";
export { run, runAsync } from "./src/core/run.ts";
export type {
  AsyncRunOptions,
  NumberedInputs,
  RunOptions,
  RunProgress,
  RunResult,
} from "./src/core/run.ts";
