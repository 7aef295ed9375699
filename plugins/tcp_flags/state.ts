/**
 * tcpFlags' per-flow state (spec/plugins/tcpFlags.md §4) as one record per flow: a flow's
 * ~270 bytes lie side by side in one array (`ctx.perFlow` with a width), viewed as float64,
 * 32-bit, 16-bit and 8-bit values, so a packet touches a few cache lines of its flow (and of
 * the opposite flow) instead of one per value. Each constant is a value's index within its
 * record in the view of its type: flow `f`'s value `SEQ_NEXT` is `u32[f * stride32 + SEQ_NEXT]`.
 *
 * @module
 */

// ---------------------------------------------------------------- float64 (bytes 0-47)
/** Time of the flow's previous packet: seconds. */
export const LAST_SEC = 0;
/** Time of the first TCP timestamp option: seconds. */
export const TS_FIRST_SEC = 1;
/** Time of the last TCP timestamp option: seconds. */
export const TS_LAST_SEC = 2;
/** Sum of the sequence number steps (i64). */
export const SEQ_BYTES = 3;
/** Sum of the acknowledgement number steps (i64). */
export const ACK_BYTES = 4;
/** Sum of the payload lengths (i64). */
export const M_LEN = 5;

// ---------------------------------------------------------------- 32-bit (bytes 48-175)
// Uint32 and Float32 values share this area's numbering (index in 4-byte units).
/** Time of the flow's previous packet: nanoseconds. */
export const LAST_NS = 12;
export const TS_FIRST_NS = 13;
export const TS_LAST_NS = 14;
export const SEQ_NEXT = 15;
export const SEQ_LAST = 16;
export const ACK_LAST = 17;
export const SEQ_INIT = 18;
export const SEQ_MAX = 19;
export const IP6_HH_OPTS = 20;
export const IP6_D_OPTS = 21;
export const IP_OPTS = 22;
export const TCP_OPTS = 23;
export const TS_VAL = 24;
export const TS_ECR = 25;
export const TS_VAL_INIT = 26;
export const TS_VAL_MAX = 27;
export const IN_FLIGHT = 28;
export const IN_FLIGHT_MAX = 29;
export const WIN_INIT = 30;
export const WIN_MIN_CNT = 31;
export const WIN_PKTS = 32;
export const WIN_MIN = 33;
export const WIN_MAX = 34;
export const WIN_LAST = 35;
export const TOT_L4_LEN = 36;
// Float32
export const RTT_TRIP = 37;
export const RTT_MIN = 38;
export const RTT_MAX = 39;
export const RTT_AVG = 40;
export const RTT_JIT = 41;
/** Packets of the flow (float32, as T2 counts them). */
export const PKT_CNT = 42;
export const WIN_AVG = 43;

// ---------------------------------------------------------------- 8-bit (bytes 176-188)
export const IP_CP_CL = 176;
export const WS_SHIFT = 177;
export const TOS = 178;
export const TTL_MIN = 179;
export const TTL_MAX = 180;
export const TTL_CHG = 181;
export const TTL_LAST = 182;
export const RTT_STATE = 183;
export const LAST_FLAGS = 184;
export const MP_F = 185;
export const MP_AID = 186;
export const MP_DSSF = 187;
export const SCAN_PKTS = 188;

// ---------------------------------------------------------------- 16-bit (bytes 190-243)
export const WIN_UP = 95;
export const WIN_DOWN = 96;
export const WIN_DIR_CHG = 97;
export const SEQ_OK_CNT = 98;
export const SEQ_FAULT_CNT = 99;
export const ACK_CNT = 100;
export const ACK_FAULT_CNT = 101;
export const L4_HDR_SUM = 102;
export const L4_SUM = 103;
/** tcpFStat of the flow. */
export const STAT = 104;
/** tcpFStat of the flow's last TCP packet. */
export const STAT_LAST = 105;
export const ANOMALY = 106;
export const ANOMALY_LAST = 107;
export const MSS = 108;
export const OPT_CNT = 109;
export const OPT_PKT_CNT = 110;
export const IP_ID_LAST = 111;
export const IP_ID_MIN = 112;
export const IP_ID_MAX = 113;
export const IP_FLAGS = 114;
export const FRAG_NEXT = 115;
export const FLAGS_AGG = 116;
export const MP_TBF = 117;
export const IP6_HH_CNT = 118;
export const IP6_D_CNT = 119;
export const IP_OPT_CNT = 120;
export const JA4_CNT = 121;
/** First 16-bit index after the fixed fields. */
const END16 = 122;

/** Where the optional areas lie and how long a record is. */
export interface Layout {
  /** Record length in float64 units (the `width` of `ctx.perFlow`). */
  readonly width: number;
  /** 16-bit index of the 16 per-flag packet counts (TCPFLGCNT), or -1. */
  readonly flagCounts: number;
  /** 8-bit index of the JA4T option kinds. */
  readonly ja4Opts: number;
}

/** The record layout with or without flag counts and with room for `ja4Max` option kinds. */
export function layout(flagCounts: boolean, ja4Max: number): Layout {
  let end16 = END16;
  const counts = flagCounts ? end16 : -1;
  if (flagCounts) end16 += 16;
  const ja4Opts = 2 * end16;
  return { width: Math.ceil((ja4Opts + ja4Max) / 8), flagCounts: counts, ja4Opts };
}

/** The flows' records in each view, with their strides (elements per flow in that view). */
export class Records {
  readonly d64: Float64Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly u16: Uint16Array;
  readonly u8: Uint8Array;
  readonly w64: number;
  readonly w32: number;
  readonly w16: number;
  readonly w8: number;
  /** 16-bit index (within a record) of the per-flag packet counts, or -1. */
  readonly flagCounts: number;
  /** 8-bit index (within a record) of the JA4T option kinds. */
  readonly ja4Opts: number;

  /** Views of `rec`, which holds `lay.width` float64 elements per flow. */
  constructor(rec: Float64Array, lay: Layout) {
    this.d64 = rec;
    this.u32 = new Uint32Array(rec.buffer);
    this.f32 = new Float32Array(rec.buffer);
    this.u16 = new Uint16Array(rec.buffer);
    this.u8 = new Uint8Array(rec.buffer);
    this.w64 = lay.width;
    this.w32 = lay.width * 2;
    this.w16 = lay.width * 4;
    this.w8 = lay.width * 8;
    this.flagCounts = lay.flagCounts;
    this.ja4Opts = lay.ja4Opts;
  }

  /** Zero a flow's record. */
  clear(flow: number): void {
    this.d64.fill(0, flow * this.w64, (flow + 1) * this.w64);
  }
}
