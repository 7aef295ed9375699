/**
 * `t2 tawk [OPTION...] 'PROGRAM' [FILE...]`: awk over T2's output files with columns by name
 * and T2's function library (`../shared/spec/tools/tawk.md`). This file ties the parts
 * together: the command line (options.ts), the column names (names.ts, input.ts), the check of
 * the names the program uses (program_check.ts), the library (library.ts) and gawk (gawk.ts).
 *
 * @module
 */

import type * as Fs from "node:fs";
import { DOC_GROUPS, FUNCTION_DOCS } from "./docs.ts";
import {
  type GawkInfo,
  gawkInfo,
  GawkMissing,
  type GawkStdin,
  runGawk,
  StderrFilter,
} from "./gawk.ts";
import { binaryReason, type HeaderScan, peekStdin, scanFile } from "./input.ts";
import { LIBRARY } from "./library.ts";
import { type Column, columnsOf, type HeaderRule, namesBlock } from "./names.ts";
import {
  parseTawkArgs,
  type ProgramParts,
  programParts,
  type TawkOptions,
  TawkUsageError,
} from "./options.ts";
import { closestNames, type UnknownName, unknownNames } from "./program_check.ts";
import { formatTable } from "../tcol/table.ts";

/** The usage text of `t2 tawk -h`. */
export const TAWK_USAGE = `Usage: t2 tawk [OPTION...] 'PROGRAM' [FILE...]
       t2 tawk [OPTION...] -I FILE 'PROGRAM'     (names from FILE; data from a pipe if any)

Run an awk PROGRAM (GNU awk) over a T2 output file (flows, packets, summary files).
Columns are reached by name: $pktsSnt is the field of column pktsSnt, found on the file's
column-name line (the line starting with %). T2's function library is loaded: tcp(), udp(),
port(80), host("10.0.0.1"), flow("53;85"), packet("1418-1426"), hdr(), t2sort(col), aggr(...),
... (t2 tawk -g lists them, t2 tawk -d NAME explains one). Most keep the header line:
t2 tawk 'tcp() && $pktsSnt > 10' out/x_flows.txt | t2 tcol

Options:
  -I, --input FILE          the file with the column names (and the data, unless piped)
  -N, --header-row NUM      the column names are on line NUM
  -s, --special-header STR  the column-name line starts with STR (default '%'; '' = line 1)
  -F, --field-separator FS  input field separator (default tab)
  -O, --ofs FS              output field separator (default tab)
      --csv                 comma-separated input and output, names on line 1
  -H, --no-header           do not print the column-name line
  -c, --comment[=u]         first print where the output comes from (u: date in UTC)
  -l, --list[=N]            list the columns of FILE (N per row)
  -g, --func[=N]            list the functions (N per row)
  -d, --doc NAME[,NAME...]  explain functions ('all' for every one)
  -v VAR=VALUE              set an awk variable (also VAR=VALUE before a file)
  -f, --file PROGFILE       read the program from PROGFILE
  -i, --include FILE        load awk functions from FILE
  -t, -r                    accepted for T2 compatibility (names are always checked)
  -h, --help                this text
Other gawk options are passed to gawk. A column name that is not in the file is an error.`;

const enc = new TextEncoder();

/** Standard-error line with the tool's name. */
function say(text: string): void {
  console.error(`t2 tawk: ${text}`);
}

function envFlag(name: string): boolean {
  try {
    return Deno.env.get(name) !== undefined;
  } catch {
    return false;
  }
}

/** The field separator of -F as a string (awk escapes; `t` alone means a tab, as in awk). */
export function decodeSeparator(fs: string): string {
  if (fs === "t" || fs === "\\t") return "\t";
  return fs.replace(
    /\\(.)/g,
    (_, c: string) => ({ t: "\t", n: "\n", r: "\r" } as Record<string, string>)[c] ?? c,
  );
}

/**
 * What standard input is: data (a pipe, a socket or a file: `... | t2 tawk`, `< file`), or
 * not (a terminal, /dev/null). node:fs because Deno's own stat of /dev/stdin needs --allow-all;
 * loaded here only, as a static import would start Deno's Node layer (about 11 MiB) in every run.
 */
function stdinKind(): "terminal" | "data" | "device" {
  if (Deno.stdin.isTerminal()) return "terminal";
  try {
    const { fstatSync } = process.getBuiltinModule("node:fs") as typeof Fs;
    const st = fstatSync(0);
    return st.isFile() || st.isFIFO() || st.isSocket() ? "data" : "device";
  } catch {
    return "device";
  }
}

/** The column list of `-l`: `%3d<TAB>name`, `per` pairs per row, aligned. */
function listColumns(columns: readonly Column[], per: number): string {
  const rows: string[] = [];
  for (let i = 0; i < columns.length; i += per) {
    rows.push(
      columns.slice(i, i + per).map((c) => `${String(c.index).padStart(3)}\t${c.name}`).join("\t"),
    );
  }
  return aligned(rows);
}

/** Rows of tab-separated cells as `column -t` aligns them. */
function aligned(rows: readonly string[]): string {
  const parts: Uint8Array[] = [];
  formatTable([enc.encode(rows.join("\n") + "\n")], (b) => parts.push(b.slice()));
  return new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
}

function docs(names: string[]): { text: string; code: number } {
  const out: string[] = [];
  let code = 0;
  for (const n of names) {
    if (DOC_GROUPS.includes(n)) {
      for (const k of Object.keys(FUNCTION_DOCS).sort()) out.push(FUNCTION_DOCS[k]);
    } else if (Object.hasOwn(FUNCTION_DOCS, n)) {
      out.push(FUNCTION_DOCS[n]);
    } else if (n === "t2nfdump" || n === "examples" || n === "t2custom") {
      say(`the '${n}' functions of T2 are not part of t2 tawk`);
      code = 1;
    } else {
      const near = closestNames(n, Object.keys(FUNCTION_DOCS));
      say(`no function '${n}'${near.length ? ` (closest: ${near.join(", ")})` : ""}`);
      code = 1;
    }
  }
  return { text: out.join("\n\n"), code };
}

/** The date of -c: `date +%FT%T%z`, or with -c=u in UTC. */
function commentDate(utc: boolean): string {
  const d = new Date();
  const off = utc ? 0 : -d.getTimezoneOffset();
  const t = new Date(d.getTime() + off * 60000);
  const p = (n: number) => String(n).padStart(2, "0");
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T` +
    `${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}` +
    `${sign}${p(Math.floor(a / 60))}${p(a % 60)}`;
}

/** T2's provenance block (-c). */
function commentBlock(o: TawkOptions, source: string): string {
  const vars: string[] = [];
  const filter: string[] = [];
  const g = o.gawkArgs;
  for (let i = 0; i < g.length; i++) {
    const a = g[i];
    const m = /^(-v|-i)(.*)$/s.exec(a);
    if (m) {
      const arg = m[2] !== "" ? m[2] : (g[++i] ?? "");
      const [k, ...rest] = arg.split("=");
      vars.push(` ${m[1]} ${k}="${rest.length ? rest.join("=") : arg}"`);
    } else {
      filter.push(" " + a);
    }
  }
  return `# Generated with tawk from '${source}'\n# Date: ${commentDate(o.comment === "u")}\n` +
    (vars.length ? `# Variables and libraries used:${vars.join("")}\n` : "") +
    `# Filter used:${filter.join("")}\n`;
}

/** Read a program file for the name check ("" when it cannot be read: gawk will say so). */
function readProgramFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/** The column-name line's description, for messages. */
function headerWhat(rule: HeaderRule): string {
  if (rule.row !== null) return `line ${rule.row}`;
  if (rule.prefix === "") return "line 1";
  return `a line starting with '${rule.prefix}' and a name`;
}

/**
 * Ends the run with `code`; what went wrong is already on standard error. The steps below
 * throw it where they find a problem; only tawkMain catches it.
 */
class TawkStop extends Error {
  constructor(readonly code: number) {
    super(`t2 tawk stops with exit code ${code}`);
  }
}

/** Say what is wrong (a bad command line: with the `--help` hint) and stop with exit code 1. */
function stop(text: string, helpHint = false): never {
  say(text);
  if (helpHint) console.error("Try 't2 tawk --help' for more information.");
  throw new TawkStop(1);
}

/** Run `t2 tawk` with these arguments; returns the exit code. */
export async function tawkMain(args: readonly string[]): Promise<number> {
  try {
    return await tawk(args);
  } catch (e) {
    if (e instanceof TawkStop) return e.code;
    throw e;
  }
}

/** The steps of `t2 tawk`, in order; a step that finds a problem says it and stops the run. */
async function tawk(args: readonly string[]): Promise<number> {
  const o = options(args);
  const informed = inform(o);
  if (informed !== null) return informed;
  const rule = headerRule(o);
  const parts = programParts(o.gawkArgs);
  if (!o.list && parts.programIndex < 0 && !parts.files.length && !parts.sources.length) {
    stop("Program is required", true);
  }
  const input = await findColumnNames(o, rule);
  if (o.list) {
    Deno.stdout.writeSync(enc.encode(listColumns(input.columns, o.list)));
    return 0;
  }
  checkProgramNames(o, parts, input);
  checkOtherFiles(o.gawkArgs, parts.programIndex);
  const gawk = await usableGawk();
  const gawkArgs = gawkCommand(o, parts.programIndex, input, gawk);
  if (o.comment !== null) {
    Deno.stdout.writeSync(enc.encode(commentBlock(o, input.dataFromStdin ? "stdin" : o.input!)));
  }
  return await runGawk(gawkArgs, input.stdin, syntaxErrorFilter(o.gawkArgs, parts.programIndex));
}

/** The command line, or the usage error with the `--help` hint. */
function options(args: readonly string[]): TawkOptions {
  try {
    return parseTawkArgs(args);
  } catch (e) {
    if (!(e instanceof TawkUsageError)) throw e;
    stop(e.message, true);
  }
}

/** The modes that only inform (-h, -g, -d): their exit code, or null for a run over data. */
function inform(o: TawkOptions): number | null {
  if (o.help) {
    console.log(TAWK_USAGE);
    return 0;
  }
  if (o.funcs) {
    listFunctions(o.funcs);
    return 0;
  }
  if (o.doc) {
    const d = docs(o.doc);
    if (d.text) console.log(d.text);
    return d.code;
  }
  return null;
}

/** The function list of `-g`: one name a line, or `per` names per row, aligned. */
function listFunctions(per: number): void {
  const names = Object.keys(FUNCTION_DOCS).sort();
  if (per === 1) {
    console.log(names.join("\n"));
    return;
  }
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += per) rows.push(names.slice(i, i + per).join("\t"));
  Deno.stdout.writeSync(enc.encode(aligned(rows)));
}

/** Where the column-name line is (-N, -s, -F); stops when -s is not a regular expression. */
function headerRule(o: TawkOptions): HeaderRule {
  try {
    if (o.prefix !== "") new RegExp(o.prefix);
  } catch {
    stop(`-s '${o.prefix}' is not a valid regular expression`);
  }
  return { row: o.headerRow, prefix: o.prefix, fs: decodeSeparator(o.fs) };
}

/** The column names found, and where gawk reads the data from. */
interface NamesInput {
  /** The columns of the column-name line (none when there is none). */
  readonly columns: Column[];
  /** Where the names were looked for, for messages: a file, "standard input", or "". */
  readonly from: string;
  /** Whether that input holds no byte at all (then there is nothing to check names against). */
  readonly empty: boolean;
  /** gawk's standard input: the terminal's, or the bytes read here followed by the rest. */
  readonly stdin: GawkStdin;
  /** Whether gawk reads the data from standard input rather than the input file. */
  readonly dataFromStdin: boolean;
}

/**
 * Find the column names: in the input file (-I or the last argument), else at the start of
 * piped standard input. Stops on a binary input and on an input file without a name line.
 */
async function findColumnNames(o: TawkOptions, rule: HeaderRule): Promise<NamesInput> {
  let scan: HeaderScan | null = null;
  let from = "";
  let stdin: GawkStdin = { kind: "inherit" };
  let dataFromStdin = o.input === null;
  const kind = stdinKind();
  if (o.input !== null) {
    from = o.input;
    // -I FILE with piped data: the file gives the names, the pipe the data
    if (o.inputOption !== null && kind === "data") dataFromStdin = true;
    scan = scanFile(o.input, rule);
  } else if (o.list) {
    stop("Input file is required", true);
  } else if (kind === "data") {
    from = "standard input";
    const peek = await peekStdin(rule);
    scan = peek;
    stdin = { kind: "feed", taken: peek.taken, more: !peek.ended };
  }
  if (scan?.binary) stop(`${from}: ${scan.binary}`);
  if (scan && !scan.empty && scan.header === null && o.input !== null) {
    stop(
      `${from} has no column-name line (${headerWhat(rule)}): is it a T2 output file? ` +
        "(-s PREFIX or -N NUM say where the names are)",
    );
  }
  const reserved = new Set(Object.keys(FUNCTION_DOCS));
  const columns = scan?.header != null ? columnsOf(scan.header, rule, reserved) : [];
  return { columns, from, empty: scan?.empty ?? false, stdin, dataFromStdin };
}

/**
 * Stop when the program uses a column name the input does not have, saying for each such name
 * where it is used and what was meant (the 0.9.3 name, the closest names, or how to list them).
 */
function checkProgramNames(o: TawkOptions, parts: ProgramParts, input: NamesInput): void {
  if (input.empty) return;
  const texts = [
    parts.programIndex >= 0 ? o.gawkArgs[parts.programIndex] : "",
    ...parts.sources,
    ...parts.files.map(readProgramFile),
    ...parts.includes.map(readProgramFile),
  ];
  const textNames = [
    "the program",
    ...parts.sources.map(() => "--source"),
    ...parts.files,
    ...parts.includes,
  ];
  const variables = input.columns.filter((c) => c.variable).map((c) => c.name);
  const unknown = unknownNames(texts, variables, parts.assigned);
  for (const u of unknown) {
    const where = `${textNames[u.source]}, line ${u.line}, column ${u.column}`;
    say(unknownNameMessage(u, where, o, input));
  }
  if (unknown.length) throw new TawkStop(1);
}

/** The message for an unknown column name used at `where`. */
function unknownNameMessage(
  u: UnknownName,
  where: string,
  o: TawkOptions,
  input: NamesInput,
): string {
  if (input.columns.length === 0) {
    return `column '${u.name}' (${where}): ${input.from || "standard input"} has no column names` +
      (o.input === null ? "; give the file that has them with -I FILE" : "");
  }
  const hint = u.renamedTo
    ? `: T2 0.9.3 calls it '${u.renamedTo}' (the 0.9.1 name was '${u.name}')`
    : u.suggestions.length
    ? `; closest: ${u.suggestions.join(", ")}`
    : `; t2 tawk -l ${o.input ?? "FILE"} lists the columns`;
  return `no column '${u.name}' in ${input.from} (${where})${hint}`;
}

/** Other files given to gawk: a capture by mistake is said here, not as garbage lines. */
function checkOtherFiles(gawkArgs: readonly string[], programIndex: number): void {
  if (programIndex < 0) return;
  for (let i = programIndex + 1; i < gawkArgs.length; i++) {
    const a = gawkArgs[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a) || a.startsWith("-")) continue;
    const start = firstBytes(a);
    const why = start && binaryReason(start);
    if (why) stop(`${a}: ${why}`);
  }
}

/** The first bytes of a file, or null when it cannot be read (gawk reports that). */
function firstBytes(path: string): Uint8Array | null {
  try {
    const f = Deno.openSync(path);
    const b = new Uint8Array(4096);
    const n = f.readSync(b) ?? 0;
    f.close();
    return b.subarray(0, n);
  } catch {
    return null;
  }
}

/** The system's gawk when it is there and at least 4.1; warns when it lacks bignum support. */
async function usableGawk(): Promise<GawkInfo> {
  let info: GawkInfo;
  try {
    info = await gawkInfo();
  } catch (e) {
    if (e instanceof GawkMissing) stop(e.message);
    throw e;
  }
  if (info.major < 4 || (info.major === 4 && info.minor < 1)) {
    stop(`Minimum gawk version required is 4.1, found '${info.major}.${info.minor}'`);
  }
  if (!info.bignum) say("Your gawk version does not support bignum: IPv6 handling may be buggy");
  return info;
}

/**
 * gawk's arguments: T2's settings as variables, the column names with the library, the
 * separators, then the user's arguments in order (the program text as a source of its own),
 * and the input file last unless the data comes from standard input.
 */
function gawkCommand(
  o: TawkOptions,
  programIndex: number,
  input: NamesInput,
  gawk: GawkInfo,
): string[] {
  const args: string[] = [];
  if (gawk.bignum) args.push("-M", "-v", "PREC=256");
  const colorErr = Deno.stderr.isTerminal() && !envFlag("NO_COLOR");
  const colorOut = Deno.stdout.isTerminal() && !envFlag("NO_COLOR");
  args.push(
    "-v",
    `__PRIHDR__=${o.noHeader ? 0 : 1}`,
    "-v",
    `__HDRROW__=${o.headerRow ?? ""}`,
    "-v",
    `__HDRSEP__=${o.prefix}`,
    "-v",
    `__T2_COLOR_ERR__=${colorErr ? 1 : 0}`,
    "-v",
    `__T2_COLOR_OUT__=${colorOut ? 1 : 0}`,
    "-e",
    namesBlock(input.columns) + LIBRARY,
    "-F",
    o.fs,
    "-v",
    `OFS=${o.ofs}`,
  );
  o.gawkArgs.forEach((a, i) => {
    if (i === programIndex) args.push("-e", a);
    else args.push(a);
  });
  if (o.input !== null && !input.dataFromStdin) args.push(o.input);
  return args;
}

/** gawk's standard error, its syntax errors made one line that points into the user's program. */
function syntaxErrorFilter(gawkArgs: readonly string[], programIndex: number): StderrFilter {
  const programLines = programIndex >= 0
    ? gawkArgs[programIndex].replace(/\n$/, "").split("\n").length
    : 0;
  return new StderrFilter(
    (line) => console.error(line),
    (e) => {
      const inProgram = e.source === "cmd. line";
      // gawk counts the newline it adds after the text: an error at the end is one line on
      const line = inProgram && programLines ? Math.min(e.line, programLines) : e.line;
      return `t2 tawk: awk syntax error in ${
        inProgram ? "the program" : e.source
      }, line ${line}, ` +
        `column ${e.column}: ${e.message}: ${e.text.trim()}`;
    },
  );
}
