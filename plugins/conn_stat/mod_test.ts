/**
 * connStat on hand-made captures, written from spec/plugins/connStat.md: the life cycle of a
 * connection (§10), live counts over several flows, orientation by flowStat bit 0 (also as
 * icmpDecode sets it), packet totals that survive in a reused slot and the value T2 reads for
 * a sender no longer in its table (§11), fragments, IPv6, layer-2 flows, the report and the
 * settings.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { icmpDecode } from "../icmp_decode/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { connStat } from "./mod.ts";
import {
  ethernet,
  hex,
  ipv4,
  pcap,
  type PcapPacket,
  TCP,
  tcp,
  udp,
} from "../../tests/_support/capture_builder.ts";
import { icmpFrame, ipv6 } from "../../tests/_support/icmp_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

const C = "10.0.0.1";
const S = "10.0.0.2";
const T = "10.0.0.3";

/** A packet at `sec` seconds (plus `ms`). */
function at(sec: number, data: Uint8Array, ms = 0): PcapPacket {
  return { sec: 8000 + sec, ns: ms * 1_000_000, data };
}

/** A TCP segment with `n` payload bytes. */
function seg(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  n = 0,
  flags: number = TCP.ACK,
) {
  return ethernet(
    { type: 0x0800 },
    ipv4({ src, dst, proto: 6 }, tcp({ sport, dport, flags }, new Uint8Array(n))),
  );
}

/** A UDP datagram with `n` payload bytes. */
function dgram(src: string, sport: number, dst: string, dport: number, n = 0) {
  return ethernet(
    { type: 0x0800 },
    ipv4({ src, dst, proto: 17 }, udp({ sport, dport }, new Uint8Array(n))),
  );
}

function run(
  packets: PcapPacket[],
  settings: SettingAssignment[] = [],
  plugins: PluginDefinition[] = [basicFlow, connStat, txtSink],
) {
  const out = runCapture({ input: { name: "conn.pcap", bytes: pcap(packets) }, plugins, settings });
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  return out;
}

const COLUMNS = [
  "connSip",
  "connDip",
  "connSipDip",
  "connSipDprt",
  "connF",
  "connG",
  "connNumPCnt",
  "connNumBCnt",
];

/** Flow rows as `dir flowInd` and the connStat columns. */
function rows(text: string, columns = COLUMNS): string[] {
  const t = parseTable(text);
  return t.rows.map((r) => ["dir", "flowInd", ...columns].map((c) => r[t.col(c)]).join(" "));
}

function connStatLines(report: string): string[] {
  return report.split("\n").filter((l) => l.startsWith("connStat:"));
}

Deno.test("connStat: one connection's life cycle — the A row counts itself and the B flow, the B row only itself", () => {
  const out = run([
    at(0, seg(C, 40000, S, 443, 10)),
    at(1, seg(S, 443, C, 40000, 100)),
    at(2, seg(C, 40000, S, 443, 20)),
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 1 1 2 2 2 1 2 30", // C's packets and bytes
    "B 1 1 1 1 1 1 1 1 100", // S's
  ]);
  assert.deepStrictEqual(connStatLines(out.report), [
    "connStat: Number of unique source IPs: 1",
    "connStat: Number of unique destination IPs: 1",
    "connStat: Number of unique source/destination IPs connections: 2",
    "connStat: Max unique number of source IP / destination port connections: 2",
    "connStat: IP connF=connSipDprt/connSip: 2.000000",
    "connStat: IP connG=connSipDprt/connSipDip: 1.000000",
    "connStat: Source IP with max connections: 10.0.0.1: 1 connections",
    "connStat: Destination IP with max connections: 10.0.0.2: 1 connections",
    "connStat: Biggest L3 talker: 10.0.0.1: 2 [66.67%] packets",
    // 100 of 64 + 154 + 74 captured bytes
    "connStat: Biggest L3 talker: 10.0.0.2: 100 [34.25%] bytes",
  ]);
});

Deno.test("connStat: three connections to one port — counts of live flows fall as the rows are written", () => {
  const pkts: PcapPacket[] = [];
  for (const port of [1001, 1002, 1003]) {
    pkts.push(at(port - 1000, seg(C, port, S, 53, 5)), at(port - 1000, seg(S, 53, C, port, 7), 1));
  }
  const out = run(pkts);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 1 1 6 6 6 1 3 15",
    "B 1 1 1 5 5 5 1 3 21",
    "A 2 1 1 4 4 4 1 3 15",
    "B 2 1 1 3 3 3 1 3 21",
    "A 3 1 1 2 2 2 1 3 15",
    "B 3 1 1 1 1 1 1 3 21",
  ]);
  // CS_HSDRM=0: nothing is forgotten, every row sees all six flows.
  const keep = run(pkts, [{ name: "CS_HSDRM", value: "0" }]);
  for (const r of rows(keep.files.get("flows")!)) assert.match(r, /^[AB] \d 1 1 6 6 6 1 /);
  // CS_SDIPMAX=0: the report's pair line counts IP flows instead (6 as well here), so check
  // with one more flow to another host.
  const more = run([...pkts, at(9, seg(C, 1004, T, 80))], [{ name: "CS_SDIPMAX", value: "0" }]);
  assert.ok(
    connStatLines(more.report).includes(
      "connStat: Number of unique source/destination IPs connections: 7",
    ),
  );
  assert.ok(
    connStatLines(run([...pkts, at(9, seg(C, 1004, T, 80))]).report).includes(
      "connStat: Number of unique source/destination IPs connections: 6",
    ),
  );
});

Deno.test("connStat: distinct peers — connSip of an initiator with two responders, connDip of a responder with two initiators", () => {
  const out = run([
    at(0, seg(C, 1001, S, 80)),
    at(1, seg(C, 1002, T, 80)),
    at(2, seg(T, 1003, S, 80)),
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["connSip", "connDip", "connF", "connG"]), [
    "A 1 2 2 1 2", // C has 2 responders, S 2 initiators; C has 2 flows to port 80
    "A 2 1 1 1 1", // C has 1 responder and 1 flow to port 80 left, T 1 initiator
    "A 3 1 1 1 1",
  ]);
  assert.ok(
    connStatLines(out.report).includes(
      "connStat: Source IP with max connections: 10.0.0.1: 2 connections",
    ),
  );
  assert.ok(
    connStatLines(out.report).includes(
      "connStat: Destination IP with max connections: 10.0.0.2: 2 connections",
    ),
  );
});

Deno.test("connStat: a lone reply flow (bit 0) is oriented from the responder: its row's sender is the responder", () => {
  // Source port below the destination port and below 1024: the core takes it for a reply.
  const out = run([at(0, seg(S, 80, C, 40000, 0, TCP.RST))]);
  const t = parseTable(out.files.get("flows")!);
  assert.equal(BigInt(t.rows[0][t.col("flowStat")]) & 1n, 1n);
  assert.deepStrictEqual(rows(out.files.get("flows")!), ["A 1 1 1 1 1 1 1 1 0"]);
  const lines = connStatLines(out.report);
  assert.ok(lines.includes("connStat: Source IP with max connections: 10.0.0.1: 1 connections"));
  assert.ok(lines.includes("connStat: Biggest L3 talker: 10.0.0.2: 1 [100.00%] packets"));
  // Zero bytes: no bytes line.
  assert.ok(!lines.some((l) => l.endsWith("bytes")));
});

Deno.test("connStat: the direction icmpDecode gives a lone echo reply orients the connection", () => {
  const reply = at(0, icmpFrame({ src: S, dst: C }, { type: 0, seq: 1 }));
  const initiator = (plugins: PluginDefinition[]) =>
    connStatLines(run([reply], [], plugins).report).find((l) =>
      l.startsWith("connStat: Source IP")
    );
  assert.equal(
    initiator([basicFlow, icmpDecode, connStat, txtSink]),
    "connStat: Source IP with max connections: 10.0.0.1: 1 connections",
  );
  assert.equal(
    initiator([basicFlow, connStat, txtSink]),
    "connStat: Source IP with max connections: 10.0.0.2: 1 connections",
  );
});

Deno.test("connStat: a reused initiator slot keeps the packet totals of its last owner", () => {
  const out = run([
    at(0, dgram(C, 5000, S, 53, 10)),
    at(1, dgram(C, 5000, S, 53, 10)),
    at(2, dgram(C, 5000, S, 53, 10)),
    // C's flow has timed out (182 s) and is written when this packet comes: C's slot is free.
    at(300, dgram(T, 6000, S, 53, 4)),
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 1 1 1 1 1 1 3 30",
    "A 2 1 1 1 1 1 1 4 34", // T starts from C's 3 packets and 30 bytes
  ]);
});

Deno.test("connStat: a sender that left the table reads 0 packets and 4198402 bytes (T2's allocator header)", () => {
  const out = run([
    at(0, dgram(C, 40000, S, 5000, 8)),
    at(1, dgram(S, 5000, C, 40000, 16)), // S enters the sender table
    at(2, dgram(S, 6000, T, 7000, 4)), // S initiates a pair of its own …
    at(100, dgram(C, 40000, S, 5000, 8)),
    at(200, dgram(C, 40000, S, 5000, 8)), // … which times out here and takes S out of the table
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 2 1 1 1 1 1 1 2 20",
    "A 1 1 1 2 2 2 1 3 24",
    "B 1 1 1 1 1 1 1 0 4198402",
  ]);
  assert.ok(
    connStatLines(out.report).includes(
      // of 254 captured bytes
      "connStat: Biggest L3 talker: 10.0.0.2: 4198402 (4.20 M) [1652914.17%] bytes",
    ),
  );
});

Deno.test("connStat: every fragment counts for its sender (later fragments with their IP payload)", () => {
  const first = ethernet(
    { type: 0x0800 },
    ipv4(
      { src: C, dst: S, proto: 17, id: 5, fragment: 0x2000 },
      hex("13 88 00 35 00 20 00 00", "00".repeat(16)),
    ),
  );
  const second = ethernet(
    { type: 0x0800 },
    ipv4({ src: C, dst: S, proto: 17, id: 5, fragment: 3 }, hex("00".repeat(8))),
  );
  const out = run([at(0, first), at(0, second, 1)]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["connNumPCnt", "connNumBCnt"]), [
    "A 1 2 24",
  ]);
});

Deno.test("connStat: IPv4 and IPv6 addresses with the same words are different hosts", () => {
  const v6 = (src: string, dst: string) =>
    ethernet({ type: 0x86dd }, ipv6({ src, dst, next: 6 }, tcp({ sport: 40000, dport: 80 })));
  const out = run([
    at(0, seg(C, 40000, S, 80)),
    at(1, v6("a00:1::", "a00:2::")), // the words of 10.0.0.1 and 10.0.0.2
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 1 1 1 1 1 1 1 0",
    "A 2 1 1 1 1 1 1 1 0",
  ]);
  const lines = connStatLines(out.report);
  assert.ok(lines.includes("connStat: Number of unique source IPs: 2"));
  assert.ok(
    lines.includes("connStat: Max unique number of source IP / destination port connections: 1"),
  );
});

Deno.test("connStat: layer-2 flows are all zeros and take no part", () => {
  const arp = hex(
    "ff ff ff ff ff ff | 00 0b db 4f 6b 10 | 08 06",
    "00 01 08 00 06 04 00 01 | 00 0b db 4f 6b 10 | 0a 00 00 01 | 00 00 00 00 00 00 | 0a 00 00 02",
  );
  const out = run([at(0, arp)]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), ["A 1 0 0 0 0 0 0 0 0"]);
  assert.deepStrictEqual(connStatLines(out.report), []);
});

Deno.test("connStat: CS_PBNMAX=0 drops the packet/byte columns and the talker lines", () => {
  const out = run([at(0, seg(C, 40000, S, 443, 10))], [{ name: "CS_PBNMAX", value: "0" }]);
  const t = parseTable(out.files.get("flows")!);
  assert.ok(!t.columns.includes("connNumPCnt") && !t.columns.includes("connNumBCnt"));
  assert.deepStrictEqual(rows(out.files.get("flows")!, COLUMNS.slice(0, 6)), ["A 1 1 1 1 1 1 1"]);
  assert.ok(!connStatLines(out.report).some((l) => l.includes("talker")));
});

Deno.test("connStat: CS_MR_SPOOF=1 is refused with a clear message (T2's connMacSpf is not specified)", () => {
  assert.throws(
    () => run([at(0, seg(C, 40000, S, 443))], [{ name: "CS_MR_SPOOF", value: "1" }]),
    /CS_MR_SPOOF.*maximum is 0/,
  );
});
