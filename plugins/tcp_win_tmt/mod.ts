/**
 * tcpWinTMT (plugin 151): the flow-timeout tutorial's plugin. A small TCP state machine sets
 * each flow's timeout (and its opposite's): 2.2 s after a SYN, 1 s once established, 1 ms
 * once aborted; a flow whose window fell below the threshold twice is aborted, so the next
 * packet of the connection starts a new flow. The tutorial's state machine is kept as
 * written (a flow that began with SYN stays in state BGN; see reference/README.md).
 *
 * @module
 */

import type { Packet } from "../../src/dissect/packet.ts";
import type { PluginContext, PluginDefinition, PluginHooks } from "../../src/plugin/api.ts";
import type { ColumnBuilder } from "../../src/plugin/columns.ts";
import type { OutputBuffer } from "../../src/plugin/output_buffer.ts";
import type { ReportWriter } from "../../src/output/report_writer.ts";
import { formatF, formatFixed } from "../../src/output/printf.ts";

/** tcpWinStat bits (the low five are the TCP flags FIN SYN RST PSH ACK seen). */
export const TCPWIN_THU = 0x80;
export const TCPWIN_ABNRM = 0x40;

/** Connection states. */
export const State = { NEW: 0x00, BGN: 0x01, EST: 0x02, ABRT: 0x04 } as const;

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

/** The tcpWinTMT plugin. */
export const tcpWinTMT: PluginDefinition = {
  name: "tcpWinTMT",
  number: 151,
  version: "0.9.3",
  settings: {
    TCPWIN_THRES: {
      type: "int",
      default: 1,
      min: 0,
      max: 65536,
      description: "TCP window size threshold: packets with a smaller window are counted",
    },
    TCPWIN_FLWPRG: {
      type: "int",
      default: 2,
      min: 0,
      description: "Packets below the threshold after which a flow is aborted",
    },
    TMT_NEW: { type: "float", default: 10, min: 0, description: "Timeout of a new flow (s)" },
    TMT_BGN: { type: "float", default: 2.2, min: 0, description: "Timeout after a SYN (s)" },
    TMT_EST: {
      type: "float",
      default: 1.0,
      min: 0,
      description: "Timeout of an established flow (s)",
    },
    TMT_ABRT: {
      type: "float",
      default: 0.001,
      min: 0,
      description: "Timeout of an aborted flow (s)",
    },
  },
  create: (ctx) => new TcpWinTmt(ctx),
};

class TcpWinTmt implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #thres: number;
  readonly #flwprg: number;
  readonly #tmtBgn: number;
  readonly #tmtEst: number;
  readonly #tmtAbrt: number;
  readonly #stat: Uint8Array;
  readonly #state: Uint8Array;
  readonly #winThCnt: Uint32Array;
  #tcpPackets = 0;
  #winThCntAll = 0;
  #statAll = 0;
  #stateAll = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#thres = ctx.num("TCPWIN_THRES");
    this.#flwprg = ctx.num("TCPWIN_FLWPRG");
    this.#tmtBgn = Math.fround(ctx.num("TMT_BGN"));
    this.#tmtEst = Math.fround(ctx.num("TMT_EST"));
    this.#tmtAbrt = Math.fround(ctx.num("TMT_ABRT"));
    const a = ctx.perFlow({ stat: Uint8Array, state: Uint8Array, winThCnt: Uint32Array });
    this.#stat = a.stat;
    this.#state = a.state;
    this.#winThCnt = a.winThCnt;
  }

  columns(c: ColumnBuilder): void {
    c.add("tcpWinStat", "TCP window size threshold status and aggregated TCP flags", "H8");
    c.add("tcpWinState", "TCP window internal connection state", "H8");
    c.add("tcpWinThCnt", "TCP window size threshold count", "U32");
  }

  init(): void {
    const ctx = this.#ctx;
    ctx.packetFile?.header("tcpWinStat", "tcpWinState", "tcpWin", "tcpWinThCnt", "flowTmout");
    for (const t of ["TMT_NEW", "TMT_BGN", "TMT_EST", "TMT_ABRT"]) {
      ctx.registerTimeout(ctx.num(t));
    }
  }

  onNewFlow(_p: Packet, flow: number): void {
    this.#stat[flow] = 0;
    this.#state[flow] = State.NEW;
    this.#winThCnt[flow] = 0;
  }

  onLayer2(_p: Packet, flow: number): void {
    if (flow >= 0) this.#ctx.packetFile?.empty(5);
  }

  onLayer4(p: Packet, flow: number): void {
    const ctx = this.#ctx;
    const flows = ctx.flows;
    const pf = ctx.packetFile;
    if (flows.l4Proto(flow) !== 6 || !p.firstFragment) {
      pf?.empty(5);
      return;
    }
    const opp = flows.opposite[flow];
    // A window cut off by the capture reads 0 but is no observation of a small window.
    const win = p.u16(p.l4Off + 14);
    const seen = p.l4Off + 16 <= p.end;
    this.#tcpPackets++;
    if (seen && win < this.#thres) {
      this.#winThCnt[flow]++;
      this.#stat[flow] |= TCPWIN_THU;
    }
    const flags = p.u8(p.l4Off + 13);
    this.#stat[flow] |= flags & 0x1f;
    this.#step(flow, opp, flags);
    if (pf) {
      pf.hex(this.#stat[flow], 2);
      pf.hex(this.#state[flow], 2);
      pf.uint(win);
      pf.uint(this.#winThCnt[flow]);
      pf.text(formatF(flows.timeout[flow]));
    }
  }

  /** The tutorial's state machine, including its fall-throughs (NEW → BGN → EST → ABRT). */
  #step(flow: number, opp: number, flags: number): void {
    const timeout = this.#ctx.flows.timeout;
    const state = this.#state[flow];
    let stage: number;
    if (state === State.NEW) stage = 0;
    else if (state === State.BGN) stage = 1;
    else if (state === State.EST) stage = 2;
    else if (state === State.ABRT) stage = 3;
    else return;
    if (stage === 0) {
      if (flags & TH_SYN) {
        timeout[flow] = this.#tmtBgn;
        this.#state[flow] = State.BGN;
        return;
      }
      if (!(flags & TH_ACK)) return;
      this.#state[flow] = State.EST;
      stage = 1;
    }
    if (stage === 1) {
      timeout[flow] = this.#tmtEst; // the state is not changed: BGN stays BGN
      stage = 2;
    }
    if (stage === 2) {
      if (this.#stat[flow] & (TH_FIN | TH_RST)) {
        this.#state[flow] = State.ABRT;
        timeout[flow] = this.#tmtEst;
        return;
      }
      if (this.#winThCnt[flow] < this.#flwprg) return;
      this.#stat[flow] |= TCPWIN_ABNRM;
      this.#state[flow] = State.ABRT;
      timeout[flow] = this.#tmtAbrt;
      if (opp >= 0) {
        this.#state[opp] = State.ABRT;
        timeout[opp] = this.#tmtAbrt;
      }
    }
    timeout[flow] = this.#tmtAbrt;
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    this.#statAll |= this.#stat[flow];
    this.#stateAll |= this.#state[flow];
    this.#winThCntAll += this.#winThCnt[flow];
    out.h8(this.#stat[flow]);
    out.h8(this.#state[flow]);
    out.u32(this.#winThCnt[flow]);
  }

  report(r: ReportWriter): void {
    if (!this.#winThCntAll) return;
    const name = tcpWinTMT.name;
    const hex = (v: number) => v.toString(16).padStart(2, "0");
    r.plugin(name, `Aggregated tcpWinStat=0x${hex(this.#statAll)}`);
    r.plugin(name, `Aggregated tcpWinState=0x${hex(this.#stateAll)}`);
    const pct = 100.0 * Math.fround(this.#winThCntAll) / this.#tcpPackets;
    r.plugin(
      name,
      `Number of TCP winsize packets below threshold ${this.#thres}: ${this.#winThCntAll} [${
        formatFixed(pct, 2)
      }%]`,
    );
  }
}
