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
      let fellBack = 0;
      for (const c of list) if (await same(c) !== null) fellBack++;
      // Most captures run sharded: the test compares the merge, not only the fallback.
      assert.ok(fellBack < list.length / 4, `${fellBack} of ${list.length} fell back`);
    },
  });
}

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
