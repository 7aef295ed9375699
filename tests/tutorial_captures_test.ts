/**
 * The figures T2's tutorials print for their own captures, annoloc2.pcap and faf-exercise.pcap
 * (`deno task fixtures:download` puts them into fixtures/; they are not committed). Only figures
 * that T2 0.9.3 prints as the tutorials' 0.9.1 (0.8.11 for the timeout tutorial) did are checked
 * (../shared/spec/README.md lists the differences): labels are 0.9.3's, basicStats columns have
 * their 0.9.3 names, times get 0.9.3's nine decimals, standard deviations, pad bytes, geo labels
 * and fractions of packet-mode times printed without leading zeros (a 0.9.1 defect) are mapped or
 * left out. Without the captures the checks are skipped, and the test names say so.
 *
 * Also here: `tasks/fixtures_download.ts` leaves no partial file when a download fails.
 */

import assert from "node:assert/strict";
import { run } from "../src/core/run.ts";
import { MemorySink } from "../src/output/byte_writer.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { parsePluginList, selectPlugins } from "../src/plugin/registry.ts";
import { type Capture, CAPTURES, download, DownloadError } from "../tasks/fixtures_download.ts";
import { REPO } from "./_repo_sandbox.ts";

// --- fixtures:download -----------------------------------------------------------------------

function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "t2ts_download_" });
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("fixtures:download: the tutorials' captures and their sizes", () => {
  assert.deepEqual(CAPTURES.map((c) => [c.name, c.size]), [
    ["annoloc2.pcap", 83586990], // "Number of pcap bytes" in the tutorials' reports
    ["faf-exercise.pcap", 5087870],
  ]);
});

Deno.test("fixtures:download: fetches, keeps present files, leaves nothing partial", async () => {
  const server = tempDir();
  const target = tempDir();
  try {
    Deno.writeFileSync(`${server}/a.pcap`, new Uint8Array(10).fill(7));
    Deno.writeFileSync(`${server}/short.pcap`, new Uint8Array(5));
    const base = `file://${server}/`;
    const a: Capture = { name: "a.pcap", size: 10 };
    assert.deepEqual(await download({ dir: target, baseUrl: base, captures: [a] }), ["a.pcap"]);
    assert.deepEqual(Deno.readFileSync(`${target}/a.pcap`), new Uint8Array(10).fill(7));
    assert.deepEqual(await download({ dir: target, baseUrl: base, captures: [a] }), []);

    await assert.rejects(
      () => download({ dir: target, baseUrl: base, captures: [{ name: "short.pcap", size: 9 }] }),
      (e: unknown) =>
        e instanceof DownloadError &&
        e.message === `Cannot download ${base}short.pcap: got 5 bytes, expected 9`,
    );
    await assert.rejects(
      () => download({ dir: target, baseUrl: base, captures: [{ name: "none.pcap", size: 1 }] }),
      (e: unknown) =>
        e instanceof DownloadError && e.message.startsWith(`Cannot download ${base}none.pcap: `),
    );
    assert.deepEqual(names(target), ["a.pcap"]);
  } finally {
    Deno.removeSync(server, { recursive: true });
    Deno.removeSync(target, { recursive: true });
  }
});

Deno.test("fixtures:download: without a server it fails cleanly (message, exit 1, no file)", () => {
  const target = tempDir();
  try {
    const out = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--allow-read=${target}`,
        `--allow-write=${target}`,
        "--allow-net=127.0.0.1:9",
        `${REPO}/tasks/fixtures_download.ts`,
        "--dir",
        target,
        "--base-url",
        "http://127.0.0.1:9/",
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, err);
    assert.match(
      err,
      /^fixtures:download: Cannot download http:\/\/127\.0\.0\.1:9\/annoloc2\.pcap: /,
    );
    assert.match(err, /No partial file was left in /);
    assert.deepEqual(names(target), []);
  } finally {
    Deno.removeSync(target, { recursive: true });
  }
});

// --- the tutorials' figures ------------------------------------------------------------------

const ANNOLOC2 = `${REPO}/fixtures/annoloc2.pcap`;
const FAF = `${REPO}/fixtures/faf-exercise.pcap`;

function present(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** What a run left: the report and the output folder (removed by `done`). */
interface Outputs {
  readonly report: string[];
  readonly dir: string;
  readonly stem: string;
  done(): void;
}

/** Run a capture with the plugins of a reference list (golden/lists/), SUBNET_ON=0. */
function runList(capture: string, list: string, packetMode: boolean): Outputs {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_tutorial_capture_" });
  const names = parsePluginList(Deno.readTextFileSync(`${REPO}/golden/lists/${list}.txt`));
  const sink = new MemorySink();
  const result = run({
    inputs: [capture],
    inputName: capture,
    outputPrefix: `${dir}/`,
    plugins: selectPlugins(BUILTIN_PLUGINS, names),
    settings: [{ name: "SUBNET_ON", value: "0" }],
    packetMode,
    commandLine: "tutorial_captures_test",
    reportSink: sink,
  });
  assert.equal(result.exitCode, 0);
  const stem = capture.slice(capture.lastIndexOf("/") + 1).replace(/\.pcap$/, "");
  return {
    report: sink.takeText().split("\n"),
    dir,
    stem,
    done: () => Deno.removeSync(dir, { recursive: true }),
  };
}

/** Rows of a tab-separated output file, as column-name → value records, streamed. */
async function* rows(path: string): AsyncGenerator<Record<string, string>> {
  const file = await Deno.open(path);
  let header: string[] | null = null;
  let rest = "";
  for await (const chunk of file.readable.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      const values = line.split("\t");
      if (!header) {
        header = values.map((h) => h.replace(/^%/, ""));
        continue;
      }
      yield Object.fromEntries(header.map((h, i) => [h, values[i]]));
    }
  }
}

/** Problems found, reported together at the end of a test. */
class Problems {
  readonly list: string[] = [];
  /** Every line must be in the report. */
  reportHas(report: readonly string[], lines: readonly string[]): void {
    for (const l of lines) if (!report.includes(l)) this.list.push(`report lacks: ${l}`);
  }
  /** A row must have these values (names of columns → text). */
  row(what: string, got: Record<string, string> | undefined, want: Record<string, string>): void {
    if (!got) {
      this.list.push(`${what}: missing`);
      return;
    }
    for (const [k, v] of Object.entries(want)) {
      if (got[k] !== v) this.list.push(`${what}: ${k} is ${got[k]}, the tutorial has ${v}`);
    }
  }
  equal(what: string, got: unknown, want: unknown): void {
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      this.list.push(`${what}: ${JSON.stringify(got)}, the tutorial has ${JSON.stringify(want)}`);
    }
  }
  check(): void {
    assert.deepEqual(this.list, [], this.list.join("\n"));
  }
}

/** Columns of a flow row written as in the tutorials, in the order `cols` names them. */
function record(cols: string, values: string): Record<string, string> {
  const c = cols.trim().split(/\s+/);
  const v = values.trim().split(/\s+/);
  assert.equal(c.length, v.length, `${cols} / ${values}`);
  return Object.fromEntries(c.map((k, i) => [k, v[i]]));
}

/** A 0.8.11 time (six decimals) as 0.9.3 prints it. */
function ns(t: string): string {
  return t + "000";
}

/** A 0.9.1 packet-mode time (fraction printed without leading zeros) as 0.9.3 prints it. */
function fixedTime(t: string): string {
  const [s, f] = t.split(".");
  return `${s}.${f.padStart(9, "0")}`;
}

const skipNote = (file: string) =>
  `(skipped: fixtures/${file} is absent; deno task fixtures:download fetches it)`;

// Tutorial "The basics: your first flow plugin" (0.9.1; basicFlow basicStats tcpWin txtSink), and
// "Plugin packet mode" (basicFlow tcpWin txtSink, -s), on annoloc2.pcap.
const ANNOLOC2_REPORT = [
  "Link layer type: Ethernet [EN10MB/1]",
  "Snapshot length: 66",
  "Dump start: 1022171701.691172000 sec (Thu 23 May 2002 16:35:01 GMT)",
  "[WRN] snapL2Length: 54 - snapL3Length: 40 - IP length in header: 1500",
  "Dump stop : 1022171726.640398000 sec (Thu 23 May 2002 16:35:26 GMT)",
  "Total dump duration: 24.949226000 sec",
  "Percentage completed: 100.00%",
  "Number of processed packets: 1219015 (1.22 M)",
  "Number of processed bytes: 64082726 (64.08 M)",
  "Number of raw bytes: 844642686 (844.64 M)",
  "Number of pcap bytes: 83586990 (83.59 M)",
  "Number of IPv4 packets: 1218588 (1.22 M) [99.96%]",
  "Number of IPv6 packets: 180 [0.01%]",
  "Number of A packets: 564228 (564.23 K) [46.29%]",
  "Number of B packets: 654787 (654.79 K) [53.71%]",
  "Number of A bytes: 29447896 (29.45 M) [45.95%]",
  "Number of B bytes: 34634830 (34.63 M) [54.05%]",
  "<A packet load>: 52.19",
  "<B packet load>: 52.89",
  "basicStats: Biggest L2 flow talker: 00:d0:02:6d:78:00: 57 [0.00%] packets",
  "basicStats: Biggest L2 flow talker: 00:d0:02:6d:78:00: 2622 (2.62 K) [0.00%] bytes",
  "basicStats: Biggest L3 flow talker: 138.212.189.38: 23601 (23.60 K) [1.94%] packets",
  "basicStats: Biggest L3 flow talker: 138.212.189.38: 33731054 (33.73 M) [52.64%] bytes",
  "tcpWin: Aggregated tcpWinStat=0x01",
  "tcpWin: Number of TCP winsize packets below threshold 1: 2415 (2.42 K) [0.25%]",
  "Headers count: min: 2, max: 5, avg: 3.01",
  "Number of ARP packets: 247 [0.02%]",
  "Number of GRE packets: 20 [0.00%]",
  "Number of IGMP packets: 12 [0.00%]",
  "Number of ICMP packets: 3059 (3.06 K) [0.25%]",
  "Number of ICMPv6 packets: 11 [0.00%]",
  "Number of TCP packets: 948743 (948.74 K) [77.83%]",
  "Number of TCP bytes: 52643546 (52.64 M) [82.15%]",
  "Number of UDP packets: 266900 (266.90 K) [21.89%]",
  "Number of UDP bytes: 11234272 (11.23 M) [17.53%]",
  "Number of IPv4 fragmented packets: 2284 (2.28 K) [0.19%]",
  "Number of processed      flows: 17100 (17.10 K)",
  "Number of processed L2   flows: 99 [0.58%]",
  "Number of processed IPv4 flows: 16937 (16.94 K) [99.05%]",
  "Number of processed IPv6 flows: 64 [0.37%]",
  "Number of processed A    flows: 9719 (9.72 K) [56.84%]",
  "Number of processed B    flows: 7381 (7.38 K) [43.16%]",
  "Number of request        flows: 9676 (9.68 K) [56.58%]",
  "Number of reply          flows: 7424 (7.42 K) [43.42%]",
  "Total   A/B    flow asymmetry: 0.14",
  "Total req/rply flow asymmetry: 0.13",
  "Number of processed A+B packets/A+B flows: 71.29",
  "Number of processed A   packets/A   flows: 58.05",
  "Number of processed   B packets/  B flows: 88.71",
  "Number of processed total packets/s: 48859.83 (48.86 K)",
  "Number of processed A+B   packets/s: 48859.83 (48.86 K)",
  "Number of processed A     packets/s: 22615.05 (22.61 K)",
  "Number of processed   B   packets/s: 26244.78 (26.24 K)",
  "<Number of processed flows/s>: 685.39",
  "<Bandwidth>: 270268480 b/s (270.27 Mb/s)",
  "<Snapped bandwidth>: 20548206 b/s (20.55 Mb/s)",
  "<Raw bandwidth>: 270835712 b/s (270.84 Mb/s)",
  "Max number of flows in memory: 17100 (17.10 K) [6.52%]",
  "Aggregated flowStat=0x0c0098fa0222d044",
  "[WRN] L3 SnapLength < Length in IP header",
  "[WRN] L4 header snapped",
  "[WRN] Consecutive duplicate IP ID",
  "[WRN] IPv4/6 payload length > framing length",
  "[WRN] IPv4/6 fragmentation header packet missing",
  "[WRN] IPv4/6 packet fragmentation sequence not finished",
  "[INF] Stop dissecting: Clipped packet, unhandled protocol or subsequent fragment",
  "[INF] Layer 2 flows",
  "[INF] IPv4 flows",
  "[INF] IPv6 flows",
  "[INF] ARP",
  "[INF] IPv4/6 fragmentation",
  "[INF] IPv4/6 in IPv4/6",
  "[INF] GRE encapsulation",
  "[INF] GTP tunnel",
  "[INF] SSDP/UPnP",
];

/** Columns of the rows the first tutorial shows (0.9.3 names; no geo, std or vlanID). */
const FLOW_COLS =
  `dir flowInd flowStat timeFirst timeLast duration numHdrDesc numHdrs hdrDesc srcMac
  dstMac ethType srcIP srcPort dstIP dstPort l4Proto pktsSnt pktsRcvd l7BytesSnt l7BytesRcvd
  minL7PktSz maxL7PktSz avgL7PktSz minIAT maxIAT avgIAT pktps bytps pktAsm bytAsm tcpWinStat
  tcpWinIpTTL tcpInitWinSz tcpWinThCnt tcpWinSzThRt`;

const ANNOLOC2_FLOWS = [
  `A 633 0x0400000000004000 1022171701.743423000 1022171720.669713000 18.926290000 1 3 eth:ipv4:tcp
   00:d0:02:6d:78:00 00:60:08:78:1b:63 0x0800 19.123.222.7 1430 138.212.187.203 6699 6 72 72 0 22812
   0 0 0 0 0.700571 0.2628651 3.804232 0 0 -1 0x01 115 32378 1 0.01388889`,
  `B 633 0x0400000200004001 1022171701.743464000 1022171720.404545000 18.661081000 1 3 eth:ipv4:tcp
   00:60:08:78:1b:63 00:d0:02:6d:78:00 0x0800 138.212.187.203 6699 19.123.222.7 1430 6 72 72 22812 0
   18 928 316.8333 0 0.590107 0.2591818 3.858297 1222.437 0 1 0x01 128 0 72 1`,
  `A 149 0x0400000200004000 1022171701.701921000 1022171725.949576000 24.247655000 1 3 eth:ipv4:tcp
   00:10:a7:02:4d:33 00:d0:02:6d:78:00 0x0800 138.212.185.188 6699 36.152.156.46 3296 6 78 79 37
   17495 0 36 0.474359 0 0.901739 0.3108674 3.216806 1.525921 -0.006369427 -0.9957792 0x00 127 17520
   0 0`,
  `B 149 0x0400000200004001 1022171701.801634000 1022171726.463532000 24.661898000 1 3 eth:ipv4:tcp
   00:d0:02:6d:78:00 00:10:a7:02:4d:33 0x0800 36.152.156.46 3296 138.212.185.188 6699 6 79 78 17495
   37 0 1172 221.4557 0 0.987917 0.312176 3.203322 709.3939 0.006369427 0.9957792 0x01 112 36 76
   0.9620253`,
  `A 1147 0x0400000000004000 1022171701.937172000 1022171726.415550000 24.478378000 1 3 eth:ipv4:tcp
   00:d0:02:6d:78:00 00:60:08:78:1b:63 0x0800 68.239.17.59 4768 138.212.187.203 6699 6 76 76 0 26384
   0 0 0 0 0.838332 0.322084 3.104781 0 0 -1 0x00 113 17095 0 0`,
  `B 1147 0x0400000200004001 1022171701.939343000 1022171726.416686000 24.477343000 1 3 eth:ipv4:tcp
   00:60:08:78:1b:63 00:d0:02:6d:78:00 0x0800 138.212.187.203 6699 68.239.17.59 4768 6 76 76 26384 0
   11 1132 347.1579 0 0.600271 0.3220703 3.104912 1077.895 0 1 0x01 128 0 76 1`,
].map((r) => record(FLOW_COLS, r));

/** The first lines of the flow file as the first tutorial lists them (flow 260's addresses were
 * read by T2 past the captured bytes: left out). */
const ANNOLOC2_FIRST = [
  "A 59 0x0400000200004000 eth:ipv4:icmp 0 0 1 1 0",
  "A 107 0x0400000200004000 eth:ipv4:udp 8889 2001 17 1 0",
  "A 136 0x0400000000004000 eth:ipv4:tcp 1044 29981 6 1 0",
  "A 191 0x0400000000004000 eth:ipv4:tcp 1068 1863 6 1 0",
  "A 243 0x0400000200004000 eth:ipv4:udp 7778 2009 17 1 0",
  "A 260 - eth:ipv4:ipv6:UNK(168) 0 0 168 1 0",
  "A 102 0x0400000200004000 eth:ipv4:tcp 1174 6020 6 2 2",
  "B 102 0x0400000200004001 eth:ipv4:tcp 6020 1174 6 2 2",
  "A 265 0x0400000000004000 eth:ipv4:tcp 4987 41250 6 1 0",
].map((r) => record("dir flowInd flowStat hdrDesc srcPort dstPort l4Proto pktsSnt pktsRcvd", r));

/** Tutorial "Plugin summary files": pktTcpCnt and winRelThCnt of every address, by ratio. */
const ANNOLOC2_TCPWIN = `72 1.000000 79 0.962025 429 0.489510 52 0.269231 251 0.247012 195 0.246154
  205 0.229268 162 0.203704 315 0.196825 388 0.164948 95 0.157895 140 0.150000 197 0.142132
  235 0.140426 194 0.123711 78 0.115385 74 0.094595 131 0.045802 340 0.041176 847 0.035419
  133 0.030075 87 0.022989 111 0.018018 365 0.016438 62 0.016129 250 0.016000 72 0.013889
  73 0.013699 843 0.011862 92 0.010870 2079 0.009620 114 0.008772 133 0.007519 957 0.005225
  244 0.004098 249 0.004016 719 0.002782 415 0.002410 977 0.002047 538 0.001859 1081 0.001850
  618 0.001618 670 0.001493 1134 0.000882 1332 0.000751 2309 0.000433`;

/** Tutorial "Plugin packet mode": the first packets with tcpWinSize 0 and tcpWinThPktCnt > 0. */
const PKT_COLS =
  "pktNo flowInd flowStat time srcIP srcPort dstIP dstPort l4Proto tcpWinSize tcpWinThPktCnt";
const ANNOLOC2_ZERO_WINDOWS = [
  "521 265 0x0400000000004000 1022171701.709116000 209.171.12.143 4987 138.212.185.230 41250 6 0 1",
  "1159 60 0x0400000000004001 1022171701.720657000 193.87.5.62 62486 138.212.188.178 2100 6 0 1",
  "1167 447 0x0400000000004000 1022171701.721366000 217.41.129.13 58872 138.212.187.186 80 6 0 1",
  "1497 523 0x0400000000004001 1022171701.729052000 138.212.185.150 1207 212.223.121.197 8000 6 0 1",
  "1684 392 0x0400000000004001 1022171701.732313000 138.212.188.67 1214 36.242.181.230 4685 6 0 1",
  "2004 176 0x0400000000004000 1022171701.739385000 216.237.125.166 3507 138.212.184.193 8080 6 0 1",
  "2232 633 0x0400000200004001 1022171701.743464000 138.212.187.203 6699 19.123.222.7 1430 6 0 1",
  "2295 642 0x0400000000004000 1022171701.744654000 138.212.186.160 1217 70.196.57.198 9000 6 0 1",
  "3975 176 0x0400000000004000 1022171701.779710000 216.237.125.166 3507 138.212.184.193 8080 6 0 2",
].map((r) => record(PKT_COLS, r));

if (present(ANNOLOC2)) {
  Deno.test("tutorial captures: annoloc2.pcap, the first tutorial's run", async () => {
    const p = new Problems();
    const out = runList(ANNOLOC2, "flow", false);
    try {
      p.reportHas(out.report, ANNOLOC2_REPORT);
      const want = new Map(ANNOLOC2_FLOWS.map((r) => [`${r.dir} ${r.flowInd}`, r]));
      const got = new Map<string, Record<string, string>>();
      const first: Record<string, string>[] = [];
      let tcpFlows = 0;
      for await (const r of rows(`${out.dir}/${out.stem}_flows.txt`)) {
        if (first.length < ANNOLOC2_FIRST.length) first.push(r);
        if (r.l4Proto === "6") tcpFlows++;
        if (want.has(`${r.dir} ${r.flowInd}`)) got.set(`${r.dir} ${r.flowInd}`, r);
      }
      p.equal("TCP flows (tawk tcp())", tcpFlows, 9985);
      for (const [k, w] of want) p.row(`flow ${k}`, got.get(k), w);
      ANNOLOC2_FIRST.forEach((w, i) => {
        const { flowStat, ...rest } = w;
        p.row(`flow-file row ${i + 1}`, first[i], flowStat === "-" ? rest : w);
      });
      const pairs = Deno.readTextFileSync(`${out.dir}/${out.stem}_tcpwin.txt`).split("\n")
        .filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t").slice(1).join(" "));
      const tutorial = ANNOLOC2_TCPWIN.trim().split(/\s+/);
      const expected = tutorial.filter((_, i) => i % 2 === 0).map((n, i) =>
        `${n} ${tutorial[2 * i + 1]}`
      );
      p.equal("_tcpwin.txt (sorted)", pairs.sort(), expected.sort());
    } finally {
      out.done();
    }
    p.check();
  });

  Deno.test("tutorial captures: annoloc2.pcap in packet mode", async () => {
    const p = new Problems();
    const out = runList(ANNOLOC2, "pkt", true);
    try {
      p.reportHas(out.report, [
        "tcpWin: Aggregated tcpWinStat=0x01",
        "tcpWin: Number of TCP winsize packets below threshold 1: 2415 (2.42 K) [0.25%]",
      ]);
      const found: Record<string, string>[] = [];
      for await (const r of rows(`${out.dir}/${out.stem}_packets.txt`)) {
        if (Number(r.tcpWinThPktCnt) > 0 && r.tcpWinSize === "0") found.push(r);
        if (found.length === ANNOLOC2_ZERO_WINDOWS.length) break;
      }
      ANNOLOC2_ZERO_WINDOWS.forEach((w, i) => p.row(`zero-window packet ${w.pktNo}`, found[i], w));
    } finally {
      out.done();
    }
    p.check();
  });
} else {
  Deno.test({
    name: `tutorial captures: annoloc2.pcap figures ${skipNote("annoloc2.pcap")}`,
    ignore: true,
    fn() {},
  });
}

// Tutorial "Plugin packet mode" on faf-exercise.pcap: the packets of FTP control flow 35.
const FAF_FLOW35 = [
  "1266 0x0400000000004000 1258594162.928342000 49329 21 8192",
  "1267 0x0400000000004001 1258594163.8594000 21 49329 4140",
  "1268 0x0400000000004000 1258594163.9292000 49329 21 64860",
  "1269 0x0400000000004001 1258594163.87792000 21 49329 4140",
  "1270 0x0400000000004000 1258594163.88491000 49329 21 64833",
  "1271 0x0400000000004001 1258594163.166256000 21 49329 4156",
  "1272 0x0400000000004000 1258594163.168693000 49329 21 64761",
  "1273 0x0400000000004001 1258594163.247178000 21 49329 4170",
  "1274 0x0400000000004001 1258594163.247187000 21 49329 4170",
  "1275 0x0400000000004000 1258594163.247637000 49329 21 63790",
  "1276 0x0400000000004000 1258594163.249385000 49329 21 63790",
  "1277 0x0400000000004001 1258594163.327121000 21 49329 4178",
  "1278 0x0400000000004000 1258594163.327845000 49329 21 63770",
  "1279 0x0400000000004001 1258594163.407582000 21 49329 4184",
  "1283 0x0400000000004000 1258594163.487490000 49329 21 63720",
  "1284 0x0400000000004001 1258594163.565990000 21 49329 4208",
  "1285 0x0400000000004000 1258594163.566694000 49329 21 63707",
  "1286 0x0400000000004001 1258594163.644188000 21 49329 4232",
  "1303 0x0400000000004000 1258594163.838277000 49329 21 63653",
  "5898 0x0400000000004001 1258594185.427515000 21 49329 4232",
  "5900 0x0400000000004000 1258594185.618346000 49329 21 63629",
].map((r): Record<string, string> => {
  const w = record("pktNo flowStat time srcPort dstPort tcpWinSize", r);
  return { ...w, flowInd: "35", time: fixedTime(w.time), tcpWinThPktCnt: "0" };
});

// Tutorial "Flow timeout programming" (0.8.11; basicFlow tcpWinTMT txtSink, -s).
const FAF_TMT_REPORT = [
  "Link layer type: Ethernet [EN10MB/1]",
  "Dump start: 1258544215.037210000 sec (Wed 18 Nov 2009 11:36:55 GMT)",
  "Dump stop : 1258594491.683288000 sec (Thu 19 Nov 2009 01:34:51 GMT)",
  "Total dump duration: 50276.646078000 sec (13h 57m 56s)",
  "Percentage completed: 100.00%",
  "Number of processed packets: 5902 (5.90 K)",
  "Number of processed bytes: 4993414 (4.99 M)",
  "Number of raw bytes: 4993414 (4.99 M)",
  "Number of pcap bytes: 5087870 (5.09 M)",
  "Number of IPv4 packets: 5902 (5.90 K) [100.00%]",
  "Number of A packets: 3534 (3.53 K) [59.88%]",
  "Number of B packets: 2368 (2.37 K) [40.12%]",
  "Number of A bytes: 4423242 (4.42 M) [88.58%]",
  "Number of B bytes: 570172 (570.17 K) [11.42%]",
  "<A packet load>: 1251.62 (1.25 K)",
  "<B packet load>: 240.78",
  "tcpWinTMT: Aggregated tcpWinStat=0xdf",
  "tcpWinTMT: Aggregated tcpWinState=0x07",
  "tcpWinTMT: Number of TCP winsize packets below threshold 1: 4 [0.07%]",
  "Headers count: min: 3, max: 3, avg: 3.00",
  "Number of TCP packets: 5902 (5.90 K) [100.00%]",
  "Number of TCP bytes: 4993414 (4.99 M) [100.00%]",
  "Number of processed      flows: 94",
  "Number of processed A    flows: 48 [51.06%]",
  "Number of processed B    flows: 46 [48.94%]",
  "Number of request        flows: 47 [50.00%]",
  "Number of reply          flows: 47 [50.00%]",
  "Total   A/B    flow asymmetry: 0.02",
  "Total req/rply flow asymmetry: 0.00",
  "Number of processed A+B packets/A+B flows: 62.79",
  "Number of processed A   packets/A   flows: 73.62",
  "Number of processed   B packets/  B flows: 51.48",
  "Number of processed total packets/s: 0.12",
  "Number of processed A+B   packets/s: 0.12",
  "Number of processed A     packets/s: 0.07",
  "Number of processed   B   packets/s: 0.05",
  "<Number of processed flows/s>: 0.00",
  "<Raw bandwidth>: 795 b/s",
  "<Bandwidth>: 792 b/s",
  "Max number of flows in memory: 12 [0.00%]",
  "Aggregated flowStat=0x0400000000004000",
  "[INF] IPv4 flows",
];

const TMT_COLS =
  `dir flowInd flowStat timeFirst timeLast duration hdrDesc srcMac dstMac srcIP srcPort
  dstIP dstPort l4Proto tcpWinStat tcpWinState tcpWinThCnt`;
const A_MAC = "00:08:74:38:01:b4";
const B_MAC = "00:19:e3:e7:5d:23";
const FAF_TMT_FLOWS = [
  `A 44 0x0400000000004000 1258594163.408285 1258594164.647755 1.239470 eth:ipv4:tcp ${A_MAC}
   ${B_MAC} 192.168.1.105 49330 143.166.11.10 64334 6 0xd2 0x04 2`,
  `B 44 0x0400000000004001 1258594163.487027 1258594164.647545 1.160518 eth:ipv4:tcp ${B_MAC}
   ${A_MAC} 143.166.11.10 64334 192.168.1.105 49330 6 0x1a 0x04 0`,
  `A 45 0x0400000000004000 1258594165.318635 1258594185.427506 20.108871 eth:ipv4:tcp ${B_MAC}
   ${A_MAC} 143.166.11.10 64334 192.168.1.105 49330 6 0x19 0x04 0`,
  `B 45 0x0400000000004001 1258594165.319087 1258594185.427968 20.108881 eth:ipv4:tcp ${A_MAC}
   ${B_MAC} 192.168.1.105 49330 143.166.11.10 64334 6 0x90 0x02 1`,
  `A 47 0x0400000000004000 1258594191.015208 1258594191.015208 0.000000 eth:ipv4:tcp ${A_MAC}
   ${B_MAC} 192.168.1.105 49330 143.166.11.10 64334 6 0x94 0x04 1`,
].map((r): Record<string, string> => {
  const w = record(TMT_COLS, r);
  return { ...w, timeFirst: ns(w.timeFirst), timeLast: ns(w.timeLast), duration: ns(w.duration) };
});

/** The FTP connection on port 1379, split into flows 10, 11, 13 and 16. */
const FAF_TMT_1379 = [
  "A 10 0x0400000000004000 1258562467.749142 1258562467.900050 0.150908 1379 80 0x1a 0x01 0",
  "B 10 0x0400000000004001 1258562467.754689 1258562467.761692 0.007003 80 1379 0x1a 0x01 0",
  "A 11 0x0400000000004000 1258562477.713894 1258562478.454425 0.740531 1379 80 0x18 0x02 0",
  "B 11 0x0400000000004001 1258562477.772691 1258562478.454017 0.681326 80 1379 0x18 0x02 0",
  "A 13 0x0400000000004000 1258562501.432514 1258562501.432514 0.000000 1379 80 0x10 0x02 0",
  "B 13 0x0400000000004001 1258562501.432305 1258562501.432305 0.000000 80 1379 0x11 0x04 0",
  "A 16 0x0400000000004000 1258562509.633370 1258562509.633370 0.000000 1379 80 0x11 0x04 0",
  "B 16 0x0400000000004001 1258562509.653962 1258562509.653962 0.000000 80 1379 0x10 0x02 0",
].map((r): Record<string, string> => {
  const w = record(
    "dir flowInd flowStat timeFirst timeLast duration srcPort dstPort tcpWinStat tcpWinState tcpWinThCnt",
    r,
  );
  return { ...w, timeFirst: ns(w.timeFirst), timeLast: ns(w.timeLast), duration: ns(w.duration) };
});

/** Packets 1418-1426 around the abort of flow 44. */
const FAF_TMT_PACKETS = [
  "1418 44 0x0400000000004001 1258594164.283567 0x1a 0x01 64860 0 1.000000",
  "1419 44 0x0400000000004000 1258594164.283986 0x12 0x01 2760 0 1.000000",
  "1420 44 0x0400000000004000 1258594164.283988 0x92 0x01 0 1 1.000000",
  "1421 44 0x0400000000004001 1258594164.647545 0x1a 0x01 64860 0 1.000000",
  "1422 44 0x0400000000004000 1258594164.647755 0xd2 0x04 0 2 0.001000",
  "1423 45 0x0400000000004000 1258594165.318635 0x10 0x02 64860 0 1.000000",
  "1424 45 0x0400000000004001 1258594165.319087 0x90 0x02 0 1 1.000000",
  "1425 45 0x0400000000004001 1258594165.848253 0x90 0x02 22080 1 1.000000",
  "1426 45 0x0400000000004001 1258594165.848753 0x90 0x02 64860 1 1.000000",
].map((r): Record<string, string> => {
  const w = record(
    "pktNo flowInd flowStat time tcpWinStat tcpWinState tcpWin tcpWinThCnt flowTmout",
    r,
  );
  return { ...w, time: ns(w.time) };
});

if (present(FAF)) {
  Deno.test("tutorial captures: faf-exercise.pcap, 73 flows with the default timeout", () => {
    const p = new Problems();
    const out = runList(FAF, "base", false);
    try {
      p.reportHas(out.report, ["Number of processed      flows: 73"]);
    } finally {
      out.done();
    }
    p.check();
  });

  Deno.test("tutorial captures: faf-exercise.pcap in packet mode, FTP flow 35", async () => {
    const p = new Problems();
    const out = runList(FAF, "pkt", true);
    try {
      const flow35: Record<string, string>[] = [];
      for await (const r of rows(`${out.dir}/${out.stem}_packets.txt`)) {
        if (r.flowInd === "35") flow35.push(r);
      }
      p.equal("packets of flow 35", flow35.map((r) => r.pktNo), FAF_FLOW35.map((r) => r.pktNo));
      FAF_FLOW35.forEach((w) =>
        p.row(`packet ${w.pktNo}`, flow35.find((r) => r.pktNo === w.pktNo), w)
      );
    } finally {
      out.done();
    }
    p.check();
  });

  Deno.test("tutorial captures: faf-exercise.pcap with tcpWinTMT, 94 flows", async () => {
    const p = new Problems();
    const out = runList(FAF, "tmt", true);
    try {
      p.reportHas(out.report, FAF_TMT_REPORT);
      const flows: Record<string, string>[] = [];
      for await (const r of rows(`${out.dir}/${out.stem}_flows.txt`)) flows.push(r);
      p.equal(
        "flows on port 49330",
        flows.filter((r) => r.srcPort === "49330" || r.dstPort === "49330")
          .map((r) => `${r.dir} ${r.flowInd}`),
        FAF_TMT_FLOWS.map((r) => `${r.dir} ${r.flowInd}`),
      );
      p.equal(
        "flows on port 1379",
        flows.filter((r) => r.srcPort === "1379" || r.dstPort === "1379")
          .map((r) => `${r.dir} ${r.flowInd}`),
        FAF_TMT_1379.map((r) => `${r.dir} ${r.flowInd}`),
      );
      for (const w of [...FAF_TMT_FLOWS, ...FAF_TMT_1379]) {
        p.row(
          `flow ${w.dir} ${w.flowInd}`,
          flows.find((r) => r.dir === w.dir && r.flowInd === w.flowInd),
          w,
        );
      }
      const packets = new Map<string, Record<string, string>>();
      for await (const r of rows(`${out.dir}/${out.stem}_packets.txt`)) {
        if (Number(r.pktNo) >= 1418 && Number(r.pktNo) <= 1426) packets.set(r.pktNo, r);
      }
      for (const w of FAF_TMT_PACKETS) p.row(`packet ${w.pktNo}`, packets.get(w.pktNo), w);
    } finally {
      out.done();
    }
    p.check();
  });
} else {
  Deno.test({
    name: `tutorial captures: faf-exercise.pcap figures ${skipNote("faf-exercise.pcap")}`,
    ignore: true,
    fn() {},
  });
}
