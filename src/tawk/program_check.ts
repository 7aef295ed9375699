/**
 * Column names used by an awk program that the file does not have. T2's tawk turns each
 * column name into a variable holding its number, so a misspelt or renamed name is an
 * uninitialised variable, 0, and `$name` silently reads `$0`, the whole line. Here such a name
 * is an error that names the closest existing columns.
 *
 * A name counts as a column use when it follows `$` (`$name`, `$(name)`) or is the column
 * argument of a library function that takes a column number (`t2sort(name)`, `max(name)`, ...),
 * and the program never assigns it (`name = ...`, `name++`, `for (name in ...)`, `getline name`,
 * a function parameter, `-v name=...`).
 *
 * @module
 */

/** A token of awk source: what the check needs to know of it. */
interface Token {
  readonly kind: "name" | "num" | "str" | "regex" | "op" | "nl";
  readonly text: string;
  /** Offset in the source. */
  readonly at: number;
}

/** Keywords after which `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set(["print", "printf", "return", "case", "do", "else", "in", "getline"]);

const OPERATORS = "**= && || == != <= >= ++ -- += -= *= /= %= ^= ** !~ >> |&".split(" ");

/** Split awk source into tokens (comments dropped; strings and regular expressions whole). */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const prevAllowsDivision = () => {
    const p = out.at(-1);
    if (!p) return false;
    if (p.kind === "name") return !REGEX_AFTER.has(p.text);
    if (p.kind === "num" || p.kind === "str" || p.kind === "regex") return true;
    return p.kind === "op" && (p.text === ")" || p.text === "]" || p.text === "$" ||
      p.text === "++" || p.text === "--");
  };
  while (i < src.length) {
    const c = src[i];
    if (c === "\n") {
      out.push({ kind: "nl", text: c, at: i++ });
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\\" && (src[i + 1] === "\n" || src.startsWith("\r\n", i + 1))) {
      i += src[i + 1] === "\n" ? 2 : 3; // a continued line
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === '"') {
      const start = i++;
      while (i < src.length && src[i] !== '"' && src[i] !== "\n") i += src[i] === "\\" ? 2 : 1;
      i++;
      out.push({ kind: "str", text: src.slice(start, i), at: start });
      continue;
    }
    if (c === "/" && !prevAllowsDivision()) {
      const start = i++;
      let bracket = false;
      while (i < src.length && src[i] !== "\n" && (bracket || src[i] !== "/")) {
        if (src[i] === "\\") i++;
        else if (src[i] === "[") bracket = true;
        else if (src[i] === "]") bracket = false;
        i++;
      }
      i++;
      out.push({ kind: "regex", text: src.slice(start, i), at: start });
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)?/.exec(src.slice(i, i + 200));
    if (name) {
      out.push({ kind: "name", text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)/.exec(
      src.slice(i, i + 100),
    );
    if (num) {
      out.push({ kind: "num", text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
    out.push({ kind: "op", text: op, at: i });
    i += op.length;
  }
  return out;
}

/** Library functions whose first argument is a column number. */
const COLUMN_ARG = new Set([
  "t2sort",
  "t2rsort",
  "max",
  "min",
  "mean",
  "get_max",
  "get_min",
  "get_mean",
  "print_max",
  "print_min",
  "print_mean",
]);

/** gawk's built-in variables. */
const BUILTIN_VARS = new Set(
  (
    "NR NF FNR FS OFS ORS RS FILENAME SUBSEP RSTART RLENGTH CONVFMT OFMT ENVIRON ARGC ARGV " +
    "ARGIND ERRNO FIELDWIDTHS FPAT IGNORECASE LINT PROCINFO RT TEXTDOMAIN BINMODE PREC " +
    "ROUNDMODE"
  ).split(" "),
);

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "^=", "**="]);

/** A use of a column name in a program. */
export interface NameUse {
  readonly name: string;
  /** 1-based line and column in the source. */
  readonly line: number;
  readonly column: number;
}

function position(src: string, at: number): { line: number; column: number } {
  const before = src.slice(0, at);
  const line = before.split("\n").length;
  return { line, column: at - before.lastIndexOf("\n") };
}

/** The names the sources use as columns and the names they assign, over all sources. */
export function columnUses(sources: readonly string[]): {
  uses: { source: number; use: NameUse }[];
  assigned: Set<string>;
} {
  const uses: { source: number; use: NameUse }[] = [];
  const assigned = new Set<string>();
  sources.forEach((src, s) => {
    const t = tokenize(src);
    const at = (k: number) => t[k] ?? { kind: "nl", text: "", at: src.length };
    for (let k = 0; k < t.length; k++) {
      const tok = t[k];
      if (tok.kind === "name") {
        const next = at(k + 1);
        const prev = t[k - 1];
        if ((tok.text === "function" || tok.text === "func") && at(k + 1).kind === "name") {
          // parameters: function f(a, b)
          for (let j = k + 3; j < t.length && t[j].text !== ")"; j++) {
            if (t[j].kind === "name") assigned.add(t[j].text);
          }
          continue;
        }
        if (next.kind === "op" && ASSIGN_OPS.has(next.text)) assigned.add(tok.text);
        if (next.text === "++" || next.text === "--") assigned.add(tok.text);
        if (prev && (prev.text === "++" || prev.text === "--")) assigned.add(tok.text);
        if (prev?.text === "getline") assigned.add(tok.text);
        if (next.text === "in" && prev?.text === "(" && t[k - 2]?.text === "for") {
          assigned.add(tok.text);
        }
        if (COLUMN_ARG.has(tok.text) && next.text === "(") {
          const arg = at(k + 2);
          const after = at(k + 3);
          if (arg.kind === "name" && (after.text === ")" || after.text === ",")) {
            uses.push({ source: s, use: { name: arg.text, ...position(src, arg.at) } });
          }
        }
        continue;
      }
      if (tok.kind === "op" && tok.text === "$") {
        let j = k + 1;
        let paren = false;
        if (at(j).text === "(") {
          paren = true;
          j++;
        }
        const n = at(j);
        const after = at(j + 1);
        if (n.kind !== "name") continue;
        if (paren ? after.text !== ")" : after.text === "(" || after.text === "[") continue;
        uses.push({ source: s, use: { name: n.text, ...position(src, n.at) } });
      }
    }
  });
  return { uses, assigned };
}

/** Edit distance (insert, delete, replace, swap of neighbours), case-insensitive. */
export function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** Column names renamed between T2 0.9.1 (the tutorials) and 0.9.3 (../shared/spec/columns.md). */
export const RENAMED: Readonly<Record<string, string>> = {
  numPktsSnt: "pktsSnt",
  numPktsRcvd: "pktsRcvd",
  numBytesSnt: "l7BytesSnt",
  numBytesRcvd: "l7BytesRcvd",
  minPktSz: "minL7PktSz",
  maxPktSz: "maxL7PktSz",
  avePktSize: "avgL7PktSz",
  stdPktSize: "stdL7PktSz",
  aveIAT: "avgIAT",
  ethVlanID: "vlanID",
};

/** Up to three existing names closest to `name` (none when nothing is close). */
export function closestNames(name: string, names: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return names
    .map((n) => ({
      n,
      d: n.toLowerCase().includes(name.toLowerCase()) ||
          name.toLowerCase().includes(n.toLowerCase())
        ? Math.min(distance(name, n), limit)
        : distance(name, n),
    }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.n.localeCompare(y.n))
    .slice(0, 3)
    .map((x) => x.n);
}

/** An unknown column name and what to say about it. */
export interface UnknownName extends NameUse {
  /** Which source (index into the list given) it is in. */
  readonly source: number;
  readonly suggestions: string[];
  /** The 0.9.3 name when `name` is a 0.9.1 name and the file has the new one. */
  readonly renamedTo: string | null;
}

/**
 * The column uses of `sources` that are not columns of the file (`columns`: its awk names),
 * not assigned in the program, not set with -v (`preset`) and not built-in variables.
 */
export function unknownNames(
  sources: readonly string[],
  columns: readonly string[],
  preset: readonly string[],
): UnknownName[] {
  const known = new Set(columns);
  const { uses, assigned } = columnUses(sources);
  const out: UnknownName[] = [];
  const seen = new Set<string>();
  for (const { source, use } of uses) {
    const n = use.name;
    if (known.has(n) || assigned.has(n) || preset.includes(n) || BUILTIN_VARS.has(n)) continue;
    if (n.startsWith("__") || n.startsWith("_my_") || n.includes("::") || seen.has(n)) continue;
    seen.add(n);
    const renamed = RENAMED[n];
    out.push({
      ...use,
      source,
      suggestions: closestNames(n, columns),
      renamedTo: renamed && known.has(renamed) ? renamed : null,
    });
  }
  return out;
}
