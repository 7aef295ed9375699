/**
 * Link types end to end (spec/link-types.md): the report's `Link layer type:` line with
 * libpcap's names, and T2's stop at a link type it cannot dissect — at the first record with
 * bytes, after `Dump start`, with its error on standard error and exit code 1, no end report
 * and no flow; LAPD with its own words; PPI carrying a link type T2 does not decode warns and
 * goes on.
 */

import assert from "node:assert/strict";
import { concat, hex, pcap, udpFrame } from "./_support/capture_builder.ts";
import { runCapture } from "./_support/run_capture.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { selectPlugins } from "../src/plugin/registry.ts";

const BASE = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "txtSink"]);

const CONV = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 53 };

/** Report lines from `Processing file:` on. */
function reportTail(report: string): string[] {
  const lines = report.split("\n");
  return lines.slice(lines.findIndex((l) => l.startsWith("Processing file:")) + 1);
}

function runLink(linkType: number, records: Uint8Array[], packetMode = false) {
  const bytes = pcap(records.map((data, i) => ({ sec: 1000 + i, data })), { linkType });
  return runCapture({ input: { name: "lt.pcap", bytes }, plugins: BASE, packetMode });
}

Deno.test("link types: the report names them as libpcap does ((null) where it has no name)", () => {
  const cases: [number, string][] = [
    [1, "Ethernet [EN10MB/1]"],
    [127, "802.11 plus radiotap header [IEEE802_11_RADIO/127]"],
    [192, "Per-Packet Information [PPI/192]"],
    [178, "Juniper Ethernet [JUNIPER_ETHER/178]"],
    [204, "(null) [(null)/204]"],
    [271, "Linux vsock [VSOCK/271]"],
  ];
  for (const [dlt, text] of cases) {
    const out = runLink(dlt, []);
    assert.ok(out.report.includes(`\nLink layer type: ${text}\n`), `${dlt}`);
    assert.equal(out.exitCode, 0, `${dlt}: an empty capture is read to its end`);
    assert.ok(out.report.includes("Dump stop"), `${dlt}`);
  }
});

Deno.test("link types: a rejected one stops the run at its first record: report ends at Dump start, [ERR], exit 1, no flow", () => {
  const out = runLink(160, [hex("01 02 03 04"), hex("05 06 07 08")], true);
  assert.equal(out.exitCode, 1);
  assert.deepStrictEqual(reportTail(out.report), [
    "Link layer type: (null) [(null)/160]",
    "Snapshot length: 65535 (65.53 K)",
    "Dump start: 1000.000000000 sec (Thu 01 Jan 1970 00:16:40 GMT)",
    "",
  ]);
  assert.deepStrictEqual(out.stderr, ["[ERR] Unsupported link-layer type: (null) [(null)/160]"]);
  assert.equal(out.files.get("flows")!.split("\n").length, 2, "the column names only");
  assert.equal(out.files.get("packets")!.split("\n").length, 2, "the column names only");
  assert.ok(out.files.get("headers")!.includes("basicFlow"), "the headers file is complete");
});

Deno.test("link types: LAPD is refused with T2's words (an [INF] on the report, the error on stderr)", () => {
  const out = runLink(177, [hex("01 02 03 04")]);
  assert.equal(out.exitCode, 1);
  assert.deepStrictEqual(reportTail(out.report).slice(2), [
    "Dump start: 1000.000000000 sec (Thu 01 Jan 1970 00:16:40 GMT)",
    "[INF] Activate it as follows: t2conf -D LAPD_ACTIVATE=1 tranalyzer2 && t2build -R -r",
    "",
  ]);
  assert.deepStrictEqual(out.stderr, ["[ERR] Support for LAPD flows currently disabled"]);
});

/** A PPI header naming link type `dlt`. */
function ppi(dlt: number): Uint8Array {
  const h = new Uint8Array(8);
  new DataView(h.buffer).setUint16(2, 8, true);
  new DataView(h.buffer).setUint32(4, dlt, true);
  return h;
}

Deno.test("link types: PPI carrying one T2 does not decode warns per packet and goes on", () => {
  const out = runLink(192, [
    concat(ppi(147), udpFrame(CONV)),
    concat(ppi(1), udpFrame(CONV)),
    concat(ppi(147), udpFrame(CONV)),
  ]);
  assert.equal(out.exitCode, 0);
  const warnings = out.report.split("\n").filter((l) => l.startsWith("[WRN] Unsupported"));
  assert.deepStrictEqual(warnings, [
    "[WRN] Unsupported link-layer type: (null) [(null)/147]",
    "[WRN] Unsupported link-layer type: (null) [(null)/147]",
  ]);
  assert.match(out.files.get("flows")!, /\tppi:eth:ipv4:udp\t/);
});

Deno.test("link types: PPI inside PPI after flows were made ends the run with exit 1, and those flows are written", () => {
  const out = runLink(192, [concat(ppi(1), udpFrame(CONV)), concat(ppi(192), udpFrame(CONV))]);
  assert.equal(out.exitCode, 1);
  assert.deepStrictEqual(out.stderr, [
    "[ERR] Unsupported link-layer type: Per-Packet Information [PPI/192]",
  ]);
  assert.equal(out.files.get("flows")!.split("\n").length, 3, "T2 loses the flow; we write it");
  assert.ok(out.report.includes("Dump stop"));
});

Deno.test("records without captured bytes: counted, a warning each, and the run goes on (also before a rejected link type)", () => {
  const ok = runLink(1, [new Uint8Array(0), udpFrame(CONV)]);
  assert.equal(ok.exitCode, 0);
  assert.ok(ok.report.includes(
    "\nDump start: 1000.000000000 sec (Thu 01 Jan 1970 00:16:40 GMT)\n" +
      "[WRN] No data available for packet 1\n",
  ));
  assert.match(ok.report, /^Number of processed packets: 2$/m);
  const rejected = runLink(160, [new Uint8Array(0), hex("01 02")]);
  assert.equal(rejected.exitCode, 1);
  assert.deepStrictEqual(reportTail(rejected.report).slice(2), [
    "Dump start: 1000.000000000 sec (Thu 01 Jan 1970 00:16:40 GMT)",
    "[WRN] No data available for packet 1",
    "",
  ]);
});
