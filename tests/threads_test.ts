/**
 * `--threads N` writes exactly what one thread writes (issue 15): every golden case, fixture,
 * shared capture (../shared/captures and wide/, skipped with a message when absent) and a
 * fixed sample of fuzz inputs, run in process with one thread and with 2 (and 3) shard
 * workers: every output file, the report (without its run-specific lines), stderr and the
 * exit code. Runs the flow set that shards (basicFlow basicStats tcpWin portClassifier
 * txtSink) and the golden sets (those whose plugins need one thread fall back, and say so).
 */

import * as assert from "node:assert/strict";
import { GOLDEN_LISTS, goldenCases, setPlugins, SETS } from "../tools/conformance/cases.ts";
import { loadCorpus } from "../tools/fuzz/corpus.ts";
import { makeInput } from "../tools/fuzz/round.ts";
import { PLUGIN_SETS } from "../tools/fuzz/target.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { selectPlugins } from "../src/plugin/registry.ts";
import { runDifference, runThreads } from "./_support/threads.ts";
import { boom } from "./_support/failing_shard_worker.ts";
import { runAsync } from "../src/core/run.ts";
import { MemorySink } from "../src/output/byte_writer.ts";
import { pcap, type PcapPacket, udpFrame } from "./_support/capture_builder.ts";

const FLOW = selectPlugins(BUILTIN_PLUGINS, [
  "basicFlow",
  "portClassifier",
  "basicStats",
  "tcpWin",
  "txtSink",
]);
const SHARED = new URL("../../shared/captures/", import.meta.url).pathname;
const FIXTURES = ["fixtures/annoloc-small.pcap", "fixtures/faf-small.pcap"];

/** Captures of a folder (sorted), or [] when it is not there. */
function captures(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)]
      .filter((e) => e.isFile && /\.(pcap|pcapng|cap|dmp|gz|zst)$/.test(e.name))
      .map((e) => dir + e.name)
      .sort();
  } catch {
    return [];
  }
}

/** One thread against `threads`; returns the `[INF]` line of a fallback to one thread, or null. */
async function same(
  capture: string,
  plugins = FLOW,
  packetMode = true,
  threads = 2,
  extra = {},
): Promise<string | null> {
  const one = await runThreads(capture, plugins, packetMode, 1, extra);
  const many = await runThreads(capture, plugins, packetMode, threads, extra);
  const d = runDifference(one, many);
  if (d) throw new Error(`${capture} (--threads ${threads}${packetMode ? " -s" : ""}): ${d}`);
  return many.fallback;
}

Deno.test("threads: the fixtures shard (no fallback) and equal one thread, 2 and 3, -s or not", async () => {
  for (const f of FIXTURES) {
    for (const s of [true, false]) {
      for (const n of [2, 3]) assert.equal(await same(f, FLOW, s, n), null, f);
    }
  }
});

Deno.test("threads: lines formatted in the shards split like one thread's (-W); values to two sinks", async () => {
  const split = { settings: [{ part: "txtSink", name: "TFS_SPLIT_SIZE", value: "5000" }] };
  for (const n of [2, 3]) assert.equal(await same(FIXTURES[0], FLOW, true, n, split), null);
  // Two sinks: the lines go to the main thread as values, and each sink formats them.
  const json = selectPlugins(BUILTIN_PLUGINS, [
    "basicFlow",
    "basicStats",
    "tcpWin",
    "txtSink",
    "jsonSink",
  ]);
  assert.equal(await same(FIXTURES[1], json, false, 2), null);
});

Deno.test("threads: every golden case equals one thread with --threads 2", async () => {
  for (const c of goldenCases()) {
    const plugins = selectPlugins(BUILTIN_PLUGINS, setPlugins(c.set, GOLDEN_LISTS));
    await same(c.capture, plugins, SETS[c.set].packetMode, 2);
  }
});

for (const [name, dir] of [["captures", SHARED], ["captures/wide", SHARED + "wide/"]]) {
  const list = captures(dir);
  Deno.test({
    name: `threads: ../shared/${name} equal one thread with --threads 2 -s` +
      (list.length ? ` (${list.length} captures)` : " (ignored: ../shared is not there)"),
    ignore: list.length === 0,
    async fn() {
      const reasons = new Map<string, number>();
      for (const c of list) {
        const why = await same(c);
        if (why !== null) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
      const fellBack = [...reasons.values()].reduce((a, b) => a + b, 0);
      console.log(`${list.length - fellBack} of ${list.length} sharded; one thread:`, reasons);
      // Most captures run sharded: the test compares the merge, not only the fallback.
      assert.ok(fellBack < list.length / 4, `${fellBack} of ${list.length} fell back`);
    },
  });
}

/** T2's default set without the plugins that need every flow in one thread (oneThread). */
const DEFAULT_SHARDED = selectPlugins(BUILTIN_PLUGINS, [
  "basicFlow",
  "macRecorder",
  "portClassifier",
  "basicStats",
  "tcpStates",
  "protoStats",
  "txtSink",
]);

Deno.test("threads: the default set's plugins with merge hooks equal one thread on the fixtures", async () => {
  for (const n of [2, 3]) {
    // faf-small shards; in annoloc-small a later fragment keeps a flow past tcpStates' short
    // timeouts, which sends the run back to one thread (still compared).
    assert.equal(await same(FIXTURES[1], DEFAULT_SHARDED, false, n), null);
    assert.match(String(await same(FIXTURES[0], DEFAULT_SHARDED, false, n)), /later IPv4 fragment/);
  }
});

Deno.test({
  name: "threads: ../shared/captures equal one thread with the default set's sharded plugins, -s",
  ignore: captures(SHARED).length === 0,
  async fn() {
    const reasons = new Map<string, number>();
    for (const c of captures(SHARED)) {
      const why = await same(c, DEFAULT_SHARDED, true, 2);
      if (why !== null) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }
    const fellBack = [...reasons.values()].reduce((a, b) => a + b, 0);
    console.log(`${captures(SHARED).length - fellBack} sharded; one thread:`, reasons);
    assert.ok(fellBack < captures(SHARED).length / 4, `${fellBack} fell back`);
  },
});

Deno.test({
  name: "threads: ../shared/captures equal one thread with --threads 3, without -s",
  ignore: captures(SHARED).length === 0,
  async fn() {
    for (const c of captures(SHARED)) await same(c, FLOW, false, 3);
  },
});

Deno.test("threads: a fixed sample of fuzz inputs equals one thread with --threads 2", async () => {
  const corpus = loadCorpus("all");
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-threads-fuzz-" });
  try {
    for (let i = 0; i < 60; i++) {
      const input = makeInput(15, i, corpus);
      const path = `${dir}/fuzz-${i}.pcap`;
      Deno.writeFileSync(path, input.bytes);
      const set = PLUGIN_SETS[input.config.set];
      const plugins = selectPlugins(BUILTIN_PLUGINS, set.plugins);
      await same(path, plugins, set.packetMode, 2, {
        settings: input.config.settings,
        hashFactor: input.config.hashFactor,
      });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("threads: a shard that throws ends the run with one error; no output looks complete", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-threads-fail-" });
  const lines: string[] = [];
  try {
    const r = await runAsync({
      inputs: [FIXTURES[0]],
      inputName: FIXTURES[0],
      outputPrefix: dir + "/",
      plugins: [...selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "txtSink"]), boom],
      settings: [{ name: "SUBNET_ON", value: "0" }],
      packetMode: true,
      commandLine: "t2",
      reportSink: new MemorySink(),
      stderr: (l) => lines.push(l),
      threads: 2,
      shardWorker: new URL("./_support/failing_shard_worker.ts", import.meta.url),
    });
    assert.equal(r.exitCode, 1);
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0],
      /^\[ERR\] fixtures\/annoloc-small\.pcap: a shard failed at packet \d+: boom at 50$/,
    );
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.ok(files.includes("annoloc-small_flows.txt.incomplete"), files.join(" "));
    assert.ok(files.includes("annoloc-small_packets.txt.incomplete"), files.join(" "));
    assert.ok(!files.includes("annoloc-small_flows.txt"), files.join(" "));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** `n` UDP conversations between distinct hosts, each a few packets apart, over `seconds`. */
function conversations(n: number, seconds: number, back: boolean): PcapPacket[] {
  const packets: PcapPacket[] = [];
  let t = 1_000_000;
  for (let i = 0; i < 6 * n; i++) {
    const k = (i * 7919) % n;
    const c = {
      src: `10.${k >> 8}.${k & 255}.1`,
      dst: `10.99.${k & 255}.2`,
      sport: 1000 + k,
      dport: 53,
    };
    const reply = i % 3 === 1;
    const conv = reply ? { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport } : c;
    t += seconds / (6 * n);
    // One packet from the past: its flow goes to the head of the list with an old time.
    const sec = back && i === 3 * n ? t - 500 : t;
    packets.push({
      sec: Math.floor(sec),
      ns: Math.floor((sec % 1) * 1e6) * 1000,
      data: udpFrame(conv),
    });
  }
  return packets;
}

async function builtCapture(packets: PcapPacket[], f: (path: string) => Promise<void>) {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-threads-built-" });
  try {
    const path = `${dir}/built.pcap`;
    Deno.writeFileSync(path, pcap(packets));
    await f(path);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("threads: flows timing out across shards are written in one thread's order", async () => {
  // 300 conversations over 2000 s: most pairs end by the 182 s timeout while others go on.
  await builtCapture(conversations(300, 2000, false), async (path) => {
    for (const n of [2, 3]) {
      for (const s of [true, false]) assert.equal(await same(path, FLOW, s, n), null);
    }
  });
});

Deno.test("threads: time going back falls back to one thread, says so, and writes the same", async () => {
  await builtCapture(conversations(300, 2000, true), async (path) => {
    assert.match(
      (await same(path, FLOW, true, 2))!,
      /^\[INF\] --threads 2: time goes back: one thread$/,
    );
  });
});

Deno.test("threads: a full flow table (the hash autopilot) falls back to one thread", async () => {
  // One more one-packet flow than one thread's table holds (262144 with -f 1).
  const frame = udpFrame({ src: "10.0.0.1", dst: "10.0.0.2", sport: 1, dport: 2 });
  const packets: PcapPacket[] = [];
  for (let i = 0; i < 262144 + 10; i++) {
    const d = frame.slice();
    d[26 + 2] = (i >> 8) & 255; // source address, bytes 3 and 4: a new host pair each time
    d[26 + 3] = i & 255;
    d[26 + 1] = (i >> 16) & 255;
    packets.push({ sec: 1_000_000, ns: i * 1000, data: d });
  }
  await builtCapture(packets, async (path) => {
    const plugins = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "txtSink"]);
    assert.match((await same(path, plugins, false, 2))!, /flow table is full: one thread$/);
  });
});

Deno.test("threads: tcpWinTMT's own timeouts (several timeout handlers) equal one thread", async () => {
  const tmt = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "tcpWinTMT", "txtSink"]);
  assert.equal(await same(FIXTURES[1], tmt, true, 2), null);
  await builtCapture(conversations(300, 2000, false), async (path) => {
    assert.equal(await same(path, tmt, false, 3), null);
  });
  for (const c of captures(SHARED)) await same(c, tmt, true, 2);
});
