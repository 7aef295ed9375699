/**
 * One flow as one line of `COPY ... FROM STDIN` text: per table column the text T2 puts
 * between the quotes of its INSERT literal (spec/plugins/psqlSink.md §5), so the server
 * converts the same text to the same stored value, then escaped for COPY (`\` `\n` `\r` `\t`).
 *
 * Two deliberate differences from T2's literals, both to keep every digit: floats are sent
 * exactly (the shortest text that reads back as the same float32/double; T2 sends `%f`, six
 * decimals), and the exact-seconds columns carry timestamps and durations with all nine
 * decimals.
 *
 * @module
 */

import {
  type Column,
  ipv4Text,
  ipWordsText,
  type OutputBuffer,
  sanitizeText,
  slotsOf,
  Tag,
  tagName,
  tagOf,
  type ValueType,
} from "../../mod.ts";
import { PsqlFailure } from "./failure.ts";
import type { TableColumn } from "./schema.ts";

const HEX = "0123456789abcdef";
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** COPY text-format escaping of one field. */
export function copyEscape(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : s;
}

/**
 * Text of a float for PostgreSQL: the shortest decimal that reads back as the same value
 * (a float32 stored in `real` is read back exactly by the server's `strtof`).
 */
export function floatText(v: number): string {
  if (v !== v) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return String(v);
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` (UTC), T2's timestamp literal. */
export function timestampText(sec: number, ns: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => (n < 10 ? "0" : "") + n;
  return String(d.getUTCFullYear()).padStart(4, "0") + "-" + p2(d.getUTCMonth() + 1) + "-" +
    p2(d.getUTCDate()) + "T" + p2(d.getUTCHours()) + ":" + p2(d.getUTCMinutes()) + ":" +
    p2(d.getUTCSeconds()) + "." + String(ns).padStart(9, "0") + "+0000";
}

/** `sec.nnnnnnnnn`, a duration (and the exact seconds of a timestamp). */
function secondsText(sec: number, ns: number): string {
  return sec + "." + String(ns).padStart(9, "0");
}

/** Formats flows as COPY lines for a table's columns. */
export class RowWriter {
  readonly #table: readonly TableColumn[];
  readonly #captureField: string;
  #columns: readonly Column[] | null = null;
  #tags: Uint8Array[] = [];
  /** Per flow column: whether its text can hold a character COPY must escape (strings). */
  #escape: boolean[] = [];
  /** Per flow column: its value texts of the current flow ("value" and "exact"). */
  #values: string[] = [];
  #exact: string[] = [];

  /**
   * @param table the table's columns after `id`
   * @param capture the capture column's value (unused without one)
   */
  constructor(table: readonly TableColumn[], capture: string) {
    this.#table = table;
    this.#captureField = copyEscape(capture);
  }

  /** The COPY line (with its `\n`) of the flow in `out`. */
  line(out: OutputBuffer, columns: readonly Column[]): string {
    if (this.#columns !== columns) {
      this.#columns = columns;
      this.#tags = columns.map((c) => Uint8Array.from(c.types, (t: ValueType) => tagOf(t)));
      this.#escape = columns.map((c) => c.types.some((t) => t === "S" || t === "SC" || t === "C"));
    }
    const values = this.#values;
    const exact = this.#exact;
    let at = 0;
    for (let ci = 0; ci < columns.length; ci++) {
      const col = columns[ci];
      const tags = this.#tags[ci];
      if (col.repeat) {
        at = expect(out, at, Tag.REPEAT, col);
        const count = out.nums[at - 1];
        if (count === 0) {
          values[ci] = exact[ci] = "{}";
          continue;
        }
        let v = '{"';
        let e = '{"';
        for (let r = 0; r < count; r++) {
          if (r) {
            v += '", "';
            e += '", "';
          }
          v += this.#entry(out, at, tags, col);
          if (tags.length === 1 && isTimeTag(tags[0])) {
            e += secondsText(out.nums[at], out.nums[at + 1]);
          }
          at = this.#skip(out, at, tags, col);
        }
        values[ci] = v + '"}';
        exact[ci] = e + '"}';
      } else {
        values[ci] = this.#entry(out, at, tags, col);
        if (tags.length === 1 && isTimeTag(tags[0])) {
          exact[ci] = secondsText(out.nums[at], out.nums[at + 1]);
        }
        at = this.#skip(out, at, tags, col);
      }
    }
    if (at !== out.length) {
      throw new PsqlFailure(
        `the flow has ${out.length - at} value slot(s) more than its columns declare`,
      );
    }
    let line = "";
    const table = this.#table;
    for (let i = 0; i < table.length; i++) {
      const t = table[i];
      if (i) line += "\t";
      line += t.source === "value"
        ? (this.#escape[t.flowColumn] ? copyEscape(values[t.flowColumn]) : values[t.flowColumn])
        : t.source === "exact"
        ? exact[t.flowColumn]
        : this.#captureField;
    }
    return line + "\n";
  }

  /** The text of one entry: one value, or several joined with `_` (T2's compound text). */
  #entry(out: OutputBuffer, at: number, tags: Uint8Array, col: Column): string {
    let s = "";
    for (let ti = 0; ti < tags.length; ti++) {
      if (ti) s += "_";
      const next = expect(out, at, tags[ti], col);
      s += valueText(out, at, tags[ti]);
      at = next;
    }
    return s;
  }

  #skip(out: OutputBuffer, at: number, tags: Uint8Array, col: Column): number {
    for (let ti = 0; ti < tags.length; ti++) at = expect(out, at, tags[ti], col);
    return at;
  }
}

function isTimeTag(tag: number): boolean {
  return tag === Tag.TIME || tag === Tag.DURATION;
}

/** Check the tag at `at`; returns the slot after the value. */
function expect(out: OutputBuffer, at: number, tag: number, col: Column): number {
  if (at >= out.length || out.tags[at] !== tag) {
    const got = at >= out.length ? "nothing" : tagName(out.tags[at]);
    throw new PsqlFailure(
      `column ${col.name} (plugin ${col.owner}): expected ${tagName(tag)}, got ${got}`,
    );
  }
  return at + slotsOf(tag);
}

/** T2's literal text of one value (psqlSink.md §5), before COPY escaping. */
export function valueText(out: OutputBuffer, at: number, tag: number): string {
  const v = out.nums[at];
  switch (tag) {
    case Tag.DIR:
      return v === 0 ? "A" : "B";
    case Tag.I8:
    case Tag.I16:
    case Tag.I32:
    case Tag.I64:
    case Tag.U8:
    case Tag.U16:
    case Tag.U32:
    case Tag.U64:
    case Tag.H8:
    case Tag.H16:
    case Tag.H32:
      return String(v);
    case Tag.H64: {
      const hi = out.nums[at + 1];
      return hi < 0x200000 ? String(hi * 0x100000000 + v) : String(BigInt(hi) << 32n | BigInt(v));
    }
    case Tag.F:
    case Tag.D:
      return floatText(v);
    case Tag.C:
      return String.fromCharCode(v);
    case Tag.S:
    case Tag.SC:
      return sanitizeText(out.strs[v], "psql");
    case Tag.TIME:
      return timestampText(v, out.nums[at + 1]);
    case Tag.DURATION:
      return secondsText(v, out.nums[at + 1]);
    case Tag.MAC: {
      const lo = out.nums[at + 1];
      return HEX2[v >>> 8] + ":" + HEX2[v & 255] + ":" + HEX2[lo >>> 24] + ":" +
        HEX2[(lo >>> 16) & 255] + ":" + HEX2[(lo >>> 8) & 255] + ":" + HEX2[lo & 255];
    }
    case Tag.IP4:
      return ipv4Text(v);
    case Tag.IP6:
      return ipWordsText(6, out.nums, at);
    case Tag.IPX:
      if (v === 4) return ipv4Text(out.nums[at + 1]);
      if (v === 6) return ipWordsText(6, out.nums, at + 1);
      if (v === 0) return "0.0.0.0";
      throw new PsqlFailure(`invalid IP version ${v}`);
  }
  throw new PsqlFailure(`unhandled output type ${tagName(tag)}`);
}
