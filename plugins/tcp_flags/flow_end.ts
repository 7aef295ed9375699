/**
 * What tcpFlags computes when a flow is written: the JA4T fingerprint text and the up-time and
 * boot-time estimate from TCP timestamps (spec/plugins/tcpFlags.md §6.2, §6.3).
 *
 * @module
 */

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
