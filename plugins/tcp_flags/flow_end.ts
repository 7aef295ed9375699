/**
 * What tcpFlags computes when a flow is written: the JA4T fingerprint text and the up-time and
 * boot-time estimate from TCP timestamps, the scan detector (spec/plugins/tcpFlags.md §6.1-§6.3).
 *
 * @module
 */

import type { OutputBuffer } from "../../mod.ts";
import type { Totals } from "./run_state.ts";
import {
  ANOMALY,
  FLAGS_AGG,
  type Records,
  SCAN_PKTS,
  TCP_OPTS,
  TS_ECR,
  TS_FIRST_NS,
  TS_FIRST_SEC,
  TS_LAST_NS,
  TS_LAST_SEC,
  TS_VAL,
  TS_VAL_INIT,
  TTL_MIN,
} from "./state.ts";

/**
 * The JA4T text as T2 0.9.3 prints it: `window_options_mss_ws`, where T2 overwrites the last
 * `-` of the option list with `_` and then writes the MSS at that position, so options and MSS
 * run together (`64240_2-1-3-1-1-41460_8`). `ws` is the window scale shift text (`00` before
 * any flow with window scaling was written).
 */
export function ja4tText(
  winInit: number,
  opts: Uint8Array,
  at: number,
  count: number,
  mss: number,
  ws: string,
): string {
  const mss2 = mss < 10 ? "0" + mss : String(mss);
  let list = "";
  if (count === 0) list = "00_";
  else {
    for (let i = 0; i < count; i++) list += (i ? "-" : "") + opts[at + i];
  }
  return `${winInit}_${list}${mss2}_${ws}`;
}

const F001 = Math.fround(0.001);
const F0004 = Math.fround(0.004);
const F001X = Math.fround(0.01);
const F01 = Math.fround(0.1);

/**
 * The timestamp clock's tick in seconds (tcpEcI, float32): the time between the first and the
 * last timestamp option over the TSval increase, snapped to a usual tick; without an increase
 * a guess from the initial TTL (the sender's operating system).
 *
 * `(dSec, dNs)` is last minus first time as glibc's `timersub` gives it (see {@linkcode sub}).
 */
export function tickEstimate(dSec: number, dNs: number, tsIncrease: number, ttlMin: number) {
  let e = Math.fround(dSec + dNs / 1e9);
  if (tsIncrease !== 0) {
    e = Math.fround(e / Math.fround(tsIncrease));
    if (e < 0.002) return F001;
    if (e < 0.005) return F0004;
    if (e < 0.02) return F001X;
    if (e < 0.7) return F01;
    return 1;
  }
  if (ttlMin >= 128) return F01;
  if (ttlMin >= 64) return F0004;
  if (ttlMin > 32) return F001X;
  return F001;
}

/**
 * `a − b` of two (seconds, nanoseconds) times as glibc's `timersub` computes it on T2's
 * nanosecond fields: the borrow adds 1 000 000 (glibc's microseconds), so the result's
 * nanoseconds may stay negative. Returns `[sec, ns]` in `out`.
 */
export function sub(aSec: number, aNs: number, bSec: number, bNs: number, out: Float64Array) {
  let s = aSec - bSec;
  let ns = aNs - bNs;
  if (ns < 0) {
    s -= 1;
    ns += 1000000;
  }
  out[0] = s;
  out[1] = ns;
}

const TWO64 = 18446744073709551616;

/**
 * §6.3 columns: last TSval and TSecr, tick, up time and boot time (`diff` is scratch space).
 */
export function upTimeColumns(r: Records, flow: number, out: OutputBuffer, diff: Float64Array) {
  const d64 = r.d64;
  const u32 = r.u32;
  const p64 = flow * r.w64;
  const p32 = flow * r.w32;
  out.u32(u32[p32 + TS_VAL]);
  out.u32(u32[p32 + TS_ECR]);
  if (!(u32[p32 + TCP_OPTS] & 0x100)) {
    out.f(0);
    out.d(0);
    out.time(0, 0);
    return;
  }
  const lastSec = d64[p64 + TS_LAST_SEC];
  const lastNs = u32[p32 + TS_LAST_NS];
  sub(lastSec, lastNs, d64[p64 + TS_FIRST_SEC], u32[p32 + TS_FIRST_NS], diff);
  const inc = (u32[p32 + TS_VAL] - u32[p32 + TS_VAL_INIT]) >>> 0;
  const ecI = tickEstimate(diff[0], diff[1], inc, r.u8[flow * r.w8 + TTL_MIN]);
  const utm = u32[p32 + TS_VAL] * ecI;
  const bs = Math.trunc(utm);
  const bns = ((utm - bs) * 1e9) >>> 0;
  sub(lastSec, lastNs, bs, bns, diff);
  out.f(ecI);
  out.d(utm);
  // Seconds as u64 (a negative value wraps; beyond 2^53 a double cannot hold it exactly),
  // nanoseconds as u32 (a negative value wraps and prints 10 digits).
  out.time(diff[0] < 0 ? TWO64 + diff[0] : diff[0], diff[1] >>> 0);
}

/**
 * §6.1 the scan detector: a flow with SYN or FIN (or a scan pattern) in fewer than 4 TCP
 * packets is a scan; answered (the opposite flow exists), a successful one on both sides.
 */
export function scanDetector(r: Records, t: Totals, flow: number, o: number): void {
  const u16 = r.u16;
  const u8 = r.u8;
  const p16 = flow * r.w16;
  const p8 = flow * r.w8;
  if ((u16[p16 + ANOMALY] & 0x0001) || !(u16[p16 + FLAGS_AGG] & 0xf803)) return;
  if (u8[p8 + SCAN_PKTS] < 4 && !(u16[p16 + ANOMALY] & 0x3000)) {
    u16[p16 + ANOMALY] |= 0x1000;
    t.nScans++;
  }
  if (o < 0) return;
  const o16 = o * r.w16;
  const a = u16[p16 + ANOMALY];
  const b = u16[o16 + ANOMALY];
  if (
    ((a & 0x1000) && !(a & 0x2000)) ||
    ((b & 0x1000) && !(b & 0x2000) && u8[p8 + SCAN_PKTS] < 4 && u8[o * r.w8 + SCAN_PKTS] < 4)
  ) {
    u16[p16 + ANOMALY] |= 0x2000;
    u16[o16 + ANOMALY] |= 0x2000;
    t.nSuccScans++;
  }
}
