/**
 * Column names of a T2 file (`../shared/spec/tools/tawk.md` §3): which line holds them, how
 * they are split and how each becomes an awk variable name.
 *
 * @module
 */

/** How the column-name line is recognised: `-N`, `-s` and the field separator. */
export interface HeaderRule {
  /** `-N NUM`: the names are on this line (1-based); null: found by `prefix`. */
  readonly row: number | null;
  /** `-s`: the line starts with this (a regular expression); "" means line 1. */
  readonly prefix: string;
  /** The input field separator as awk would use it (`-F`): "\t" by default. */
  readonly fs: string;
}

/** The regular expression of a column-name line for `prefix` (T2: prefix, blanks, a letter). */
export function headerRegExp(prefix: string): RegExp {
  return new RegExp("^" + prefix + "\\s*[A-Za-z\\\\()]");
}

/** Whether line `lineNo` (1-based), `text`, is the column-name line under `rule`. */
export function isHeaderLine(rule: HeaderRule, lineNo: number, text: string): boolean {
  if (rule.row !== null) return lineNo === rule.row;
  if (rule.prefix === "") return lineNo === 1;
  return headerRegExp(rule.prefix).test(text);
}

/** Split a line into fields the way awk does with this FS. */
export function splitFields(line: string, fs: string): string[] {
  if (fs === " ") return line.trim() === "" ? [] : line.trim().split(/[ \t\n]+/);
  if (fs.length === 1 && fs !== "\\") return line.split(fs);
  return line.split(new RegExp(fs));
}

/** The names of a column-name line: the prefix and blanks before the first one removed. */
export function rawNames(line: string, rule: HeaderRule): string[] {
  const text = rule.prefix === "" ? line : line.replace(new RegExp("^" + rule.prefix + "\\s*"), "");
  return splitFields(text, rule.fs).map((n) => n.trim());
}

/** The awk variable name T2 makes of a column name: `-.()…` become `_`, a leading digit gets `_`. */
export function awkName(name: string): string {
  const n = name.replace(/[ !"#$%&'()*+,\-./{}[\]]/g, "_");
  return /^[0-9]/.test(n) ? "_" + n : n;
}

/** gawk's keywords, built-in functions and built-in variables: never a column variable. */
export const GAWK_RESERVED: ReadonlySet<string> = new Set(
  (
    "BEGIN END BEGINFILE ENDFILE function func if else while for do break continue next " +
    "nextfile exit return delete in getline print printf switch case default length substr " +
    "index split sub gsub gensub match sprintf sin cos atan2 exp log sqrt int rand srand " +
    "tolower toupper system close fflush strftime systime mktime and or xor lshift rshift compl " +
    "strtonum asort asorti patsplit isarray typeof bindtextdomain dcgettext dcngettext mkbool " +
    "NR NF FNR FS OFS ORS RS FILENAME SUBSEP RSTART RLENGTH CONVFMT OFMT ENVIRON ARGC ARGV " +
    "ARGIND ERRNO FIELDWIDTHS FPAT IGNORECASE LINT PROCINFO RT TEXTDOMAIN BINMODE SYMTAB " +
    "FUNCTAB ROUNDMODE PREC COL"
  ).split(" "),
);

/** One column of the file. */
export interface Column {
  /** 1-based field number. */
  readonly index: number;
  /** The name as written in the file. */
  readonly raw: string;
  /** The awk variable name (§3 steps 3-4). */
  readonly name: string;
  /** Whether `name` becomes an awk variable (not empty, an identifier, no clash). */
  readonly variable: boolean;
}

/**
 * The columns of a column-name line. A name that is empty, not an awk identifier, or a gawk
 * keyword or function or a library function gets no variable (T2's tawk then fails to parse
 * the program); it stays reachable as `$COL["name"]`.
 */
export function columnsOf(line: string, rule: HeaderRule, reserved: ReadonlySet<string>): Column[] {
  return rawNames(line, rule).map((raw, i) => {
    const name = awkName(raw);
    const variable = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !GAWK_RESERVED.has(name) &&
      !reserved.has(name) && !name.startsWith("__");
    return { index: i + 1, raw, name, variable };
  });
}

/** The awk BEGIN block that defines the column variables and COL[] (T2's names file). */
export function namesBlock(columns: readonly Column[]): string {
  const lines = ["BEGIN {"];
  for (const c of columns) {
    if (c.raw === "") continue;
    const q = JSON.stringify(c.name);
    if (c.variable) lines.push(`  ${c.name} = ${c.index}`);
    lines.push(`  COL[${q}] = ${c.index}; COL[${c.index}] = ${q}`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
