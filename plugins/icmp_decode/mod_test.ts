/**
 * icmpDecode on hand-made captures, written from spec/plugins/icmpDecode.md: the status bits,
 * type/code bit fields, counts, timestamp word, echo ratio, parent index, the direction
 * correction, packet-mode columns, report lines and `_icmpStats.txt`, and the edge cases (cut
 * headers, fragments, IPv6, layer-2 and non-ICMP flows, settings).
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { icmpDecode } from "./mod.ts";
import {
  concat,
  ethernet,
  hex,
  ipv4,
  pcap,
  type PcapPacket,
  udpFrame,
} from "../../tests/_support/capture_builder.ts";
import { icmp, icmp6Frame, icmpFrame } from "../../tests/_support/icmp_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

const A = "10.0.0.1";
const B = "10.0.0.2";
const A6 = "2001:db8::1";
const B6 = "2001:db8::2";

/** Packets 1 ms apart. */
function timed(frames: Uint8Array[]): PcapPacket[] {
  return frames.map((data, i) => ({ sec: 7000, ns: (i + 1) * 1_000_000, data }));
}

function run(frames: Uint8Array[], settings: SettingAssignment[] = [], capLen?: number[]) {
  const packets = timed(frames).map((p, i) =>
    capLen?.[i] === undefined
      ? p
      : { ...p, data: p.data.slice(0, capLen[i]), wireLen: p.data.length }
  );
  const out = runCapture({
    input: { name: "icmp.pcap", bytes: pcap(packets) },
    plugins: [basicFlow, icmpDecode, txtSink],
    packetMode: true,
    settings,
  });
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  return out;
}

const COLUMNS = [
  "dir",
  "flowInd",
  "flowStat",
  "icmpStat",
  "icmpTCcnt",
  "icmpBFTypH_TypL_Code",
  "icmpTmGtw",
  "icmpEchoSuccRatio",
  "icmpPFindex",
];

/** The flow rows as `dir flowInd bit0 icmpStat count bitfields time ratio parent`. */
function rows(text: string, columns = COLUMNS): string[] {
  const t = parseTable(text);
  return t.rows.map((r) =>
    columns.map((c) => c === "flowStat" ? String(BigInt(r[t.col(c)]) & 1n) : r[t.col(c)]).join(
      " ",
    )
  );
}

/** The packet file's icmpDecode columns. */
function packetCells(text: string): string[] {
  const t = parseTable(text);
  const names = ["icmpStat", "icmpType", "icmpCode", "icmpID", "icmpSeq", "icmpPFindex"];
  for (const r of t.rows) assert.equal(r.length, t.columns.length, "packet line alignment");
  return t.rows.map((r) => names.map((c) => r[t.col(c)]).join("|"));
}

const req = (seq: number, payload?: Uint8Array) =>
  icmpFrame({ src: A, dst: B }, { type: 8, id: 0x77, seq }, payload);
const rep = (seq: number, payload?: Uint8Array) =>
  icmpFrame({ src: B, dst: A }, { type: 0, id: 0x77, seq }, payload);

Deno.test("icmpDecode: a ping — bit fields, counts, success ratio 1 on the requesting side, 0 on the replying one", () => {
  const out = run([req(1), rep(1), req(2), rep(2), req(3)]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 0 0x01 3 0x00000000_0x00000100_0x0001 0x00000000 0.6666667 0",
    "B 1 1 0x01 2 0x00000000_0x00000001_0x0001 0x00000000 0 0",
  ]);
  assert.deepStrictEqual(packetCells(out.files.get("packets")!), [
    "0x01|8|0|0x0077|0x0001|",
    "0x01|0|0|0x0077|0x0001|",
    "0x01|8|0|0x0077|0x0002|",
    "0x01|0|0|0x0077|0x0002|",
    "0x01|8|0|0x0077|0x0003|",
  ]);
  assert.match(out.report, /^icmpDecode: Aggregated icmpStat=0x01$/m);
  assert.match(out.report, /^icmpDecode: Number of ICMP echo request packets: 3 \[60\.00%\]$/m);
  assert.match(out.report, /^icmpDecode: Number of ICMP echo reply packets: 2 \[40\.00%\]$/m);
  assert.match(out.report, /^icmpDecode: ICMP echo reply \/ request ratio: 0\.67$/m);
});

Deno.test("icmpDecode: ICMP_FDCORR — a lone flow starting with anything but an echo request is B (flowStat bit 0), its packets count as B", () => {
  const out = run([
    rep(5), // lone echo reply
    icmpFrame({ src: "10.0.0.9", dst: B }, { type: 3, code: 3 }), // lone port unreachable
    icmpFrame({ src: "10.0.0.7", dst: B }, { type: 8, seq: 1 }), // lone echo request
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["dir", "flowInd", "flowStat"]), [
    "A 1 1",
    "A 2 1",
    "A 3 0",
  ]);
  assert.match(out.report, /^Number of A packets: 1 \[33\.33%\]$/m);
  assert.match(out.report, /^Number of B packets: 2 \[66\.67%\]$/m);
  assert.match(out.report, /^Number of reply {10}flows: 2 \[66\.67%\]$/m);
});

Deno.test("icmpDecode: reply seen before the request — the request flow is printed first, as A, with ratio 1", () => {
  const out = run([rep(1), req(1), rep(2), req(2)]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 0 0x01 2 0x00000000_0x00000100_0x0001 0x00000000 1 0",
    "B 1 1 0x01 2 0x00000000_0x00000001_0x0001 0x00000000 0 0",
  ]);
});

Deno.test("icmpDecode: ICMP_FDCORR=0 leaves the core's direction (a lone echo reply is A)", () => {
  const out = run([rep(5)], [{ name: "ICMP_FDCORR", value: "0" }]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["dir", "flowStat"]), ["A 0"]);
  assert.match(out.report, /^Number of A packets: 1 \[100\.00%\]$/m);
});

Deno.test("icmpDecode: echo ratio — replies received per request sent; minus the replies when no request was sent", () => {
  // One request, two replies received → 2; the replying side sent no request → 0.
  const out = run([req(1), rep(1), rep(2)]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["dir", "icmpEchoSuccRatio"]), [
    "A 2",
    "B 0",
  ]);
  // A timestamp request starts the flow (a reply direction for ICMP_FDCORR), so the echo
  // reply flow created next is the A line; the timestamp flow sent no echo request and got
  // one reply: -1.
  const out2 = run([icmpFrame({ src: A, dst: B }, { type: 13 }), rep(1)]);
  assert.deepStrictEqual(rows(out2.files.get("flows")!, ["dir", "icmpEchoSuccRatio"]), [
    "A 0",
    "B -1",
  ]);
});

Deno.test("icmpDecode: sequence check — consecutive numbers pass, Windows-style 0x0100 steps set 0x20 from the second echo", () => {
  const ok = run([req(7), req(8), req(9)]);
  assert.deepStrictEqual(rows(ok.files.get("flows")!, ["icmpStat"]), ["0x01"]);
  const win = run([req(0x0100)]);
  assert.deepStrictEqual(rows(win.files.get("flows")!, ["icmpStat"]), ["0x01"]);
  const win2 = run([req(0x0100), req(0x0200)]);
  assert.deepStrictEqual(rows(win2.files.get("flows")!, ["icmpStat"]), ["0x21"]);
  assert.deepStrictEqual(packetCells(win2.files.get("packets")!).map((c) => c.slice(0, 4)), [
    "0x01",
    "0x21",
  ]);
  // Requests and replies of one direction share the counter; 65535 → 0 is no gap.
  const wrap = run([req(0xffff), req(0)]);
  assert.deepStrictEqual(rows(wrap.files.get("flows")!, ["icmpStat"]), ["0x01"]);
});

Deno.test("icmpDecode: LOKI (0x40) while every echo carries sequence bytes 01 F0; one other clears it", () => {
  const loki = run([req(0x01f0), req(0x01f0)]);
  // The same sequence twice is also a gap (0x20).
  assert.deepStrictEqual(rows(loki.files.get("flows")!, ["icmpStat"]), ["0x61"]);
  const once = run([req(0x01f0)]);
  assert.deepStrictEqual(rows(once.files.get("flows")!, ["icmpStat"]), ["0x41"]);
  const cleared = run([req(0x01f0), req(0x01f1)]);
  assert.deepStrictEqual(rows(cleared.files.get("flows")!, ["icmpStat"]), ["0x01"]);
  // Byte order: 0xF001 on the wire is no LOKI marker.
  const swapped = run([req(0xf001)]);
  assert.deepStrictEqual(rows(swapped.files.get("flows")!, ["icmpStat"]), ["0x01"]);
});

Deno.test("icmpDecode: WANG2 at payload offset 6 of an echo request (0x10); only captured bytes count", () => {
  const wang = concat(hex("00 00 00 00 00 00"), new TextEncoder().encode("WANG2"), hex("00"));
  assert.deepStrictEqual(rows(run([req(1, wang)]).files.get("flows")!, ["icmpStat"]), ["0x11"]);
  // In a reply it means nothing.
  assert.deepStrictEqual(rows(run([rep(1, wang)]).files.get("flows")!, ["icmpStat"]), ["0x01"]);
  // Cut after "WANG": 14 + 20 + 8 + 6 + 4 bytes captured.
  const cut = run([req(1, wang)], [], [14 + 20 + 8 + 6 + 4]);
  assert.deepStrictEqual(rows(cut.files.get("flows")!, ["icmpStat"]), ["0x01"]);
});

Deno.test("icmpDecode: OpenSSH in an echo payload at offset 40 or later (0x80), not before", () => {
  const at = (off: number) => {
    const p = new Uint8Array(off + 7 + 3);
    p.set(new TextEncoder().encode("OpenSSH"), off);
    return p;
  };
  assert.deepStrictEqual(rows(run([rep(1, at(40))]).files.get("flows")!, ["icmpStat"]), ["0x81"]);
  assert.deepStrictEqual(rows(run([req(1, at(57))]).files.get("flows")!, ["icmpStat"]), ["0x81"]);
  assert.deepStrictEqual(rows(run([req(1, at(39))]).files.get("flows")!, ["icmpStat"]), ["0x01"]);
  // Cut inside the marker: not seen.
  const cut = run([req(1, at(40))], [], [14 + 20 + 8 + 40 + 5]);
  assert.deepStrictEqual(rows(cut.files.get("flows")!, ["icmpStat"]), ["0x01"]);
});

Deno.test("icmpDecode: IPv4 types ≥ 32 fold onto typeH bit (type mod 32); codes ≥ 16 set no code bit", () => {
  const out = run([
    icmpFrame({ src: A, dst: B }, { type: 40, code: 20 }),
    icmpFrame({ src: A, dst: B }, { type: 30, code: 15 }), // traceroute
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["icmpTCcnt", "icmpBFTypH_TypL_Code"]), [
    "2 0x00000100_0x40000000_0x8000",
  ]);
});

Deno.test("icmpDecode: timestamp messages keep bytes 4-7 as a little-endian word", () => {
  const out = run([icmpFrame({ src: A, dst: B }, { type: 13, id: 0x1234, seq: 0x0001 })]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["icmpTmGtw", "icmpBFTypH_TypL_Code"]), [
    "0x01003412 0x00000000_0x00002000_0x0001",
  ]);
});

Deno.test("icmpDecode: the message count wraps at 256 (300 requests print 44)", () => {
  const frames = Array.from({ length: 300 }, (_, i) => req(i + 1));
  const out = run(frames);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["icmpTCcnt", "icmpStat"]), ["44 0x01"]);
});

Deno.test("icmpDecode: error messages look up their own flow as the parent (icmpPFindex = own flowInd, packet column only where looked up)", () => {
  const out = run([
    udpFrame({ src: B, dst: A, sport: 5000, dport: 53 }),
    req(1),
    icmpFrame(
      { src: A, dst: B },
      { type: 3, code: 3 },
      ipv4({ src: B, dst: A, proto: 17 }, hex("13 88 00 35 00 08 00 00")),
    ),
    icmpFrame({ src: A, dst: B }, { type: 11, code: 0 }),
  ]);
  assert.deepStrictEqual(
    rows(out.files.get("flows")!, ["dir", "flowInd", "icmpPFindex", "icmpBFTypH_TypL_Code"]),
    [
      "A 1 0 0x00000000_0x00000000_0x0000",
      "A 2 2 0x00000000_0x00000908_0x0009",
    ],
  );
  assert.deepStrictEqual(packetCells(out.files.get("packets")!), [
    "0x00|||||",
    "0x01|8|0|0x0077|0x0001|",
    "0x01|3|3|0x0000|0x0000|2",
    "0x01|11|0|0x0000|0x0000|2",
  ]);
  const counters = out.files.get("icmpStats")!;
  assert.match(counters, /^ICMP_DEST_UNREACH\tICMP_PORT_UNREACH\t +1 \[ 33\.33%\]$/m);
  assert.match(counters, /^ICMP_TIME_EXCEEDED\tICMP_EXC_TTL\t +1 \[ 33\.33%\]$/m);
});

Deno.test("icmpDecode: IPv6 — echo, neighbour discovery and errors in typeH/typeL; direction by ICMPv6 echo request", () => {
  const out = run([
    icmp6Frame({ src: A6, dst: B6 }, { type: 128, id: 1, seq: 1 }),
    icmp6Frame({ src: B6, dst: A6 }, { type: 129, id: 1, seq: 1 }),
    icmp6Frame({ src: "fe80::1", dst: "ff02::1:ff00:2" }, { type: 135 }),
    icmp6Frame({ src: "fe80::1", dst: "ff02::1:ff00:2" }, { type: 135, code: 1 }),
    icmp6Frame({ src: "2001:db8::9", dst: A6 }, { type: 1, code: 4 }),
    icmp6Frame({ src: "2001:db8::9", dst: A6 }, { type: 8 }), // type 8 means nothing in ICMPv6
    icmp6Frame({ src: "2001:db8::9", dst: A6 }, { type: 200, code: 3 }),
  ]);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 0 0x01 1 0x00000001_0x00000000_0x0001 0x00000000 1 0",
    "B 1 1 0x01 1 0x00000002_0x00000000_0x0001 0x00000000 0 0",
    "A 2 1 0x01 2 0x00000080_0x00000000_0x0003 0x00000000 0 0",
    "A 3 1 0x01 3 0x00000000_0x00000102_0x0019 0x00000000 0 3",
  ]);
  assert.match(out.report, /^icmpDecode: Number of ICMPv6 echo request packets: 1 \[14\.29%\]$/m);
  assert.match(out.report, /^icmpDecode: ICMPv6 echo reply \/ request ratio: 1\.00$/m);
  assert.doesNotMatch(out.report, /Number of ICMP echo/);
  assert.equal(
    out.files.get("icmpStats"),
    [
      "Total number of ICMP packets: 7 [100.00%]",
      "",
      "Number of ICMPv6 packets: 7 [100.00%]",
      "",
      "ICMPv6 echo reply / request ratio: 1.000",
      "",
      "# ICMPv6 Type\tCode\t                       Packets",
      "ICMP6_ECHOREQUEST\t-\t                             1 [ 14.29%]",
      "ICMP6_ECHOREPLY\t-\t                             1 [ 14.29%]",
      "ICMP6_DEST_UNREACH\tICMP6_PORT_UNREACH\t                             1 [ 14.29%]",
      "8\t0\t                             1 [ 14.29%]",
      "ICMP6_NBOR_SOLICIT\t-\t                             1 [ 14.29%]",
      "ICMP6_NBOR_SOLICIT\t-\t                             1 [ 14.29%]",
      "200\t3\t                             1 [ 14.29%]",
      "",
    ].join("\n"),
  );
});

Deno.test("icmpDecode: _icmpStats.txt with IPv4 and IPv6 — both tables, float32 shares, ICMP_NOCODE and ICMP_SUFFIX", () => {
  const frames = [
    ...[1, 2, 3].map((s) => req(s)),
    rep(1),
    icmpFrame({ src: A, dst: B }, { type: 4 }),
    icmpFrame({ src: A, dst: B }, { type: 5, code: 1 }),
    icmpFrame({ src: A, dst: B }, { type: 3, code: 13 }),
    icmp6Frame({ src: A6, dst: B6 }, { type: 2 }),
    icmp6Frame({ src: A6, dst: B6 }, { type: 4, code: 2 }),
    icmp6Frame({ src: A6, dst: B6 }, { type: 4, code: 5 }),
    icmp6Frame({ src: A6, dst: B6 }, { type: 3, code: 1 }),
    udpFrame({ src: A, dst: B, sport: 1, dport: 2 }),
  ];
  const out = run(frames, [
    { name: "ICMP_NOCODE", value: "*" },
    { name: "ICMP_SUFFIX", value: "_icmp.txt" },
  ]);
  assert.equal(out.files.get("icmpStats"), undefined);
  assert.equal(
    out.files.get("icmp"),
    [
      "Total number of ICMP packets: 11 [91.67%]",
      "",
      "Number of ICMP packets: 7 [58.33%]",
      "Number of ICMPv6 packets: 4 [33.33%]",
      "",
      "ICMP echo reply / request ratio: 0.333",
      "",
      "# ICMP Type\tCode\t                       Packets",
      "ICMP_ECHOREQUEST\t*\t                             3 [ 42.86%]",
      "ICMP_ECHOREPLY\t*\t                             1 [ 14.29%]",
      "ICMP_SOURCE_QUENCH\t*\t                             1 [ 14.29%]",
      "ICMP_DEST_UNREACH\tICMP_PKT_FILTERED\t                             1 [ 14.29%]",
      "ICMP_REDIRECT\tICMP_REDIR_HOST\t                             1 [ 14.29%]",
      "",
      "# ICMPv6 Type\tCode\t                       Packets",
      "ICMP6_PKT_TOO_BIG\t*\t                             1 [ 25.00%]",
      "ICMP6_TIME_EXCEEDED\tICMP6_EXC_FRAGTIME\t                             1 [ 25.00%]",
      "ICMP6_PARAM_PROBLEM\tICMP6_UNRECO_IP6_OPT\t                             1 [ 25.00%]",
      "4\t5\t                             1 [ 25.00%]",
      "",
    ].join("\n"),
  );
});

Deno.test("icmpDecode: no ICMP at all — no report lines, zeros in every column, a one-line summary file", () => {
  const out = run([udpFrame({ src: A, dst: B, sport: 40000, dport: 53 })]);
  assert.doesNotMatch(out.report, /icmpDecode:/);
  assert.deepStrictEqual(rows(out.files.get("flows")!), [
    "A 1 0 0x00 0 0x00000000_0x00000000_0x0000 0x00000000 0 0",
  ]);
  assert.equal(out.files.get("icmpStats"), "Total number of ICMP packets: 0 [0.00%]\n");
});

Deno.test("icmpDecode: layer-2 flows get zeros and empty packet columns", () => {
  const arp = hex(
    "ff ff ff ff ff ff | 00 0b db 4f 6b 10 | 08 06",
    "00 01 08 00 06 04 00 01 | 00 0b db 4f 6b 10 | 0a 00 00 01 | 00 00 00 00 00 00 | 0a 00 00 02",
  );
  const out = run([arp, req(1)]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["icmpStat", "icmpTCcnt", "icmpPFindex"]), [
    "0x00 0 0",
    "0x01 1 0",
  ]);
  assert.deepStrictEqual(packetCells(out.files.get("packets")!), [
    "0x00|||||",
    "0x01|8|0|0x0077|0x0001|",
  ]);
});

Deno.test("icmpDecode: fragments — later fragments are not decoded; a headless fragment makes an ICMP flow with no message", () => {
  const payload = new Uint8Array(16).fill(0x61);
  const first = ethernet(
    { type: 0x0800 },
    ipv4({ src: A, dst: B, proto: 1, id: 9, fragment: 0x2000 }, icmp({ type: 8, seq: 1 }, payload)),
  );
  const second = ethernet(
    { type: 0x0800 },
    ipv4({ src: A, dst: B, proto: 1, id: 9, fragment: 3 }, hex("08 00 00 00 00 00 00 05")),
  );
  const headless = ethernet(
    { type: 0x0800 },
    ipv4(
      { src: "10.0.0.5", dst: B, proto: 1, id: 10, fragment: 3 },
      hex("00 00 00 00 00 00 00 00"),
    ),
  );
  const out = run([first, second, headless]);
  assert.deepStrictEqual(
    rows(out.files.get("flows")!, [
      "flowInd",
      "flowStat",
      "icmpStat",
      "icmpTCcnt",
      "icmpBFTypH_TypL_Code",
    ]),
    [
      "1 0 0x01 1 0x00000000_0x00000100_0x0001",
      "2 0 0x01 0 0x00000000_0x00000000_0x0000",
    ],
  );
  assert.deepStrictEqual(packetCells(out.files.get("packets")!), [
    "0x01|8|0|0x0000|0x0001|",
    "0x00|||||",
    "0x00|||||",
  ]);
});

Deno.test("icmpDecode: ICMP header cut by the snap length — missing bytes read as 0", () => {
  // 14 + 20 + 2 bytes: type 8 and code captured, id and sequence not.
  const out = run([req(0x1234)], [], [36]);
  assert.deepStrictEqual(
    rows(out.files.get("flows")!, ["icmpStat", "icmpTCcnt", "icmpBFTypH_TypL_Code"]),
    [
      "0x01 1 0x00000000_0x00000100_0x0001",
    ],
  );
  assert.deepStrictEqual(packetCells(out.files.get("packets")!), ["0x01|8|0|0x0000|0x0000|"]);
  // Nothing of the ICMP header: type 0 (echo reply) and code 0, as T2 with zeroed memory.
  const none = run([req(1)], [], [34]);
  assert.deepStrictEqual(
    rows(none.files.get("flows")!, ["dir", "flowStat", "icmpBFTypH_TypL_Code"]),
    [
      "A 1 0x00000000_0x00000001_0x0001",
    ],
  );
});

Deno.test("icmpDecode: ICMP_TC_MD=1 — icmpType_Code lists the first ICMP_NUM (type, code) pairs", () => {
  const frames = [req(1), icmpFrame({ src: A, dst: B }, { type: 3, code: 1 }), req(2)];
  const out = run(frames, [{ name: "ICMP_TC_MD", value: "1" }, { name: "ICMP_NUM", value: "2" }]);
  assert.deepStrictEqual(rows(out.files.get("flows")!, ["icmpTCcnt", "icmpType_Code"]), [
    "3 8_0;3_1",
  ]);
  assert.match(out.files.get("headers")!, /\tU8_U8:R\ticmpType_Code\tICMP type and code fields$/m);
});

Deno.test("icmpDecode: ICMP_PARENT=0 drops icmpPFindex (flow and packet column); ICMP_STATFILE=0 writes no summary file", () => {
  const out = run([req(1), udpFrame({ src: A, dst: B, sport: 1, dport: 2 })], [
    { name: "ICMP_PARENT", value: "0" },
    { name: "ICMP_STATFILE", value: "0" },
  ]);
  assert.ok(!out.files.get("flows")!.includes("icmpPFindex"));
  const pk = parseTable(out.files.get("packets")!);
  assert.ok(!pk.columns.includes("icmpPFindex"));
  for (const r of pk.rows) assert.equal(r.length, pk.columns.length);
  assert.equal(pk.rows[1][pk.col("icmpStat")], "0x00");
  assert.equal(out.files.get("icmpStats"), undefined);
});
