/**
 * A small column picker for the tutorials (what T2's tutorials do with `tawk` and `tcol`):
 * print chosen columns of a tab-separated output file (`_flows.txt`, `_packets.txt`,
 * `_tcpwin.txt`), aligned, for the rows that match.
 *
 * ```sh
 * deno run -R docs/tutorials/columns.ts FILE [--where EXPR]... [--flow N,...] [--head N] [--count] [COLUMN...]
 * ```
 *
 * - `COLUMN`: a name of the file's first line (`dir` also finds `%dir`, `IP` finds `# IP`); all
 *   columns when none is given.
 * - `--where NAME OP VALUE` with OP one of `==` `!=` `>` `>=` `<` `<=` keeps the rows where it
 *   holds (numbers, `0x` hex included, compare as numbers; anything else as text); `A|B` holds
 *   when A or B does; several `--where` must all hold.
 * - `--flow N,N`: rows whose `flowInd` is one of these.
 * - `--head N`: at most N rows.
 * - `--count`: print only the number of matching rows.
 *
 * @module
 */

/** A row filter. */
type Test = (row: readonly string[]) => boolean;

/** The parsed command line. */
export interface Query {
  readonly file: string;
  readonly columns: readonly string[];
  readonly where: readonly string[];
  readonly flows: readonly string[];
  readonly head: number;
  readonly count: boolean;
}

/** Parse the arguments. */
export function parseQuery(args: readonly string[]): Query {
  const columns: string[] = [];
  const where: string[] = [];
  const flows: string[] = [];
  let head = Infinity;
  let count = false;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`Cannot read the arguments: ${a} needs a value`);
      return v;
    };
    if (a === "--where") where.push(value());
    else if (a === "--flow") flows.push(...value().split(","));
    else if (a === "--head") head = Number(value());
    else if (a === "--count") count = true;
    else if (file === undefined) file = a;
    else columns.push(a);
  }
  if (file === undefined) throw new Error("Cannot read the arguments: no file given");
  return { file, columns, where, flows, head, count };
}

function bare(name: string): string {
  return name.replace(/^(%|#\s*)/, "");
}

function number(text: string): number | null {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) || /^0x[0-9a-fA-F]+$/.test(text)) {
    return Number(text);
  }
  return null;
}

/** A `--where` expression as a row test, given the header. */
export function compileWhere(expr: string, header: readonly string[]): Test {
  const alternatives = expr.split("|").map((part) => {
    const m = /^\s*([^=!<>\s]+)\s*(==|!=|>=|<=|>|<)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new Error(`Cannot read the condition "${part}": expected NAME OP VALUE`);
    const [, name, op, want] = m;
    const col = indexOf(header, name);
    const wantNum = number(want);
    return (row: readonly string[]) => {
      const got = row[col] ?? "";
      const gotNum = number(got);
      const c = wantNum !== null && gotNum !== null
        ? gotNum - wantNum
        : got < want
        ? -1
        : got > want
        ? 1
        : 0;
      switch (op) {
        case "==":
          return c === 0;
        case "!=":
          return c !== 0;
        case ">":
          return c > 0;
        case ">=":
          return c >= 0;
        case "<":
          return c < 0;
        default:
          return c <= 0;
      }
    };
  });
  return (row) => alternatives.some((t) => t(row));
}

function indexOf(header: readonly string[], name: string): number {
  const i = header.findIndex((h) => h === name || bare(h) === name);
  if (i < 0) {
    throw new Error(`Cannot find column "${name}" (columns: ${header.map(bare).join(" ")})`);
  }
  return i;
}

/** The aligned table for a query on a file's text. */
export function select(text: string, q: Query): string {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = lines[0].split("\t");
  const picked = q.columns.length
    ? q.columns.map((c) => indexOf(header, c))
    : header.map((_, i) => i);
  const tests = q.where.map((w) => compileWhere(w, header));
  if (q.flows.length) {
    const f = indexOf(header, "flowInd");
    tests.push((row) => q.flows.includes(row[f]));
  }
  const rows: string[][] = [picked.map((i) => header[i])];
  for (const line of lines.slice(1)) {
    if (rows.length > q.head) break;
    const row = line.split("\t");
    if (tests.every((t) => t(row))) rows.push(picked.map((i) => row[i] ?? ""));
  }
  if (q.count) return `${rows.length - 1}\n`;
  const widths = picked.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((v, c) => v.padEnd(widths[c])).join("  ").trimEnd())
    .join("\n") + "\n";
}

if (import.meta.main) {
  try {
    const q = parseQuery(Deno.args);
    Deno.stdout.writeSync(new TextEncoder().encode(select(Deno.readTextFileSync(q.file), q)));
  } catch (e) {
    console.error(`columns: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
