/**
 * `--jobs N`: several captures processed in parallel on workers give, for each capture, the
 * outputs of a run on that capture alone, and one summary line per capture on stdout.
 */

import assert from "node:assert/strict";
import { ANNOLOC, FAF, inTemp, LISTS, readOrNull, REPO, t2 } from "./_cli.ts";
import { describe, firstDifference, kindOf } from "../tools/conformance/compare.ts";

const NO_GEO = ["--set", "SUBNET_ON=0"];
/** An explicit plugin list (`flow`) for tests about other things than the default set. */
const FLOW = ["-b", `${LISTS}/flow.txt`];
const SUMMARY = /^(\S+): exit (\d+), (\d+) packets, (\d+) flows, \d+\.\d\d s, (\S+)_\*$/;

function files(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("batch: --jobs 2 writes for each capture what a run on it alone writes", async () => {
  await inTemp(async (dir) => {
    const common = ["-b", `${LISTS}/flow.txt`, "-s", ...NO_GEO];
    const batch = await t2(["--jobs", "2", "-r", ANNOLOC, "-r", FAF, "-w", `${dir}/b/`, ...common]);
    assert.equal(batch.code, 0, batch.stderr);
    for (const f of [ANNOLOC, FAF]) {
      const single = await t2(["-r", f, "-w", `${dir}/s/`, "-l", ...common]);
      assert.equal(single.code, 0, single.stderr);
    }
    assert.deepEqual(files(`${dir}/b`), files(`${dir}/s`));
    assert.equal(files(`${dir}/b`).length, 10); // flows headers packets tcpwin log, twice
    for (const name of files(`${dir}/b`)) {
      const a = Deno.readTextFileSync(`${dir}/b/${name}`);
      const b = Deno.readTextFileSync(`${dir}/s/${name}`);
      const kind = name.endsWith("_log.txt") ? "report" : kindOf(name);
      const d = firstDifference(kind, b, a);
      assert.equal(d, null, d ? describe(name, d) : "");
    }
    // ... which is T2's output (golden, the real T2 0.9.3's) for these captures.
    for (const stem of ["annoloc-small", "faf-small"]) {
      const ref = `${REPO}/golden/${stem}/flow-s/`;
      for (const e of Deno.readDirSync(ref)) {
        if (e.name === "rc") continue;
        const mine = e.name.endsWith("_report.txt") ? `${stem}_log.txt` : e.name;
        const d = firstDifference(
          kindOf(e.name),
          Deno.readTextFileSync(ref + e.name),
          readOrNull(`${dir}/b/${mine}`) ?? "",
        );
        assert.equal(d, null, d ? describe(e.name, d) : "");
      }
    }
    // One summary line per capture, in command-line order.
    const lines = batch.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    const m = lines.map((l) => SUMMARY.exec(l));
    assert.ok(m[0] && m[1], batch.stdout);
    assert.deepEqual(m.map((x) => [x![1], x![2], x![5]]), [
      [ANNOLOC, "0", `${dir}/b/annoloc-small`],
      [FAF, "0", `${dir}/b/faf-small`],
    ]);
    const log = Deno.readTextFileSync(`${dir}/b/faf-small_log.txt`);
    assert.ok(log.includes(`Number of processed packets: ${m[1]![3]} (`));
  });
});

Deno.test("batch: a capture that fails does not stop the others; the exit code is 1", async () => {
  await inTemp(async (dir) => {
    const r = await t2([
      "--jobs",
      "2",
      "-r",
      `${dir}/missing.pcap`,
      "-r",
      FAF,
      "-r",
      ANNOLOC,
      "-w",
      `${dir}/`,
      ...FLOW,
      ...NO_GEO,
    ]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0], /missing\.pcap: exit 1, 0 packets, 0 flows/);
    assert.match(lines[1], SUMMARY);
    assert.match(lines[2], SUMMARY);
    assert.match(
      r.stderr,
      /missing\.pcap: \[ERR\] Cannot read capture ".*missing\.pcap": no such file/,
    );
    assert.ok(readOrNull(`${dir}/annoloc-small_flows.txt`));
  });
});

Deno.test("batch: two captures with the same name, or -w not a directory, are errors", async () => {
  await inTemp(async (dir) => {
    Deno.mkdirSync(`${dir}/a`);
    Deno.mkdirSync(`${dir}/b`);
    Deno.copyFileSync(FAF, `${dir}/a/x.pcap`);
    Deno.copyFileSync(FAF, `${dir}/b/x.pcapng`);
    const same = await t2([
      "--jobs",
      "2",
      "-r",
      "a/x.pcap",
      "-r",
      "b/x.pcapng",
      "-w",
      "out/",
      ...FLOW,
    ], {
      cwd: dir,
    });
    assert.equal(same.code, 1);
    assert.equal(same.stdout, "Try 't2 -h' for more information.\n");
    assert.equal(
      same.stderr.trimEnd(),
      "[ERR] Cannot process captures in parallel: 'a/x.pcap' and 'b/x.pcapng' would both write out/x_*",
    );
    const notDir = await t2(["--jobs", "2", "-r", "a/x.pcap", "-w", "prefix", ...FLOW], {
      cwd: dir,
    });
    assert.equal(notDir.code, 1);
    assert.match(notDir.stderr, /-w prefix is not a directory \(use -w prefix\/\)/);
  });
});
