/**
 * The table psqlSink writes (spec/plugins/psqlSink.md §4): `id bigserial`, then one column per
 * flow-file column, named as in the flows file and typed by T2's mapping. Two additions of this
 * implementation, both settings: a column naming the capture (first after `id`), and after
 * every timestamp/duration column a `numeric` copy in seconds with all nine decimals
 * (PostgreSQL's `timestamptz` and `interval` keep only microseconds).
 *
 * @module
 */

import type { Column, ValueType } from "../../mod.ts";

/** T2's SQL type of a single value type (psqlSink.md §4). */
const SQL_TYPE: Readonly<Record<ValueType, string>> = {
  I8: "smallint",
  I16: "smallint",
  I32: "integer",
  I64: "bigint",
  U8: "smallint",
  U16: "integer",
  U32: "bigint",
  U64: "numeric",
  H8: "smallint",
  H16: "integer",
  H32: "bigint",
  H64: "numeric",
  F: "real",
  D: "double precision",
  C: "char",
  S: "text",
  SC: "text",
  DIR: "char",
  TIME: "timestamp with time zone",
  DURATION: "interval",
  MAC: "macaddr",
  IP4: "inet",
  IP6: "inet",
  IPX: "inet",
};

/** Suffix of the exact-seconds column added after a timestamp or duration column. */
export const EXACT_SUFFIX = "_sec";

/** One column of the table besides `id`. */
export interface TableColumn {
  /** Column name (unquoted). */
  readonly name: string;
  /** SQL type as written in `CREATE TABLE`. */
  readonly sqlType: string;
  /** What fills it: a flow column's value, its exact seconds, or the capture name. */
  readonly source: "value" | "exact" | "capture";
  /** Index of the flow column (for `value` and `exact`), -1 for the capture column. */
  readonly flowColumn: number;
}

/** What the table holds. */
export interface TableOptions {
  /** Flow columns chosen (PSQL_SELECT), or null for all. */
  readonly chosen: ReadonlySet<string> | null;
  /** PSQL_EXACT_TIME=1: add the `<name>_sec numeric` columns. */
  readonly exactTime: boolean;
  /** PSQL_CAPTURE_COLUMN: name of the capture column, "" for none. */
  readonly captureColumn: string;
}

/**
 * T2's SQL type of a flow column: `text` for several values per entry, else the value's type;
 * `[]` when it repeats.
 *
 * @example
 * ```ts
 * import { sqlTypeOf } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * const col = { name: "numHdrs", description: "", types: ["U8"], repeat: true, owner: "" } as const;
 * assert.equal(sqlTypeOf(col), "smallint[]");
 * ```
 */
export function sqlTypeOf(col: Column): string {
  const base = col.types.length === 1 ? SQL_TYPE[col.types[0]] : "text";
  return base + (col.repeat ? "[]" : "");
}

/** Whether a flow column gets an exact-seconds companion. */
function isTime(col: Column): boolean {
  return col.types.length === 1 && (col.types[0] === "TIME" || col.types[0] === "DURATION");
}

/** The table's columns after `id`, in order. */
export function tableColumns(columns: readonly Column[], o: TableOptions): TableColumn[] {
  const out: TableColumn[] = [];
  if (o.captureColumn !== "") {
    out.push({ name: o.captureColumn, sqlType: "text", source: "capture", flowColumn: -1 });
  }
  columns.forEach((col, i) => {
    if (o.chosen !== null && !o.chosen.has(col.name)) return;
    out.push({ name: col.name, sqlType: sqlTypeOf(col), source: "value", flowColumn: i });
    if (o.exactTime && isTime(col)) {
      out.push({
        name: col.name + EXACT_SUFFIX,
        sqlType: col.repeat ? "numeric[]" : "numeric",
        source: "exact",
        flowColumn: i,
      });
    }
  });
  return out;
}

/** A column name in double quotes (its case kept, as T2 writes them). */
export function quoteName(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** The column definitions of `CREATE TABLE <table> (...)`. */
export function columnDefinitions(cols: readonly TableColumn[]): string {
  return ["id bigserial", ...cols.map((c) => `${quoteName(c.name)} ${c.sqlType}`)].join(", ");
}
