/**
 * The {@linkcode PluginContext} of one plugin in one run: what the core gives a plugin, its
 * summary files (closed after its `finalize`) and the exports of the plugins it depends on.
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import type { Flows } from "../flow/flows.ts";
import type { GeoLabels } from "../geo/labels.ts";
import type { PacketFile } from "../output/packet_file.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import { openSummaryFile, type SummaryFile } from "../output/summary_file.ts";
import type {
  PerFlow,
  PluginContext,
  PluginDefinition,
  PluginHooks,
  RunFacts,
  TypedArrayConstructor,
} from "./api.ts";
import type { Column } from "./columns.ts";
import type { Settings } from "./settings.ts";

/** What the core shares with every plugin of a run. */
export interface PluginEnvironment {
  readonly flows: Flows;
  readonly counters: Counters;
  readonly packetFile: PacketFile | null;
  readonly outputPrefix: string;
  readonly geo: GeoLabels | null;
  readonly run: RunFacts;
  readonly settings: Settings;
  /** Owner name of the core's settings (FLOW_TIMEOUT, SUBNET_ON, ...). */
  readonly coreSettings: string;
  /** Report stream (warnings during the run). */
  readonly report: ReportWriter;
  /** Writes `[ERR] text` to standard error (with the run's colours). */
  readonly errorLine: (text: string) => void;
  /** Names and versions of the run's plugins, in load order. */
  readonly plugins: readonly { name: string; version: string }[];
  /** All flow-file columns (complete from `init` on). */
  columns(): readonly Column[];
  /** Add a timeout value to the flow timeout walk. */
  registerTimeout(seconds: number): void;
  /** Hooks of the plugins created so far (those loaded before), by name. */
  readonly created: ReadonlyMap<string, PluginHooks>;
}

/**
 * A plugin stopped the run (`PluginContext.fail`): the run prints `[ERR] message`, writes what
 * it has and exits with code 1.
 */
export class PluginFailure extends Error {
  override name = "PluginFailure";
  /** The plugin that stopped the run. */
  readonly plugin: string;

  /** `text` is the message, without `[ERR]`. */
  constructor(plugin: string, text: string) {
    super(text);
    this.plugin = plugin;
  }
}

/** A plugin's context and the summary files it opened. */
export class PluginSession {
  /** The context passed to the plugin's `create`. */
  readonly context: PluginContext;
  readonly #files: SummaryFile[] = [];

  /** The context of plugin `def` in the run described by `env`. */
  constructor(def: PluginDefinition, env: PluginEnvironment) {
    const flows = env.flows;
    const counters = env.counters;
    const declared = def.settings ?? {};
    const owner = (name: string) => name in declared ? def.name : env.coreSettings;
    const files = this.#files;
    this.context = {
      flows,
      counters,
      packetFile: env.packetFile,
      outputPrefix: env.outputPrefix,
      geo: env.geo,
      plugins: env.plugins,
      run: env.run,
      columns: env.columns,
      setting: (name) => env.settings.get(owner(name), name),
      num: (name) => env.settings.num(owner(name), name),
      registerTimeout: env.registerTimeout,
      setTimeout: (flow, s) => {
        flows.timeout[flow] = Math.fround(s);
      },
      perFlow: <T extends Record<string, TypedArrayConstructor>>(
        fields: T,
        width = 1,
      ): PerFlow<T> => {
        if (!Number.isInteger(width) || width < 1) {
          throw new RangeError(`Cannot allocate per-flow arrays of width ${width}`);
        }
        const out: Record<string, unknown> = {};
        for (const [k, ctor] of Object.entries(fields)) {
          out[k] = cacheAligned(ctor, flows.capacity * width);
        }
        // A copy: an object given many properties one key at a time is left in V8's slow
        // dictionary mode; the spread copy has fast properties (tcpFlags keeps 80 arrays).
        return { ...out } as PerFlow<T>;
      },
      summaryFile: (suffix) => {
        const f = openSummaryFile(env.outputPrefix + suffix);
        files.push(f);
        return f;
      },
      setFlowStatus: (flow, lo, hi) => {
        flows.statusLo[flow] |= lo;
        flows.statusHi[flow] |= hi;
        counters.globalWarnLo |= lo;
        counters.globalWarnHi |= hi;
      },
      warn: (text) => env.report.pluginWarn(def.name, text),
      info: (text) => env.report.pluginInfo(def.name, text),
      error: (text) => env.errorLine(text),
      fail: (text) => {
        throw new PluginFailure(def.name, text);
      },
      dependency: <E extends object>(plugin: PluginDefinition<E>): E => {
        const name = plugin.name;
        if (!(def.dependencies ?? []).includes(name)) {
          throw new Error(
            `Plugin ${def.name} reads ${name}, which is not in its dependencies ` +
              `(add dependencies: ["${name}"] to its definition)`,
          );
        }
        const hooks = env.created.get(name);
        if (!hooks) {
          throw new Error(
            `Plugin ${def.name} depends on ${name}, which is not loaded before it ` +
              `(a dependency needs a lower plugin number and a place in the plugin list)`,
          );
        }
        if (hooks.exports === undefined) {
          throw new Error(`Plugin ${def.name} depends on ${name}, which exports nothing`);
        }
        return hooks.exports as E;
      },
    };
  }

  /** Close the summary files the plugin left open (after its `finalize`). */
  closeFiles(): void {
    for (const f of this.#files) f.close();
    this.#files.length = 0;
  }
}

/**
 * A zeroed typed array of `length` elements whose first element most likely starts a 64-byte
 * cache line, so that records of 32 or 64 bytes (`perFlow` with a width) each lie in one or
 * two lines rather than straddling one more. V8 takes a large buffer from malloc, which on
 * Linux (glibc) maps it and returns the address 16 bytes past a page boundary: the view starts
 * 48 bytes into a buffer 64 bytes longer. Elsewhere only the alignment differs. A cache
 * simulation (cachegrind) of tcpFlags and macRecorder records found the 16-byte shift.
 */
function cacheAligned<T extends TypedArrayConstructor>(ctor: T, length: number): InstanceType<T> {
  const size = ctor.BYTES_PER_ELEMENT;
  const buf = new ArrayBuffer(length * size + CACHE_LINE);
  return new ctor(buf, MALLOC_SKEW, length) as InstanceType<T>;
}

/** Bytes of a CPU cache line. */
const CACHE_LINE = 64;
/** Bytes from a large buffer's start to the next cache line (glibc: 16 past a page). */
const MALLOC_SKEW = 48;
