/**
 * Test helper: compare some columns, report lines and summary files of our run with a
 * reference output of the real T2 0.9.3, for a plugin built before the whole plugin set of
 * that reference exists (issue 14: whole-file comparison of `dflt` needs all seven plugins).
 *
 * Flows are matched by what identifies them (first packet time, addresses, ports, protocol,
 * VLAN), not by position: without tcpStates our flows can end elsewhere, which changes the
 * output order and, from there on, the flow indexes. A matched flow is "the same" when its
 * last packet time and packet counts agree too; columns are compared on the same flows only,
 * and the rest is counted. Packet-file columns are compared on the packets of same flows.
 *
 * @module
 */

import type { PluginDefinition } from "../../src/plugin/api.ts";
import { parseTable, runCapture, type Table } from "./run_capture.ts";

/** One capture with a reference output of one plugin set. */
export interface ReferenceCase {
  /** `stem/set` or `malformed/stem/set`. */
  readonly id: string;
  readonly capture: string;
  /** Folder of the reference files (ends with `/`). */
  readonly refDir: string;
  /** File-name stem of the reference files. */
  readonly stem: string;
  /** Whether the reference ran in packet mode (`-s`). */
  readonly packetMode: boolean;
}

const SHARED = new URL("../../../shared/", import.meta.url).pathname;

function dirs(path: string): string[] {
  try {
    return [...Deno.readDirSync(path)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The reference cases of set `set` (e.g. `dflt`, `dflt-s`) whose capture is present, shared
 * captures, fixtures and `malformed/` alike; empty without ../shared.
 */
export function referenceCases(set: string): ReferenceCase[] {
  const out: ReferenceCase[] = [];
  const root = `${SHARED}reference/`;
  const add = (rel: string, stem: string) => {
    const refDir = `${root}${rel}${stem}/${set}/`;
    if (!exists(refDir)) return;
    for (const dir of [`${SHARED}captures/${rel}`, `${SHARED}fixtures/`]) {
      for (const ext of [".pcap", ".pcapng"]) {
        const capture = dir + stem + ext;
        if (!exists(capture)) continue;
        out.push({
          id: `${rel}${stem}/${set}`,
          capture,
          refDir,
          stem,
          packetMode: set.endsWith("-s"),
        });
        return;
      }
    }
  };
  for (const name of dirs(root)) {
    if (name !== "lists" && name !== "list-R" && name !== "malformed" && name !== "wide") {
      add("", name);
    }
  }
  for (const name of dirs(`${root}malformed`)) add("malformed/", name);
  return out;
}

/** What to compare. */
export interface CompareOptions {
  /** Plugins of our run, in load order. */
  readonly plugins: readonly PluginDefinition[];
  /** Flow-file columns to compare on the same flows, by name. */
  readonly columns: readonly string[];
  /** Packet-file columns to compare on the packets of same flows (packet mode only). */
  readonly packetColumns?: readonly string[];
  /**
   * Columns (flow or packet) whose values are flow indexes (e.g. `icmpPFindex`): compared
   * through the map of the same flows' indexes, as our indexes shift where flows differ.
   */
  readonly indexColumns?: readonly string[];
  /** Report lines starting with one of these are compared in order (e.g. `icmpDecode:`). */
  readonly reportPrefixes?: readonly string[];
  /** Other files compared whole, by suffix after the stem (e.g. `icmpStats`). */
  readonly files?: readonly string[];
}

/** The outcome of one case. */
export interface ColumnComparison {
  readonly id: string;
  /** Reference flow rows. */
  readonly flows: number;
  /** Our flow rows. */
  readonly ourFlows: number;
  /** Flows found in both outputs with the same boundaries. */
  readonly sameFlows: number;
  /** Whether both outputs list the same flows in the same order with the same indexes. */
  readonly sameOrder: boolean;
  /** First differences in the compared columns of the same flows (at most 20). */
  readonly columnDiffs: readonly string[];
  /** Number of same flows with a difference in the compared columns. */
  readonly flowsDiffering: number;
  /** Differences in the compared packet columns (at most 20), and how many packets differ. */
  readonly packetDiffs: readonly string[];
  readonly packetsDiffering: number;
  /** Packets compared. */
  readonly packets: number;
  /**
   * Report lines that differ, as `-expected` / `+actual`: per prefix, the lines starting with
   * it are compared in order.
   */
  readonly reportDiffs: readonly string[];
  /** Files compared whole that differ: the first differing line. */
  readonly fileDiffs: readonly string[];
}

const IDENTITY = ["timeFirst", "srcIP", "srcPort", "dstIP", "dstPort", "l4Proto", "vlanID"];
const BOUNDARY = ["timeLast", "pktsSnt", "pktsRcvd"];

/**
 * A row's value of column `name`; `name&MASK` (e.g. `flowStat&0x1`) gives the hexadecimal
 * value of the column masked, to compare some bits only.
 */
function field(t: Table, row: readonly string[], name: string): string {
  const amp = name.indexOf("&");
  if (amp > 0) {
    const v = BigInt(field(t, row, name.slice(0, amp)) || "0");
    return "0x" + (v & BigInt(name.slice(amp + 1))).toString(16);
  }
  const i = t.columns.indexOf(name);
  return i < 0 ? "" : row[i];
}

/** A flow's identity: its first packet time, endpoints and protocol (not its direction). */
function identity(t: Table, row: readonly string[]): string {
  return IDENTITY.map((c) => field(t, row, c)).join("|") + "|" + hdrOuter(t, row);
}

/** The MACs (macRecorder may be missing) and the header description, for layer-2 flows. */
function hdrOuter(t: Table, row: readonly string[]): string {
  return ["hdrDesc", "srcMac", "dstMac", "ethType"].map((c) => field(t, row, c)).join("|");
}

/** Run our analyzer on `c` and compare with the reference as `opts` says. */
export function compareWithReference(c: ReferenceCase, opts: CompareOptions): ColumnComparison {
  const ours = runCapture({ input: c.capture, plugins: opts.plugins, packetMode: c.packetMode });
  const ref = (suffix: string) => {
    try {
      return Deno.readTextFileSync(`${c.refDir}${c.stem}_${suffix}.txt`);
    } catch {
      return null;
    }
  };

  // Flows: match them, then compare the columns of the same ones.
  const rt = parseTable(ref("flows") ?? "%\n");
  const ot = parseTable(ours.files.get("flows") ?? "%\n");
  const byId = new Map<string, readonly string[]>();
  for (const row of ot.rows) byId.set(identity(ot, row), row);
  const pairs: [readonly string[], readonly string[]][] = [];
  /** findex in the reference → ours, for the flows that are the same. */
  const sameIndex = new Map<string, string>();
  const notSame = new Set<string>();
  for (const rr of rt.rows) {
    const or = byId.get(identity(rt, rr));
    const rIdx = field(rt, rr, "flowInd");
    if (!or || BOUNDARY.some((b) => field(rt, rr, b) !== field(ot, or, b))) notSame.add(rIdx);
    else {
      pairs.push([rr, or]);
      sameIndex.set(rIdx, field(ot, or, "flowInd"));
    }
  }
  for (const idx of notSame) sameIndex.delete(idx);
  const indexColumns = new Set(opts.indexColumns ?? []);
  /** A reference value as our run should print it. */
  const expect = (col: string, v: string) =>
    indexColumns.has(col) && v !== "" && v !== "0" ? sameIndex.get(v) ?? `(flow ${v})` : v;
  let flowsDiffering = 0;
  const columnDiffs: string[] = [];
  for (const [rr, or] of pairs) {
    let differs = false;
    for (const col of opts.columns) {
      const e = expect(col, field(rt, rr, col));
      const a = field(ot, or, col);
      if (e === a) continue;
      differs = true;
      if (columnDiffs.length < 20) {
        columnDiffs.push(
          `flow ${field(rt, rr, "flowInd")} ${field(rt, rr, "dir")} (${field(rt, rr, "srcIP")}:` +
            `${field(rt, rr, "srcPort")} -> ${field(rt, rr, "dstIP")}:${field(rt, rr, "dstPort")}` +
            ` proto ${field(rt, rr, "l4Proto")}): ${col} expected ${e}, got ${a}`,
        );
      }
    }
    if (differs) flowsDiffering++;
  }
  const sameOrder = rt.rows.length === ot.rows.length &&
    rt.rows.every((rr, i) =>
      identity(rt, rr) === identity(ot, ot.rows[i]) &&
      field(rt, rr, "flowInd") === field(ot, ot.rows[i], "flowInd") &&
      BOUNDARY.every((b) => field(rt, rr, b) === field(ot, ot.rows[i], b))
    );

  // Packets.
  const packetDiffs: string[] = [];
  let packetsDiffering = 0;
  let packets = 0;
  const refPackets = c.packetMode ? ref("packets") : null;
  if (refPackets !== null && opts.packetColumns?.length) {
    const rp = parseTable(refPackets);
    const op = parseTable(ours.files.get("packets") ?? "%\n");
    const ourRows = new Map<string, readonly string[]>();
    for (const row of op.rows) ourRows.set(field(op, row, "pktNo"), row);
    for (const rr of rp.rows) {
      const pktNo = field(rp, rr, "pktNo");
      const or = ourRows.get(pktNo);
      const idx = sameIndex.get(field(rp, rr, "flowInd"));
      if (!or || idx === undefined || idx !== field(op, or, "flowInd")) continue;
      packets++;
      let differs = false;
      for (const col of opts.packetColumns) {
        const e = expect(col, field(rp, rr, col));
        const a = field(op, or, col);
        if (e === a) continue;
        differs = true;
        if (packetDiffs.length < 20) {
          packetDiffs.push(`packet ${pktNo}: ${col} expected ${e}, got ${a}`);
        }
      }
      if (differs) packetsDiffering++;
    }
  }

  // Report lines.
  const reportDiffs: string[] = [];
  const prefixes = opts.reportPrefixes ?? [];
  if (prefixes.length) {
    // deno-lint-ignore no-control-regex
    const lines = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
    const expected = lines(ref("report") ?? "");
    const actual = lines(ours.report);
    for (const prefix of prefixes) {
      const e = expected.filter((l) => l.startsWith(prefix));
      const a = actual.filter((l) => l.startsWith(prefix));
      for (let i = 0; i < Math.max(e.length, a.length); i++) {
        if (e[i] === a[i]) continue;
        if (e[i] !== undefined) reportDiffs.push(`-${e[i]}`);
        if (a[i] !== undefined) reportDiffs.push(`+${a[i]}`);
      }
    }
  }

  // Whole files.
  const fileDiffs: string[] = [];
  for (const suffix of opts.files ?? []) {
    const e = ref(suffix);
    const a = ours.files.get(suffix) ?? null;
    if (e === a) continue;
    if (e === null || a === null) {
      fileDiffs.push(`_${suffix}.txt: ${e === null ? "not in the reference" : "not written"}`);
      continue;
    }
    const el = e.split("\n");
    const al = a.split("\n");
    let i = 0;
    while (el[i] === al[i]) i++;
    fileDiffs.push(
      `_${suffix}.txt line ${i + 1}: expected ${JSON.stringify(el[i])}, got ${
        JSON.stringify(al[i])
      }`,
    );
  }

  return {
    id: c.id,
    flows: rt.rows.length,
    ourFlows: ot.rows.length,
    sameFlows: pairs.length,
    sameOrder,
    columnDiffs,
    flowsDiffering,
    packetDiffs,
    packetsDiffering,
    packets,
    reportDiffs,
    fileDiffs,
  };
}
