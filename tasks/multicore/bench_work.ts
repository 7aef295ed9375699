/**
 * PROTOTYPE (issue 15): runs `shard_work.ts` modes interleaved, `--runs` rounds, one process per
 * run, and prints each mode's median and samples with the load average of each round.
 *
 *     deno run -A tasks/multicore/bench_work.ts --capture yard|many|PATH [--runs N] [-s] MODE...
 *
 * @module
 */

import { parseArgs } from "node:util";
import { benchCapture, median } from "../bench_capture.ts";
import { manyFlowsCapture } from "./bench_whole.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    capture: { type: "string", default: "yard" },
    runs: { type: "string", default: "7" },
    s: { type: "boolean", default: false },
  },
});
const capture = values.capture === "yard"
  ? await benchCapture()
  : values.capture === "many"
  ? await manyFlowsCapture()
  : values.capture!;
const script = new URL("./shard_work.ts", import.meta.url).pathname;
const ms = new Map<string, number[]>();
const cpu = new Map<string, number[]>();
const proc = new Map<string, number[]>();
const loads: string[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  for (const m of positionals) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-check", "--v8-flags=--max-semi-space-size=1", "-A", script, m, capture]
        .concat(values.s ? ["-s"] : []),
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    if (!ms.has(m)) ms.set(m, []);
    ms.get(m)!.push(r.ms);
    if (!cpu.has(m)) cpu.set(m, []);
    cpu.get(m)!.push(r.cpuMs);
    if (!proc.has(m)) proc.set(m, []);
    proc.get(m)!.push(r.procCpuMs);
  }
  loads.push(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
}
console.log(
  `# ${new Date().toISOString()} ${values.capture}${
    values.s ? " -s" : ""
  }, runs ${values.runs}, load (1 min) per round: ${loads.join(" ")}`,
);
console.log("mode\twall_ms\tthread_cpu_ms\tprocess_cpu_ms\twall samples\tthread cpu samples");
for (const [m, v] of ms) {
  const c = cpu.get(m)!;
  console.log(
    `${m}\t${median(v).toFixed(1)}\t${median(c).toFixed(1)}\t${median(proc.get(m)!).toFixed(0)}\t` +
      `${v.map((x) => x.toFixed(0)).join(" ")}\t${c.map((x) => x.toFixed(0)).join(" ")}`,
  );
}
