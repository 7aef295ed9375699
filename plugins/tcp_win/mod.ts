/**
 * tcpWin (plugin 150): the plugin of T2's plugin tutorials, as docs/tutorials/01 to 03 write
 * it (the tutorials' myTcpWin is this code under another name, number and version;
 * tests/tutorial_builtin_test.ts checks it). Counts, per flow, the TCP packets whose window is
 * below a threshold, and reports each flow's IP TTL, initial window and share of such packets;
 * the end report gives the totals and `PREFIX_tcpwin.txt` the IPv4 sources with the highest
 * share. In packet mode (`-s`) it adds each TCP packet's window and the flow's count so far.
 *
 * @module
 */

import {
  type ColumnBuilder,
  type FlowNotes,
  flowStatus,
  formatF,
  IpProto,
  ipv4Text,
  NO_FLOW,
  type OutputBuffer,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  type ReportWriter,
} from "../../mod.ts";

/** tcpWinStat bit: a packet of the flow had a window below the threshold. */
export const TCPWIN_STAT_THU = 0x01;

/** The tcpWin plugin. */
export const tcpWin: PluginDefinition = {
  name: "tcpWin",
  number: 150,
  version: "0.9.3",
  settings: {
    TCPWIN_THRES: {
      type: "int",
      default: 1,
      min: 0,
      max: 65536,
      description: "Count the TCP packets whose window is below this",
    },
    TCPWIN_MINPKTS: {
      type: "int",
      default: 50,
      min: 0,
      description: "Summary file: only flows with at least this many TCP packets",
    },
    TCPWIN_MAXWSCNT: {
      type: "int",
      default: 100,
      min: 0,
      description: "Summary file: at most this many addresses",
    },
    TCPWIN_SUFFIX: {
      type: "string",
      default: "_tcpwin.txt",
      description: "Summary file: name suffix",
    },
  },
  create: (ctx) => new TcpWin(ctx),
};

/** One run of the plugin: its per-flow state lives in typed arrays indexed by flow. */
class TcpWin implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #thres: number;
  readonly #minPkts: number;
  readonly #maxEntries: number;
  // Per flow.
  readonly #stat: Uint8Array;
  readonly #ttl: Uint8Array;
  readonly #winInit: Uint32Array;
  readonly #winThCnt: Uint32Array;
  readonly #pktTcpCnt: Uint32Array;
  // Whole run.
  #statAll = 0;
  #tcpPackets = 0;
  #belowPackets = 0;
  /** Summary: IPv4 source address → [TCP packets, ratio] of its flow with the highest ratio. */
  readonly #summary = new Map<number, [number, number]>();

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#thres = ctx.num("TCPWIN_THRES");
    this.#minPkts = ctx.num("TCPWIN_MINPKTS");
    this.#maxEntries = ctx.num("TCPWIN_MAXWSCNT");
    const a = ctx.perFlow({
      stat: Uint8Array,
      ttl: Uint8Array,
      winInit: Uint32Array,
      winThCnt: Uint32Array,
      pktTcpCnt: Uint32Array,
    });
    this.#stat = a.stat;
    this.#ttl = a.ttl;
    this.#winInit = a.winInit;
    this.#winThCnt = a.winThCnt;
    this.#pktTcpCnt = a.pktTcpCnt;
  }

  /** The flow-file columns, in the order onFlowTerminate appends their values. */
  columns(c: ColumnBuilder): void {
    c.add("tcpWinStat", "TCP window size threshold status", "H8");
    c.add("tcpWinIpTTL", "IP TTL", "U8");
    c.add("tcpInitWinSz", "TCP initial effective window size", "U32");
    c.add("tcpWinThCnt", "TCP window size threshold count", "U32");
    c.add("tcpWinSzThRt", "TCP packet count ratio below window size WINMIN threshold", "F");
  }

  /** Start of the run: the packet-file columns (packet mode only). */
  init(): void {
    this.#ctx.packetFile?.header("tcpWinSize", "tcpWinThPktCnt");
  }

  /** A flow was created: reset its slot and keep what its first packet says. */
  onNewFlow(p: Packet, flow: number): void {
    this.#stat[flow] = 0;
    this.#ttl[flow] = 0;
    this.#winInit[flow] = 0;
    this.#winThCnt[flow] = 0;
    this.#pktTcpCnt[flow] = 0;
    const flows = this.#ctx.flows;
    if (flows.statusLo[flow] & flowStatus.L2_FLOW) return; // a layer-2 flow has no IP header
    this.#ttl[flow] = p.ipTTL(); // IPv4 TTL or IPv6 hop limit
    if (flows.l4Proto(flow) !== IpProto.TCP) return; // TCP only
    this.#winInit[flow] = p.tcpWindow();
  }

  /** Every packet: a pure layer-2 packet gets empty packet-file columns. */
  onLayer2(_p: Packet, flow: number): void {
    if (flow !== NO_FLOW) this.#ctx.packetFile?.empty(2);
  }

  /** Every packet of an IPv4/IPv6 flow. */
  onLayer4(p: Packet, flow: number): void {
    const pf = this.#ctx.packetFile;
    // TCP only, and a later fragment carries no TCP header
    if (this.#ctx.flows.l4Proto(flow) !== IpProto.TCP || !p.firstFragment) {
      pf?.empty(2);
      return;
    }
    const win = p.tcpWindow();
    this.#pktTcpCnt[flow]++;
    this.#tcpPackets++;
    // A window cut off by the snap length reads 0: a small window, as in T2.
    if (win < this.#thres) {
      this.#winThCnt[flow]++;
      this.#stat[flow] |= TCPWIN_STAT_THU;
      this.#belowPackets++;
    }
    if (pf) {
      pf.uint(win);
      pf.uint(this.#winThCnt[flow]);
    }
  }

  /** The flow is written: one value per column; the run totals and the summary are updated. */
  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const count = this.#winThCnt[flow];
    const tcp = this.#pktTcpCnt[flow];
    // in float32, as T2's C code divides two floats
    const ratio = tcp ? Math.fround(Math.fround(count) / Math.fround(tcp)) : 0;
    this.#statAll |= this.#stat[flow];
    out.h8(this.#stat[flow]);
    out.u8(this.#ttl[flow]);
    out.u32(this.#winInit[flow]);
    out.u32(count);
    out.f(ratio);
    const flows = this.#ctx.flows;
    const src = flows.ipVersion(flow) === 4 ? flows.srcIPv4(flow) : -1;
    this.#summarize(src, count, tcp, ratio);
    // A run on several threads: the main thread's instance redoes the above in output order.
    out.note(this.#stat[flow]);
    out.note(src);
    out.note(count);
    out.note(tcp);
    out.note(ratio);
  }

  /** A run on several threads: a written flow line's notes (see onFlowTerminate). */
  onFlowWritten(notes: FlowNotes): void {
    this.#statAll |= notes.next();
    const src = notes.next();
    const count = notes.next();
    const tcp = notes.next();
    this.#summarize(src, count, tcp, notes.next());
  }

  /** A run on several threads: the packet totals of a shard. */
  shardState(): number[] {
    return [this.#tcpPackets, this.#belowPackets];
  }

  /** A run on several threads: every shard's packet totals. */
  mergeShards(states: readonly unknown[]): void {
    for (const s of states as number[][]) {
      this.#tcpPackets += s[0];
      this.#belowPackets += s[1];
    }
  }

  /**
   * Keep, per IPv4 source (`src`; -1: not an IPv4 flow), the TCP packets and ratio of its
   * flow with the highest ratio.
   */
  #summarize(src: number, count: number, tcp: number, ratio: number): void {
    if (src < 0) return;
    if (count === 0 || tcp < this.#minPkts) return;
    if (this.#summary.size >= this.#maxEntries) return; // full: no more changes
    const entry = this.#summary.get(src);
    if (ratio > (entry ? entry[1] : 0)) this.#summary.set(src, [tcp, ratio]);
  }

  /** End report lines. */
  report(r: ReportWriter): void {
    const name = tcpWin.name;
    if (this.#statAll) {
      r.plugin(name, `Aggregated tcpWinStat=0x${this.#statAll.toString(16).padStart(2, "0")}`);
    }
    r.pluginNumP(
      name,
      `Number of TCP winsize packets below threshold ${this.#thres}`,
      this.#belowPackets,
      this.#tcpPackets,
    );
  }

  /** End of the run: write the summary file (the core closes it). */
  finalize(): void {
    const ctx = this.#ctx;
    const file = ctx.summaryFile(String(ctx.setting("TCPWIN_SUFFIX")));
    file.line("# IP\tpktTcpCnt\twinRelThCnt");
    for (const [ip, [tcp, ratio]] of this.#summary) {
      file.line(`${ipv4Text(ip)}\t${tcp}\t${formatF(ratio)}`);
    }
  }
}
