/**
 * tcpStates (plugin 132): follows each TCP connection through a small state machine seen from a
 * passive observer (NEW, ESTABLISHED, CLOSING, CLOSED, RESET), flags protocol violations in
 * one H8 column (`tcpStatesAFlags`), and sets the flow timeouts of both directions by state:
 * 120 s after a SYN, 610 s once established, 120 s while closing, 10 s once closed, 0.1 s after
 * a reset. So loading it changes when flows end, how connections split into flows and the order
 * of the flow file. Written from spec/plugins/tcpStates.md (T2 0.9.3).
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
  type ReportWriter,
  TcpFlag,
} from "../../mod.ts";

/** Connection states. */
export const State = { NEW: 0, ESTABLISHED: 1, CLOSING: 2, CLOSED: 3, RESET: 4 } as const;

/** Bits of `tcpStatesAFlags`. */
export const Anomaly = {
  /** Connection establishment not seen or inconsistent. */
  BAD_OPEN: 0x01,
  /** Teardown incomplete (no complete FIN exchange), or a RST after establishment. */
  BAD_CLOSE: 0x02,
  /** In ESTABLISHED: a packet with SYN set or ACK clear (set on both directions). */
  BAD_FLAGS_EST: 0x04,
  /** A packet after the connection was closed. */
  AFTER_CLOSE: 0x08,
  /** A packet after a reset. */
  AFTER_RST: 0x10,
  /** This direction sent a RST. */
  RST_SENT: 0x40,
  /** NULL or Xmas flags, FIN alone while NEW, a lone RST, or a FIN scan. */
  EVIL: 0x80,
} as const;

// One-bit per-flow facts.
const SYN_SEEN = 0x01;
const SYN_ACKD = 0x02;
const FIN_SEEN = 0x04;
const FIN_ACKD = 0x08;
const FIN_SCAN = 0x10;

/** The tcpStates plugin. */
export const tcpStates: PluginDefinition = {
  name: "tcpStates",
  number: 132,
  version: "0.9.3",
  settings: {
    TIMEOUT_NEW: {
      type: "float",
      default: 120,
      min: 0,
      description: "Flow timeout after a SYN (s)",
    },
    TIMEOUT_ESTABLISHED: {
      type: "float",
      default: 610,
      min: 0,
      description: "Flow timeout of an established connection (s)",
    },
    TIMEOUT_CLOSING: {
      type: "float",
      default: 120,
      min: 0,
      description: "Flow timeout after a FIN (s)",
    },
    TIMEOUT_CLOSED: {
      type: "float",
      default: 10,
      min: 0,
      description: "Flow timeout once both FINs are acknowledged (s)",
    },
    TIMEOUT_RESET: {
      type: "float",
      default: 0.1,
      min: 0,
      description: "Flow timeout after a RST (s)",
    },
  },
  create: (ctx) => new TcpStates(ctx),
};

/** One run of the plugin. */
class TcpStates implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #timeout: Float64Array; // by state
  readonly #opposite: Int32Array;
  // Per flow.
  readonly #synSeq: Float64Array;
  readonly #finSeq: Float64Array;
  readonly #anom: Uint8Array;
  readonly #state: Uint8Array;
  readonly #bits: Uint8Array;
  /** The packet's sequence and acknowledgement numbers. */
  readonly #num = new Uint32Array(2);
  /** OR of the written TCP flows' anomalies. */
  #aggregate = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#opposite = ctx.flows.opposite;
    this.#timeout = new Float64Array([
      ctx.num("TIMEOUT_NEW"),
      ctx.num("TIMEOUT_ESTABLISHED"),
      ctx.num("TIMEOUT_CLOSING"),
      ctx.num("TIMEOUT_CLOSED"),
      ctx.num("TIMEOUT_RESET"),
    ]);
    const a = ctx.perFlow({
      synSeq: Float64Array,
      finSeq: Float64Array,
      anom: Uint8Array,
      state: Uint8Array,
      bits: Uint8Array,
    });
    this.#synSeq = a.synSeq;
    this.#finSeq = a.finSeq;
    this.#anom = a.anom;
    this.#state = a.state;
    this.#bits = a.bits;
  }

  columns(c: ColumnBuilder): void {
    c.add("tcpStatesAFlags", "TCP state machine anomalies", "H8");
  }

  init(): void {
    const ctx = this.#ctx;
    ctx.packetFile?.header("tcpStatesAFlags");
    // T2's order of registration (it places the handlers' sentinels).
    const t = this.#timeout;
    for (const s of [State.RESET, State.NEW, State.ESTABLISHED, State.CLOSING, State.CLOSED]) {
      ctx.registerTimeout(t[s]);
    }
  }

  onNewFlow(_p: Packet, flow: number): void {
    this.#synSeq[flow] = 0;
    this.#finSeq[flow] = 0;
    this.#anom[flow] = 0;
    this.#state[flow] = State.NEW;
    this.#bits[flow] = 0;
  }

  onLayer2(_p: Packet, flow: number): void {
    if (flow !== NO_FLOW) this.#ctx.packetFile?.hex(0, 2);
  }

  onLayer4(p: Packet, flow: number): void {
    const pf = this.#ctx.packetFile;
    // T2 reads the flags byte at offset 13 with 13 bytes captured: it reads 0 here.
    if (p.l4Proto !== IpProto.TCP || !p.firstFragment || p.snapL4Len < 13) {
      pf?.hex(0, 2);
      return;
    }
    const fl = p.tcpFlags();
    // seq and ack go through a typed array: above 2^30 a number passed on would be boxed. An
    // established connection's packet without FIN does not read them (most packets).
    if (this.#state[flow] !== State.ESTABLISHED || (fl & TcpFlag.FIN)) {
      const num = this.#num;
      p.u32Into(num, 0, p.l4Off + 4);
      p.u32Into(num, 1, p.l4Off + 8);
    }
    this.#step(flow, fl);
    pf?.hex(this.#anom[flow], 2);
  }

  /** Move to `state` and set the timeout it stands for. */
  #enter(flow: number, state: number): void {
    this.#state[flow] = state;
    this.#ctx.setTimeout(flow, this.#timeout[state]);
  }

  /**
   * The state machine for one TCP packet with flags `fl` (spec §6); seq and ack in `#num`
   * (not updated for an ESTABLISHED flow's packet without FIN: that path does not read them).
   */
  #step(flow: number, fl: number): void {
    const seq = this.#num[0];
    const ack = this.#num[1];
    const anom = this.#anom;
    const bits = this.#bits;
    const o = this.#opposite[flow];
    const { FIN, SYN, RST, ACK } = TcpFlag;
    const low = fl & 0x3f;
    if (low === 0x29 || low === 0) anom[flow] |= Anomaly.EVIL; // Xmas or NULL

    switch (this.#state[flow]) {
      case State.NEW: {
        const fsra = fl & (FIN | SYN | RST | ACK);
        if ((fl & (FIN | SYN | RST)) === SYN) {
          bits[flow] |= SYN_SEEN;
          this.#synSeq[flow] = seq;
          this.#ctx.setTimeout(flow, this.#timeout[State.NEW]);
          if (!(fl & ACK)) break;
          if (o >= 0 && ack === this.#synSeq[o] + 1) bits[o] |= SYN_ACKD;
          else this.#badOpen(flow, o);
        } else if (o >= 0 && fsra === ACK) {
          if (ack === this.#synSeq[o] + 1) {
            bits[o] |= SYN_ACKD;
            if (bits[flow] & SYN_ACKD) {
              this.#enter(flow, State.ESTABLISHED);
              this.#enter(o, State.ESTABLISHED);
            }
          } else {
            this.#badOpen(flow, o);
          }
        } else if (o >= 0 && fsra === (RST | ACK)) {
          this.#enter(flow, State.RESET);
          anom[flow] |= Anomaly.RST_SENT;
          this.#enter(o, State.RESET);
        } else if (fl & RST) {
          anom[flow] |= Anomaly.RST_SENT | Anomaly.BAD_OPEN;
          this.#enter(flow, State.RESET);
          if (o >= 0) {
            anom[o] |= Anomaly.BAD_OPEN;
            this.#enter(o, State.RESET);
          } else {
            anom[flow] |= Anomaly.EVIL;
          }
        } else if (fsra === (FIN | ACK)) {
          bits[flow] |= FIN_SEEN;
          this.#finSeq[flow] = seq;
          anom[flow] |= Anomaly.BAD_OPEN;
          this.#enter(flow, State.CLOSING);
          if (o >= 0) {
            anom[o] |= Anomaly.BAD_OPEN;
            if ((bits[o] & FIN_SEEN) && this.#finSeq[o] + 1 === ack) bits[o] |= FIN_ACKD;
          } else {
            bits[flow] |= FIN_SCAN;
          }
        } else if (fsra === FIN) {
          anom[flow] |= Anomaly.EVIL;
        } else {
          this.#badOpen(flow, o);
        }
        break;
      }
      case State.ESTABLISHED:
        if ((fl & (SYN | ACK)) !== ACK) {
          anom[flow] |= Anomaly.BAD_FLAGS_EST;
          if (o >= 0) anom[o] |= Anomaly.BAD_FLAGS_EST;
        }
        if (fl & FIN) {
          bits[flow] |= FIN_SEEN;
          this.#finSeq[flow] = seq;
          this.#enter(flow, State.CLOSING);
          if ((fl & ACK) && o >= 0) this.#ackFin(o);
        }
        if (fl & RST) this.#reset(flow, o);
        break;
      case State.CLOSING:
        if (fl & RST) this.#reset(flow, o);
        if ((fl & ACK) && o >= 0) this.#ackFin(o);
        if (
          o >= 0 && (bits[flow] & (FIN_SEEN | FIN_ACKD)) === (FIN_SEEN | FIN_ACKD) &&
          (bits[o] & (FIN_SEEN | FIN_ACKD)) === (FIN_SEEN | FIN_ACKD)
        ) {
          this.#enter(flow, State.CLOSED);
          this.#enter(o, State.CLOSED);
        }
        break;
      case State.CLOSED:
        anom[flow] |= Anomaly.AFTER_CLOSE;
        if (fl & RST) this.#reset(flow, o);
        break;
      case State.RESET:
        anom[flow] |= Anomaly.AFTER_RST;
        break;
    }
  }

  /** A connection whose opening was not seen or inconsistent: both sides established. */
  #badOpen(flow: number, o: number): void {
    this.#enter(flow, State.ESTABLISHED);
    this.#anom[flow] |= Anomaly.BAD_OPEN;
    if (o >= 0) {
      this.#enter(o, State.ESTABLISHED);
      this.#anom[o] |= Anomaly.BAD_OPEN;
    }
  }

  /** `o`'s FIN is acknowledged when the packet's ack is its sequence number + 1. */
  #ackFin(o: number): void {
    if ((this.#bits[o] & FIN_SEEN) && this.#num[1] === this.#finSeq[o] + 1) {
      this.#bits[o] |= FIN_ACKD;
    }
  }

  /** This side sent a RST: both sides reset. */
  #reset(flow: number, o: number): void {
    this.#enter(flow, State.RESET);
    this.#anom[flow] |= Anomaly.RST_SENT | Anomaly.BAD_CLOSE;
    if (o >= 0) {
      this.#enter(o, State.RESET);
      this.#anom[o] |= Anomaly.BAD_CLOSE;
    }
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const flows = this.#ctx.flows;
    let a = this.#anom[flow];
    if (flows.l4Proto(flow) === IpProto.TCP && flows.ipVersion(flow) !== 0) {
      const bits = this.#bits;
      const o = this.#opposite[flow];
      if (o < 0) {
        a |= Anomaly.BAD_OPEN | Anomaly.BAD_CLOSE;
      } else {
        const open = SYN_SEEN | SYN_ACKD;
        if ((bits[flow] & open) !== open || (bits[o] & open) !== open) a |= Anomaly.BAD_OPEN;
        const close = FIN_SEEN | FIN_ACKD;
        if ((bits[flow] & close) !== close || (bits[o] & close) !== close) {
          a |= Anomaly.BAD_CLOSE;
        } else {
          bits[flow] &= ~FIN_SCAN;
          bits[o] &= ~FIN_SCAN;
        }
      }
      if (bits[flow] & FIN_SCAN) a |= Anomaly.EVIL;
      this.#anom[flow] = a;
      this.#aggregate |= a;
    }
    out.h8(a);
  }

  /** A run on several threads: a shard's OR of the written flows' anomalies. */
  shardState(): number {
    return this.#aggregate;
  }

  /** A run on several threads: every shard's OR. */
  mergeShards(states: readonly unknown[]): void {
    for (const s of states as number[]) this.#aggregate |= s;
  }

  report(r: ReportWriter): void {
    if (!this.#aggregate) return;
    r.plugin(
      tcpStates.name,
      `Aggregated tcpStatesAFlags=0x${this.#aggregate.toString(16).padStart(2, "0")}`,
    );
  }
}
