/**
 * Date and duration texts of T2's report (`D()` and `T()` in `spec/report.md` §1).
 *
 * @module
 */

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ZEROS9 = "000000000";

/** `%09u` of a value converted to u32 (values ≥ 10^9 are printed in full). */
function pad9(ns: number): string {
  const t = "" + (ns >>> 0);
  return t.length >= 9 ? t : ZEROS9.slice(t.length) + t;
}

/** `%02d` of 0 … 99. */
function pad2(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/**
 * The body of T2's `D()` report line: `<sec>.<%09 ns> sec (<%a %d %b %Y %X> <%Z>)` in the C
 * locale, from `gmtime` (zone text `GMT`) when `utc`, else from `localtime` with the zone
 * named by its offset (`UTC`, `GMT+1` where glibc would say `CET`: only the wall-clock `Date:`
 * lines use local time, and no comparison reads them).
 *
 * `sec` is printed as a u32 and `ns` as a u32 padded to 9 digits (even when ≥ 10^9, as the
 * wall-clock line of T2 does with microseconds). The calendar date is computed from `sec` as
 * given.
 *
 * @param sec Seconds since the epoch.
 * @param ns Fraction (nanoseconds).
 * @param utc Use UTC rather than local time.
 * @returns E.g. `"1022171701.691172000 sec (Thu 23 May 2002 16:35:01 GMT)"`.
 *
 * @example Usage
 * ```ts
 * import { dateText } from "./time_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   dateText(1022171701, 691172000, true),
 *   "1022171701.691172000 sec (Thu 23 May 2002 16:35:01 GMT)",
 * );
 * ```
 */
export function dateText(sec: number, ns: number, utc: boolean): string {
  const d = new Date(sec * 1000);
  let body: string;
  if (utc) {
    body = WEEKDAYS[d.getUTCDay()] + " " + pad2(d.getUTCDate()) + " " + MONTHS[d.getUTCMonth()] +
      " " + d.getUTCFullYear() + " " + pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes()) +
      ":" + pad2(d.getUTCSeconds()) + " GMT";
  } else {
    body = WEEKDAYS[d.getDay()] + " " + pad2(d.getDate()) + " " + MONTHS[d.getMonth()] + " " +
      d.getFullYear() + " " + pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + ":" +
      pad2(d.getSeconds()) + " " + localZoneName(d);
  }
  return (sec >>> 0) + "." + pad9(ns) + " sec (" + body + ")";
}

/**
 * The local zone at `d` named by its offset from UTC: `UTC`, `GMT+1`, `GMT-3:30` (what
 * `Intl.DateTimeFormat` calls most zones; loading `Intl` costs a run 7 MiB and 12 ms).
 */
function localZoneName(d: Date): string {
  const east = -d.getTimezoneOffset();
  if (east === 0) return "UTC";
  const abs = Math.abs(east);
  const minutes = abs % 60 ? ":" + pad2(abs % 60) : "";
  return `GMT${east < 0 ? "-" : "+"}${Math.floor(abs / 60)}${minutes}`;
}

/**
 * The body of T2's `T()` report line: `<sec>.<%09 ns> sec`, followed, only when the duration has
 * whole minutes, by ` (<y>y <d>d <h>h <m>m <s>s)` where each part appears only if non-zero
 * (years of 365 days; days, hours, minutes and seconds are the truncated remainders).
 *
 * @param sec Whole seconds (printed and split as a u32).
 * @param ns Fraction (nanoseconds).
 * @returns E.g. `"50276.646078000 sec (13h 57m 56s)"`.
 *
 * @example Usage
 * ```ts
 * import { durationText } from "./time_text.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(durationText(24, 949226000), "24.949226000 sec");
 * assert.equal(durationText(226, 927152000), "226.927152000 sec (3m 46s)");
 * ```
 */
export function durationText(sec: number, ns: number): string {
  let s = sec >>> 0;
  const head = s + "." + pad9(ns) + " sec";
  const y = Math.floor(s / 31536000);
  s -= y * 31536000;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (y + d + h + m === 0) return head;
  let parts = "";
  if (y) parts = y + "y";
  if (d) parts += (parts ? " " : "") + d + "d";
  if (h) parts += (parts ? " " : "") + h + "h";
  if (m) parts += (parts ? " " : "") + m + "m";
  if (s) parts += " " + s + "s";
  return head + " (" + parts + ")";
}
