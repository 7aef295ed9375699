/**
 * The plugins a run loads without `-b`: T2's default set (issue 14). `DEFAULT_PLUGINS` is T2's
 * list; a run without `-b` writes what T2 0.9.3 writes with it (golden `dflt` of both fixtures)
 * and `--list-settings` shows the default plugins' settings. The end-to-end tests need every
 * plugin of the set built in: until then they are listed and ignored, naming the plugins they
 * wait for (the merge that completes the set makes them run).
 */

import assert from "node:assert/strict";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../plugins/mod.ts";
import { parsePluginList } from "../src/plugin/registry.ts";
import { describe, firstDifference, kindOf } from "../tools/conformance/compare.ts";
import { ANNOLOC, FAF, inTemp, LISTS, readOrNull, REPO, t2 } from "./_cli.ts";

const T2_DEFAULT = parsePluginList(Deno.readTextFileSync(`${LISTS}/dflt.txt`));
const builtin = new Set(BUILTIN_PLUGINS.map((p) => p.name));
const missing = DEFAULT_PLUGINS.filter((n) => !builtin.has(n));
const waiting = missing.length ? ` (ignored: needs the plugins ${missing.join(", ")})` : "";

Deno.test("default set: T2's default plugin list, in plugin-number order", () => {
  assert.deepEqual(DEFAULT_PLUGINS, T2_DEFAULT);
  // the tutorials' plugins stay built in, loaded by -b only
  for (const name of ["tcpWin", "tcpWinTMT"]) {
    assert.ok(builtin.has(name), `${name} is built in`);
    assert.ok(!DEFAULT_PLUGINS.includes(name), `${name} is not a default plugin`);
  }
  const numbers = DEFAULT_PLUGINS.flatMap((n) =>
    BUILTIN_PLUGINS.filter((p) => p.name === n).map((p) => p.number)
  );
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
});

for (const capture of [ANNOLOC, FAF]) {
  const stem = capture.slice(capture.lastIndexOf("/") + 1, -".pcap".length);
  Deno.test({
    name: `default set: t2 -r ${stem}.pcap without -b equals T2's dflt${waiting}`,
    ignore: missing.length > 0,
    async fn() {
      await inTemp(async (dir) => {
        const r = await t2(["-r", capture, "-w", `${dir}/`, "--set", "SUBNET_ON=0"]);
        assert.equal(r.code, 0, r.stderr);
        const ref = `${REPO}/golden/${stem}/dflt/`;
        for (const e of Deno.readDirSync(ref)) {
          if (e.name === "rc") continue;
          const actual = e.name.endsWith("_report.txt") ? r.stdout : readOrNull(`${dir}/${e.name}`);
          assert.notEqual(actual, null, `${e.name} missing`);
          const d = firstDifference(kindOf(e.name), Deno.readTextFileSync(ref + e.name), actual!);
          assert.equal(d, null, d ? describe(e.name, d) : "");
        }
      });
    },
  });
}

/** The `part.NAME` of each `--list-settings` line. */
async function listedSettings(args: string[]): Promise<string[]> {
  const r = await t2(["--list-settings", ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trimEnd().split("\n").map((l) => l.slice(0, l.indexOf("=")));
}

const NEW_SETTINGS = [
  "protoStats.PST_ETH_STAT",
  "protoStats.PST_UDPLITE_STAT",
  "protoStats.PST_SCTP_STAT",
  "protoStats.PST_SUFFIX",
  "protoStats.PST_L2ETHFILE",
  "protoStats.PST_PORTFILE",
  "protoStats.PST_PROTOFILE",
  "macRecorder.MR_MAC_FMT",
  "macRecorder.MR_NPAIRS",
  "macRecorder.MR_MACLBL",
  "macRecorder.MR_MAX_MAC",
  "portClassifier.PBC_NUM",
  "portClassifier.PBC_STR",
  "portClassifier.PBC_CLASSFILE",
  "portClassifier.PBC_UNKNOWN",
];

Deno.test("default set: --list-settings shows protoStats', macRecorder's, portClassifier's settings", async () => {
  await inTemp(async (dir) => {
    const list = `${dir}/list.txt`;
    Deno.writeTextFileSync(list, "protoStats\nmacRecorder\nportClassifier\ntxtSink\n");
    const names = await listedSettings(["-b", list]);
    for (const s of NEW_SETTINGS) assert.ok(names.includes(s), `${s} is listed`);
    assert.ok(!names.some((n) => n.startsWith("tcpWin.")), "tcpWin is not loaded");
  });
});

Deno.test({
  name: `default set: --list-settings without -b lists every default plugin's settings${waiting}`,
  ignore: missing.length > 0,
  async fn() {
    const names = await listedSettings([]);
    for (const s of NEW_SETTINGS) assert.ok(names.includes(s), `${s} is listed`);
    for (const p of BUILTIN_PLUGINS.filter((p) => DEFAULT_PLUGINS.includes(p.name))) {
      for (const s of Object.keys(p.settings ?? {})) {
        assert.ok(names.includes(`${p.name}.${s}`), `${p.name}.${s} is listed`);
      }
    }
  },
});
