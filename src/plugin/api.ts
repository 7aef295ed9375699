/**
 * The plugin API: T2's plugin callbacks (spec/cli.md §2) in TypeScript.
 *
 * A plugin module exports a {@linkcode PluginDefinition}. For every run the core calls its
 * `create` with a {@linkcode PluginContext} and gets the callbacks of that run (so several
 * runs, e.g. batch workers or tests, never share plugin state). All callbacks are optional.
 * Per-flow state is kept in typed arrays indexed by the flow index (see `perFlow`).
 *
 * Per packet the core calls, in plugin order: `onNewFlow` (first packet of a flow), then
 * `onLayer2` with {@linkcode NO_FLOW} and `onLayer4` for an IPv4/IPv6 packet, or `onLayer2`
 * with the flow for a pure layer-2 packet (ARP, STP, ...). When a flow is written (timeout,
 * full flow table, end of input) every plugin's `onFlowTerminate` appends its values, then the
 * sinks' `bufferToSink` write the line. A flow is the index of its slot; slots are reused, so
 * reset per-flow values in `onNewFlow`.
 *
 * T2 names: `columns` ≙ t2PrintHeader, `init` ≙ t2Init, `onNewFlow` ≙ t2OnNewFlow, `onLayer2`
 * ≙ t2OnLayer2, `onLayer4` ≙ t2OnLayer4, `onFlowTerminate` ≙ t2OnFlowTerminate,
 * `bufferToSink` ≙ t2BufferToSink, `report` ≙ t2PluginReport, `finalize` ≙ t2Finalize;
 * `dependencies` ≙ T2_PLUGIN_INIT_WITH_DEPS, `perFlow` ≙ T2_PLUGIN_STRUCT_NEW, `settings` ≙ the
 * `#define`s of a plugin's header that t2conf changes, `summaryFile` ≙ t2_fopen_with_suffix,
 * `setFlowStatus` ≙ T2_SET_STATUS, `warn` ≙ T2_PWRN, `error` ≙ T2_ERR, `fail` ≙ T2_PFATAL,
 * `dependency` ≙ the `extern` per-flow array of a plugin named in `dependencies`.
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import type { Packet } from "../dissect/packet.ts";
import type { Flows } from "../flow/flows.ts";
import type { GeoLabels } from "../geo/labels.ts";
import type { ByteWriter } from "../output/byte_writer.ts";
import type { PacketFile } from "../output/packet_file.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import type { SummaryFile } from "../output/summary_file.ts";
import type { Column, ColumnBuilder } from "./columns.ts";
import type { OutputBuffer } from "./output_buffer.ts";
import type { SettingSpecs, SettingValue } from "./settings.ts";

/**
 * Flow index passed to `onLayer2` for packets that continue to `onLayer4` (T2's
 * `HASHTABLE_ENTRY_NOT_FOUND`, ULONG_MAX): -1.
 */
export const NO_FLOW: number = -1;

/** Everything a plugin may use during a run. */
export interface PluginContext {
  /**
   * The core's per-flow state (T2's `flows[]`): arrays indexed by flow such as `statusLo`,
   * `opposite` (-1: none) and `timeout` (seconds), and accessors such as `l4Proto(flow)`,
   * `ipVersion(flow)` and `srcIPv4(flow)`.
   */
  readonly flows: Flows;
  /** Run counters (numPackets, bytes, ...). */
  readonly counters: Counters;
  /**
   * The packet file (T2's `sPktFile`), or `null` unless packet mode (`-s`) is on. Declare
   * columns in `init`; write exactly that many values (or `empty` ones) for every packet.
   */
  readonly packetFile: PacketFile | null;
  /** Output prefix (T2 baseFileName), e.g. `out/annoloc2`: name summary files after it. */
  readonly outputPrefix: string;
  /** Geo/organisation labels, or `null` with `SUBNET_ON=0`. */
  readonly geo: GeoLabels | null;
  /** All flow-file columns (core and every plugin), known from `init` on. */
  columns(): readonly Column[];
  /** Names and versions of the loaded plugins, in load order. */
  readonly plugins: readonly { name: string; version: string }[];
  /**
   * Value of one of this plugin's settings (or of a core setting such as SUBNET_ON), as
   * declared in {@linkcode PluginDefinition.settings} and changed with `--set`.
   */
  setting(name: string): SettingValue;
  /** Numeric value of a setting. */
  num(name: string): number;
  /**
   * Register a timeout value the plugin will assign to flows (T2 timeout_handler_add): call it
   * in `init` for every value later given to {@linkcode PluginContext.setTimeout}.
   */
  registerTimeout(seconds: number): void;
  /**
   * Set the timeout of a flow (seconds, rounded to float32 as T2's `float`). A flow is written
   * once no packet came for that long and its opposite flow has timed out too.
   */
  setTimeout(flow: number, seconds: number): void;
  /**
   * Allocate per-flow typed arrays (T2_PLUGIN_STRUCT_NEW): one element per flow slot, e.g.
   * `ctx.perFlow({ stat: Uint8Array, count: Uint32Array })`. Call it in `create`.
   *
   * With `width`, every array holds `width` elements per flow: flow `f`'s elements are
   * `[f * width, (f + 1) * width)`. A plugin that reads many values of a flow per packet keeps
   * them side by side this way (a few cache lines per flow instead of one per array). An
   * array starts on a cache line (64 bytes) where the platform allows, so a record of 64 bytes
   * is one line; it need not start its buffer: a view of another type takes its `byteOffset`,
   * e.g. `new Uint32Array(rec.buffer, rec.byteOffset, rec.length * 2)`.
   *
   * @example A plugin keeping 4 counters per flow in one array
   * ```ts
   * import type { PluginDefinition } from "../../mod.ts";
   *
   * const SYN = 0, ACK = 1, FIN = 2, RST = 3, N = 4; // counter positions within a flow
   *
   * export const flagCounts: PluginDefinition = {
   *   name: "flagCounts",
   *   number: 161,
   *   version: "0.1.0",
   *   create(ctx) {
   *     const { count } = ctx.perFlow({ count: Uint32Array }, N);
   *     return {
   *       columns: (c) =>
   *         c.add("flagCountSyn_Ack_Fin_Rst", "SYN, ACK, FIN and RST packets", [
   *           "U32",
   *           "U32",
   *           "U32",
   *           "U32",
   *         ]),
   *       onNewFlow: (_p, flow) => count.fill(0, flow * N, flow * N + N),
   *       onLayer4(p, flow) {
   *         if (p.l4Proto !== 6 || !p.firstFragment) return;
   *         const f = p.tcpFlags(), at = flow * N;
   *         if (f & 0x02) count[at + SYN]++;
   *         if (f & 0x10) count[at + ACK]++;
   *         if (f & 0x01) count[at + FIN]++;
   *         if (f & 0x04) count[at + RST]++;
   *       },
   *       onFlowTerminate(flow, out) {
   *         for (let i = 0; i < N; i++) out.u32(count[flow * N + i]);
   *       },
   *     };
   *   },
   * };
   * ```
   */
  perFlow<T extends Record<string, TypedArrayConstructor>>(fields: T, width?: number): PerFlow<T>;
  /** Text for the `_headers.txt` preamble and other run facts. */
  readonly run: RunFacts;
  /**
   * Create the file `PREFIX<suffix>` next to the flow file (T2's t2_fopen_with_suffix), e.g.
   * `ctx.summaryFile("_tcpwin.txt")` in `finalize`. The core closes it after this plugin's
   * `finalize`; a file that cannot be created or written ends the run with `[ERR] Cannot
   * create "<path>": <reason>` and exit code 1, as for the flow file.
   *
   * @example A summary file of the flows seen
   * ```ts
   * import type { PluginDefinition } from "../../mod.ts";
   *
   * export const flowCount: PluginDefinition = {
   *   name: "flowCount",
   *   number: 170,
   *   version: "0.1.0",
   *   create(ctx) {
   *     let flows = 0;
   *     return {
   *       onFlowTerminate: () => void flows++,
   *       finalize() {
   *         const f = ctx.summaryFile("_flowCount.txt"); // PREFIX_flowCount.txt
   *         f.line("# flows");
   *         f.line(String(flows));
   *       },
   *     };
   *   },
   * };
   * ```
   */
  summaryFile(suffix: string): SummaryFile;
  /**
   * Set flow status bits (flowStat bits 0-31 in `lo`, 32-63 in `hi`) of a flow and of the
   * run's aggregated flowStat in the end report (T2's T2_SET_STATUS); e.g.
   * `ctx.setFlowStatus(flow, 0, flowStatus.TIMEJUMP_H)`.
   */
  setFlowStatus(flow: number, lo: number, hi: number): void;
  /** A `[WRN] pluginName: text` line in the report stream (T2_PWRN), at any time of the run. */
  warn(text: string): void;
  /** An `[INF] pluginName: text` line in the report stream (T2_PINF). */
  info(text: string): void;
  /**
   * An `[ERR] text` line on standard error (T2_ERR); the run goes on. E.g. a data file that
   * cannot be read: `ctx.error(\`Failed to open file '\${path}': No such file or directory\`)`.
   */
  error(text: string): void;
  /**
   * Stop the run because this plugin cannot go on (T2_PFATAL): `[ERR] text` on standard
   * error, no more packets are read, the flows in memory are written, the end report and
   * `finalize` follow, and the exit code is 1. Throws; call it from any callback.
   *
   * @example A table of the plugin that is full
   * ```ts
   * import type { PluginDefinition } from "../../mod.ts";
   *
   * export const hosts: PluginDefinition = {
   *   name: "hosts",
   *   number: 500,
   *   version: "0.1.0",
   *   create(ctx) {
   *     const seen = new Set<string>();
   *     return {
   *       onNewFlow(_p, flow) {
   *         if (seen.size >= 100000) ctx.fail("hosts HashMap full, Invoke t2 with -f 2");
   *         seen.add(ctx.flows.srcAddrText(flow));
   *       },
   *     };
   *   },
   * };
   * ```
   */
  fail(text: string): never;
  /**
   * What a plugin named in this plugin's `dependencies` exports (its hooks' `exports`), typed
   * by its definition: T2's access to another plugin's per-flow structure. Call it in `create`
   * (the dependency, loaded before, has been created). Throws when `plugin` is not among this
   * plugin's `dependencies`, was not loaded before it, or exports nothing.
   *
   * @example A plugin reading tcpWin's per-flow count of small windows
   * ```ts
   * import type { PluginDefinition, PluginHooks } from "../../mod.ts";
   *
   * // The exporting plugin: its definition names the type of what it exports.
   * interface WinExports {
   *   readonly winThCnt: Uint32Array;
   * }
   * export const win: PluginDefinition<WinExports> = {
   *   name: "win",
   *   number: 150,
   *   version: "0.1.0",
   *   create(ctx): PluginHooks<WinExports> {
   *     const { winThCnt } = ctx.perFlow({ winThCnt: Uint32Array });
   *     return { exports: { winThCnt } };
   *   },
   * };
   *
   * // The dependent plugin: declares the dependency, gets a typed handle in create.
   * export const winAlarm: PluginDefinition = {
   *   name: "winAlarm",
   *   number: 160,
   *   version: "0.1.0",
   *   dependencies: ["win"],
   *   create(ctx) {
   *     const { winThCnt } = ctx.dependency(win);
   *     return {
   *       columns: (c) => c.add("winAlarm", "Many small windows", "U8"),
   *       onFlowTerminate: (flow, out) => out.u8(winThCnt[flow] > 10 ? 1 : 0),
   *     };
   *   },
   * };
   * ```
   */
  dependency<E extends object>(plugin: PluginDefinition<E>): E;
}

/** Facts about the run shown in `_headers.txt`. */
export interface RunFacts {
  /** The command line (`# Command line:`). */
  readonly commandLine: string;
  /** Sensor id (`-x`, default 666). */
  readonly sensorId: number;
  /** Wall-clock start of the run (`# Date:`). */
  readonly startWallTime: Date;
  /** This program's version text. */
  readonly version: string;
  /**
   * The input as named on the command line: the `-r` capture, the `-R` list file or the `-D`
   * expression (a sink can label its records with it, e.g. psqlSink's capture column).
   */
  readonly input: string;
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

/**
 * The callbacks of one plugin in one run, and what it offers to plugins depending on it
 * (`E`, see {@linkcode PluginHooks.exports}).
 */
export interface PluginHooks<E extends object = object> {
  /**
   * Values for the plugins that name this one in their `dependencies` (T2: the per-flow
   * structure a plugin makes `extern`): typically its `perFlow` arrays, or functions of a
   * flow. Dependents get them with {@linkcode PluginContext.dependency}; set it in `create`.
   */
  readonly exports?: E;
  /**
   * Declare flow-file columns in the order `onFlowTerminate` appends their values (T2
   * t2PrintHeader; runs once, before `init`).
   */
  columns?(c: ColumnBuilder): void;
  /**
   * Start of the run, before the first packet (T2 t2Init): declare packet-file columns,
   * register timeouts, open files.
   */
  init?(): void;
  /** A flow was created; reset its per-flow state (T2 t2OnNewFlow). */
  onNewFlow?(p: Packet, flow: number): void;
  /** Every packet: `flow` is {@linkcode NO_FLOW} for IP packets (then `onLayer4` follows),
   * the flow index for pure layer-2 packets (T2 t2OnLayer2). */
  onLayer2?(p: Packet, flow: number): void;
  /**
   * Every packet of an IPv4/IPv6 flow (T2 t2OnLayer4), second and later fragments included
   * (their `p.firstFragment` is false and they carry no layer-4 header).
   */
  onLayer4?(p: Packet, flow: number): void;
  /**
   * The flow is written: append one value per declared column, in declared order and of the
   * declared type (T2 t2OnFlowTerminate). The packet is no longer available.
   */
  onFlowTerminate?(flow: number, out: OutputBuffer): void;
  /** Sinks: write one flow line from the buffer (T2 t2BufferToSink). */
  bufferToSink?(out: OutputBuffer, columns: readonly Column[]): void;
  /**
   * Sinks with {@linkcode PluginDefinition.flowLine}: write `line[start, end)`, one line that
   * `flowLine` made (in a shard of a run over several threads, the run's flow index spliced
   * in), where `bufferToSink` would have formatted and written it (file splits included).
   */
  writeFlowLine?(line: Uint8Array, start: number, end: number): void;
  /** End report lines between the dashed lines (T2 t2PluginReport). */
  report?(r: ReportWriter): void;
  /** End of the run, after the report (T2 t2Finalize): close files, write summaries. */
  finalize?(): void;
  /**
   * A run on several threads (`--threads N`, docs/multicore.md): every written flow line, in
   * output order, on the main thread's instance, with the numbers this plugin gave
   * `out.note(v)` in `onFlowTerminate` (read them in the same order with `notes.next()`). For
   * run-wide state that depends on the order of the lines (maxima where the first flow wins,
   * summaries in output order). Not called in one thread.
   */
  onFlowWritten?(notes: FlowNotes): void;
  /**
   * A run on several threads, in each shard after its last flow: the run-wide state whose
   * merging does not depend on order (sums, ORs, maxima), as structured-clonable data.
   */
  shardState?(): unknown;
  /** A run on several threads, main thread, before `report`: every shard's `shardState()`. */
  mergeShards?(states: readonly unknown[]): void;
}

/** The notes of one flow line, read in the order they were written. */
export interface FlowNotes {
  /** The next number noted. */
  next(): number;
}

/**
 * A plugin: identity, settings, dependencies and a factory of its callbacks. `E` is the type
 * of what it exports to dependent plugins ({@linkcode PluginHooks.exports}).
 */
export interface PluginDefinition<E extends object = object> {
  /** Name (as in T2's plugin list files: `150_tcpWin.so` or `tcpWin`). */
  readonly name: string;
  /** Plugin number; plugins run in ascending number order. */
  readonly number: number;
  /** Version string shown in the report and `_headers.txt`. */
  readonly version: string;
  /**
   * Names of plugins that must be loaded before this one, i.e. with a lower number
   * (T2_PLUGIN_INIT_WITH_DEPS). Otherwise this plugin is left out of the run with T2's
   * `[ERR] name: missing dependencies: a,b`. Their exports are read with
   * {@linkcode PluginContext.dependency}.
   */
  readonly dependencies?: readonly string[];
  /**
   * Settings (compile-time constants in T2), settable with `--set NAME=VALUE` or
   * `--set pluginName.NAME=VALUE`; read with {@linkcode PluginContext.num} and
   * {@linkcode PluginContext.setting}.
   */
  readonly settings?: SettingSpecs;
  /** Create the callbacks for one run (called once per run, before `columns`). */
  create(ctx: PluginContext): PluginHooks<E>;
  /**
   * Why this plugin needs every flow in one thread (its flow values depend on other flows):
   * a run that loads it uses one thread whatever `--threads` says, and says so on stderr.
   */
  readonly oneThread?: string;
  /**
   * Sinks whose line depends on the flow's values alone (no settings, no file state): format
   * one flow line, newline included, into `w`, byte for byte as `bufferToSink` writes it.
   * Returns `w.written` where the flow index's digits begin (the value at slot
   * {@linkcode FLOW_INDEX_SLOT}, written in decimal), or -1 when the line does not show it.
   * With it and {@linkcode PluginHooks.writeFlowLine}, a run over several threads formats the
   * lines in the shards: the main thread only splices in the run's flow index and writes.
   */
  readonly flowLine?: FlowLineFormat;
}

/** See {@linkcode PluginDefinition.flowLine}. */
export type FlowLineFormat = (
  out: OutputBuffer,
  columns: readonly Column[],
  w: ByteWriter,
) => number;
