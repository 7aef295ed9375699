/**
 * Comparing our outputs with the real T2's: drop the lines that differ from run to run
 * (reference/README.md), strip ANSI colours, then find the first differing line and column.
 *
 * @module
 */

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Which kind of output file a name is (decides what is run-specific). */
export type OutputKind = "flows" | "headers" | "packets" | "report" | "other";

/** Kind of an output file from its name. */
export function kindOf(fileName: string): OutputKind {
  if (fileName.endsWith("_flows.txt")) return "flows";
  if (fileName.endsWith("_headers.txt")) return "headers";
  if (fileName.endsWith("_packets.txt")) return "packets";
  if (fileName.endsWith("_report.txt")) return "report";
  return "other";
}

const HEADER_DROP = [
  "# Date:",
  "# PID:",
  "# Priority:",
  "# Command line:",
  "# HW info:",
  "# SW info:",
];

const REPORT_DROP = [
  "Date:",
  "Processing file:",
  "Processing list file:",
  "Processing file no. ",
  "Finished processing. Elapsed time:",
  "Finished unloading flow memory. Time:",
  "Memory usage:",
  "[WRN] PCAP-NG, so *percentage completed*",
  "[WRN] Running Tranalyzer as root",
  "Checking list file",
  "    checking file '",
];

/** The lines of an output that must match, with run-specific ones removed or masked. */
export function comparableLines(kind: OutputKind, text: string): string[] {
  const lines = text.replace(ANSI, "").split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (kind === "headers") {
    return lines
      .filter((l, i) =>
        !(i === 1 && l.startsWith("# ")) && !HEADER_DROP.some((p) => l.startsWith(p))
      )
      .map((l) => l.replace(/^(#\s+\d+: [^,]+), version .*$/, "$1"));
  }
  if (kind === "report") {
    const out: string[] = [];
    let inBanner = false;
    let inPlugins = false;
    for (const l of lines) {
      if (/^=+$/.test(l)) {
        inBanner = !inBanner;
        continue;
      }
      if (inBanner) continue;
      if (REPORT_DROP.some((p) => l.startsWith(p))) continue;
      if (l === "Active plugins:") inPlugins = true;
      else if (inPlugins && !/^\s{4}\d\d: /.test(l)) inPlugins = false;
      out.push(inPlugins ? l.replace(/^(\s{4}\d\d: [^,]+), .*$/, "$1") : l);
    }
    return out;
  }
  return lines;
}

/** First difference between two outputs. */
export interface Difference {
  /** 1-based line number in the compared (filtered) lines. */
  readonly line: number;
  /** Column name (tab-separated files with a `%` header) or 1-based character position. */
  readonly column: string;
  readonly expected: string;
  readonly actual: string;
}

/** Compare two outputs of the same kind; null when equal. */
export function firstDifference(
  kind: OutputKind,
  expectedText: string,
  actualText: string,
): Difference | null {
  const exp = comparableLines(kind, expectedText);
  const act = comparableLines(kind, actualText);
  const n = Math.max(exp.length, act.length);
  const header = (kind === "flows" || kind === "packets") && exp[0]?.startsWith("%")
    ? exp[0].slice(1).split("\t")
    : null;
  for (let i = 0; i < n; i++) {
    const e = exp[i];
    const a = act[i];
    if (e === a) continue;
    if (e === undefined || a === undefined) {
      return {
        line: i + 1,
        column: e === undefined ? "(extra line)" : "(missing line)",
        expected: e ?? "",
        actual: a ?? "",
      };
    }
    if (header && i > 0) {
      const ef = e.split("\t");
      const af = a.split("\t");
      for (let f = 0; f < Math.max(ef.length, af.length); f++) {
        if (ef[f] !== af[f]) {
          return {
            line: i + 1,
            column: header[f] ?? `field ${f + 1}`,
            expected: ef[f] ?? "(none)",
            actual: af[f] ?? "(none)",
          };
        }
      }
    }
    let c = 0;
    while (c < e.length && e[c] === a[c]) c++;
    return { line: i + 1, column: `char ${c + 1}`, expected: e, actual: a };
  }
  return null;
}

/** One-line description of a difference. */
export function describe(file: string, d: Difference): string {
  return `${file}: line ${d.line}, column ${d.column}: expected ${JSON.stringify(d.expected)}, ` +
    `got ${JSON.stringify(d.actual)}`;
}
