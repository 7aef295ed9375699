/**
 * The plugins of one run, in load order: created with their contexts, their flow-file columns
 * after the core's (`dir`, `flowInd`), their `init` between the core's packet-file columns,
 * the lists of hooks per callback that the engine calls, and their `finalize`.
 *
 * @module
 */

import type { PluginDefinition, PluginHooks } from "../plugin/api.ts";
import { type Column, ColumnBuilder } from "../plugin/columns.ts";
import { type PluginEnvironment, PluginSession } from "../plugin/context.ts";
import type { Packet } from "../dissect/packet.ts";
import type { OutputBuffer } from "../plugin/output_buffer.ts";
import { callEach } from "./dispatch.ts";

/** Hook objects that define callback `K`. */
type Having<K extends keyof PluginHooks> = Required<Pick<PluginHooks, K>>[];

/** What the plugins of a run share, but the parts the plugin set fills itself. */
export type PluginSetEnvironment = Omit<PluginEnvironment, "columns" | "created" | "plugins">;

/** The run's plugins and their hooks. */
export class PluginSet {
  /** Each plugin's hooks, in load order. */
  readonly hooks: PluginHooks[] = [];
  /** The flow file's columns: the core's, then each plugin's. */
  readonly columns: Column[] = [];
  // The hook objects that define each callback, in load order. The engine calls through the
  // object (`h.onLayer4(...)`): V8 calls methods of a few known classes about twice as fast as
  // bound functions.
  onNewFlow: Having<"onNewFlow"> = [];
  onLayer2: Having<"onLayer2"> = [];
  onLayer4: Having<"onLayer4"> = [];
  onFlowTerminate: Having<"onFlowTerminate"> = [];
  bufferToSink: Having<"bufferToSink"> = [];
  /**
   * Each callback of every plugin that defines it, in load order, as one function with a call
   * site per plugin (dispatch.ts says why): what the engine calls per packet and per flow.
   */
  callNewFlow: (p: Packet, flow: number) => void = () => {};
  callLayer2: (p: Packet, flow: number) => void = () => {};
  callLayer4: (p: Packet, flow: number) => void = () => {};
  callFlowTerminate: (flow: number, out: OutputBuffer) => void = () => {};
  callSinks: (out: OutputBuffer, columns: readonly Column[]) => void = () => {};

  readonly #defs: readonly PluginDefinition[];
  /** Each plugin's context, in load order (parallel to `hooks`). */
  readonly #sessions: PluginSession[] = [];
  /** Plugins whose `init` ran, and those of them already finalized (in order). */
  #initialized = 0;
  #finalized = 0;

  /** The plugins `defs`, in load order; nothing is created before {@linkcode start}. */
  constructor(defs: readonly PluginDefinition[]) {
    this.#defs = defs;
  }

  /**
   * Create the plugins, collect their columns, write the packet-file header and run their
   * `init` (T2: t2PrintHeader for all, then t2Init for all).
   */
  start(shared: PluginSetEnvironment): void {
    const defs = this.#defs;
    const created = new Map<string, PluginHooks>();
    const env: PluginEnvironment = {
      ...shared,
      plugins: defs.map((p) => ({ name: p.name, version: p.version })),
      columns: () => this.columns,
      created,
    };
    for (const def of defs) {
      const session = new PluginSession(def, env);
      const hooks = def.create(session.context);
      created.set(def.name, hooks);
      this.hooks.push(hooks);
      this.#sessions.push(session);
    }

    const core = new ColumnBuilder("core", this.columns);
    core.add("dir", "Flow direction", "DIR");
    core.add("flowInd", "Flow index", "U64");
    defs.forEach((def, i) => this.hooks[i].columns?.(new ColumnBuilder(def.name, this.columns)));

    const pf = shared.packetFile;
    if (pf) pf.writer.text("%pktNo\tflowInd\t");
    for (const h of this.hooks) {
      h.init?.();
      this.#initialized++;
    }
    if (pf) pf.writer.text("l7Content\n");

    const having = <K extends keyof PluginHooks>(k: K) =>
      this.hooks.filter((h) => h[k]) as Having<K>;
    this.onNewFlow = having("onNewFlow");
    this.onLayer2 = having("onLayer2");
    this.onLayer4 = having("onLayer4");
    this.onFlowTerminate = having("onFlowTerminate");
    this.bufferToSink = having("bufferToSink");
    this.callNewFlow = callEach(this.onNewFlow, "onNewFlow");
    this.callLayer2 = callEach(this.onLayer2, "onLayer2");
    this.callLayer4 = callEach(this.onLayer4, "onLayer4");
    this.callFlowTerminate = callEach(this.onFlowTerminate, "onFlowTerminate");
    this.callSinks = callEach(this.bufferToSink, "bufferToSink");
  }

  /**
   * End of the run, after the report (T2 t2Finalize): every plugin's `finalize`, in load
   * order, each followed by closing the summary files it left open.
   */
  finalize(): void {
    while (this.#finalized < this.#initialized) {
      const i = this.#finalized++;
      this.hooks[i].finalize?.();
      this.#sessions[i].closeFiles();
    }
  }

  /**
   * After an error that ends the run: `finalize` the plugins whose `init` ran and that were not
   * finalized yet, so that their files are flushed and closed; their own errors are ignored
   * (the first error is the one reported).
   */
  finalizeAfterError(): void {
    while (this.#finalized < this.#initialized) {
      const i = this.#finalized++;
      try {
        this.hooks[i].finalize?.();
        this.#sessions[i].closeFiles();
      } catch { /* the first error is the one reported */ }
    }
  }
}
