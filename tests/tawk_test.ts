/**
 * `t2 tawk` on the real T2 0.9.3 outputs of ../shared/reference: the tutorials' commands
 * (0.9.3 column names, ../shared/spec/tools/tawk.md §8) and more programs, each compared with
 * an oracle that does not use our tool: plain gawk with the field numbers written by hand, or
 * what the spec says (the order of t2sort, the sums of aggr). Skips, saying so, where
 * ../shared or gawk is absent.
 */

import assert from "node:assert/strict";
import { firstDifference, gawk, HAS_GAWK, type Input, REFERENCE, tawk } from "./_tawk.ts";

const skip = !REFERENCE
  ? "../shared/reference is absent"
  : !HAS_GAWK
  ? "gawk is not installed"
  : "";
const R = REFERENCE ?? "/nonexistent/";

/** Reference files (field numbers of each are written where they are used). */
const ANNO_FLOWS = `${R}annoloc-small/flow/annoloc-small_flows.txt`;
const ANNO_TCPWIN = `${R}annoloc-small/flow/annoloc-small_tcpwin.txt`;
const ANNO_PKTS = `${R}annoloc-small/flow-s/annoloc-small_packets.txt`;
const ANNO_DFLT = `${R}annoloc-small/dflt/annoloc-small_flows.txt`;
const ANNO_PROTOCOLS = `${R}annoloc-small/dflt/annoloc-small_protocols.txt`;
const FAF_TMT_FLOWS = `${R}faf-small/tmt-s/faf-small_flows.txt`;
const FAF_TMT_PKTS = `${R}faf-small/tmt-s/faf-small_packets.txt`;
const FAF_PKTS = `${R}faf-small/flow-s/faf-small_packets.txt`;
const FAF_FLOWS = `${R}faf-small/flow/faf-small_flows.txt`;
const RAWIP = `${R}rawip-ipv4-ipv6-tcp-udp/base/rawip-ipv4-ipv6-tcp-udp_flows.txt`;
const MIXED = `${R}mixed-arp-stp-nbns-dns-http/base/mixed-arp-stp-nbns-dns-http_flows.txt`;
const SIXIN4 =
  `${R}6in4-tunnel-ipv6-tcp-tls-dns-icmpv6/base/6in4-tunnel-ipv6-tcp-tls-dns-icmpv6_flows.txt`;

/**
 * Flow files of the flow/base sets: 1 dir, 2 flowInd, 3 flowStat, 6 duration, 14 srcIP,
 * 15 srcPort, 16 dstIP, 17 dstPort, 18 l4Proto, 19 pktsSnt, 22 l7BytesSnt, 39 tcpWinThCnt,
 * 40 tcpWinSzThRt (flow set). Packet files (flow-s): 1 pktNo, 2 flowInd, 15 srcPort,
 * 17 dstPort, 18 l4Proto, 27 tcpWinSize, 28 tcpWinThPktCnt. tmt-s flows: 15 srcPort,
 * 17 dstPort; tmt-s packets: 1 pktNo. dflt flows: 14 srcIP, 21 srcMac_dstMac_numP,
 * 24 pktsSnt, 69 tcpFlags.
 */
interface OracleCase {
  readonly name: string;
  readonly tawk: string[];
  readonly gawk: string[];
  readonly input?: Input;
  readonly gawkInput?: Input;
}

const ORACLE_CASES: OracleCase[] = [
  // --- the tutorials' commands (T2 tutorials 000-004, 0.9.3 names) ---
  {
    name: "tutorial 1: hdr() || (tcpWinThCnt > 20 && tcpWinThCnt / pktsSnt > 0.9)",
    tawk: ["hdr() || ($tcpWinThCnt > 20 && ($tcpWinThCnt / $pktsSnt) > 0.9)", ANNO_FLOWS],
    gawk: ["NR == 1 || ($39 > 20 && ($39 / $19) > 0.9)", ANNO_FLOWS],
  },
  {
    name: "tutorial 1: BEGIN, tcp() counter, END (the header counts: TCP flows + 1)",
    tawk: ["BEGIN { tcpCount = 0; } tcp() { tcpCount++; } END { print tcpCount; }", ANNO_FLOWS],
    gawk: ["NR == 1 || $18 == 6 { n++ } END { print n }", ANNO_FLOWS],
  },
  {
    name: "tutorial 1: -H collects the flow indexes of the streaming flows",
    tawk: [
      "-H",
      '$tcpWinThCnt > 20 && $tcpWinSzThRt > 0.9 { s = s ";" $flowInd } END { print substr(s, 2) }',
      ANNO_FLOWS,
    ],
    gawk: [
      'NR > 1 && $39 > 20 && $40 > 0.9 { s = s ";" $2 } END { print substr(s, 2) }',
      ANNO_FLOWS,
    ],
  },
  {
    name: "tutorial 1: -v f=LIST 'flow(f)': header and both directions, in file order",
    tawk: ["-v", "f=53;85", "flow(f)", ANNO_FLOWS],
    gawk: ["NR == 1 || $2 == 53 || $2 == 85", ANNO_FLOWS],
  },
  {
    name: "tutorial 3: hdr() || (tcpWinThPktCnt > 0 && tcpWinSize == 0) on a packet file",
    tawk: ["hdr() || ($tcpWinThPktCnt > 0 && $tcpWinSize == 0)", ANNO_PKTS],
    gawk: ["NR == 1 || ($28 > 0 && $27 == 0)", ANNO_PKTS],
  },
  {
    name: "tutorial 3: flow(8) on a packet file (the FTP control connection)",
    tawk: ["flow(8)", FAF_PKTS],
    gawk: ["NR == 1 || $2 == 8", FAF_PKTS],
  },
  {
    name: "tutorial 4: port(49330) on the flows of tcpWinTMT",
    tawk: ["port(49330)", FAF_TMT_FLOWS],
    gawk: ["NR == 1 || $15 == 49330 || $17 == 49330", FAF_TMT_FLOWS],
  },
  {
    name: 'tutorial 4: packet("1418-1426")',
    tawk: ['packet("1418-1426")', FAF_TMT_PKTS],
    gawk: ["NR == 1 || ($1 >= 1418 && $1 <= 1426)", FAF_TMT_PKTS],
  },
  {
    name: "tutorial 4: port(1379)",
    tawk: ["port(1379)", FAF_TMT_FLOWS],
    gawk: ["NR == 1 || $15 == 1379 || $17 == 1379", FAF_TMT_FLOWS],
  },
  // --- selection functions, lists and ranges ---
  {
    name: "the benchmark's filter: tcp() && $pktsSnt > 10",
    tawk: ["tcp() && $pktsSnt > 10", ANNO_FLOWS],
    gawk: ["NR == 1 || ($18 == 6 && $19 > 10)", ANNO_FLOWS],
  },
  {
    name: "udp() with -H: no header",
    tawk: ["-H", "udp()", ANNO_FLOWS],
    gawk: ["NR > 1 && $18 == 17", ANNO_FLOWS],
  },
  {
    name: 'proto("6;17") list',
    tawk: ['proto("6;17")', ANNO_FLOWS],
    gawk: ["NR == 1 || $18 == 6 || $18 == 17", ANNO_FLOWS],
  },
  {
    name: 'port("53;80;6000-6699") list with a range',
    tawk: ['port("53;80;6000-6699")', ANNO_FLOWS],
    gawk: [
      "NR == 1 || $15 == 53 || $17 == 53 || $15 == 80 || $17 == 80 || " +
      "($15 >= 6000 && $15 <= 6699) || ($17 >= 6000 && $17 <= 6699)",
      ANNO_FLOWS,
    ],
  },
  {
    name: "dport(0x50): a hex number constant",
    tawk: ["dport(0x50)", ANNO_FLOWS],
    gawk: ["NR == 1 || $17 == 80", ANNO_FLOWS],
  },
  {
    name: 'sport("1024-2000,8080") with a comma',
    tawk: ['sport("1024-2000,8080")', ANNO_FLOWS],
    gawk: ["NR == 1 || ($15 >= 1024 && $15 <= 2000) || $15 == 8080", ANNO_FLOWS],
  },
  {
    name: 'flow("1-3;7") ranges and items',
    tawk: ['flow("1-3;7")', ANNO_FLOWS],
    gawk: ["NR == 1 || ($2 >= 1 && $2 <= 3) || $2 == 7", ANNO_FLOWS],
  },
  {
    name: 'flow("0x0c") never matches (a quoted hex item), flow(0x0c) is flow 12',
    tawk: [
      'flow("0x0c") { print "quoted", $flowInd } flow(0x0c) { print "number", $flowInd }',
      ANNO_FLOWS,
    ],
    gawk: [
      'NR == 1 { print "quoted", $2 } NR == 1 || $2 == 12 { print "number", $2 }',
      ANNO_FLOWS,
    ],
  },
  {
    name: 'packet("4;10;42") with -H and print of two columns',
    tawk: ["-H", 'packet("4;10;42") { print $pktNo, $flowInd }', ANNO_PKTS],
    gawk: ["NR > 1 && ($1 == 4 || $1 == 10 || $1 == 42) { print $1, $2 }", ANNO_PKTS],
  },
  {
    name: 'host("138.212.188.72")',
    tawk: ['host("138.212.188.72")', ANNO_FLOWS],
    gawk: ['NR == 1 || $14 == "138.212.188.72" || $16 == "138.212.188.72"', ANNO_FLOWS],
  },
  {
    name: 'net("138.212.188.0/24") and shost() of a decimal address',
    tawk: [
      'net("138.212.188.0/24") { a++ } shost(2329197640) { b++ } END { print a, b }',
      ANNO_FLOWS,
    ],
    gawk: [
      "NR == 1 || $14 ~ /^138\\.212\\.188\\./ || $16 ~ /^138\\.212\\.188\\./ { a++ } " +
      'NR == 1 || $14 == "138.212.188.72" { b++ } END { print a, b }',
      ANNO_FLOWS,
    ],
  },
  {
    name: "dhost() of an IPv6 address, written short, on IPv6 flows",
    tawk: ['dhost("2001:618:1:8000:0:0:0:5")', RAWIP],
    gawk: ['NR == 1 || $16 == "2001:618:1:8000::5"', RAWIP],
  },
  {
    name: "ipv4(), ipv6(), ip() and not(ip()): flowStat bits 0x4000 and 0x8000",
    tawk: [
      "-H",
      "ipv4() { a++ } ipv6() { b++ } ip() { c++ } not(ip()) { d++ } END { print a+0, b+0, c+0, d+0 }",
      MIXED,
    ],
    gawk: [
      'NR > 1 { x = strtonum("0x" substr($3, 15, 4)); v4 = and(x, 0x4000) != 0; v6 = and(x, 0x8000) != 0; ' +
      "a += v4; b += v6; c += v4 || v6; d += !(v4 || v6) } END { print a, b, c, d }",
      MIXED,
    ],
  },
  {
    name: "bitsanyset($flowStat, 1): B flows by the lowest bit of a 64-bit flowStat",
    tawk: ["bitsanyset($flowStat, 1)", SIXIN4],
    gawk: ['NR == 1 || strtonum("0x" substr($3, 18, 1)) % 2 == 1', SIXIN4],
  },
  {
    name: 'bitsallset($flowStat, "0x0c00000000000000"): two high bits, needs bignums',
    tawk: ['bitsallset($flowStat, "0x0c00000000000000")', SIXIN4],
    gawk: ["NR == 1 || substr($3, 4, 1) ~ /[cdef]/", SIXIN4],
  },
  {
    name: 'strneq($dir, "B") prints no header; streq keeps it',
    tawk: ['strneq($dir, "B") { a++ } streq($dir, "B") { b++ } END { print a, b }', ANNO_FLOWS],
    gawk: [
      'NR > 1 && $1 != "B" { a++ } NR == 1 || $1 == "B" { b++ } END { print a, b }',
      ANNO_FLOWS,
    ],
  },
  {
    name: 'tcpflags("S!A"): SYN seen, never ACK (tcpFlags plugin column)',
    tawk: ["-H", 'tcpflags("S!A") { print $flowInd, tcpflags() }', ANNO_DFLT],
    gawk: [
      'function f(v,   s, i) { for (i = 7; i >= 0; i--) s = s (and(v, 2^i) ? substr("FSRPAUEW", i + 1, 1) : "."); return s } ' +
      "NR > 1 { x = strtonum($69) } NR > 1 && and(x, 2) && !and(x, 16) { print $2, f(x) }",
      ANNO_DFLT,
    ],
  },
  {
    name: 'smac("^00:d0:02") on the MAC pairs of macRecorder',
    tawk: ["-H", 'smac("^00:d0:02") { print $flowInd, smac() }', ANNO_DFLT],
    gawk: [
      'NR > 1 { n = split($21, p, ";"); s = ""; delete seen; ' +
      'for (i = 1; i <= n; i++) { split(p[i], q, "_"); if (!(q[1] in seen)) { seen[q[1]]; s = s (s == "" ? "" : ";") q[1] } } ' +
      "if (s ~ /(^|;)00:d0:02/) print $2, s }",
      ANNO_DFLT,
    ],
  },
  {
    name: 'wildcard("^tcpWin") prints the tcpWin columns',
    tawk: ['NR <= 3 { print wildcard("^tcpWin") }', ANNO_FLOWS],
    gawk: ["NR <= 3 { print $36, $37, $39, $40 }", ANNO_FLOWS],
  },
  // --- BEGIN/END, -v, arithmetic ---
  {
    name: "hdr() || a byte count, with a print of chosen columns",
    tawk: ["hdr() || $l7BytesSnt > 100000 { print $dir, $flowInd, $l7BytesSnt }", FAF_FLOWS],
    gawk: ["NR == 1 || $22 > 100000 { print $1, $2, $22 }", FAF_FLOWS],
  },
  {
    name: "-v with a port list, END count",
    tawk: ["-v", "p=80;443", "-H", "port(p) { n++ } END { print n }", ANNO_FLOWS],
    gawk: [
      "NR > 1 && ($15 == 80 || $17 == 80 || $15 == 443 || $17 == 443) { n++ } END { print n }",
      ANNO_FLOWS,
    ],
  },
  {
    name: "sum of a column in END (the header adds 0)",
    tawk: ["{ s += $l7BytesSnt } END { print s, NR }", ANNO_FLOWS],
    gawk: ["{ s += $22 } END { print s, NR }", ANNO_FLOWS],
  },
  {
    name: "max(), min() and print_max()",
    tawk: [
      "max(pktsSnt)\nmin(duration)\nEND { print get_max(pktsSnt), get_min(duration); print_max(pktsSnt) }",
      ANNO_FLOWS,
    ],
    gawk: [
      "NR > 1 { if (NR == 2 || $19 > mx) mx = $19; if (NR == 2 || $6 < mn) mn = $6 } " +
      'END { print mx, mn; print "pktsSnt: " mx }',
      ANNO_FLOWS,
    ],
  },
  {
    name: "-O changes the output separator of rebuilt records",
    tawk: ["-O", ";", "-H", "tcp() && $pktsSnt > 100 { print $flowInd, $pktsSnt }", ANNO_FLOWS],
    gawk: ["-v", "OFS=;", "NR > 1 && $18 == 6 && $19 > 100 { print $2, $19 }", ANNO_FLOWS],
  },
  {
    name: "tuple4() and proto2str()",
    tawk: ["-H", "NR <= 4 { print tuple4(), proto2str() }", ANNO_FLOWS],
    gawk: [
      'NR > 1 && NR <= 4 { print $14, $15, $16, $17, ($18 == 6 ? "TCP" : $18 == 17 ? "UDP" : $18) }',
      ANNO_FLOWS,
    ],
  },
  // --- summary files: -s '#', -N ---
  {
    name: "-s '#' on a summary file: names from the '# IP' line",
    tawk: ["-s", "#", "{ print $IP, $pktTcpCnt * 2 }", ANNO_TCPWIN],
    gawk: ["{ print $1, (NR == 1 ? 0 : $2 * 2) }", ANNO_TCPWIN],
  },
  {
    name: "-s '#' -N 3 on _protocols.txt (padded names; '# Total' lines are data)",
    tawk: [
      "-s",
      "#",
      "-N",
      "3",
      "$Packets + 0 > 100 { print $L2_3_Protocol, $Packets + 0 }",
      ANNO_PROTOCOLS,
    ],
    gawk: ["NR != 3 && $2 + 0 > 100 { print $1, $2 + 0 }", ANNO_PROTOCOLS],
  },
  // --- input from a pipe ---
  {
    name: "piped data with -I FILE for the names",
    tawk: ["-I", ANNO_FLOWS, "tcp() && $pktsSnt > 30"],
    input: { file: ANNO_FLOWS },
    gawk: ["NR == 1 || ($18 == 6 && $19 > 30)", ANNO_FLOWS],
  },
  {
    name: "piped data without -I: the names come from the piped header",
    tawk: ["udp() && $pktsSnt > 2"],
    input: { file: ANNO_FLOWS },
    gawk: ["NR == 1 || ($18 == 17 && $19 > 2)", ANNO_FLOWS],
  },
];

for (const c of ORACLE_CASES) {
  Deno.test({
    name: `tawk: ${c.name}${skip ? ` SKIPPED: ${skip}` : ""}`,
    ignore: skip !== "",
    async fn() {
      const [got, want] = await Promise.all([tawk(c.tawk, c.input), gawk(c.gawk, c.gawkInput)]);
      assert.equal(want.code, 0, `oracle failed: ${want.stderr}`);
      assert.equal(got.stderr, "", `stderr: ${got.stderr}`);
      assert.equal(got.code, 0);
      assert.ok(want.stdout.length > 0, "the oracle selects nothing: a useless case");
      assert.ok(got.stdout === want.stdout, firstDifference(got.stdout, want.stdout));
    },
  });
}

/** Lines of a file without its first (header) line. */
function dataLines(path: string): string[] {
  return Deno.readTextFileSync(path).split("\n").slice(1).filter((l) => l !== "");
}

/** Bytewise comparison (LC_ALL=C). */
function cmpBytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * The spec's t2sort order (§6.2) of rows by numeric column `col` (1-based): descending unless
 * `ascending`; equal keys in whole-line byte order, reversed along with the keys.
 */
function specSorted(rows: string[], col: number, ascending: boolean): string[] {
  const key = (l: string) => {
    const v = parseFloat(l.split("\t")[col - 1]);
    return Number.isNaN(v) ? -Infinity : v;
  };
  const sorted = [...rows].sort((a, b) => key(a) - key(b) || cmpBytes(a, b));
  return ascending ? sorted : sorted.reverse();
}

Deno.test({
  name: `tawk: tutorial 2: -s '#' 't2sort(winRelThCnt)' sorts the summary file, largest first${
    skip ? ` SKIPPED: ${skip}` : ""
  }`,
  ignore: skip !== "",
  async fn() {
    const got = await tawk(["-s", "#", "t2sort(winRelThCnt)", ANNO_TCPWIN]);
    const header = Deno.readTextFileSync(ANNO_TCPWIN).split("\n")[0];
    const want = [header, ...specSorted(dataLines(ANNO_TCPWIN), 3, false)].join("\n") + "\n";
    assert.equal(got.code, 0, got.stderr);
    assert.ok(got.stdout === want, firstDifference(got.stdout, want));
    assert.ok(got.stdout.split("\n")[1].startsWith("138.212.191.238\t60\t0.966667"));
  },
});

Deno.test({
  name: `tawk: t2sort(pktsSnt, 5), t2sort(pktsSnt, -3), t2rsort(duration): order, ties, counts${
    skip ? ` SKIPPED: ${skip}` : ""
  }`,
  ignore: skip !== "",
  async fn() {
    const rows = dataLines(ANNO_FLOWS);
    const header = Deno.readTextFileSync(ANNO_FLOWS).split("\n")[0];
    const cases: [string, string[]][] = [
      ["t2sort(pktsSnt, 5)", specSorted(rows, 19, false).slice(0, 5)],
      ["t2sort(pktsSnt, -3)", specSorted(rows, 19, true).slice(0, 3)],
      ["t2rsort(duration)", specSorted(rows, 6, true)],
    ];
    for (const [prog, sorted] of cases) {
      const got = await tawk([prog, ANNO_FLOWS]);
      const want = [header, ...sorted].join("\n") + "\n";
      assert.equal(got.code, 0, got.stderr);
      assert.ok(got.stdout === want, `${prog}: ${firstDifference(got.stdout, want)}`);
    }
  },
});

Deno.test({
  name: `tawk: aggr($srcIP) counts flows per address, aggr(tuple2(), $l7BytesSnt, 5) sums bytes${
    skip ? ` SKIPPED: ${skip}` : ""
  }`,
  ignore: skip !== "",
  async fn() {
    const rows = dataLines(ANNO_FLOWS).map((l) => l.split("\t"));
    // flows per source address (14)
    const count = new Map<string, number>();
    for (const r of rows) count.set(r[13], (count.get(r[13]) ?? 0) + 1);
    const got = await tawk(["aggr($srcIP)", ANNO_FLOWS]);
    assert.equal(got.code, 0, got.stderr);
    const lines = got.stdout.trimEnd().split("\n");
    assert.equal(lines[0], "srcIP\tFlows");
    const body = lines.slice(1);
    assert.deepEqual(body.slice().sort(), [...count].map(([k, n]) => `${k}\t${n}`).sort());
    const counts = body.map((l) => Number(l.split("\t")[1]));
    assert.ok(counts.every((n, i) => i === 0 || counts[i - 1] >= n), "not largest first");
    // bytes (22) per address pair (14, 16), the 5 largest
    const sum = new Map<string, number>();
    for (const r of rows) {
      sum.set(`${r[13]}\t${r[15]}`, (sum.get(`${r[13]}\t${r[15]}`) ?? 0) + Number(r[21]));
    }
    const top = [...sum.values()].sort((a, b) => b - a).slice(0, 5);
    const got2 = await tawk(["aggr(tuple2(), $l7BytesSnt, 5)", ANNO_FLOWS]);
    assert.equal(got2.code, 0, got2.stderr);
    const l2 = got2.stdout.trimEnd().split("\n");
    assert.equal(l2[0], "srcIP\tdstIP\tl7BytesSnt");
    assert.deepEqual(l2.slice(1).map((l) => Number(l.split("\t")[2])), top);
    for (const l of l2.slice(1)) {
      const [s, d, b] = l.split("\t");
      assert.equal(sum.get(`${s}\t${d}`), Number(b), l);
    }
  },
});

Deno.test({
  name: `tawk: -l lists the columns ('  1  dir'), -c writes the provenance block${
    skip ? ` SKIPPED: ${skip}` : ""
  }`,
  ignore: skip !== "",
  async fn() {
    const l = await tawk(["-l", ANNO_FLOWS]);
    assert.equal(l.code, 0, l.stderr);
    const names = Deno.readTextFileSync(ANNO_FLOWS).split("\n")[0].replace(/^%/, "").split("\t");
    const want = names.map((n, i) => `${String(i + 1).padStart(3)}  ${n}`);
    // aligned as column -t does: the names start in one column
    assert.deepEqual(l.stdout.trimEnd().split("\n").map((x) => x.replace(/ +$/, "")), want);
    const c = await tawk(["-c", "-v", "f=53", "flow(f)", ANNO_FLOWS]);
    const head = c.stdout.split("\n").slice(0, 5);
    assert.equal(head[0], `# Generated with tawk from '${ANNO_FLOWS}'`);
    assert.match(head[1], /^# Date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
    assert.equal(head[2], '# Variables and libraries used: -v f="53"');
    assert.equal(head[3], "# Filter used: flow(f)");
    assert.ok(head[4].startsWith("%dir\tflowInd"));
  },
});

/** Where T2's tawk is silently wrong: ours says what is wrong, on one line, and exits 1. */
Deno.test({
  name: `tawk: unknown names, files without names, binary files and syntax errors are errors${
    skip ? ` SKIPPED: ${skip}` : ""
  }`,
  ignore: skip !== "",
  async fn() {
    // the 0.9.1 tutorial name: T2's tawk would compare the whole line
    const renamed = await tawk(["hdr() || ($tcpWinThCnt / $numPktsSnt) > 0.9", ANNO_FLOWS]);
    assert.equal(renamed.code, 1);
    assert.equal(renamed.stdout, "");
    assert.match(renamed.stderr, /no column 'numPktsSnt' .*T2 0\.9\.3 calls it 'pktsSnt'/);
    const typo = await tawk(["$pktSnt > 1", ANNO_FLOWS]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /no column 'pktSnt' in .*line 1, column 2\); closest: pktsSnt/);
    const sortArg = await tawk(["-s", "#", "t2sort(winRelThCount)", ANNO_TCPWIN]);
    assert.equal(sortArg.code, 1);
    assert.match(sortArg.stderr, /no column 'winRelThCount'.*closest: winRelThCnt/);
    // a variable the program sets is not a column
    const own = await tawk(["-H", "{ c = 19 } $c > 1000 { n++ } END { print n }", ANNO_FLOWS]);
    assert.equal(own.code, 0, own.stderr);
    // no column-name line
    const dir = Deno.makeTempDirSync();
    try {
      Deno.writeTextFileSync(`${dir}/plain.txt`, "1\t2\n3\t4\n");
      const plain = await tawk(["{ print $1 }", `${dir}/plain.txt`]);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /plain\.txt has no column-name line/);
      assert.equal(plain.stderr.trim().split("\n").length, 1);
      Deno.writeFileSync(
        `${dir}/x.pcap`,
        new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0]),
      );
      const pcap = await tawk(["tcp()", `${dir}/x.pcap`]);
      assert.equal(pcap.code, 1);
      assert.match(pcap.stderr, /x\.pcap: a pcap capture, not a T2 output file/);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
    const syntax = await tawk(["tcp() && ($pktsSnt > 3", ANNO_FLOWS]);
    assert.equal(syntax.code, 1);
    assert.equal(syntax.stdout, "");
    assert.equal(syntax.stderr.trim().split("\n").length, 1, syntax.stderr);
    assert.match(syntax.stderr, /^t2 tawk: awk syntax error in the program, line 1, column \d+: /);
    const noProgram = await tawk([ANNO_FLOWS]);
    assert.equal(noProgram.code, 1);
    assert.match(noProgram.stderr, /Program is required/);
    const badN = await tawk(["-N", "x", "tcp()", ANNO_FLOWS]);
    assert.equal(badN.code, 1);
    assert.match(badN.stderr, /Option '-N' requires a numeric argument/);
  },
});

Deno.test("tawk: -d explains the library's functions only (not Object's properties)", async () => {
  const tcp = await tawk(["-d", "tcp"]);
  assert.equal(tcp.code, 0);
  assert.match(tcp.stdout, /^tcp\(\[p\]\)\n/);
  const notOne = await tawk(["-d", "toString,constructor"]);
  assert.equal(notOne.code, 1);
  assert.equal(notOne.stdout, "");
  assert.match(notOne.stderr, /no function 'toString'/);
  assert.match(notOne.stderr, /no function 'constructor'/);
});
