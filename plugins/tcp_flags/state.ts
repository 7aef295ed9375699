/**
 * tcpFlags' per-flow state (spec/plugins/tcpFlags.md §4) as one record per flow: a flow's
 * 320 bytes lie side by side in one array (`ctx.perFlow` with a width), viewed as float64,
 * 32-bit, 16-bit and 8-bit values, so a packet touches a few cache lines of its flow (and of
 * the opposite flow) instead of one per value. Each constant is a value's index within its
 * record in the view of its type: flow `f`'s value `SEQ_NEXT` is `u32[f * stride32 + SEQ_NEXT]`.
 *
 * @module
 */

// A record is laid out by use. Line 0 (64 bytes) holds what the opposite flow's packets read
// and write (trip times, sequence checks, bytes in flight), so a packet touches one line of
// the opposite flow's record; lines 1 and 2 hold the rest of what most packets touch; the
// rest comes after. Records are 64-byte multiples, so a record's lines are its own.

// ---------------------------------------------------------------- line 0 (bytes 0-63)
/** Time of the flow's previous packet: seconds (float64). */
export const LAST_SEC = 0;
// 32-bit values (Uint32 and Float32 share the numbering, in 4-byte units).
/** Time of the flow's previous packet: nanoseconds. */
export const LAST_NS = 2;
/** Packets of the flow (float32, as T2 counts them). */
export const PKT_CNT = 3;
export const RTT_MIN = 4; // float32 to RTT_TRIP
export const RTT_MAX = 5;
export const RTT_AVG = 6;
export const RTT_JIT = 7;
export const RTT_TRIP = 8;
export const WIN_LAST = 9;
export const SEQ_NEXT = 10;
export const ACK_LAST = 11;
export const SEQ_MAX = 12;
export const IN_FLIGHT = 13;
// 16-bit values (index in 2-byte units).
/** tcpFStat of the flow's last TCP packet. */
export const STAT_LAST = 28;
export const ANOMALY_LAST = 29;
// 8-bit values (index in bytes).
export const RTT_STATE = 60;
export const LAST_FLAGS = 61;
export const SCAN_PKTS = 62;
export const WS_SHIFT = 63;

// ---------------------------------------------------------------- line 1 (bytes 64-127)
/** Sum of the sequence number steps (i64, float64). */
export const SEQ_BYTES = 8;
/** Sum of the acknowledgement number steps (i64, float64). */
export const ACK_BYTES = 9;
/** Sum of the payload lengths (i64, float64). */
export const M_LEN = 10;
export const SEQ_LAST = 22;
export const WIN_AVG = 23; // float32
export const WIN_PKTS = 24;
export const WIN_MIN_CNT = 25;
export const WIN_MIN = 26;
export const WIN_MAX = 27;
export const IN_FLIGHT_MAX = 28;
export const TOT_L4_LEN = 29;
export const TCP_OPTS = 30;
export const TS_VAL = 31;

// ---------------------------------------------------------------- line 2 (bytes 128-191)
export const TS_ECR = 32;
/** tcpFStat of the flow. */
export const STAT = 66;
export const ANOMALY = 67;
export const IP_ID_LAST = 68;
export const IP_ID_MIN = 69;
export const IP_ID_MAX = 70;
export const IP_FLAGS = 71;
export const L4_HDR_SUM = 72;
export const L4_SUM = 73;
export const FLAGS_AGG = 74;
export const SEQ_OK_CNT = 75;
export const ACK_CNT = 76;
export const WIN_UP = 77;
export const WIN_DOWN = 78;
export const WIN_DIR_CHG = 79;
export const OPT_CNT = 80;
export const OPT_PKT_CNT = 81;
export const MSS = 82;
export const ACK_FAULT_CNT = 83;
export const SEQ_FAULT_CNT = 84;
export const FRAG_NEXT = 85;
export const TTL_LAST = 172;
export const TTL_MIN = 173;
export const TTL_MAX = 174;
export const TTL_CHG = 175;
export const TOS = 176;
// Rarely written, in the line's spare bytes.
export const IP_CP_CL = 177;
export const MP_F = 178;
export const MP_AID = 179;
export const MP_DSSF = 180;

// ---------------------------------------------------------------- line 3 on (bytes 192-)
/** Time of the last and of the first TCP timestamp option: seconds (float64). */
export const TS_LAST_SEC = 24;
export const TS_FIRST_SEC = 25;
export const TS_LAST_NS = 52;
export const TS_FIRST_NS = 53;
export const TS_VAL_MAX = 54;
export const TS_VAL_INIT = 55;
export const SEQ_INIT = 56;
export const IP6_HH_OPTS = 57;
export const IP6_D_OPTS = 58;
export const IP_OPTS = 59;
export const WIN_INIT = 60;
export const MP_TBF = 122; // 16-bit
export const IP6_HH_CNT = 123;
export const IP6_D_CNT = 124;
export const IP_OPT_CNT = 125;
export const JA4_CNT = 126;
/** First 16-bit index after the fixed values (byte 256). */
const END16 = 128;

/** Where the optional areas lie and how long a record is. */
export interface Layout {
  /** Record length in float64 units (the `width` of `ctx.perFlow`), a multiple of 8. */
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
  return { width: Math.ceil((ja4Opts + ja4Max) / 64) * 8, flagCounts: counts, ja4Opts };
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
    this.u32 = new Uint32Array(rec.buffer, rec.byteOffset, rec.length * 2);
    this.f32 = new Float32Array(rec.buffer, rec.byteOffset, rec.length * 2);
    this.u16 = new Uint16Array(rec.buffer, rec.byteOffset, rec.length * 4);
    this.u8 = new Uint8Array(rec.buffer, rec.byteOffset, rec.length * 8);
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
