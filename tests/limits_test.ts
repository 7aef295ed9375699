/**
 * Resource limits: the flow table holds 262144 × f flows (`-f`). When it is full T2's hash
 * autopilot writes the oldest flow (flowStat RMFLOW_HFULL) to make room, warns once, and
 * suggests a hash factor; nothing is lost and memory stays bounded. Captures of more than 262144
 * distinct flows are built in memory.
 */

import assert from "node:assert/strict";
import { run } from "../src/core/run.ts";
import { MemorySink } from "../src/output/byte_writer.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { selectPlugins } from "../src/plugin/registry.ts";
import { manyFlowsCapture, SMALL_FRAME } from "../tools/fuzz/many_flows.ts";

const SLOTS = 262144;
/** RMFLOW_HFULL: bit 42 of flowStat (spec/flowstat.md). */
const RMFLOW_HFULL = 1n << 42n;
const WARN = "[WRN] Hash Autopilot: main HashMap full: flushing 1 oldest flow(s)";

interface Result {
  exitCode: number;
  flows: number;
  report: string[];
  flowLines: string[];
}

function t2(bytes: Uint8Array, hashFactor: number): Result {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-limits-" });
  try {
    const report = new MemorySink();
    const r = run({
      inputs: [{ name: "many.pcap", bytes }],
      inputName: "many.pcap",
      outputPrefix: `${dir}/out`,
      plugins: selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "txtSink"]),
      settings: [{ name: "SUBNET_ON", value: "0" }],
      packetMode: false,
      hashFactor,
      commandLine: "t2",
      reportSink: report,
      color: false,
    });
    const flowLines = Deno.readTextFileSync(`${dir}/out_flows.txt`).split("\n");
    flowLines.pop();
    return {
      exitCode: r.exitCode,
      flows: r.flows,
      report: report.takeText().split("\n"),
      flowLines,
    };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function reportValue(report: string[], label: string): string | undefined {
  return report.find((l) => l.startsWith(label))?.slice(label.length).trim();
}

Deno.test("limits: a full flow table (-f 1) flushes the oldest flows, warns once, loses nothing", () => {
  const extra = 2000;
  const r = t2(manyFlowsCapture({ flows: SLOTS + extra }), 1);
  assert.equal(r.exitCode, 0);
  assert.equal(r.flows, SLOTS + extra);
  assert.equal(r.report.filter((l) => l === WARN).length, 1, "the warning, once");
  const fix = r.report.filter((l) => l.startsWith("[INF] Hash Autopilot: Fix:"));
  assert.deepEqual(fix, ["[INF] Hash Autopilot: Fix: Invoke Tranalyzer with '-f 2'"]);
  assert.equal(
    reportValue(r.report, "Max number of flows in memory:"),
    "262144 (262.14 K) [100.00%]",
  );
  assert.equal(
    reportValue(r.report, "Number of flows terminated by autopilot:"),
    "2000 (2.00 K) [0.76%]",
  );
  // Every flow is written once; the autopilot's come first, oldest first, flagged.
  const head = r.flowLines[0].slice(1).split("\t");
  const iStat = head.indexOf("flowStat");
  const iInd = head.indexOf("flowInd");
  const rows = r.flowLines.slice(1).map((l) => l.split("\t"));
  assert.equal(rows.length, SLOTS + extra);
  assert.equal(new Set(rows.map((f) => f[iInd])).size, SLOTS + extra);
  rows.forEach((f, i) => {
    const flagged = (BigInt(f[iStat]) & RMFLOW_HFULL) !== 0n;
    assert.equal(flagged, i < extra, `flow line ${i + 1} (${f[iInd]}): RMFLOW_HFULL ${flagged}`);
    if (i < extra) assert.equal(f[iInd], String(i + 1));
  });
  const agg = r.report.find((l) => l.startsWith("Aggregated flowStat="))!;
  assert.ok((BigInt(agg.slice("Aggregated flowStat=".length)) & RMFLOW_HFULL) !== 0n);
});

Deno.test("limits: with -f 2 the same flows fit, no autopilot", () => {
  const r = t2(manyFlowsCapture({ flows: SLOTS + 2000 }), 2);
  assert.equal(r.exitCode, 0);
  assert.equal(r.flows, SLOTS + 2000);
  assert.equal(r.report.filter((l) => l.includes("Hash Autopilot")).length, 0);
  assert.equal(
    reportValue(r.report, "Max number of flows in memory:"),
    "264144 (264.14 K) [50.38%]",
  );
  assert.equal(r.flowLines.length - 1, SLOTS + 2000);
});

Deno.test({
  // spec/report.md §3: k = clamp(floor(fileSize / (24 + bytesProcessed + 16 · packets)), 2, 16)
  // · hashFactor.
  name: "limits: the autopilot's '-f k' follows T2's formula (file size / bytes read so far)",
  fn() {
    // 262145 small flows fill the table at about 20 MB read; 700 large packets after them
    // make the file about 66 MB: k = floor(66 / 20) = 3.
    const bytes = manyFlowsCapture({ flows: SLOTS + 1, bigPackets: 700 });
    const readAtFull = 24 + (SLOTS + 1) * (SMALL_FRAME + 16);
    assert.equal(Math.floor(bytes.length / readAtFull), 3);
    const r = t2(bytes, 1);
    const fix = r.report.filter((l) => l.startsWith("[INF] Hash Autopilot: Fix:"));
    assert.deepEqual(fix, ["[INF] Hash Autopilot: Fix: Invoke Tranalyzer with '-f 3'"]);
  },
});
