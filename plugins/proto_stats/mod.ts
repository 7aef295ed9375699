/**
 * protoStats (plugin 001): packets and bytes per EtherType, IP protocol and TCP/UDP service
 * port, written at the end of the run to `PREFIX_protocols.txt` with T2's descriptions
 * (spec/plugins/protoStats.md). No flow columns, no report lines. The EtherType, protocol and
 * IP version counts are the core's run counters; the plugin counts the ports: per IP packet
 * the service port of its flow (the source port of a reply flow, else the destination port).
 *
 * @module
 */

import {
  type Flows,
  formatFixed,
  IpProto,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  readableSuffix,
  type SummaryFile,
} from "../../mod.ts";
import { ETHERTYPES_TXT } from "../_data/ethertypes.ts";
import { PORTMAP_TXT } from "../_data/portmap.ts";
import { PROTO_TXT } from "../_data/proto.ts";
import { tableText } from "../_data/source.ts";
import { parseEtherTypes, parsePortDescriptions, parseProtocols } from "./descriptions.ts";

/** The protoStats plugin. */
export const protoStats: PluginDefinition = {
  name: "protoStats",
  number: 1,
  version: "0.9.3",
  settings: {
    PST_ETH_STAT: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Write the EtherType section",
    },
    PST_UDPLITE_STAT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "Count UDP-Lite ports (a UDP-Lite section, names of the UDP table)",
    },
    PST_SCTP_STAT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "Count SCTP ports (an SCTP section, names of the TCP table)",
    },
    PST_SUFFIX: {
      type: "string",
      default: "_protocols.txt",
      description: "Summary file: name suffix",
    },
    PST_L2ETHFILE: {
      type: "string",
      default: "ethertypes.txt",
      description: "EtherType table: ethertypes.txt is T2's, built in; another name is a file",
    },
    PST_PORTFILE: {
      type: "string",
      default: "portmap.txt",
      description: "Port table: portmap.txt is T2's, built in; another name is a file",
    },
    PST_PROTOFILE: {
      type: "string",
      default: "proto.txt",
      description: "IP protocol table: proto.txt is T2's, built in; another name is a file",
    },
  },
  create: (ctx) => new ProtoStats(ctx),
};

/**
 * Packets and captured bytes per port of one layer-4 protocol: a port's two counts side by
 * side (`2 * port`, `2 * port + 1`), in one cache line; with many ports in use, a packet then
 * misses the cache once, not twice.
 */
class PortCounts {
  readonly counts = new Float64Array(2 * 65536);
}

/** The built-in tables, parsed once per process, at the end of the first run needing them. */
const builtin: {
  eth?: string[];
  proto?: ReturnType<typeof parseProtocols>;
  ports?: ReturnType<typeof parsePortDescriptions>;
} = {};

class ProtoStats implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #flows: Flows;
  readonly #tcp = new PortCounts();
  readonly #udp = new PortCounts();
  readonly #udpLite: PortCounts | null;
  readonly #sctp: PortCounts | null;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#flows = ctx.flows;
    this.#udpLite = ctx.num("PST_UDPLITE_STAT") ? new PortCounts() : null;
    this.#sctp = ctx.num("PST_SCTP_STAT") ? new PortCounts() : null;
  }

  /** Every IP packet of a flow, later fragments too: count it at its flow's service port. */
  onLayer4(p: Packet, flow: number): void {
    const proto = p.l4Proto;
    let c: PortCounts | null;
    if (proto === IpProto.TCP) c = this.#tcp;
    else if (proto === IpProto.UDP) c = this.#udp;
    else if (proto === IpProto.UDPLITE) c = this.#udpLite;
    else if (proto === IpProto.SCTP) c = this.#sctp;
    else return;
    if (c === null) return;
    const port = this.#flows.servicePort(flow);
    c.counts[2 * port]++;
    c.counts[2 * port + 1] += p.snapLen;
  }

  /** A run on several threads: a shard's port counts. */
  shardState(): (Float64Array | null)[] {
    return [this.#tcp, this.#udp, this.#udpLite, this.#sctp].map((c) => c?.counts ?? null);
  }

  /** A run on several threads: every shard's port counts, added. */
  mergeShards(states: readonly unknown[]): void {
    const mine = [this.#tcp, this.#udp, this.#udpLite, this.#sctp];
    for (const s of states as (Float64Array | null)[][]) {
      mine.forEach((c, i) => {
        const theirs = s[i];
        if (c === null || theirs === null) return;
        for (let j = 0; j < theirs.length; j++) c.counts[j] += theirs[j];
      });
    }
  }

  /** After the end report: read the tables, then write the file. */
  finalize(): void {
    const ctx = this.#ctx;
    const eth = ctx.num("PST_ETH_STAT") ? this.#etherTypes() : null;
    const protocols = this.#protocols();
    const ports = this.#ports();
    const f = ctx.summaryFile(String(ctx.setting("PST_SUFFIX")));
    const c = ctx.counters;
    const pp = 100 / c.numPackets;
    const pb = 100 / c.bytesProcessed;
    if (eth) {
      f.line(`# Total packets: ${c.numPackets}${readableSuffix(c.numPackets)}`);
      f.line(`# Total bytes: ${c.bytesProcessed}${readableSuffix(c.bytesProcessed)}`);
      f.line(heading("L2/3 Protocol"));
      for (let e = 0; e < 65536; e++) {
        const n = c.numPacketsL2[e];
        if (n > 0) {
          row(f, `0x${e.toString(16).padStart(4, "0")}`, n, pp, c.numBytesL2[e], pb, eth[e]);
        }
      }
      f.text("\n\n");
    }
    f.line(`# Total IPv4 packets: ${total(c.numV4Packets, pp)}`);
    f.line(`# Total IPv6 packets: ${total(c.numV6Packets, pp)}`);
    f.line(heading("L4 Protocol"));
    for (let i = 0; i < 256; i++) {
      const n = c.numPacketsL3[i];
      if (n > 0) row(f, String(i).padStart(3), n, pp, c.numBytesL3[i], pb, protocols[i]);
    }
    this.#portSection(f, "TCP", IpProto.TCP, this.#tcp, ports.tcp);
    this.#portSection(f, "UDP", IpProto.UDP, this.#udp, ports.udp);
    if (this.#udpLite) this.#portSection(f, "UDP-Lite", IpProto.UDPLITE, this.#udpLite, ports.udp);
    if (this.#sctp) this.#portSection(f, "SCTP", IpProto.SCTP, this.#sctp, ports.tcp);
  }

  /** `\n\n`, the protocol's totals (the core's counts), and its ports when it has packets. */
  #portSection(f: SummaryFile, name: string, proto: number, counts: PortCounts, names: string[]) {
    const c = this.#ctx.counters;
    const n = c.numPacketsL3[proto];
    const b = c.numBytesL3[proto];
    f.text("\n\n");
    f.line(`# Total ${name} packets: ${n}${readableSuffix(n)} [${pct(100 * n / c.numPackets)}%]`);
    f.line(`# Total ${name} bytes: ${b}${readableSuffix(b)} [${pct(100 * b / c.bytesProcessed)}%]`);
    if (n === 0) return;
    f.line(heading(`${name} Port`));
    const pp = 100 / n;
    const pb = 100 / b;
    for (let port = 0; port < 65536; port++) {
      const k = counts.counts[2 * port];
      if (k > 0) {
        row(f, String(port).padStart(5), k, pp, counts.counts[2 * port + 1], pb, names[port]);
      }
    }
  }

  #etherTypes(): string[] {
    const name = String(this.#ctx.setting("PST_L2ETHFILE"));
    const builtinName = protoStats.settings!.PST_L2ETHFILE.default as string;
    if (name === builtinName && builtin.eth) return builtin.eth;
    const t = tableText(name, builtinName, ETHERTYPES_TXT);
    if ("error" in t) return this.#missing(t.error, 65536);
    const eth = parseEtherTypes(t.text);
    if (name === builtinName) builtin.eth = eth;
    return eth;
  }

  #protocols(): string[] {
    const name = String(this.#ctx.setting("PST_PROTOFILE"));
    const builtinName = protoStats.settings!.PST_PROTOFILE.default as string;
    if (name === builtinName && builtin.proto) return builtin.proto.names;
    const t = tableText(name, builtinName, PROTO_TXT);
    if ("error" in t) return this.#missing(t.error, 256);
    const proto = parseProtocols(t.text);
    for (const i of proto.failed) {
      this.#ctx.warn(`Failed to read line ${i} of file '${name}': Success`);
    }
    if (name === builtinName) builtin.proto = proto;
    return proto.names;
  }

  #ports(): { tcp: string[]; udp: string[] } {
    const name = String(this.#ctx.setting("PST_PORTFILE"));
    const builtinName = protoStats.settings!.PST_PORTFILE.default as string;
    if (name === builtinName && builtin.ports) return builtin.ports;
    const t = tableText(name, builtinName, PORTMAP_TXT);
    if ("error" in t) {
      const none = this.#missing(t.error, 65536);
      return { tcp: none, udp: none };
    }
    const ports = parsePortDescriptions(t.text);
    if (name === builtinName) builtin.ports = ports;
    return ports;
  }

  /** A table that cannot be read: say so, go on with empty descriptions (as T2). */
  #missing(error: string, size: number): string[] {
    this.#ctx.error(error);
    return new Array(size).fill("");
  }
}

/** `# <what>\t<Packets in 30>\t<Bytes in 30>\tDescription`. */
function heading(what: string): string {
  return `# ${what}\t${"Packets".padStart(30)}\t${"Bytes".padStart(30)}\tDescription`;
}

/** `%.2f` of a percentage as glibc prints it (0/0 and 0·∞ give x86's negative NaN). */
function pct(x: number): string {
  return x !== x ? "-nan" : formatFixed(x, 2);
}

/** `<n><H(n)> [<n·p %.2f>%]`. */
function total(n: number, p: number): string {
  return `${n}${readableSuffix(n)} [${pct(n * p)}%]`;
}

/** `<key>\t<pkts %20lu> [<pct %6.2f>%]\t<bytes %20lu> [<pct %6.2f>%]\t<description>`. */
function row(f: SummaryFile, key: string, n: number, pp: number, b: number, pb: number, d: string) {
  f.line(
    `${key}\t${String(n).padStart(20)} [${pct(n * pp).padStart(6)}%]\t` +
      `${String(b).padStart(20)} [${pct(b * pb).padStart(6)}%]\t${d}`,
  );
}
