/**
 * Test helper: compare some plugins' outputs with T2 0.9.3's reference outputs of a plugin set
 * that has more plugins than we run (issue 14: until all of T2's default plugins exist, the
 * `dflt` references can only be compared column by column).
 *
 * One run of our program with the given plugins, then, against `reference/<case>/<set>/`:
 * - flow columns by name, the rows matched by `flowInd` and `dir`; a row counts as the same
 *   flow only when its identity columns (addresses, ports, protocol, MACs, EtherType, first
 *   and last time, where both files have them) agree, otherwise it is listed as a different flow;
 * - packet-file columns by name, row by row (`pktNo` must agree);
 * - the end-report lines that start with the given plugin names, in order;
 * - summary files by suffix, line by line;
 * - optionally the order of the flow rows (`flowInd` and `dir` of every row).
 *
 * @module
 */

import type { PluginDefinition } from "../../mod.ts";
import { parseTable, runCapture, type Table } from "./run_capture.ts";

/** A capture with a reference output set. */
export interface ReferenceCase {
  /** `stem/set` or `malformed/stem/set`. */
  readonly id: string;
  readonly capture: string;
  readonly set: string;
  /** Folder of the reference files (ends with `/`). */
  readonly refDir: string;
  readonly stem: string;
}

/** Folder of the shared material (`../shared/` beside the repository), or null. */
export function sharedRoot(): string | null {
  const dir = new URL("../../../shared/", import.meta.url).pathname;
  try {
    return Deno.statSync(dir + "reference").isDirectory ? dir : null;
  } catch {
    return null;
  }
}

function dirs(path: string): string[] {
  try {
    return [...Deno.readDirSync(path)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function findCapture(shared: string, rel: string, stem: string): string | null {
  for (const dir of [`${shared}captures/${rel}`, `${shared}fixtures/`]) {
    for (const ext of [".pcap", ".pcapng"]) {
      try {
        Deno.statSync(dir + stem + ext);
        return dir + stem + ext;
      } catch { /* next */ }
    }
  }
  return null;
}

/** Every reference case of the given sets (e.g. `dflt`, `dflt-s`) that has its capture. */
export function referenceCases(shared: string, sets: readonly string[]): ReferenceCase[] {
  const out: ReferenceCase[] = [];
  const root = `${shared}reference/`;
  const add = (rel: string, stem: string) => {
    const capture = findCapture(shared, rel, stem);
    if (!capture) return;
    for (const set of dirs(`${root}${rel}${stem}`)) {
      if (!sets.includes(set)) continue;
      out.push({
        id: `${rel}${stem}/${set}`,
        capture,
        set,
        refDir: `${root}${rel}${stem}/${set}/`,
        stem,
      });
    }
  };
  for (const name of dirs(root)) {
    if (name === "lists" || name === "list-R" || name === "malformed" || name === "wide") continue;
    add("", name);
  }
  for (const name of dirs(`${root}malformed`)) add("malformed/", name);
  return out;
}

/** What to compare. */
export interface ColumnCheck {
  /** Our plugins for the run, in load order. */
  readonly plugins: readonly PluginDefinition[];
  /** Flow-file columns to compare (names of the reference's header line). */
  readonly flowColumns: readonly string[];
  /** Packet-file columns to compare (sets with `-s` only). */
  readonly packetColumns?: readonly string[];
  /** Plugin names whose end-report lines (`name: ...`) are compared. */
  readonly reportPlugins?: readonly string[];
  /** Summary files to compare, by suffix (e.g. `_protocols.txt`). */
  readonly summaryFiles?: readonly string[];
  /** Compare the order of the flow rows too. */
  readonly order?: boolean;
}

/** The outcome of one case. */
export interface ColumnCheckResult {
  readonly id: string;
  /** Rows compared (same flow in both files). */
  readonly sameFlows: number;
  /** Rows of the reference without the same flow in ours (`flowInd dir` and why). */
  readonly otherFlows: readonly string[];
  /** Differences in compared values, lines and order (empty: identical). */
  readonly differences: readonly string[];
}

/** Columns that say which flow a row is, where both files have them. */
const IDENTITY = [
  "srcIP",
  "srcPort",
  "dstIP",
  "dstPort",
  "l4Proto",
  "srcMac",
  "dstMac",
  "ethType",
  "timeFirst",
  "timeLast",
];

/** Run the case with `check.plugins` and compare. */
export function checkColumns(c: ReferenceCase, check: ColumnCheck): ColumnCheckResult {
  const packetMode = c.set.endsWith("-s");
  const out = runCapture({ input: c.capture, plugins: check.plugins, packetMode });
  const differences: string[] = [];
  const otherFlows: string[] = [];
  const ref = (suffix: string) => readOr(`${c.refDir}${c.stem}${suffix}`);

  // Flow columns.
  let sameFlows = 0;
  const refFlowsText = ref("_flows.txt");
  const ourFlowsText = out.files.get("flows");
  if (refFlowsText !== null && ourFlowsText !== undefined) {
    const rt = parseTable(refFlowsText);
    const ot = parseTable(ourFlowsText);
    const idCols = IDENTITY.filter((n) => rt.columns.includes(n) && ot.columns.includes(n));
    const ours = new Map<string, readonly string[]>();
    for (const row of ot.rows) ours.set(rowKey(ot, row), row);
    for (const row of rt.rows) {
      const key = rowKey(rt, row);
      const mine = ours.get(key);
      if (!mine) {
        otherFlows.push(`${key}: not in ours`);
        continue;
      }
      const idDiff = idCols.find((n) => row[rt.col(n)] !== mine[ot.col(n)]);
      if (idDiff) {
        otherFlows.push(`${key}: ${idDiff} ${row[rt.col(idDiff)]} vs ${mine[ot.col(idDiff)]}`);
        continue;
      }
      sameFlows++;
      for (const name of check.flowColumns) {
        const e = row[rt.col(name)];
        const a = mine[ot.col(name)];
        if (e !== a) differences.push(`flow ${key} ${name}: expected ${e}, got ${a}`);
      }
    }
    if (check.order) {
      const r = rt.rows.map((row) => rowKey(rt, row));
      const o = ot.rows.map((row) => rowKey(ot, row));
      const i = firstDiffIndex(r, o);
      if (i >= 0) {
        differences.push(
          `flow order: row ${i + 1} is ${r[i] ?? "(none)"}, ours ${o[i] ?? "(none)"}`,
        );
      }
    }
  } else if (refFlowsText !== null) {
    differences.push("flows file: missing in ours");
  }

  // Packet columns.
  const refPackets = ref("_packets.txt");
  const ourPackets = out.files.get("packets");
  if (packetMode && check.packetColumns?.length && refPackets !== null) {
    if (ourPackets === undefined) differences.push("packets file: missing in ours");
    else {
      const rt = parseTable(refPackets);
      const ot = parseTable(ourPackets);
      if (rt.rows.length !== ot.rows.length) {
        differences.push(`packets: ${rt.rows.length} rows expected, ${ot.rows.length} in ours`);
      }
      const n = Math.min(rt.rows.length, ot.rows.length);
      for (let i = 0; i < n; i++) {
        const e = rt.rows[i];
        const a = ot.rows[i];
        const pkt = e[rt.col("pktNo")];
        if (pkt !== a[ot.col("pktNo")]) {
          differences.push(`packet row ${i + 1}: pktNo ${pkt}, ours ${a[ot.col("pktNo")]}`);
          break;
        }
        for (const name of check.packetColumns) {
          if (e[rt.col(name)] !== a[ot.col(name)]) {
            differences.push(
              `packet ${pkt} ${name}: expected ${e[rt.col(name)]}, got ${a[ot.col(name)]}`,
            );
          }
        }
      }
    }
  }

  // Report lines.
  if (check.reportPlugins?.length) {
    const pick = (text: string) =>
      // deno-lint-ignore no-control-regex
      text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").filter((l) =>
        check.reportPlugins!.some((p) => l.startsWith(p + ":"))
      );
    const e = pick(ref("_report.txt") ?? "");
    const a = pick(out.report);
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      if (e[i] !== a[i]) {
        differences.push(`report line ${i + 1}: expected "${e[i] ?? ""}", got "${a[i] ?? ""}"`);
      }
    }
  }

  // Summary files.
  for (const suffix of check.summaryFiles ?? []) {
    const e = ref(suffix);
    const a = out.files.get(suffix.replace(/^_/, "").replace(/\.txt$/, ""));
    if (e === null) continue;
    if (a === undefined) differences.push(`${suffix}: missing in ours`);
    else if (e !== a) {
      const el = e.split("\n");
      const al = a.split("\n");
      const i = firstDiffIndex(el, al);
      differences.push(`${suffix} line ${i + 1}: expected "${el[i]}", got "${al[i]}"`);
    }
  }
  return { id: c.id, sameFlows, otherFlows, differences };
}

/** `flowInd dir` of a flow-file row. */
function rowKey(t: Table, row: readonly string[]): string {
  return `${row[t.col("flowInd")]} ${row[t.col("dir")]}`;
}

function firstDiffIndex(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function readOr(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}
