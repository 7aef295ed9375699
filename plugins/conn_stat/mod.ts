/**
 * connStat (plugin 500): how many connections exist at once between hosts
 * (spec/plugins/connStat.md). For every flow row, as the flow ends: the live peers of its
 * sender and of its receiver, the live flows between the two hosts and to the responder's
 * port, two ratios of these, and the packets and bytes the sender's address sent; in the end
 * report the highest counts and the biggest sender.
 *
 * Connections are oriented initiator → responder by flowStat bit 0, as it stands after the
 * plugins before this one (icmpDecode may have changed it), so both flows of a pair use the
 * same keys. The counting state is the whole run's, in `tables.ts`.
 *
 * @module
 */

import {
  type ColumnBuilder,
  formatF,
  ipWordsText,
  type OutputBuffer,
  type Packet,
  percent,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  readableSuffix,
  type ReportWriter,
} from "../../mod.ts";
import { ConnTables, type FlowCounts, type MissingEntry, type Top } from "./tables.ts";

const f32 = Math.fround;

/** The connStat plugin. */
export const connStat: PluginDefinition = {
  name: "connStat",
  number: 500,
  version: "0.9.3",
  oneThread: "counts connections per host across all flows",
  settings: {
    CS_HSDRM: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: forget a connection when its flows end; 0: counts only grow",
    },
    CS_SDIPMAX: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description:
        "Report's source/destination IPs connections: 1: the most flows between two hosts; " +
        "0: the number of IP flows",
    },
    CS_PBNMAX: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description:
        "1: columns connNumPCnt and connNumBCnt (packets and bytes per sender address) and " +
        "the report's biggest L3 talker lines",
    },
    CS_MR_SPOOF: {
      type: "int",
      default: 0,
      min: 0,
      max: 0,
      description:
        "T2's column connMacSpf (MAC addresses per source IP); not available here (0 only): " +
        "how T2 counts it is not specified",
    },
  },
  create: (ctx) => new ConnStat(ctx),
};

const MISSING_TEXT: Record<MissingEntry, string> = {
  pair: "has no IP pair number connections entry!",
  port: "has no srcIP, dstPort connections entry!",
  src: "has no src IP connections entry!",
  dst: "has no dst IP connections entry!",
};

/** One run of the plugin: the hooks; the state is the run's {@linkcode ConnTables}. */
class ConnStat implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #tables: ConnTables;
  readonly #talkers: boolean;
  readonly #row: FlowCounts = { sip: 0, dip: 0, sipDip: 0, sipDprt: 0, pkts: 0, bytes: 0 };
  readonly #full = (map: string): never =>
    this.#ctx.fail(`${map} HashMap full, Invoke t2 with -f 2`);

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#talkers = ctx.num("CS_PBNMAX") === 1;
    this.#tables = new ConnTables({
      capacity: ctx.flows.capacity,
      flows: ctx.flows.capacity,
      removeEnded: ctx.num("CS_HSDRM") === 1,
      pairMax: ctx.num("CS_SDIPMAX") === 1,
    });
    // Without the packet totals, no per-packet work at all.
    if (!this.#talkers) this.onLayer4 = undefined;
  }

  columns(c: ColumnBuilder): void {
    c.add("connSip", "Number of unique source IPs", "U32");
    c.add("connDip", "Number of unique destination IPs", "U32");
    c.add("connSipDip", "Number of connections between source and destination IP", "U32");
    c.add("connSipDprt", "Number of connections between source IP and destination port", "U32");
    c.add("connF", "The 'f' number: connSipDprt / connSip [EXPERIMENTAL]", "F");
    c.add("connG", "The 'g' number: connSipDprt / connSipDip [EXPERIMENTAL]", "F");
    if (this.#talkers) {
      c.add("connNumPCnt", "Number of unique IP's source packet count", "U64");
      c.add("connNumBCnt", "Number of unique IP's source byte count", "U64");
    }
  }

  onNewFlow(_p: Packet, flow: number): void {
    const f = this.#ctx.flows;
    const ver = f.ipVersion(flow);
    if (ver === 0) return; // layer-2 flows have no connections
    const reply = f.isReply(flow);
    const src = f.srcAddrAt(flow);
    const dst = f.dstAddrAt(flow);
    this.#tables.flowStarts(
      flow,
      ver,
      f.addrWords,
      reply ? dst : src,
      reply ? src : dst,
      f.servicePort(flow),
      reply ? f.subnetDst[flow] : f.subnetSrc[flow],
      reply ? f.subnetSrc[flow] : f.subnetDst[flow],
      this.#full,
    );
  }

  /** Every packet of an IP flow: its sender's totals (`p.len`, the statistics length). */
  onLayer4?(p: Packet, flow: number): void {
    const t = this.#tables;
    if (t.packetOfKnownSender(flow, p.len)) return;
    const f = this.#ctx.flows;
    t.packet(flow, f.ipVersion(flow), f.addrWords, f.srcAddrAt(flow), p.len, this.#full);
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const f = this.#ctx.flows;
    const ver = f.ipVersion(flow);
    const row = this.#row;
    if (ver === 0) {
      row.sip =
        row.dip =
        row.sipDip =
        row.sipDprt =
        row.pkts =
        row.bytes =
          0;
    } else {
      const reply = f.isReply(flow);
      const src = f.srcAddrAt(flow);
      const dst = f.dstAddrAt(flow);
      const missing = this.#tables.flowEnds(
        flow,
        ver,
        f.addrWords,
        reply ? dst : src,
        reply ? src : dst,
        f.servicePort(flow),
        reply,
        src,
        f.subnetSrc[flow],
        row,
      );
      if (missing) this.#warnMissing(flow, missing);
    }
    out.u32(row.sip);
    out.u32(row.dip);
    out.u32(row.sipDip);
    out.u32(row.sipDprt);
    out.f(row.sip !== 0 ? f32(f32(row.sipDprt) / f32(row.sip)) : 0);
    out.f(row.sipDip !== 0 ? f32(f32(row.sipDprt) / f32(row.sipDip)) : 0);
    if (this.#talkers) {
      out.u64(row.pkts);
      out.u64(row.bytes);
    }
  }

  #warnMissing(flow: number, missing: MissingEntry[]): void {
    const f = this.#ctx.flows;
    const stat = f.statusHi[flow].toString(16).padStart(8, "0") +
      f.statusLo[flow].toString(16).padStart(8, "0");
    for (const m of missing) {
      const slot = m === "pair" ? `flowIndex: ${flow}` : `flowIndex ${flow}`;
      this.#ctx.warn(`${slot}, findex: ${f.findex[flow]} ${MISSING_TEXT[m]} 0x${stat}`);
    }
  }

  report(r: ReportWriter): void {
    const t = this.#tables;
    const name = connStat.name;
    const num = (label: string, n: number) => {
      if (n > 0) r.plugin(name, `${label}: ${n}${readableSuffix(n)}`);
    };
    num("Number of unique source IPs", t.numSIP);
    num("Number of unique destination IPs", t.numDIP);
    num("Number of unique source/destination IPs connections", t.numSDIP);
    num("Max unique number of source IP / destination port connections", t.numPort);
    if (t.numSIP !== 0) {
      const connF = f32(f32(t.numPort) / f32(t.numSIP));
      if (connF !== 0) r.plugin(name, `IP connF=connSipDprt/connSip: ${formatF(connF)}`);
      const connG = f32(f32(t.numPort) / f32(t.numSDIP));
      if (connG !== 0) r.plugin(name, `IP connG=connSipDprt/connSipDip: ${formatF(connG)}`);
    }
    const top = (label: string, x: Top, tail: string) => {
      if (x.count > 0) {
        r.plugin(name, `${label}: ${this.#host(x)}: ${x.count}${readableSuffix(x.count)}${tail}`);
      }
    };
    top("Source IP with max connections", t.sMax, " connections");
    top("Destination IP with max connections", t.dMax, " connections");
    if (!this.#talkers) return;
    const c = this.#ctx.counters;
    const p = t.pktTop;
    top("Biggest L3 talker", p, ` [${percent(p.count, c.numPackets)}%] packets`);
    const b = t.byteTop;
    top("Biggest L3 talker", b, ` [${percent(b.count, c.numABytes + c.numBBytes)}%] bytes`);
  }

  /** The address, and ` (CC)` from the geo database unless the code is `-` or a digit. */
  #host(x: Top): string {
    const text = ipWordsText(x.version, x.addr, 0);
    const geo = this.#ctx.geo;
    if (!geo || this.#ctx.num("SUBNET_ON") === 0) return text;
    const cc = geo.countryCode(x.subnet);
    if (cc.length < 2 || cc[0] === "-" || (cc[0] >= "0" && cc[0] <= "9")) return text;
    return `${text} (${cc.slice(0, 2).toUpperCase()})`;
  }
}
