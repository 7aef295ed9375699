/**
 * icmpDecode and connStat against the real T2 0.9.3 (`dflt`/`dflt-s` references, issue 14),
 * on every fixture, shared and malformed case, with as much of T2's default plugin set as
 * the program has (`lists/dflt.txt` ∩ the built-in plugins):
 * - icmpDecode's flow and packet columns, and the direction it gives (`dir`, flowStat bit 0),
 *   on every flow that is the same in both outputs;
 * - connStat's columns on the same flows, where the flows end as in T2: its counts are of the
 *   flows alive at each flow's end, so they depend on when every other flow ended, which
 *   tcpStates decides for TCP. Without tcpStates in the program: the cases without TCP;
 * - icmpDecode's and connStat's report lines, `_icmpStats.txt`, and the report's A/B packet,
 *   byte and request/reply flow lines (which the direction changes) where all flows are the
 *   same;
 * except where T2 itself fails (reference/README.md): `linux-sll2-…` (T2 cannot read the link
 * type), `pcapng-multi-if-…` (T2 stops at the second interface), `bogus-record-…` (libpcap
 * invents packets): there only the columns of the same flows are compared.
 *
 * Skips, saying so, when ../shared is absent.
 */

import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { parsePluginList } from "../src/plugin/registry.ts";
import {
  type ColumnComparison,
  compareWithReference,
  type ReferenceCase,
  referenceCases,
} from "./_support/reference_same_flows.ts";

const T2_LIMITS = ["linux-sll2-", "pcapng-multi-if-", "bogus-record-"];

const ICMP_COLUMNS = [
  "dir",
  "flowStat&0x1",
  "icmpStat",
  "icmpTCcnt",
  "icmpBFTypH_TypL_Code",
  "icmpTmGtw",
  "icmpEchoSuccRatio",
  "icmpPFindex",
];
const ICMP_PACKET_COLUMNS = [
  "flowStat&0x1",
  "icmpStat",
  "icmpType",
  "icmpCode",
  "icmpID",
  "icmpSeq",
  "icmpPFindex",
];
const CONN_COLUMNS = [
  "connSip",
  "connDip",
  "connSipDip",
  "connSipDprt",
  "connF",
  "connG",
  "connNumPCnt",
  "connNumBCnt",
];
const DIRECTION_LINES = [
  "Number of A packets",
  "Number of B packets",
  "Number of A bytes",
  "Number of B bytes",
  "Number of request ",
  "Number of reply ",
];

// dflt-s where it exists (flows and packets), else dflt (the two fixtures).
const cases: ReferenceCase[] = [];
{
  const withPackets = referenceCases("dflt-s");
  const have = new Set(withPackets.map((c) => c.id.replace(/-s$/, "")));
  cases.push(...withPackets, ...referenceCases("dflt").filter((c) => !have.has(c.id)));
}

const listFile = new URL("../../shared/reference/lists/dflt.txt", import.meta.url);
const wanted = cases.length ? parsePluginList(Deno.readTextFileSync(listFile)) : [];
const plugins = BUILTIN_PLUGINS.filter((p) => wanted.includes(p.name));
const names = plugins.map((p) => p.name);
const withTcpStates = names.includes("tcpStates");

Deno.test({
  name:
    "icmpDecode/connStat reference: ../shared is present (otherwise the cases below are skipped)",
  ignore: cases.length === 0,
  fn() {
    for (const p of ["icmpDecode", "connStat", "basicFlow", "basicStats", "txtSink"]) {
      if (!names.includes(p)) throw new Error(`${p} is not among the built-in plugins`);
    }
  },
});
if (cases.length === 0) console.warn("icmp_conn_reference_test: ../shared not found, skipping");

/** Whether the reference flows have a TCP flow (whose end tcpStates may move). */
function hasTcp(c: ReferenceCase): boolean {
  const text = Deno.readTextFileSync(`${c.refDir}${c.stem}_flows.txt`);
  const lines = text.split("\n");
  const proto = lines[0].replace(/^%/, "").split("\t").indexOf("l4Proto");
  return lines.slice(1).some((l) => l.split("\t")[proto] === "6");
}

/**
 * What differs. Report lines and files not where T2 fails; the direction lines count the
 * flows and packets of every flow, so only when all flows are the same.
 */
function failures(r: ColumnComparison, limit: boolean): string[] {
  const out = [...r.columnDiffs, ...r.packetDiffs];
  if (limit) return out;
  const allSame = r.sameFlows === r.flows && r.ourFlows === r.flows;
  const isDirection = (d: string) => DIRECTION_LINES.some((p) => d.slice(1).startsWith(p));
  out.push(...r.reportDiffs.filter((d) => allSame || !isDirection(d)), ...r.fileDiffs);
  return out;
}

for (const c of cases) {
  const limit = T2_LIMITS.some((l) => c.id.includes(l));
  const conn = withTcpStates || !hasTcp(c);
  const what = [
    "icmpDecode",
    conn ? "connStat" : "",
    limit ? "(columns only: T2 fails here)" : "",
  ].filter((s) => s).join(" + ");
  Deno.test(`icmpDecode/connStat reference: ${c.id}: ${what} as T2 0.9.3`, () => {
    const r = compareWithReference(c, {
      plugins,
      columns: conn ? [...ICMP_COLUMNS, ...CONN_COLUMNS] : ICMP_COLUMNS,
      packetColumns: ICMP_PACKET_COLUMNS,
      indexColumns: ["icmpPFindex"],
      reportPrefixes: [
        ...(conn ? ["icmpDecode:", "connStat:"] : ["icmpDecode:"]),
        ...DIRECTION_LINES,
      ],
      files: ["icmpStats"],
    });
    const problems = failures(r, limit);
    if (problems.length) {
      throw new Error(
        `${r.flowsDiffering} of ${r.sameFlows} same flows and ${r.packetsDiffering} of ` +
          `${r.packets} packets differ:\n  ${problems.join("\n  ")}`,
      );
    }
  });
}
