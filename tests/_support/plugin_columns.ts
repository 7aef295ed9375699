/**
 * Test helper: compare some plugins' output with a reference set of the real T2 0.9.3 when
 * whole files cannot match yet (e.g. `dflt` before all of its plugins exist). The case runs
 * with the set's plugins that are built in; then, per flow that is the same flow in both
 * outputs, the named flow-file columns; per packet of such a flow, the named packet-file
 * columns; the plugins' report lines when every flow is the same and in the same order; and
 * whole summary files (e.g. `_protocols.txt`).
 *
 * "The same flow": same direction, addresses, ports, protocol, EtherType, VLANs, first and
 * last packet time and packet count. Flows another plugin would cut or turn (tcpStates'
 * timeouts, icmpDecode's direction of lone ICMP flows) are then not compared, and counted.
 *
 * @module
 */

import { run } from "../../src/core/run.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import { selectPlugins } from "../../src/plugin/registry.ts";
import { BUILTIN_PLUGINS } from "../../plugins/mod.ts";
import { type Case, setPlugins, SETS } from "../../tools/conformance/cases.ts";
import { comparableLines } from "../../tools/conformance/compare.ts";

/** What to compare. */
export interface PluginOutputs {
  /** Flow-file column names. */
  readonly flowColumns: readonly string[];
  /** Packet-file column names (sets with `-s`). */
  readonly packetColumns?: readonly string[];
  /** Plugins whose report lines (`name: ...`) are compared. */
  readonly reportPlugins?: readonly string[];
  /** Summary-file suffixes compared whole, e.g. `_protocols.txt`. */
  readonly summaryFiles?: readonly string[];
}

/** How one case compared. */
export interface ColumnOutcome {
  readonly id: string;
  /** Reference flows compared (the same flow in both outputs). */
  readonly flows: number;
  /** Reference flows not compared because ours differ (cut, turned, missing). */
  readonly otherFlows: number;
  /** Packet lines compared. */
  readonly packets: number;
  /** Packet lines not compared (their flow is not the same). */
  readonly otherPackets: number;
  /** Whether the report lines were compared (all flows the same, same order). */
  readonly reportCompared: boolean;
  /** Differences found in what was compared: one line each (at most 20). */
  readonly differences: readonly string[];
}

/** Columns that identify a flow, where the flow file has them. */
const IDENTITY = [
  "dir",
  "srcMac",
  "dstMac",
  "ethType",
  "vlanID",
  "srcIP",
  "srcPort",
  "dstIP",
  "dstPort",
  "l4Proto",
  "timeFirst",
  "timeLast",
  "pktsSnt",
];

interface Rows {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
}

function rowsOf(text: string | null): Rows {
  if (text === null) return { header: [], rows: [] };
  const lines = text.split("\n").filter((l) => l !== "");
  if (!lines.length || !lines[0].startsWith("%")) return { header: [], rows: [] };
  const header = lines[0].slice(1).split("\t");
  return {
    header,
    rows: lines.slice(1).filter((l) => !l.startsWith("#")).map((l) => l.split("\t")),
  };
}

function readOr(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/** Run a reference case with the built-in plugins of its set; the output files and report. */
function runBuiltin(c: Case, listsDir: string) {
  const available = new Set(BUILTIN_PLUGINS.map((p) => p.name));
  const names = setPlugins(c.set, listsDir).filter((n) => available.has(n));
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-cols-" });
  const report = new MemorySink();
  try {
    const r = run({
      inputs: [c.capture],
      inputName: c.capture,
      outputPrefix: dir + "/",
      plugins: selectPlugins(BUILTIN_PLUGINS, names),
      settings: [{ name: "SUBNET_ON", value: "0" }],
      packetMode: SETS[c.set].packetMode,
      commandLine: "t2",
      reportSink: report,
      color: false,
      stderr: () => {},
    });
    const files = new Map<string, string>();
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile) files.set(e.name, Deno.readTextFileSync(`${dir}/${e.name}`));
    }
    return { exitCode: r.exitCode, report: report.takeText(), files };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Compare the named outputs of `c` (a case of ../shared/reference or golden/). */
export function compareColumns(c: Case, listsDir: string, what: PluginOutputs): ColumnOutcome {
  const ours = runBuiltin(c, listsDir);
  const ref = (suffix: string) => readOr(`${c.refDir}${c.stem}${suffix}`);
  const differences: string[] = [];
  const differ = (text: string) => void (differences.length < 20 && differences.push(text));

  // Flows: pair them by identity, in order of appearance.
  const exp = rowsOf(ref("_flows.txt"));
  const act = rowsOf(ours.files.get(`${c.stem}_flows.txt`) ?? null);
  const idCols = IDENTITY.filter((n) => exp.header.includes(n) && act.header.includes(n));
  const key = (t: Rows, r: string[]) => idCols.map((n) => r[t.header.indexOf(n)]).join("\t");
  const waiting = new Map<string, string[][]>();
  for (const r of act.rows) {
    const k = key(act, r);
    const list = waiting.get(k);
    if (list) list.push(r);
    else waiting.set(k, [r]);
  }
  const flowIndMap = new Map<string, string>(); // reference flowInd -> ours
  const unsure = new Set<string>(); // reference flowInds with a flow that is not the same
  const fi = (t: Rows) => t.header.indexOf("flowInd");
  let flows = 0;
  let otherFlows = 0;
  let sameOrder = exp.rows.length === act.rows.length;
  exp.rows.forEach((e, i) => {
    const a = waiting.get(key(exp, e))?.shift();
    if (!a) {
      otherFlows++;
      unsure.add(e[fi(exp)]);
      sameOrder = false;
      return;
    }
    if (act.rows[i] !== a) sameOrder = false;
    flows++;
    flowIndMap.set(e[fi(exp)], a[fi(act)]);
    for (const col of what.flowColumns) {
      const ev = e[exp.header.indexOf(col)];
      const av = exp.header.includes(col) && act.header.includes(col)
        ? a[act.header.indexOf(col)]
        : "(no column)";
      if (ev !== av) {
        differ(
          `flow ${e[fi(exp)]} ${e[0]}: ${col} ${JSON.stringify(ev)} != ours ${JSON.stringify(av)}`,
        );
      }
    }
  });
  for (const u of unsure) flowIndMap.delete(u);

  // Packets of the same flows, by packet number.
  let packets = 0;
  let otherPackets = 0;
  if (what.packetColumns?.length && SETS[c.set].packetMode) {
    const pe = rowsOf(ref("_packets.txt"));
    const pa = rowsOf(ours.files.get(`${c.stem}_packets.txt`) ?? null);
    const byNo = new Map(pa.rows.map((r) => [r[0], r]));
    const pfi = (t: Rows) => t.header.indexOf("flowInd");
    for (const e of pe.rows) {
      const a = byNo.get(e[0]);
      if (!a || flowIndMap.get(e[pfi(pe)]) !== a[pfi(pa)]) {
        otherPackets++;
        continue;
      }
      packets++;
      for (const col of what.packetColumns) {
        const ev = e[pe.header.indexOf(col)];
        const av = pa.header.includes(col) ? a[pa.header.indexOf(col)] : "(no column)";
        if (ev !== av) {
          differ(`packet ${e[0]}: ${col} ${JSON.stringify(ev)} != ours ${JSON.stringify(av)}`);
        }
      }
    }
  }

  // Report lines: they depend on every flow and (averages) on the output order.
  const reportCompared = otherFlows === 0 && sameOrder && flows === act.rows.length;
  if (reportCompared && what.reportPlugins?.length) {
    const pick = (text: string) =>
      comparableLines("report", text).filter((l) =>
        what.reportPlugins!.some((p) => l.startsWith(`${p}: `) || l.includes(` ${p}: `))
      );
    const e = pick(ref("_report.txt") ?? "");
    const a = pick(ours.report);
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      if (e[i] !== a[i]) {
        differ(`report: ${JSON.stringify(e[i] ?? "")} != ours ${JSON.stringify(a[i] ?? "")}`);
      }
    }
  }

  // Summary files, whole.
  for (const suffix of what.summaryFiles ?? []) {
    const e = ref(suffix);
    const a = ours.files.get(`${c.stem}${suffix}`) ?? null;
    if (e === a) continue;
    if (e === null || a === null) {
      differ(`${suffix}: ${e === null ? "not in the reference" : "not written"}`);
      continue;
    }
    const el = e.split("\n");
    const al = a.split("\n");
    const i = el.findIndex((l, j) => l !== al[j]);
    const at = i < 0 ? el.length : i;
    differ(
      `${suffix} line ${at + 1}: ${JSON.stringify(el[at] ?? "")} != ours ${
        JSON.stringify(al[at] ?? "")
      }`,
    );
  }

  return { id: c.id, flows, otherFlows, packets, otherPackets, reportCompared, differences };
}
