/**
 * tcpWin (plugin 150): the plugin the T2 tutorials build. Counts TCP packets whose window is
 * below a threshold, per flow and overall; reports the initial window and the IP TTL of
 * each flow; writes the packet-mode columns `tcpWinSize` and `tcpWinThPktCnt`; and keeps a
 * summary of the IPv4 sources with the highest share of such packets (`PREFIX_tcpwin.txt`).
 *
 * Only TCP packets of a first (or no) fragment are counted, as in the tutorial.
 *
 * @module
 */

import { L2_FLOW } from "../../src/base/flow_status.ts";
import { type Packet, PacketKind } from "../../src/dissect/packet.ts";
import type { PluginContext, PluginDefinition, PluginHooks } from "../../src/plugin/api.ts";
import type { ColumnBuilder } from "../../src/plugin/columns.ts";
import type { OutputBuffer } from "../../src/plugin/output_buffer.ts";
import type { ReportWriter } from "../../src/output/report_writer.ts";
import { ByteWriter } from "../../src/output/byte_writer.ts";
import { openOutputFile } from "../../src/output/output_file.ts";
import { formatF } from "../../src/output/printf.ts";
import { ipv4Text } from "../../src/output/ip_text.ts";

/** tcpWinStat bit: some packet's window was below the threshold. */
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
      description: "TCP window size threshold: packets with a smaller window are counted",
    },
    TCPWIN_MINPKTS: {
      type: "int",
      default: 50,
      min: 0,
      description: "Summary file: minimal number of TCP packets of a flow",
    },
    TCPWIN_MAXWSCNT: {
      type: "int",
      default: 100,
      min: 0,
      description: "Summary file: maximal number of IP addresses",
    },
    TCPWIN_SUFFIX: {
      type: "string",
      default: "_tcpwin.txt",
      description: "Summary file: file name suffix",
    },
  },
  create: (ctx) => new TcpWin(ctx),
};

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
  /** Summary table: IPv4 address → [TCP packets, ratio], in insertion order. */
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

  columns(c: ColumnBuilder): void {
    c.add("tcpWinStat", "TCP window size threshold status", "H8");
    c.add("tcpWinIpTTL", "IP TTL", "U8");
    c.add("tcpInitWinSz", "TCP initial effective window size", "U32");
    c.add("tcpWinThCnt", "TCP window size threshold count", "U32");
    c.add("tcpWinSzThRt", "TCP packet count ratio below window size WINMIN threshold", "F");
  }

  init(): void {
    this.#ctx.packetFile?.header("tcpWinSize", "tcpWinThPktCnt");
  }

  onNewFlow(p: Packet, flow: number): void {
    this.#stat[flow] = 0;
    this.#ttl[flow] = 0;
    this.#winInit[flow] = 0;
    this.#winThCnt[flow] = 0;
    this.#pktTcpCnt[flow] = 0;
    const flows = this.#ctx.flows;
    if (flows.statusLo[flow] & L2_FLOW) return; // no layer 3
    this.#ttl[flow] = p.u8(p.l3Off + (p.kind === PacketKind.IPV6 ? 7 : 8));
    if (flows.l4Proto(flow) !== 6) return;
    // Read from the first packet as the tutorial does (even a later fragment's bytes).
    this.#winInit[flow] = p.u16(p.l4Off + 14);
  }

  onLayer2(_p: Packet, flow: number): void {
    if (flow >= 0) this.#ctx.packetFile?.empty(2);
  }

  onLayer4(p: Packet, flow: number): void {
    const pf = this.#ctx.packetFile;
    if (this.#ctx.flows.l4Proto(flow) !== 6 || !p.firstFragment) {
      pf?.empty(2);
      return;
    }
    // A window cut off by the capture reads 0 but is no observation of a small window.
    const win = p.u16(p.l4Off + 14);
    const seen = p.l4Off + 16 <= p.end;
    this.#pktTcpCnt[flow]++;
    this.#tcpPackets++;
    if (seen && win < this.#thres) {
      this.#winThCnt[flow]++;
      this.#stat[flow] |= TCPWIN_STAT_THU;
      this.#belowPackets++;
    }
    if (pf) {
      pf.uint(win);
      pf.uint(this.#winThCnt[flow]);
    }
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const stat = this.#stat[flow];
    const count = this.#winThCnt[flow];
    const tcp = this.#pktTcpCnt[flow];
    this.#statAll |= stat;
    const ratio = tcp ? Math.fround(Math.fround(count) / Math.fround(tcp)) : 0;
    out.h8(stat);
    out.u8(this.#ttl[flow]);
    out.u32(this.#winInit[flow]);
    out.u32(count);
    out.f(ratio);
    this.#summarize(flow, count, tcp, ratio);
  }

  /** Summary table, updated as each flow is written (reference/README.md). */
  #summarize(flow: number, count: number, tcp: number, ratio: number): void {
    const flows = this.#ctx.flows;
    if (flows.ipVersion(flow) !== 4) return;
    if (count === 0 || tcp < this.#minPkts) return;
    if (this.#summary.size >= this.#maxEntries) return;
    const src = flows.srcIPv4(flow);
    const entry = this.#summary.get(src);
    if (ratio > (entry ? entry[1] : 0)) this.#summary.set(src, [tcp, ratio]);
  }

  report(r: ReportWriter): void {
    const name = tcpWin.name;
    if (this.#statAll) r.plugin(name, `Aggregated tcpWinStat=0x${hex2(this.#statAll)}`);
    r.pluginNumP(
      name,
      `Number of TCP winsize packets below threshold ${this.#thres}`,
      this.#belowPackets,
      this.#tcpPackets,
    );
  }

  finalize(): void {
    const ctx = this.#ctx;
    const f = openOutputFile(ctx.outputPrefix + String(ctx.setting("TCPWIN_SUFFIX")));
    const w = new ByteWriter(f, 1 << 16);
    w.text("# IP\tpktTcpCnt\twinRelThCnt\n");
    for (const [ip, [tcp, ratio]] of this.#summary) {
      w.text(`${ipv4Text(ip)}\t${tcp}\t${formatF(ratio)}\n`);
    }
    w.flush();
    f.close();
  }
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, "0");
}
