/**
 * tcpWinTMT (plugin 151): the plugin of T2's flow-timeout tutorial, as
 * docs/tutorials/04_flow_timeouts.md writes it (the tutorial's myTcpWinTMT is this code under
 * another name, number and version; tests/tutorial_builtin_test.ts checks it). A small TCP
 * state machine programs flow timeouts: 2.2 s after a SYN, 1 s once established, 1 ms once
 * aborted; a flow whose receiver announced a window below the threshold twice is aborted, so
 * the next packet of the connection starts a new flow. The tutorial's state machine is kept
 * as T2's tutorial has it (a flow that began with SYN stays in state BGN).
 *
 * @module
 */

import {
  type ColumnBuilder,
  formatF,
  formatFixed,
  IpProto,
  NO_FLOW,
  type OutputBuffer,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  type ReportWriter,
  TcpFlag,
} from "../../mod.ts";

/** tcpWinStat bits; the low five are the TCP flags seen (FIN SYN RST PSH ACK). */
export const TCPWIN_THU = 0x80; // a window below the threshold
export const TCPWIN_ABNRM = 0x40; // aborted: too many windows below the threshold

/** Connection states (tcpWinState). */
export const NEW = 0x00;
export const BGN = 0x01;
export const EST = 0x02;
export const ABRT = 0x04;

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
      description: "Count the TCP packets whose window is below this",
    },
    TCPWIN_FLWPRG: {
      type: "int",
      default: 2,
      min: 0,
      description: "Abort a flow after this many packets below the threshold",
    },
    TMT_NEW: { type: "float", default: 10, min: 0, description: "Timeout of a new flow (s)" },
    TMT_BGN: { type: "float", default: 2.2, min: 0, description: "Timeout after a SYN (s)" },
    TMT_EST: { type: "float", default: 1, min: 0, description: "Timeout once established (s)" },
    TMT_ABRT: { type: "float", default: 0.001, min: 0, description: "Timeout once aborted (s)" },
  },
  create: (ctx) => new TcpWinTMT(ctx),
};

/** One run of the plugin. */
class TcpWinTMT implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #thres: number;
  readonly #flwprg: number;
  readonly #tmtBgn: number;
  readonly #tmtEst: number;
  readonly #tmtAbrt: number;
  // Per flow.
  readonly #stat: Uint8Array;
  readonly #state: Uint8Array;
  readonly #winThCnt: Uint32Array;
  // Whole run.
  #tcpPackets = 0;
  #winThCntAll = 0;
  #statAll = 0;
  #stateAll = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#thres = ctx.num("TCPWIN_THRES");
    this.#flwprg = ctx.num("TCPWIN_FLWPRG");
    this.#tmtBgn = ctx.num("TMT_BGN");
    this.#tmtEst = ctx.num("TMT_EST");
    this.#tmtAbrt = ctx.num("TMT_ABRT");
    const a = ctx.perFlow({ stat: Uint8Array, state: Uint8Array, winThCnt: Uint32Array });
    this.#stat = a.stat;
    this.#state = a.state;
    this.#winThCnt = a.winThCnt;
  }

  /** The flow-file columns. */
  columns(c: ColumnBuilder): void {
    c.add("tcpWinStat", "TCP window size threshold status and aggregated TCP flags", "H8");
    c.add("tcpWinState", "TCP window internal connection state", "H8");
    c.add("tcpWinThCnt", "TCP window size threshold count", "U32");
  }

  /** Start of the run: packet-file columns, and every timeout this plugin will give flows. */
  init(): void {
    const ctx = this.#ctx;
    ctx.packetFile?.header("tcpWinStat", "tcpWinState", "tcpWin", "tcpWinThCnt", "flowTmout");
    for (const name of ["TMT_NEW", "TMT_BGN", "TMT_EST", "TMT_ABRT"]) {
      ctx.registerTimeout(ctx.num(name));
    }
  }

  /** A flow was created: reset its slot. */
  onNewFlow(_p: Packet, flow: number): void {
    this.#stat[flow] = 0;
    this.#state[flow] = NEW;
    this.#winThCnt[flow] = 0;
  }

  /** Every packet: a pure layer-2 packet gets empty packet-file columns. */
  onLayer2(_p: Packet, flow: number): void {
    if (flow !== NO_FLOW) this.#ctx.packetFile?.empty(5);
  }

  /** Every packet of an IPv4/IPv6 flow: count, follow the state machine, set timeouts. */
  onLayer4(p: Packet, flow: number): void {
    const ctx = this.#ctx;
    const pf = ctx.packetFile;
    if (ctx.flows.l4Proto(flow) !== IpProto.TCP || !p.firstFragment) {
      pf?.empty(5);
      return;
    }
    const win = p.tcpWindow();
    this.#tcpPackets++;
    // A window cut off by the snap length reads 0: a small window, as in T2.
    if (win < this.#thres) {
      this.#winThCnt[flow]++;
      this.#stat[flow] |= TCPWIN_THU;
    }
    const flags = p.tcpFlags();
    this.#stat[flow] |= flags & 0x1f;
    this.#step(flow, flags);
    if (pf) {
      pf.hex(this.#stat[flow], 2);
      pf.hex(this.#state[flow], 2);
      pf.uint(win);
      pf.uint(this.#winThCnt[flow]);
      pf.text(formatF(ctx.flows.timeout[flow]));
    }
  }

  /** The state machine; a case without `break` goes on with the next one. */
  #step(flow: number, flags: number): void {
    const ctx = this.#ctx;
    switch (this.#state[flow]) {
      case NEW:
        if (flags & TcpFlag.SYN) {
          ctx.setTimeout(flow, this.#tmtBgn);
          this.#state[flow] = BGN;
          break;
        }
        if (!(flags & TcpFlag.ACK)) break;
        this.#state[flow] = EST;
        // falls through
      case BGN:
        ctx.setTimeout(flow, this.#tmtEst);
        // falls through
      case EST: {
        if (this.#stat[flow] & (TcpFlag.FIN | TcpFlag.RST)) {
          this.#state[flow] = ABRT;
          ctx.setTimeout(flow, this.#tmtEst);
          break;
        }
        if (this.#winThCnt[flow] < this.#flwprg) break;
        // Too many small windows: abort this flow and its opposite.
        this.#stat[flow] |= TCPWIN_ABNRM;
        this.#state[flow] = ABRT;
        const opp = ctx.flows.opposite[flow];
        if (opp >= 0) {
          this.#state[opp] = ABRT;
          ctx.setTimeout(opp, this.#tmtAbrt);
        }
      }
      // falls through
      case ABRT:
        ctx.setTimeout(flow, this.#tmtAbrt);
        break;
    }
  }

  /** The flow is written: one value per column; the run totals are updated. */
  onFlowTerminate(flow: number, out: OutputBuffer): void {
    this.#statAll |= this.#stat[flow];
    this.#stateAll |= this.#state[flow];
    this.#winThCntAll += this.#winThCnt[flow];
    out.h8(this.#stat[flow]);
    out.h8(this.#state[flow]);
    out.u32(this.#winThCnt[flow]);
  }

  /** A run on several threads: a shard's run totals (see docs/plugins.md). */
  shardState(): number[] {
    return [this.#tcpPackets, this.#winThCntAll, this.#statAll, this.#stateAll];
  }

  /** A run on several threads: every shard's run totals, added up. */
  mergeShards(states: readonly unknown[]): void {
    for (const s of states as number[][]) {
      this.#tcpPackets += s[0];
      this.#winThCntAll += s[1];
      this.#statAll |= s[2];
      this.#stateAll |= s[3];
    }
  }

  /** End report lines (only if some window was below the threshold). */
  report(r: ReportWriter): void {
    if (!this.#winThCntAll) return;
    const name = tcpWinTMT.name;
    const hex = (v: number) => v.toString(16).padStart(2, "0");
    r.plugin(name, `Aggregated tcpWinStat=0x${hex(this.#statAll)}`);
    r.plugin(name, `Aggregated tcpWinState=0x${hex(this.#stateAll)}`);
    const percent = formatFixed((100 * Math.fround(this.#winThCntAll)) / this.#tcpPackets, 2);
    r.plugin(
      name,
      `Number of TCP winsize packets below threshold ${this.#thres}: ${this.#winThCntAll} [${percent}%]`,
    );
  }
}
