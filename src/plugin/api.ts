/**
 * The plugin API: T2's plugin callbacks (spec/cli.md §2) in TypeScript.
 *
 * A plugin module exports a {@linkcode PluginDefinition}. For every run the core calls its
 * `create` with a {@linkcode PluginContext} and gets the callbacks of that run (so several
 * runs, e.g. batch workers or tests, never share plugin state). All callbacks are optional.
 * Per-flow state is kept in typed arrays indexed by the flow index (see `perFlow`).
 *
 * @module
 */

import type { Counters } from "../core/counters.ts";
import type { Packet } from "../dissect/packet.ts";
import type { Flows } from "../flow/flows.ts";
import type { GeoLabels } from "../geo/labels.ts";
import type { PacketFile } from "../output/packet_file.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import type { Column, ColumnBuilder } from "./columns.ts";
import type { OutputBuffer } from "./output_buffer.ts";
import type { SettingSpecs, SettingValue } from "./settings.ts";

/** Flow index passed to `onLayer2` for packets that continue to `onLayer4` (T2's ULONG_MAX). */
export const NO_FLOW = -1;

/** Everything a plugin may use during a run. */
export interface PluginContext {
  /** The core's per-flow state (status, times, key, opposite, timeout...). */
  readonly flows: Flows;
  /** Run counters (numPackets, bytes, ...). */
  readonly counters: Counters;
  /** The packet file, or `null` unless packet mode (`-s`) is on. */
  readonly packetFile: PacketFile | null;
  /** Output prefix (T2 baseFileName), e.g. `out/annoloc2`. */
  readonly outputPrefix: string;
  /** Geo/organisation labels, or `null` with `SUBNET_ON=0`. */
  readonly geo: GeoLabels | null;
  /** All flow-file columns (core and every plugin), known from `init` on. */
  columns(): readonly Column[];
  /** Names and versions of the loaded plugins, in load order. */
  readonly plugins: readonly { name: string; version: string }[];
  /** Value of one of this plugin's settings (or of a core setting such as SUBNET_ON). */
  setting(name: string): SettingValue;
  /** Numeric value of a setting. */
  num(name: string): number;
  /** Register a timeout value the plugin will assign to flows (T2 timeout_handler_add). */
  registerTimeout(seconds: number): void;
  /** Set the timeout of a flow (seconds, float32). */
  setTimeout(flow: number, seconds: number): void;
  /** Allocate per-flow typed arrays (T2_PLUGIN_STRUCT_NEW): one element per flow slot. */
  perFlow<T extends Record<string, TypedArrayConstructor>>(fields: T): PerFlow<T>;
  /** Text for the `_headers.txt` preamble and other run facts. */
  readonly run: RunFacts;
}

/** Facts about the run shown in `_headers.txt`. */
export interface RunFacts {
  readonly commandLine: string;
  readonly sensorId: number;
  readonly startWallTime: Date;
  readonly version: string;
}

/** Constructors accepted by {@linkcode PluginContext.perFlow}. */
export type TypedArrayConstructor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** The arrays made by {@linkcode PluginContext.perFlow}. */
export type PerFlow<T extends Record<string, TypedArrayConstructor>> = {
  [K in keyof T]: InstanceType<T[K]>;
};

/** The callbacks of one plugin in one run. */
export interface PluginHooks {
  /** Declare flow-file columns (T2 t2PrintHeader; runs before `init`). */
  columns?(c: ColumnBuilder): void;
  /** Start of the run (T2 t2Init): declare packet-file columns, open files. */
  init?(): void;
  /** A flow was created; reset its per-flow state (T2 t2OnNewFlow). */
  onNewFlow?(p: Packet, flow: number): void;
  /** Every packet: `flow` is {@linkcode NO_FLOW} for IP packets (then `onLayer4` follows),
   * the flow index for pure layer-2 packets (T2 t2OnLayer2). */
  onLayer2?(p: Packet, flow: number): void;
  /** Every packet of an IP flow, fragments included (T2 t2OnLayer4). */
  onLayer4?(p: Packet, flow: number): void;
  /** Append this flow's column values, in declared order (T2 t2OnFlowTerminate). */
  onFlowTerminate?(flow: number, out: OutputBuffer): void;
  /** Sinks: write one flow line from the buffer (T2 t2BufferToSink). */
  bufferToSink?(out: OutputBuffer, columns: readonly Column[]): void;
  /** End report lines between the dashed lines (T2 t2PluginReport). */
  report?(r: ReportWriter): void;
  /** End of the run, after the report (T2 t2Finalize): close files, write summaries. */
  finalize?(): void;
}

/** A plugin: identity, settings, dependencies and a factory of its callbacks. */
export interface PluginDefinition {
  /** Name (as in T2's plugin list files: `150_tcpWin.so` or `tcpWin`). */
  readonly name: string;
  /** Plugin number; plugins run in ascending number order. */
  readonly number: number;
  /** Version string shown in the report and `_headers.txt`. */
  readonly version: string;
  /** Names of plugins that must be loaded with a lower number (T2_PLUGIN_INIT_WITH_DEPS). */
  readonly dependencies?: readonly string[];
  /** Settings (compile-time constants in T2), settable with `--set`. */
  readonly settings?: SettingSpecs;
  /** Create the callbacks for one run. */
  create(ctx: PluginContext): PluginHooks;
}
