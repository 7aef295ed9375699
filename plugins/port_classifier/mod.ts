/**
 * portClassifier (plugin 111): the flow's service port and its name from T2's port table
 * (`portmap.txt`, built in; spec/plugins/portClassifier.md). Both flows of a pair get the
 * server's port: the source port of a reply flow, else the destination port. In packet mode
 * (`-s`) each packet gets the same two values, from its flow at that moment.
 *
 * @module
 */

import {
  type ColumnBuilder,
  IpProto,
  NO_FLOW,
  type OutputBuffer,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
} from "../../mod.ts";
import { PORTMAP_TXT } from "../_data/portmap.ts";
import { tableText } from "../_data/source.ts";
import { parsePortNames, type PortNames } from "./port_names.ts";

/** T2's file name of the port table: the copy built into the program. */
const BUILTIN_FILE = "portmap.txt";

/** The built-in table, parsed once per process when a run first needs it. */
let builtin: PortNames | null = null;

/** The portClassifier plugin. */
export const portClassifier: PluginDefinition = {
  name: "portClassifier",
  number: 111,
  version: "0.9.3",
  settings: {
    PBC_NUM: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Column dstPortClassN: the service port number",
    },
    PBC_STR: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Column dstPortClass: the service name",
    },
    PBC_CLASSFILE: {
      type: "string",
      default: BUILTIN_FILE,
      description: "Port table: portmap.txt is T2's, built in; another name is a file to read",
    },
    PBC_UNKNOWN: {
      type: "string",
      default: "unknown",
      description: "Name of a port the table does not know",
    },
  },
  create: (ctx) => ctx.packetFile ? new PortClassifierPackets(ctx) : new PortClassifier(ctx),
};

class PortClassifier implements PluginHooks {
  protected readonly ctx: PluginContext;
  protected readonly num: boolean;
  protected readonly str: boolean;
  protected readonly unknown: string;
  #tcp: readonly string[] = [];
  #udp: readonly string[] = [];

  constructor(ctx: PluginContext) {
    this.ctx = ctx;
    this.num = ctx.num("PBC_NUM") !== 0;
    this.str = ctx.num("PBC_STR") !== 0;
    this.unknown = String(ctx.setting("PBC_UNKNOWN"));
  }

  columns(c: ColumnBuilder): void {
    if (this.num) {
      c.add("dstPortClassN", "Port based classification of the destination port number", "U16");
    }
    if (this.str) {
      c.add("dstPortClass", "Port based classification of the destination port name", "SC");
    }
  }

  /** Load the table (a file that cannot be read stops the run, as in T2). */
  init(): void {
    const ctx = this.ctx;
    const names = this.#load(String(ctx.setting("PBC_CLASSFILE")));
    this.#tcp = names.tcp;
    this.#udp = names.udp;
    const pf = ctx.packetFile;
    if (!pf) return;
    if (this.num) pf.header("dstPortClassN");
    if (this.str) pf.header("dstPortClass");
  }

  #load(file: string): PortNames {
    if (file === BUILTIN_FILE && builtin) return builtin;
    const t = tableText(file, BUILTIN_FILE, PORTMAP_TXT);
    if ("error" in t) this.ctx.fail(t.error);
    const names = parsePortNames(t.text);
    for (const w of names.warnings) this.ctx.warn(w);
    if (file === BUILTIN_FILE) builtin = names;
    return names;
  }

  /** The service name of a flow's port ("" when none is known). */
  protected name(flow: number, port: number): string {
    const proto = this.ctx.flows.l4Proto(flow);
    if (proto === IpProto.TCP || proto === IpProto.SCTP) return this.#tcp[port];
    if (proto === IpProto.UDP || proto === IpProto.UDPLITE) return this.#udp[port];
    return "";
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const port = this.ctx.flows.servicePort(flow);
    if (this.num) out.u16(port);
    if (this.str) out.strClass(this.name(flow, port) || this.unknown);
  }
}

/** In packet mode (only then: T2 has no packet callbacks otherwise), the packet columns too. */
class PortClassifierPackets extends PortClassifier {
  /** A pure layer-2 packet: no port, the unknown name. */
  onLayer2(_p: Packet, flow: number): void {
    if (flow === NO_FLOW) return;
    const pf = this.ctx.packetFile!;
    if (this.num) pf.empty();
    if (this.str) pf.text(this.unknown);
  }

  /** An IP packet: the values of its flow now (the direction may change later). */
  onLayer4(_p: Packet, flow: number): void {
    const pf = this.ctx.packetFile!;
    const port = this.ctx.flows.servicePort(flow);
    if (this.num) pf.uint(port);
    if (this.str) pf.text(this.name(flow, port) || this.unknown);
  }
}
