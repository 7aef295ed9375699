/**
 * `t2 --threads N` end to end (child processes): the option reaches the run, a sharded run
 * writes what one thread writes, and the runs that need one thread say so in one line.
 */

import * as assert from "node:assert/strict";
import { ANNOLOC, FAF, inTemp, LISTS, t2 } from "./_cli.ts";

Deno.test("t2 --threads 2 -s with the flow set writes what --threads 1 writes, silently", async () => {
  await inTemp(async (dir) => {
    const args = ["-r", ANNOLOC, "-b", `${LISTS}/flow.txt`, "-s", "--set", "SUBNET_ON=0"];
    const one = await t2([...args, "-w", `${dir}/one/`, "--threads", "1"]);
    const two = await t2([...args, "-w", `${dir}/two/`, "--threads", "2"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(two.stderr, "");
    for (const f of ["_flows.txt", "_packets.txt", "_tcpwin.txt"]) {
      const a = Deno.readTextFileSync(`${dir}/one/annoloc-small${f}`);
      assert.ok(a.length > 0);
      assert.equal(Deno.readTextFileSync(`${dir}/two/annoloc-small${f}`), a, f);
    }
  });
});

Deno.test("t2 --threads 2 with T2's default set, or from stdin, runs one thread and says why", async () => {
  await inTemp(async (dir) => {
    const dflt = await t2(["-r", FAF, "-w", `${dir}/d/`, "--threads", "2"]);
    assert.equal(dflt.code, 0, dflt.stderr);
    assert.match(
      dflt.stderr,
      /^\[INF\] --threads 2: tcpFlags prints window-scale .*; icmpDecode prints .*; connStat counts .*: one thread\n$/,
    );
    const stdin = await t2([
      "-r",
      "-",
      "-w",
      `${dir}/s/`,
      "-b",
      `${LISTS}/flow.txt`,
      "--threads",
      "3",
    ], {
      stdin: FAF,
    });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stderr, /^\[INF\] --threads 3: standard input is read once: one thread\n$/);
  });
});
