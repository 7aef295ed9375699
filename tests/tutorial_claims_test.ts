/**
 * The tutorials' claims (issue 3), checked on the bundled fixtures: `annoloc-small` imitates
 * the tutorials' annoloc2.pcap (snap length 66), `faf-small` their faf-exercise.pcap (FTP with
 * zero windows). Each test states one claim of tutorials 000-004 (or one 0.9.3-vs-0.9.1
 * difference of spec/README.md) in its name.
 *
 * Every check compares our output with facts derived independently: values recomputed from
 * other columns, or read straight from the capture with the small pcap decoder below (packet
 * times, windows, TTLs, flags, payloads). No expected value comes from a previous run.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../plugins/basic_flow/mod.ts";
import { basicStats } from "../plugins/basic_stats/mod.ts";
import { tcpWin } from "../plugins/tcp_win/mod.ts";
import { tcpWinTMT } from "../plugins/tcp_win_tmt/mod.ts";
import { txtSink } from "../plugins/txt_sink/mod.ts";
import type { PluginDefinition } from "../src/plugin/api.ts";
import type { SettingAssignment } from "../src/plugin/settings.ts";
import { ethernet, ipv4, pcap, tcp } from "./_support/capture_builder.ts";
import { type CaptureOutputs, parseTable, runCapture, type Table } from "./_support/run_capture.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
type Fixture = "annoloc-small" | "faf-small";

/** The plugin sets of the tutorials (and of the reference outputs). */
const SETS: Record<string, { plugins: PluginDefinition[]; packetMode: boolean }> = {
  "flow": { plugins: [basicFlow, basicStats, tcpWin, txtSink], packetMode: false },
  "flow-s": { plugins: [basicFlow, basicStats, tcpWin, txtSink], packetMode: true },
  "pkt-s": { plugins: [basicFlow, tcpWin, txtSink], packetMode: true },
  "tmt-s": { plugins: [basicFlow, tcpWinTMT, txtSink], packetMode: true },
};

const runs = new Map<string, CaptureOutputs>();

/** Outputs of one fixture × plugin set (each run once per test process). */
function output(fixture: Fixture, set: string, settings: SettingAssignment[] = []) {
  const id = `${fixture}/${set}/${JSON.stringify(settings)}`;
  let out = runs.get(id);
  if (!out) {
    out = runCapture({
      input: `${FIXTURES}${fixture}.pcap`,
      plugins: SETS[set].plugins,
      packetMode: SETS[set].packetMode,
      settings,
    });
    assert.equal(out.exitCode, 0, out.stderr.join("\n"));
    runs.set(id, out);
  }
  return out;
}

function file(out: CaptureOutputs, suffix: string): string {
  const text = out.files.get(suffix);
  if (text === undefined) throw new Error(`no _${suffix}.txt among ${[...out.files.keys()]}`);
  return text;
}

function table(fixture: Fixture, set: string, suffix: "flows" | "packets"): Table {
  return parseTable(file(output(fixture, set), suffix));
}

/** A number printed in the end report after `label: `. */
function reportNumber(report: string, label: string): number {
  const line = report.split("\n").find((l) => l.startsWith(label + ":"));
  if (!line) throw new Error(`no report line "${label}:"`);
  return Number(line.slice(label.length + 1).trim().split(/\s/)[0]);
}

// ------------------------------------------------------------------------------------------
// An independent, minimal reading of the capture: classic pcap, Ethernet, VLAN, IPv4/IPv6,
// ARP, TCP/UDP. Only what the claims need.

interface Rec {
  readonly sec: number;
  readonly ns: number;
  readonly capLen: number;
  readonly wireLen: number;
  /** Captured bytes. */
  readonly b: Uint8Array;
}

const captures = new Map<Fixture, Rec[]>();

function records(fixture: Fixture): Rec[] {
  let recs = captures.get(fixture);
  if (recs) return recs;
  const bytes = Deno.readFileSync(`${FIXTURES}${fixture}.pcap`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(0, true);
  assert.ok(magic === 0xa1b2c3d4 || magic === 0xa1b23c4d, "little-endian classic pcap");
  const fracToNs = magic === 0xa1b2c3d4 ? 1000 : 1;
  recs = [];
  for (let at = 24; at + 16 <= bytes.length;) {
    const capLen = v.getUint32(at + 8, true);
    recs.push({
      sec: v.getUint32(at, true),
      ns: v.getUint32(at + 4, true) * fracToNs,
      capLen,
      wireLen: v.getUint32(at + 12, true),
      b: bytes.subarray(at + 16, at + 16 + capLen),
    });
    at += 16 + capLen;
  }
  captures.set(fixture, recs);
  return recs;
}

/** What the claims need to know about a packet, read from its bytes. */
interface Decoded {
  /** Bytes before the layer-3 header (Ethernet + VLAN tags). */
  readonly l2Len: number;
  readonly ethType: number;
  /** IPv4/IPv6 header facts, when there is one. */
  readonly ip?: {
    readonly v: 4 | 6;
    readonly hl: number;
    /** IPv4 total length / IPv6 payload length + 40. */
    readonly len: number;
    readonly proto: number;
    readonly ttl: number;
    /** Later fragment (IPv4 offset != 0). */
    readonly later: boolean;
    readonly src: string;
    readonly dst: string;
  };
  /** TCP header facts (first fragments only); window and flags null when not captured. */
  readonly tcp?: {
    readonly sport: number;
    readonly dport: number;
    readonly flags: number | null;
    readonly win: number | null;
    readonly hdrLen: number | null;
  };
}

function decode(r: Rec): Decoded {
  const b = r.b;
  const u16 = (o: number) => (b[o] << 8) | b[o + 1];
  let off = 12;
  let type = u16(off);
  while (type === 0x8100 || type === 0x88a8) {
    off += 4;
    type = u16(off);
  }
  const l2Len = off + 2;
  if (type === 0x0800 && r.capLen >= l2Len + 20) {
    const ip = l2Len;
    const hl = (b[ip] & 0x0f) * 4;
    const frag = u16(ip + 6);
    const proto = b[ip + 9];
    const later = (frag & 0x1fff) !== 0;
    const addr = (o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
    const d: Decoded = {
      l2Len,
      ethType: type,
      ip: {
        v: 4,
        hl,
        len: u16(ip + 2),
        proto,
        ttl: b[ip + 8],
        later,
        src: addr(ip + 12),
        dst: addr(ip + 16),
      },
    };
    const l4 = ip + hl;
    if (proto === 6 && !later && r.capLen >= l4 + 4) {
      return {
        ...d,
        tcp: {
          sport: u16(l4),
          dport: u16(l4 + 2),
          flags: r.capLen >= l4 + 14 ? b[l4 + 13] : null,
          win: r.capLen >= l4 + 16 ? u16(l4 + 14) : null,
          hdrLen: r.capLen >= l4 + 13 ? (b[l4 + 12] >> 4) * 4 : null,
        },
      };
    }
    return d;
  }
  if (type === 0x86dd && r.capLen >= l2Len + 40) {
    const ip = l2Len;
    return {
      l2Len,
      ethType: type,
      ip: {
        v: 6,
        hl: 40,
        len: u16(ip + 4) + 40,
        proto: b[ip + 6],
        ttl: b[ip + 7],
        later: false,
        src: "",
        dst: "",
      },
    };
  }
  return { l2Len, ethType: type };
}

/** l7Content escaping of spec/formats.md §4. */
function escapeL7(bytes: Uint8Array): string {
  const names: Record<number, string> = { 8: "b", 12: "f", 10: "n", 13: "r", 9: "t", 11: "v" };
  let s = "";
  for (const c of bytes) {
    if (names[c]) s += "\\" + names[c];
    else if (c === 0x5c) s += "\\\\";
    else if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
    else s += ".";
  }
  return s;
}

/**
 * The captured payload of a packet whose description is one of the plain ones, or null.
 * L7 starts after the L4 header (TCP data offset, 8 for UDP/ICMP/IGMP, nothing for a later
 * fragment) and ends with the captured bytes of the IP datagram (padding excluded); for ARP
 * it is everything after the Ethernet header, padding included.
 */
function capturedPayload(r: Rec, hdrDesc: string): Uint8Array | null {
  const d = decode(r);
  if (hdrDesc === "eth:arp") return r.b.subarray(d.l2Len);
  if (!/^eth:ipv4:(tcp|udp|icmp|igmp)$/.test(hdrDesc) || !d.ip) return null;
  const ipLen = d.ip.len === 0 || d.ip.len > r.wireLen - d.l2Len ? r.wireLen - d.l2Len : d.ip.len;
  const end = Math.min(r.capLen, d.l2Len + ipLen);
  const l4 = d.l2Len + d.ip.hl;
  let l4HdrLen = 8;
  if (d.ip.later) l4HdrLen = 0;
  else if (d.ip.proto === 6) l4HdrLen = d.tcp?.hdrLen ?? 20;
  const start = l4 + l4HdrLen;
  return end > start ? r.b.subarray(start, end) : new Uint8Array(0);
}

/** Key of a flow direction in both files: `findex:bit0` (bit 0 of flowStat: B side). */
function dirKey(flowInd: string, flowStat: string): string {
  return `${flowInd}:${parseInt(flowStat.slice(-1), 16) & 1}`;
}

/** Per flow direction, from the packet file's membership and the capture's bytes. */
interface DirFacts {
  /** Packet numbers, in order. */
  readonly pkts: number[];
  /** TCP first-fragment packets. */
  tcp: number;
  /** Of those, with a captured window of 0. */
  zero: number;
}

function directionFacts(fixture: Fixture, set: string): Map<string, DirFacts> {
  const pk = table(fixture, set, "packets");
  const recs = records(fixture);
  const iInd = pk.col("flowInd");
  const iStat = pk.col("flowStat");
  const iNo = pk.col("pktNo");
  const facts = new Map<string, DirFacts>();
  for (const row of pk.rows) {
    const k = dirKey(row[iInd], row[iStat]);
    let f = facts.get(k);
    if (!f) facts.set(k, f = { pkts: [], tcp: 0, zero: 0 });
    const n = Number(row[iNo]);
    f.pkts.push(n);
    const t = decode(recs[n - 1]).tcp;
    if (t) {
      f.tcp++;
      if (t.win === 0) f.zero++;
    }
  }
  return facts;
}

const HAS_FRAGMENTS_HI = 0x10; // IPV4_FRAG, bit 36 of flowStat

function statHi(flowStat: string): number {
  return parseInt(flowStat.slice(2, 10), 16);
}

// ==========================================================================================
// Tutorial 000: the tcpWin flow plugin

Deno.test("000: tcpWin adds tcpWinStat H8, tcpWinIpTTL U8, tcpInitWinSz U32, tcpWinThCnt U32, tcpWinSzThRt F after basicStats's columns", () => {
  const out = output("annoloc-small", "flow-s");
  const flows = table("annoloc-small", "flow-s", "flows");
  const names = ["tcpWinStat", "tcpWinIpTTL", "tcpInitWinSz", "tcpWinThCnt", "tcpWinSzThRt"];
  assert.deepStrictEqual(flows.columns.slice(-5), names);
  assert.equal(flows.columns[flows.columns.length - 6], "bytAsm"); // basicStats' last column
  const described = file(out, "headers").split("\n").filter((l) => /^\d+\t/.test(l))
    .map((l) => l.split("\t").slice(1, 3).join(" "));
  assert.deepStrictEqual(described.slice(-5), [
    "H8 tcpWinStat",
    "U8 tcpWinIpTTL",
    "U32 tcpInitWinSz",
    "U32 tcpWinThCnt",
    "F tcpWinSzThRt",
  ]);
});

Deno.test("000: tcpWinStat bit 0x01 is set exactly on the flows with tcpWinThCnt > 0", () => {
  const flows = table("annoloc-small", "flow-s", "flows");
  let set = 0;
  for (const r of flows.rows) {
    const bit = parseInt(r[flows.col("tcpWinStat")], 16) & 1;
    const count = Number(r[flows.col("tcpWinThCnt")]);
    assert.equal(bit === 1, count > 0, `flow ${r[1]} ${r[0]}`);
    set += bit;
  }
  assert.ok(set > 0, "some flows have zero windows");
});

Deno.test("000: tcpWinThCnt counts the TCP packets of a flow direction whose window is below TCPWIN_THRES=1 (read from the capture)", () => {
  const flows = table("annoloc-small", "flow-s", "flows");
  const facts = directionFacts("annoloc-small", "flow-s");
  for (const r of flows.rows) {
    const f = facts.get(dirKey(r[flows.col("flowInd")], r[flows.col("flowStat")]));
    assert.ok(f, `packets of flow ${r[1]} ${r[0]}`);
    assert.equal(Number(r[flows.col("tcpWinThCnt")]), f.zero, `flow ${r[1]} ${r[0]}`);
  }
});

Deno.test("000: tcpWinSzThRt = tcpWinThCnt / TCP packets of the flow direction (float32), 0 without TCP", () => {
  const flows = table("annoloc-small", "flow-s", "flows");
  const facts = directionFacts("annoloc-small", "flow-s");
  let nonZero = 0;
  for (const r of flows.rows) {
    const f = facts.get(dirKey(r[flows.col("flowInd")], r[flows.col("flowStat")]))!;
    const ratio = Number(r[flows.col("tcpWinSzThRt")]);
    const count = Number(r[flows.col("tcpWinThCnt")]);
    const want = f.tcp ? Math.fround(Math.fround(count) / Math.fround(f.tcp)) : 0;
    assert.ok(Math.abs(ratio - want) <= 5e-7 * want, `flow ${r[1]} ${r[0]}: ${ratio} vs ${want}`);
    if (want) nonZero++;
    // Without fragments the TCP packets are all the packets sent (the tutorial's numPktsSnt).
    if (r[flows.col("l4Proto")] === "6" && !(statHi(r[flows.col("flowStat")]) & HAS_FRAGMENTS_HI)) {
      assert.equal(f.tcp, Number(r[flows.col("pktsSnt")]), `flow ${r[1]} ${r[0]}`);
    }
  }
  assert.ok(nonZero > 0);
});

/** Flow directions (`findex:bit0`) the tutorial's selection finds. */
function selected(flows: Table, byRatioColumn: boolean): Set<string> {
  const out = new Set<string>();
  for (const r of flows.rows) {
    const count = Number(r[flows.col("tcpWinThCnt")]);
    const rel = byRatioColumn
      ? Number(r[flows.col("tcpWinSzThRt")])
      : count / Number(r[flows.col("pktsSnt")]);
    if (count > 20 && rel > 0.9) out.add(dirKey(r[flows.col("flowInd")], r[flows.col("flowStat")]));
  }
  return out;
}

Deno.test("000: `tcpWinThCnt > 20 && tcpWinSzThRt > 0.9` finds exactly the flow directions where more than 90% of over 20 TCP packets had a zero window", () => {
  const flows = table("annoloc-small", "flow-s", "flows");
  const facts = directionFacts("annoloc-small", "flow-s");
  const expected = new Set<string>();
  for (const [k, f] of facts) if (f.zero > 20 && f.zero / f.tcp > 0.9) expected.add(k);
  assert.ok(expected.size > 0, "the fixture has such a flow");
  assert.deepStrictEqual(selected(flows, true), expected);
});

Deno.test("000: the first selection `tcpWinThCnt / pktsSnt > 0.9` finds the same flows as the tcpWinSzThRt column", () => {
  const flows = table("annoloc-small", "flow-s", "flows");
  assert.deepStrictEqual(selected(flows, false), selected(flows, true));
});

Deno.test("000: the selected zero-window flows stream data (they send more L7 bytes than they receive; bytAsm = (snt - rcvd)/(snt + rcvd))", () => {
  const flows = table("annoloc-small", "flow-s", "flows");
  const sel = selected(flows, true);
  for (const r of flows.rows) {
    if (!sel.has(dirKey(r[flows.col("flowInd")], r[flows.col("flowStat")]))) continue;
    const snt = Number(r[flows.col("l7BytesSnt")]);
    const rcvd = Number(r[flows.col("l7BytesRcvd")]);
    assert.ok(snt > rcvd, `flow ${r[1]} ${r[0]} sends ${snt}, receives ${rcvd}`);
    const want = Math.fround(Math.fround(snt - rcvd) / Math.fround(snt + rcvd));
    const got = Number(r[flows.col("bytAsm")]);
    assert.ok(Math.abs(got - want) <= 5e-7 * Math.abs(want), `bytAsm ${got} vs ${want}`);
  }
});

Deno.test("000: tcpInitWinSz is the window and tcpWinIpTTL the IP TTL of a flow direction's first packet (read from the capture)", () => {
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    const flows = table(fixture, "flow-s", "flows");
    const facts = directionFacts(fixture, "flow-s");
    const recs = records(fixture);
    let tcpChecked = 0;
    for (const r of flows.rows) {
      const f = facts.get(dirKey(r[flows.col("flowInd")], r[flows.col("flowStat")]))!;
      const d = decode(recs[f.pkts[0] - 1]);
      const where = `${fixture} flow ${r[1]} ${r[0]} (packet ${f.pkts[0]})`;
      const ttl = Number(r[flows.col("tcpWinIpTTL")]);
      const win = Number(r[flows.col("tcpInitWinSz")]);
      if (!d.ip) {
        assert.equal(ttl, 0, where); // layer-2 flow: no IP header
        assert.equal(win, 0, where);
        continue;
      }
      assert.equal(ttl, d.ip.ttl, where);
      if (d.ip.proto !== 6) assert.equal(win, 0, where);
      else if (d.tcp?.win != null) {
        assert.equal(win, d.tcp.win, where);
        tcpChecked++;
      }
    }
    assert.ok(tcpChecked > 0);
  }
});

Deno.test("000: the report's `Number of TCP winsize packets below threshold 1` is Σ tcpWinThCnt as a share of TCP packets; `Aggregated tcpWinStat` is the OR of tcpWinStat", () => {
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    const flows = table(fixture, "flow-s", "flows");
    const report = output(fixture, "flow-s").report;
    let sum = 0;
    let or = 0;
    for (const r of flows.rows) {
      sum += Number(r[flows.col("tcpWinThCnt")]);
      or |= parseInt(r[flows.col("tcpWinStat")], 16);
    }
    const tcpPackets = records(fixture).filter((r) => decode(r).tcp).length;
    const m =
      /^tcpWin: Number of TCP winsize packets below threshold 1: (\d+)(?: \([^)]*\))? \[([\d.]+)%\]$/m
        .exec(report);
    assert.ok(m, `${fixture}: report line`);
    assert.equal(Number(m[1]), sum);
    assert.ok(Math.abs(Number(m[2]) - (100 * sum) / tcpPackets) <= 0.005 + 1e-9, m[0]);
    assert.match(report, new RegExp(`^tcpWin: Aggregated tcpWinStat=0x${hex2(or)}$`, "m"));
  }
});

function hex2(v: number): string {
  return v.toString(16).padStart(2, "0");
}

// ==========================================================================================
// Tutorial 001: the _tcpwin.txt summary file

/** The summary rows the tutorial's rule gives, from the flow file and the capture. */
function expectedSummary(fixture: Fixture, set: string, minPkts: number): [string, number][] {
  const flows = table(fixture, set, "flows");
  const facts = directionFacts(fixture, "flow-s"); // flow membership does not depend on -s
  const best = new Map<string, [number, number]>(); // src IP -> [TCP packets, ratio]
  for (const r of flows.rows) {
    const src = r[flows.col("srcIP")];
    if (!src.includes(".")) continue; // IPv4 only
    const count = Number(r[flows.col("tcpWinThCnt")]);
    const f = facts.get(dirKey(r[flows.col("flowInd")], r[flows.col("flowStat")]))!;
    if (count === 0 || f.tcp < minPkts) continue;
    const ratio = Math.fround(Math.fround(count) / Math.fround(f.tcp));
    const old = best.get(src);
    if (!old || ratio > old[1]) best.set(src, [f.tcp, ratio]);
  }
  return [...best].map(([ip, [n, ratio]]) => [`${ip}\t${n}`, ratio]);
}

function summaryRows(text: string): [string, number][] {
  const lines = text.split("\n").filter((l) => l !== "");
  assert.equal(lines[0], "# IP\tpktTcpCnt\twinRelThCnt");
  return lines.slice(1).map((l) => {
    const [ip, n, rel] = l.split("\t");
    assert.match(rel, /^\d+\.\d{6}$/, "winRelThCnt is printed with %f");
    return [`${ip}\t${n}`, Number(rel)];
  });
}

function assertSummary(got: [string, number][], want: [string, number][]): void {
  assert.deepStrictEqual(got.map((g) => g[0]), want.map((w) => w[0]));
  got.forEach((g, i) => assert.ok(Math.abs(g[1] - want[i][1]) <= 5e-7 + 1e-12, g[0]));
}

Deno.test("001: _tcpwin.txt lists, in order of first appearance, each IPv4 source of a flow with zero windows and >= TCPWIN_MINPKTS=50 TCP packets, with its highest winRelThCnt and that flow's TCP packet count", () => {
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    const want = expectedSummary(fixture, "flow-s", 50);
    assert.ok(want.length > 0, `${fixture}: some source qualifies`);
    assertSummary(summaryRows(file(output(fixture, "flow-s"), "tcpwin")), want);
  }
});

Deno.test("001: raising TCPWIN_MINPKTS to 100 keeps only the sources of flows with at least 100 TCP packets", () => {
  const out = output("annoloc-small", "flow", [{ name: "TCPWIN_MINPKTS", value: "100" }]);
  const want = expectedSummary("annoloc-small", "flow-s", 100);
  assert.ok(want.length < expectedSummary("annoloc-small", "flow-s", 50).length);
  assertSummary(summaryRows(file(out, "tcpwin")), want);
});

// ==========================================================================================
// Tutorial 002: packet mode

Deno.test("002: -s writes one line per packet, numbered from 1 in capture order", () => {
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    const pk = table(fixture, "flow-s", "packets");
    const n = records(fixture).length;
    assert.deepStrictEqual(
      pk.rows.map((r) => Number(r[0])),
      Array.from({ length: n }, (_, i) => i + 1),
    );
    assert.equal(reportNumber(output(fixture, "flow-s").report, "Number of processed packets"), n);
  }
});

Deno.test("002: the packet file has %pktNo flowInd, basicFlow's columns, tcpWinSize tcpWinThPktCnt, then l7Content", () => {
  const header = file(output("annoloc-small", "pkt-s"), "packets").split("\n")[0];
  // The tutorial's header without the geo columns (SUBNET_ON=0).
  assert.equal(
    header,
    [
      "%pktNo",
      "flowInd",
      "flowStat",
      "time",
      "pktIAT",
      "pktTrip",
      "flowDuration",
      "numHdrs",
      "hdrDesc",
      "vlanID",
      "srcMac",
      "dstMac",
      "ethType",
      "srcIP",
      "srcPort",
      "dstIP",
      "dstPort",
      "l4Proto",
      "tcpWinSize",
      "tcpWinThPktCnt",
      "l7Content",
    ].join("\t"),
  );
});

Deno.test("002: every packet line is aligned with the header — empty tcpWin columns for non-TCP packets, later fragments and pure layer-2 packets", () => {
  for (const set of ["pkt-s", "flow-s"]) {
    const pk = table("annoloc-small", set, "packets");
    const recs = records("annoloc-small");
    const iWin = pk.col("tcpWinSize");
    const iCnt = pk.col("tcpWinThPktCnt");
    const seen = { l2: 0, notTcp: 0, laterFragment: 0, tcp: 0 };
    for (const r of pk.rows) {
      assert.equal(r.length, pk.columns.length, `${set} packet ${r[0]}`);
      const d = decode(recs[Number(r[0]) - 1]);
      if (d.tcp) {
        seen.tcp++;
        assert.notEqual(r[iWin], "", `${set} packet ${r[0]}`);
        if (d.tcp.win !== null) assert.equal(Number(r[iWin]), d.tcp.win, `packet ${r[0]}`);
        continue;
      }
      if (!d.ip) seen.l2++;
      else if (d.ip.later) seen.laterFragment++;
      else seen.notTcp++;
      assert.deepStrictEqual([r[iWin], r[iCnt]], ["", ""], `${set} packet ${r[0]}`);
      if (!d.ip) {
        // Pure layer 2: basicFlow leaves its L3/L4 columns empty as well (srcIP .. l4Proto:
        // nine with the geo columns, five with SUBNET_ON=0).
        const l3 = r.slice(pk.col("srcIP"), pk.col("l4Proto") + 1);
        assert.deepStrictEqual(l3, Array(5).fill(""), `packet ${r[0]}`);
      }
    }
    for (const [kind, n] of Object.entries(seen)) {
      assert.ok(n > 0, `the fixture has ${kind} packets`);
    }
  }
});

Deno.test("002: a TCP datagram's later fragment gets empty tcpWin columns and is not counted (hand-made capture: the fixtures have no TCP fragments)", () => {
  // 24 bytes of IP payload in the first fragment (TCP header with window 0 + 4 bytes), 8 in
  // the second (offset 3 x 8 bytes).
  const seg = tcp({ sport: 40000, dport: 80, win: 0 }, new Uint8Array(12));
  const ip = { src: "10.0.0.1", dst: "10.0.0.2", proto: 6, id: 99 };
  const bytes = pcap([
    {
      sec: 100,
      data: ethernet({ type: 0x0800 }, ipv4({ ...ip, fragment: 0x2000 }, seg.subarray(0, 24))),
    },
    {
      sec: 100,
      ns: 1000,
      data: ethernet({ type: 0x0800 }, ipv4({ ...ip, fragment: 3 }, seg.subarray(24))),
    },
  ]);
  const out = runCapture({
    input: { name: "frag.pcap", bytes },
    plugins: SETS["pkt-s"].plugins,
    packetMode: true,
  });
  const pk = parseTable(file(out, "packets"));
  const cols = (r: readonly string[]) =>
    ["flowInd", "hdrDesc", "tcpWinSize", "tcpWinThPktCnt"].map((c) => r[pk.col(c)]);
  assert.deepStrictEqual(pk.rows.map(cols), [
    ["1", "eth:ipv4:tcp", "0", "1"],
    ["1", "eth:ipv4:tcp", "", ""],
  ]);
  for (const r of pk.rows) assert.equal(r.length, pk.columns.length);
  const flows = parseTable(file(out, "flows"));
  assert.deepStrictEqual(
    ["tcpWinThCnt", "tcpWinSzThRt"].map((c) => flows.rows[0][flows.col(c)]),
    ["1", "1"], // 1 zero window of 1 counted TCP packet
  );
});

Deno.test("002: tcpWinThPktCnt is the running count of zero-window packets of the packet's flow direction", () => {
  const pk = table("annoloc-small", "pkt-s", "packets");
  const recs = records("annoloc-small");
  const running = new Map<string, number>();
  let zeros = 0;
  for (const r of pk.rows) {
    const t = decode(recs[Number(r[0]) - 1]).tcp;
    if (!t) continue;
    const k = dirKey(r[pk.col("flowInd")], r[pk.col("flowStat")]);
    const n = (running.get(k) ?? 0) + (t.win === 0 ? 1 : 0);
    if (t.win === 0) zeros++;
    running.set(k, n);
    assert.equal(Number(r[pk.col("tcpWinThPktCnt")]), n, `packet ${r[0]}`);
  }
  assert.ok(zeros > 0);
});

Deno.test("002: l7Content is the captured payload, escaped (\\r \\n \\t … as letters, \\\\ for a backslash, '.' for other bytes): faf shows the FTP dialogue", () => {
  const pk = table("faf-small", "pkt-s", "packets");
  const recs = records("faf-small");
  const iL7 = pk.col("l7Content");
  const iDesc = pk.col("hdrDesc");
  let checked = 0;
  let backslashes = 0;
  for (const r of pk.rows) {
    const payload = capturedPayload(recs[Number(r[0]) - 1], r[iDesc]);
    if (!payload) continue;
    assert.equal(r[iL7], escapeL7(payload), `packet ${r[0]}`);
    backslashes += payload.filter((c) => c === 0x5c).length;
    checked++;
  }
  assert.equal(checked, pk.rows.length);
  assert.ok(backslashes > 0, "some payload contains a backslash (0.9.3 writes \\\\)");
  const contents = pk.rows.map((r) => r[iL7]);
  for (const start of ["220 ", "USER ", "PASS ", "PASV\\r\\n", "RETR ", "226 "]) {
    assert.ok(contents.some((c) => c.startsWith(start)), `an FTP line starting "${start}"`);
  }
});

Deno.test("002: with annoloc's 66-byte snap length l7Content holds only the few payload bytes captured", () => {
  const pk = table("annoloc-small", "pkt-s", "packets");
  const recs = records("annoloc-small");
  const iL7 = pk.col("l7Content");
  let checked = 0;
  let longest = 0;
  for (const r of pk.rows) {
    const rec = recs[Number(r[0]) - 1];
    assert.ok(rec.capLen <= 66);
    const payload = capturedPayload(rec, r[pk.col("hdrDesc")]);
    if (!payload) continue;
    assert.equal(r[iL7], escapeL7(payload), `packet ${r[0]}`);
    if (r[pk.col("hdrDesc")] === "eth:ipv4:tcp") longest = Math.max(longest, payload.length);
    checked++;
  }
  assert.ok(checked > pk.rows.length * 0.9);
  // Ethernet 14 + IPv4 20 + TCP 20 leave 12 bytes of the 66 for TCP payload.
  assert.ok(longest > 0 && longest <= 12, `at most ${longest} TCP payload bytes`);
});

// ==========================================================================================
// 0.9.3 vs the 0.9.1 tutorials (spec/README.md)

Deno.test("0.9.3: packet-mode time is the capture timestamp with a zero-padded 9-digit fraction (1258594163.008594000, not 0.9.1's 1258594163.8594000)", () => {
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    const pk = table(fixture, "pkt-s", "packets");
    const recs = records(fixture);
    let small = 0;
    for (const r of pk.rows) {
      const rec = recs[Number(r[0]) - 1];
      assert.equal(r[pk.col("time")], `${rec.sec}.${String(rec.ns).padStart(9, "0")}`);
      if (rec.ns < 1e8) small++;
    }
    assert.ok(small > 0, "some fractions need the leading zeros");
  }
});

/** `sec.nnnnnnnnn` of a non-negative nanosecond count. */
function nsText(ns: number): string {
  return `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, "0")}`;
}

Deno.test("0.9.3: pktIAT, pktTrip and flowDuration have 9 decimals; pktIAT is the time since the direction's previous packet, flowDuration since its first", () => {
  const pk = table("faf-small", "pkt-s", "packets");
  const recs = records("faf-small");
  const first = new Map<string, Rec>();
  const prev = new Map<string, Rec>();
  // Exact nanoseconds between two records (the absolute counts would exceed 2^53).
  const since = (a: Rec, b: Rec) => (b.sec - a.sec) * 1e9 + (b.ns - a.ns);
  for (const r of pk.rows) {
    const t = recs[Number(r[0]) - 1];
    const k = dirKey(r[pk.col("flowInd")], r[pk.col("flowStat")]);
    for (const c of ["pktIAT", "pktTrip", "flowDuration"]) {
      assert.match(r[pk.col(c)], /^-?\d+\.\d{9}$/, `${c} of packet ${r[0]}`);
    }
    assert.equal(r[pk.col("pktIAT")], nsText(since(prev.get(k) ?? t, t)), `packet ${r[0]}`);
    if (!first.has(k)) first.set(k, t);
    assert.equal(r[pk.col("flowDuration")], nsText(since(first.get(k)!, t)), `packet ${r[0]}`);
    prev.set(k, t);
  }
});

Deno.test("0.9.3: plugins report version 0.9.3; the report uses 0.9.3's labels (<A packet load>, A+B packets/A+B flows, Headers count … avg:)", () => {
  const report = output("faf-small", "flow").report;
  for (const [i, p] of ["basicFlow", "basicStats", "tcpWin", "txtSink"].entries()) {
    assert.match(report, new RegExp(`^    0${i + 1}: ${p}, 0\\.9\\.3$`, "m"));
  }
  assert.match(report, /^<A packet load>: /m);
  assert.match(report, /^<B packet load>: /m);
  assert.match(report, /^Number of processed A\+B packets\/A\+B flows: /m);
  assert.match(report, /^Headers count: min: \d+, max: \d+, avg: [\d.]+$/m);
  assert.doesNotMatch(report, /Average A packet load|average:/);
});

Deno.test("0.9.3: basicStats columns are pktsSnt pktsRcvd padBytesSnt l7BytesSnt l7BytesRcvd minL7PktSz maxL7PktSz avgL7PktSz stdL7PktSz (0.9.1: numPktsSnt … stdPktSize)", () => {
  const flows = table("faf-small", "flow", "flows");
  const from = flows.col("l4Proto") + 1;
  assert.deepStrictEqual(flows.columns.slice(from, from + 17), [
    "pktsSnt",
    "pktsRcvd",
    "padBytesSnt",
    "l7BytesSnt",
    "l7BytesRcvd",
    "minL7PktSz",
    "maxL7PktSz",
    "avgL7PktSz",
    "stdL7PktSz",
    "minIAT",
    "maxIAT",
    "avgIAT",
    "stdIAT",
    "pktps",
    "bytps",
    "pktAsm",
    "bytAsm",
  ]);
  assert.match(file(output("faf-small", "flow"), "headers"), /^21\tI64\tpadBytesSnt\t/m);
});

Deno.test("0.9.3: the running variance uses the deviation from the previous mean — a two-packet flow of sizes a, b has stdL7PktSz |a-b|/√2 and stdIAT maxIAT/√2 (0.9.1: half)", () => {
  let sizes = 0;
  let iats = 0;
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    const flows = table(fixture, "flow", "flows");
    for (const r of flows.rows) {
      if (r[flows.col("pktsSnt")] !== "2") continue;
      const n = (c: string) => Number(r[flows.col(c)]);
      const wantSize = Math.abs(n("maxL7PktSz") - n("minL7PktSz")) / Math.SQRT2;
      const wantIat = n("maxIAT") / Math.SQRT2;
      const where = `${fixture} flow ${r[1]} ${r[0]}`;
      assert.ok(Math.abs(n("stdL7PktSz") - wantSize) <= 1e-6 * wantSize + 1e-9, where);
      assert.ok(Math.abs(n("stdIAT") - wantIat) <= 2e-6 * wantIat + 1e-9, where);
      if (wantSize > 0) sizes++;
      if (wantIat > 0) iats++;
    }
  }
  assert.ok(sizes > 0 && iats > 0, "some two-packet flows differ in size and time");
});

Deno.test("0.9.3: `Number of pad bytes` counts only frames of at most 64 bytes on the wire (recomputed from the capture)", () => {
  for (const fixture of ["annoloc-small", "faf-small"] as const) {
    let pad = 0;
    for (const r of records(fixture)) {
      if (r.wireLen > 64) continue;
      const d = decode(r);
      let p = 0;
      if (d.ip) p = r.wireLen - d.l2Len - d.ip.len;
      else if (d.ethType === 0x0806) p = r.wireLen - d.l2Len - 28;
      else continue;
      if (p > 0) pad += p;
    }
    assert.ok(pad > 0, `${fixture} has padded frames`);
    assert.equal(reportNumber(output(fixture, "flow").report, "Number of pad bytes"), pad);
  }
});

Deno.test("0.9.3: _headers.txt has a `# Priority:` line", () => {
  assert.match(file(output("faf-small", "flow"), "headers"), /^# Priority: -?\d+$/m);
});

// ==========================================================================================
// Tutorials 003/004: flow timeout programming with tcpWinTMT (faf)

Deno.test("003: tcpWinTMT's timeouts make more flows than the default 182 s; `Number of processed flows` counts the A and B rows", () => {
  const counts: Record<string, number> = {};
  for (const set of ["flow", "tmt-s"]) {
    const flows = table("faf-small", set, "flows");
    const report = output("faf-small", set).report;
    assert.equal(reportNumber(report, "Number of processed      flows"), flows.rows.length);
    const a = flows.rows.filter((r) => r[0] === "A").length;
    assert.equal(reportNumber(report, "Number of processed A    flows"), a);
    assert.equal(reportNumber(report, "Number of processed B    flows"), flows.rows.length - a);
    counts[set] = flows.rows.length;
  }
  assert.ok(counts["tmt-s"] > counts["flow"], JSON.stringify(counts));
});

Deno.test("003: a direction's first packet sets the timeout — 2.2 s after a SYN (state BGN), 1 s when it only ACKs (state EST)", () => {
  const pk = table("faf-small", "tmt-s", "packets");
  const recs = records("faf-small");
  const firstSeen = new Set<string>();
  let syn = 0;
  let ack = 0;
  for (const r of pk.rows) {
    const k = dirKey(r[pk.col("flowInd")], r[pk.col("flowStat")]);
    if (firstSeen.has(k)) continue;
    firstSeen.add(k);
    const flags = decode(recs[Number(r[0]) - 1]).tcp!.flags!;
    const got = [r[pk.col("tcpWinState")], r[pk.col("flowTmout")]];
    if (flags & 0x02) {
      assert.deepStrictEqual(got, ["0x01", "2.200000"], `packet ${r[0]}`);
      syn++;
    } else if (flags & 0x10 && !(flags & 0x05)) {
      assert.deepStrictEqual(got, ["0x02", "1.000000"], `packet ${r[0]}`);
      ack++;
    }
  }
  assert.ok(syn > 0 && ack > 0, `${syn} SYN and ${ack} ACK first packets`);
});

Deno.test("003: the second zero window of a direction aborts it — tcpWinStat gets 0x40|0x80, state 0x04, timeout 1 ms on the flow and its opposite", () => {
  const pk = table("faf-small", "tmt-s", "packets");
  const flows = table("faf-small", "tmt-s", "flows");
  const recs = records("faf-small");
  // Per flow direction, from the capture: zero windows so far, TCP flags so far.
  const zeros = new Map<string, number>();
  const flagsSoFar = new Map<string, number>();
  let aborts = 0;
  for (const r of pk.rows) {
    const k = dirKey(r[pk.col("flowInd")], r[pk.col("flowStat")]);
    const t = decode(recs[Number(r[0]) - 1]).tcp!;
    const z = (zeros.get(k) ?? 0) + (t.win === 0 ? 1 : 0);
    zeros.set(k, z);
    assert.equal(Number(r[pk.col("tcpWinThCnt")]), z, `packet ${r[0]}`);
    const before = flagsSoFar.get(k);
    const flags = (before ?? 0) | t.flags!;
    flagsSoFar.set(k, flags);
    // The state machine reaches its EST checks unless the direction is still NEW and this
    // packet is a SYN (NEW -> BGN stops there) or neither SYN nor ACK was ever seen.
    const reachesEst = (before ?? 0) & 0x12 ? true : (t.flags! & 0x12) === 0x10;
    if (z !== 2 || t.win !== 0 || flags & 0x05 || !reachesEst) continue;
    // This packet is the direction's second zero window: the abort.
    const stat = parseInt(r[pk.col("tcpWinStat")], 16);
    assert.equal(stat & 0xc0, 0xc0, `packet ${r[0]}`);
    assert.deepStrictEqual(
      [r[pk.col("tcpWinState")], r[pk.col("flowTmout")]],
      ["0x04", "0.001000"],
      `packet ${r[0]}`,
    );
    // Both flow rows of this findex end in state ABRT (the opposite was aborted too).
    const rows = flows.rows.filter((f) => f[flows.col("flowInd")] === r[pk.col("flowInd")]);
    assert.equal(rows.length, 2);
    for (const f of rows) assert.equal(f[flows.col("tcpWinState")], "0x04");
    aborts++;
  }
  assert.ok(aborts > 0, "the FTP data connection is aborted");
});

interface Segment {
  findex: number;
  dirs: Map<string, { sec: number; ns: number; timeout: number }>;
}

Deno.test("003: a connection is split exactly where both directions have been idle at least their timeouts (1 s established, 1 ms aborted): the next packet starts a new flow", () => {
  const pk = table("faf-small", "tmt-s", "packets");
  const recs = records("faf-small");
  const conns = new Map<string, Segment>();
  let maxFindex = 0;
  let splits = 0;
  let abortSplits = 0;
  for (const r of pk.rows) {
    const rec = recs[Number(r[0]) - 1];
    const d = decode(rec);
    const t = d.tcp!;
    const a = `${d.ip!.src}:${t.sport}`;
    const b = `${d.ip!.dst}:${t.dport}`;
    const conn = a < b ? `${a}|${b}` : `${b}|${a}`;
    const findex = Number(r[pk.col("flowInd")]);
    const seg = conns.get(conn);
    let expired = seg !== undefined;
    let aborted = false;
    for (const s of seg?.dirs.values() ?? []) {
      // T2's float32 age (spec/timeouts.md §3).
      const age = Math.fround(Math.fround(rec.sec - s.sec) + (rec.ns - s.ns) / 1e9);
      if (age < Math.fround(s.timeout)) expired = false;
      if (s.timeout === 0.001) aborted = true;
    }
    if (seg && !expired) {
      assert.equal(findex, seg.findex, `packet ${r[0]} continues flow ${seg.findex}`);
    } else {
      assert.ok(findex > maxFindex, `packet ${r[0]} starts a new flow (got ${findex})`);
      if (seg) {
        splits++;
        if (aborted) abortSplits++;
      }
      conns.set(conn, { findex, dirs: new Map() });
    }
    maxFindex = Math.max(maxFindex, findex);
    const cur = conns.get(conn)!;
    const timeout = Number(r[pk.col("flowTmout")]);
    cur.dirs.set(a, { sec: rec.sec, ns: rec.ns, timeout });
    // An abort also gives the opposite direction 1 ms (without a packet of it).
    if (timeout === 0.001 && parseInt(r[pk.col("tcpWinStat")], 16) & 0x40) {
      for (const s of cur.dirs.values()) s.timeout = 0.001;
    }
  }
  // Both kinds: after 1 s of silence and after an abort.
  assert.ok(splits > abortSplits && abortSplits > 0, `${splits} splits, ${abortSplits} aborts`);
});

Deno.test("003: after a split the direction heuristic starts anew — the new A flow is the side that sent the first packet (ports >= 1024, no SYN-ACK)", () => {
  const pk = table("faf-small", "tmt-s", "packets");
  const flows = table("faf-small", "tmt-s", "flows");
  const recs = records("faf-small");
  const firstOf = new Map<string, Decoded>();
  for (const r of pk.rows) {
    const f = r[pk.col("flowInd")];
    if (!firstOf.has(f)) firstOf.set(f, decode(recs[Number(r[0]) - 1]));
  }
  let checked = 0;
  for (const r of flows.rows) {
    if (r[0] !== "A") continue;
    const d = firstOf.get(r[flows.col("flowInd")])!;
    const t = d.tcp!;
    const heuristic = (t.sport < 1024 && t.sport < t.dport) || (t.sport & 0xfff6) === 8080 ||
      (t.flags! & 0x12) === 0x12;
    if (heuristic) continue;
    assert.deepStrictEqual(
      [r[flows.col("srcIP")], r[flows.col("srcPort")]],
      [d.ip!.src, String(t.sport)],
      `flow ${r[flows.col("flowInd")]}`,
    );
    checked++;
  }
  assert.ok(checked > 0);
});

Deno.test("004: the tcpWinTMT report lines are the OR of tcpWinStat and tcpWinState and Σ tcpWinThCnt", () => {
  const flows = table("faf-small", "tmt-s", "flows");
  const report = output("faf-small", "tmt-s").report;
  let stat = 0;
  let state = 0;
  let count = 0;
  for (const r of flows.rows) {
    stat |= parseInt(r[flows.col("tcpWinStat")], 16);
    state |= parseInt(r[flows.col("tcpWinState")], 16);
    count += Number(r[flows.col("tcpWinThCnt")]);
  }
  assert.match(report, new RegExp(`^tcpWinTMT: Aggregated tcpWinStat=0x${hex2(stat)}$`, "m"));
  assert.match(report, new RegExp(`^tcpWinTMT: Aggregated tcpWinState=0x${hex2(state)}$`, "m"));
  assert.match(
    report,
    new RegExp(`^tcpWinTMT: Number of TCP winsize packets below threshold 1: ${count} \\[`, "m"),
  );
});
