/**
 * Start-up of the installed `t2` against the bundle started directly and `deno task -q t2`:
 *
 *     deno run -A tasks/bench_install.ts [--runs N]
 *
 * Installs into a temporary root (`deno task install --root`), then times, interleaved, `-V`
 * and a run of the small fixture (plugin list `flow`) three ways, and prints the medians
 * (docs/startup.md).
 *
 * @module
 */

import { t2TaskFlags } from "../tests/_support/t2_task.ts";

const repo = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const runsAt = Deno.args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(Deno.args[runsAt + 1]) : 15;
const root = Deno.makeTempDirSync({ prefix: "t2ts_bench_install_" });
const out = `${root}/out/`;
try {
  const installed = new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "install", "--root", root],
    cwd: repo,
    stdout: "null",
  }).outputSync();
  if (installed.code !== 0) throw new Error("deno task install failed");

  const variants: [string, string, string[]][] = [
    ["installed t2", `${root}/bin/t2`, []],
    ["deno run ... dist/t2.js", Deno.execPath(), [...t2TaskFlags(), `${repo}/dist/t2.js`]],
    ["deno task -q t2 (sources)", Deno.execPath(), [
      "task",
      "-q",
      "--config",
      `${repo}/deno.json`,
      "t2",
    ]],
  ];
  const cases = [
    ["-V"],
    ["-r", `${repo}/fixtures/faf-small.pcap`, "-w", out, "-b", `${repo}/golden/lists/flow.txt`],
  ];
  const median = (a: number[]) => a.toSorted((x, y) => x - y)[a.length >> 1];
  for (const args of cases) {
    const times: number[][] = variants.map(() => []);
    for (let r = 0; r < runs; r++) {
      for (const [i, [name, cmd, pre]] of variants.entries()) {
        const t0 = performance.now();
        const o = new Deno.Command(cmd, { args: [...pre, ...args], stdout: "null", stderr: "null" })
          .outputSync();
        times[i].push(performance.now() - t0);
        if (o.code !== 0) throw new Error(`${name} ${args.join(" ")} failed`);
      }
    }
    console.log(`t2 ${args[0]} ... (median of ${runs} interleaved runs)`);
    for (const [i, [name]] of variants.entries()) {
      console.log(`  ${name.padEnd(28)} ${median(times[i]).toFixed(0)} ms`);
    }
  }
} finally {
  Deno.removeSync(root, { recursive: true });
}
