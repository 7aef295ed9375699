/**
 * basicStats's per-flow state as one 64-byte record per flow, the way T2 keeps one struct per
 * flow: the twelve values a packet updates share one or two cache lines instead of lying in
 * twelve arrays (a run over the benchmark capture: 0.505 → 0.485 s; README, Performance).
 *
 * A record is read through four views of one buffer; each constant below is the index of a
 * value in the view of its type for flow 0, so flow `f`'s value is at `f * <TYPE>_PER + index`.
 *
 * | bytes | value  | type | bytes | value  | type |
 * | ----- | ------ | ---- | ----- | ------ | ---- |
 * | 0     | pkts   | f64  | 36    | maxIat | f32  |
 * | 8     | bytes  | f64  | 40    | avgIat | f32  |
 * | 16    | lstSec | f64  | 44    | varIat | f32  |
 * | 24    | avgSz  | f32  | 48    | lstNs  | u32  |
 * | 28    | varSz  | f32  | 52    | minSz  | u16  |
 * | 32    | minIat | f32  | 54    | maxSz  | u16  |
 *
 * @module
 */

/** Bytes per record. */
export const RECORD_BYTES = 64;
/** Elements per record in the Float64 view. */
export const F64_PER = RECORD_BYTES / 8;
/** Elements per record in the Float32 and Uint32 views. */
export const F32_PER = RECORD_BYTES / 4;
/** Elements per record in the Uint16 view. */
export const U16_PER = RECORD_BYTES / 2;

/** Packets sent (f64). */
export const PKTS = 0;
/** Layer-7 bytes sent (f64). */
export const BYTES = 1;
/** Seconds of the last packet's time (f64). */
export const LST_SEC = 2;
/** Running mean of the layer-7 size (f32). */
export const AVG_SZ = 6;
/** Running variance estimate of the layer-7 size (f32). */
export const VAR_SZ = 7;
/** Smallest inter-arrival time (f32). */
export const MIN_IAT = 8;
/** Largest inter-arrival time (f32). */
export const MAX_IAT = 9;
/** Running mean of the inter-arrival time (f32). */
export const AVG_IAT = 10;
/** Running variance estimate of the inter-arrival time (f32). */
export const VAR_IAT = 11;
/** Nanoseconds of the last packet's time (u32). */
export const LST_NS = 12;
/** Smallest layer-7 size (u16). */
export const MIN_SZ = 26;
/** Largest layer-7 size (u16). */
export const MAX_SZ = 27;

/** The records of `capacity` flows, through one view per value type. */
export class StatsRecords {
  readonly f64: Float64Array;
  readonly f32: Float32Array;
  readonly u32: Uint32Array;
  readonly u16: Uint16Array;

  constructor(capacity: number) {
    const buf = new ArrayBuffer(capacity * RECORD_BYTES);
    this.f64 = new Float64Array(buf);
    this.f32 = new Float32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.u16 = new Uint16Array(buf);
  }
}
