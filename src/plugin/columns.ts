/**
 * Flow-file column declarations with T2's type codes (spec/formats.md §2-§3).
 *
 * @module
 */

/** Value types of flow-file columns (T2's binary value types). */
export type ValueType =
  | "I8"
  | "I16"
  | "I32"
  | "I64"
  | "U8"
  | "U16"
  | "U32"
  | "U64"
  | "H8"
  | "H16"
  | "H32"
  | "H64"
  | "F"
  | "D"
  | "C"
  | "S"
  | "SC"
  | "TIME"
  | "DURATION"
  | "MAC"
  | "IP4"
  | "IP6"
  | "IPX"
  | "DIR";

/** A flow-file column. */
export interface Column {
  /** Column name (first line of the flow file). */
  readonly name: string;
  /** Description (`_headers.txt`). */
  readonly description: string;
  /** Value types; several types make a compound column (`a_b_c`). */
  readonly types: readonly ValueType[];
  /** Repeating column (`:R`): a count precedes the values. */
  readonly repeat: boolean;
  /** Plugin that declared the column (or `core`). */
  readonly owner: string;
}

/** The type code written to `_headers.txt` for a value type. */
export function typeCode(t: ValueType): string {
  switch (t) {
    case "TIME":
    case "DURATION":
      return "U64.U32";
    case "DIR":
      return "C";
    default:
      return t;
  }
}

/** The `Type` field of `_headers.txt` for a column, e.g. `U16:R` or `SC_U64:R`. */
export function columnTypeText(c: Column): string {
  return c.types.map(typeCode).join("_") + (c.repeat ? ":R" : "");
}

/** Collects the columns of one plugin in order (T2's t2PrintHeader). */
export class ColumnBuilder {
  readonly #owner: string;
  readonly #columns: Column[];

  /**
   * A builder for one plugin's columns (the core makes one per plugin and run).
   *
   * @param owner Name of the plugin whose columns these are.
   * @param columns The run's column list, appended to.
   */
  constructor(owner: string, columns: Column[]) {
    this.#owner = owner;
    this.#columns = columns;
  }

  /**
   * Declare a column with one value per flow, e.g. `c.add("tcpWinThCnt", "TCP window size
   * threshold count", "U32")` (T2's BV_APPEND_U32). Several types make a compound column whose
   * values are appended one after the other.
   */
  add(name: string, description: string, type: ValueType | readonly ValueType[]): this {
    const types = typeof type === "string" ? [type] : [...type];
    this.#columns.push({ name, description, types, repeat: false, owner: this.#owner });
    return this;
  }

  /**
   * Declare a repeating column (a list of values per flow, `:R`): append the count with
   * {@linkcode OutputBuffer.repeat}, then the values.
   */
  addRepeated(
    name: string,
    description: string,
    type: ValueType | readonly ValueType[],
  ): this {
    const types = typeof type === "string" ? [type] : [...type];
    this.#columns.push({ name, description, types, repeat: true, owner: this.#owner });
    return this;
  }
}

/**
 * A plugin wrote flow values that do not fit the columns it declared (wrong type, too many or
 * too few values): a bug in the plugin, reported with the column and plugin names.
 */
export class ColumnMismatchError extends Error {
  /** Error class name, `"ColumnMismatchError"`. */
  override name = "ColumnMismatchError";
}
