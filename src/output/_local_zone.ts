/**
 * The local time zone abbreviation glibc's `strftime("%Z")` prints after `localtime`, read from
 * the same tzdata file glibc uses (`$TZ`, else `/etc/localtime`).
 *
 * Private helper of `time_text.ts`.
 *
 * @module
 */

/** A parsed zone: transition times (ascending), the type index used from each, the types. */
export interface Zone {
  times: number[];
  typeOf: number[];
  offsets: number[];
  isDst: boolean[];
  names: string[];
  /** POSIX TZ rule for times after the last transition (TZif v2+ footer), if any. */
  rule: PosixNames | null;
}

/** Names and standard offset (seconds east of UTC) of a POSIX TZ string. */
export interface PosixNames {
  std: string;
  dst: string | null;
  stdOffset: number;
}

let cacheLoaded = false;
let cacheKey: string | undefined;
let cacheZone: Zone | PosixNames | "intl" = "intl";

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env
  }
}

/**
 * Parses the names and standard offset of a POSIX TZ string (`CET-1CEST,M3.5.0,…`).
 *
 * @param s The TZ string.
 * @returns The names and offset, or null if there is no valid standard name.
 */
export function parsePosix(s: string): PosixNames | null {
  let i = 0;
  const name = (): string | null => {
    if (s[i] === "<") {
      const j = s.indexOf(">", i);
      if (j < 0) return null;
      const n = s.slice(i + 1, j);
      i = j + 1;
      return n;
    }
    const j0 = i;
    while (i < s.length && /[A-Za-z]/.test(s[i])) i++;
    return i - j0 >= 3 ? s.slice(j0, i) : null;
  };
  const std = name();
  if (std === null) return null;
  // offset: [+-]hh[:mm[:ss]], POSIX sign convention (west positive)
  let sign = -1;
  if (s[i] === "+" || s[i] === "-") sign = s[i++] === "-" ? 1 : -1;
  const m = /^(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(s.slice(i));
  let stdOffset = 0;
  if (m) {
    stdOffset = sign * (+m[1] * 3600 + +(m[2] ?? 0) * 60 + +(m[3] ?? 0)) || 0; // no -0
    i += m[0].length;
  }
  const dst = i < s.length && s[i] !== "," ? name() : null;
  return { std, dst, stdOffset };
}

/**
 * Parses a TZif file (RFC 8536), preferring the 64-bit data of version 2+.
 *
 * @param buf The file contents.
 * @returns The zone, or null if the data is not a valid TZif file.
 */
export function parseTzif(buf: Uint8Array): Zone | null {
  if (buf.length < 44 || buf[0] !== 0x54 || buf[1] !== 0x5a || buf[2] !== 0x69 || buf[3] !== 0x66) {
    return null;
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const counts = (at: number) => ({
    isut: dv.getUint32(at + 20),
    isstd: dv.getUint32(at + 24),
    leap: dv.getUint32(at + 28),
    time: dv.getUint32(at + 32),
    type: dv.getUint32(at + 36),
    char: dv.getUint32(at + 40),
  });
  let at = 0;
  let c = counts(0);
  let tsize = 4;
  if (buf[4] >= 0x32) {
    // skip the version 1 block
    at = 44 + c.time * 4 + c.time + c.type * 6 + c.char + c.leap * 8 + c.isstd + c.isut;
    if (at + 44 > buf.length) return null;
    c = counts(at);
    tsize = 8;
  }
  let p = at + 44;
  const end = p + c.time * tsize + c.time + c.type * 6 + c.char + c.leap * (tsize + 4) + c.isstd +
    c.isut;
  if (end > buf.length || c.type === 0) return null;
  const times: number[] = [];
  for (let k = 0; k < c.time; k++, p += tsize) {
    times.push(tsize === 8 ? Number(dv.getBigInt64(p)) : dv.getInt32(p));
  }
  const typeOf: number[] = [];
  for (let k = 0; k < c.time; k++) typeOf.push(buf[p++]);
  const offsets: number[] = [], isDst: boolean[] = [], idx: number[] = [];
  for (let k = 0; k < c.type; k++, p += 6) {
    offsets.push(dv.getInt32(p));
    isDst.push(buf[p + 4] !== 0);
    idx.push(buf[p + 5]);
  }
  const chars = buf.subarray(p, p + c.char);
  const names = idx.map((j) => {
    let e = j;
    while (e < chars.length && chars[e] !== 0) e++;
    return new TextDecoder().decode(chars.subarray(j, e));
  });
  let rule: PosixNames | null = null;
  if (tsize === 8 && buf[end] === 0x0a) {
    const nl = buf.indexOf(0x0a, end + 1);
    if (nl > end + 1) rule = parsePosix(new TextDecoder().decode(buf.subarray(end + 1, nl)));
  }
  return { times, typeOf, offsets, isDst, names, rule };
}

function loadZone(tz: string | undefined): Zone | PosixNames | "intl" {
  if (tz === "") return { std: "UTC", dst: null, stdOffset: 0 };
  let path: string;
  if (tz === undefined) {
    path = "/etc/localtime";
  } else {
    const name = tz.startsWith(":") ? tz.slice(1) : tz;
    path = name.startsWith("/") ? name : (envGet("TZDIR") ?? "/usr/share/zoneinfo") + "/" + name;
  }
  try {
    const z = parseTzif(Deno.readFileSync(path));
    if (z) return z;
  } catch {
    // not readable: maybe a POSIX TZ string
  }
  if (tz === undefined) return { std: "UTC", dst: null, stdOffset: 0 };
  return parsePosix(tz.startsWith(":") ? tz.slice(1) : tz) ?? "intl";
}

/** Name from POSIX rule names, DST chosen when the engine's offset is not the standard one. */
function ruleName(r: PosixNames, offsetSec: number): string {
  return r.dst !== null && offsetSec !== r.stdOffset ? r.dst : r.std;
}

/**
 * The abbreviation of a zone at `sec`, as glibc's `localtime` sets `tm_zone`.
 *
 * @param z A parsed TZif zone or POSIX TZ string.
 * @param sec Seconds since the epoch.
 * @param offsetSec The local offset east of UTC at `sec` (decides DST for POSIX rules).
 * @returns The abbreviation.
 */
export function zoneName(z: Zone | PosixNames, sec: number, offsetSec: number): string {
  if (!("times" in z)) return ruleName(z, offsetSec);
  const { times } = z;
  if (times.length === 0 || sec < times[0]) {
    if (times.length === 0 && z.rule) return ruleName(z.rule, offsetSec);
    // before the first transition: the first standard-time type (else type 0)
    const k = z.isDst.indexOf(false);
    return z.names[k < 0 ? 0 : k];
  }
  if (sec >= times[times.length - 1] && z.rule) return ruleName(z.rule, offsetSec);
  // last transition <= sec
  let lo = 0, hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= sec) lo = mid;
    else hi = mid - 1;
  }
  return z.names[z.typeOf[lo]];
}

/**
 * Abbreviation of the local time zone at `sec` (seconds since the epoch), as glibc prints it
 * with `%Z` after `localtime`: from the tzdata file named by `$TZ` (or `/etc/localtime`),
 * from a POSIX `$TZ` string, or as a last resort from `Intl`.
 *
 * @param sec Seconds since the epoch.
 * @param date The same instant as a `Date` (its local offset decides DST for POSIX rules).
 * @returns E.g. `"UTC"`, `"CET"`, `"CEST"`.
 */
export function localZoneName(sec: number, date: Date): string {
  const tz = envGet("TZ");
  if (!cacheLoaded || cacheKey !== tz) {
    cacheLoaded = true;
    cacheKey = tz;
    cacheZone = loadZone(tz);
  }
  const z = cacheZone;
  if (z === "intl") {
    const parts = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(date);
    return parts.find((p) => p.type === "timeZoneName")?.value ?? "UTC";
  }
  return zoneName(z, sec, -date.getTimezoneOffset() * 60);
}
