/**
 * `deno task bench:threads`: `--threads 2` against `--threads 1` of this commit and against
 * commit 6bcb3e6 (issue 15's reference), whole processes, interleaved (every round runs every
 * case and program once, so the drift of a shared machine hits all alike): median wall time,
 * peak RSS and CPU (user + system, all threads), the speed-ups, and the load average.
 *
 *     deno task bench:threads [--runs N] [--cases yard,many,yardS] [--threads 2] [--before DIR]
 *
 * Cases: `yard` (the annoloc yardstick of `deno task bench`), `many` (gen-manyflows.mjs:
 * 1 M packets, 200 k directional flows), `yardS` (the yardstick with `-s`); plugin list
 * `flow`, `--set SUBNET_ON=0`. 6bcb3e6 runs from a worktree at /tmp/base6 (made when
 * missing), started as its `deno task bench` did; this commit runs its bundle `dist/t2.js`
 * (built first) with the `t2` task's flags. `--before DIR` adds the bundle of an earlier build
 * (`DIR/dist/`, a copy of `dist/` made before a change) with `--threads 1` and N.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchCapture, manyFlowsBenchCapture, median } from "./bench_capture.ts";
import { loadAverage, type ProcessSample, timedDeno } from "./bench_process.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";

const root = new URL("../", import.meta.url).pathname;
const deno = Deno.execPath();
const BASE = "/tmp/base6";

interface Program {
  readonly cwd: string;
  readonly args: string[];
}

/** `deno` with program `p` and `rest`, timed; a run that fell back to one thread is an error. */
async function timed(p: Program, rest: string[]): Promise<ProcessSample> {
  const sample = await timedDeno([...p.args, ...rest], p.cwd);
  if (sample.stderr.includes("[INF] --threads")) {
    throw new Error(`fell back to one thread:\n${sample.stderr}`);
  }
  return sample;
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "7" },
    cases: { type: "string", default: "yard,many,yardS" },
    threads: { type: "string", default: "2" },
    before: { type: "string" },
  },
});
if (!existsSync(BASE)) {
  await new Deno.Command("git", { args: ["worktree", "add", BASE, "6bcb3e6"], cwd: root })
    .output();
}
await new Deno.Command(deno, { args: ["task", "bundle"], cwd: root }).output();
const yard = await benchCapture();
const many = await manyFlowsBenchCapture();
const cases: Record<string, string[]> = {
  yard: ["-r", yard],
  many: ["-r", many],
  yardS: ["-r", yard, "-s"],
};
const n = values.threads!;
const flags = t2TaskFlags();
const programs: Record<string, Program> = {
  base6: {
    cwd: BASE,
    args: ["run", "--no-check", "--unstable-bundle", "--v8-flags=--max-semi-space-size=1"]
      .concat(["--allow-read", "--allow-write", "--allow-env", "main.ts"]),
  },
  t1: { cwd: root, args: [...flags, "dist/t2.js", "--threads", "1"] },
  [`t${n}`]: { cwd: root, args: [...flags, "dist/t2.js", "--threads", n] },
};
// --before DIR: the bundle of an earlier build (DIR/dist, copied there) with the same threads.
if (values.before) {
  for (const t of ["1", n]) {
    programs[`before${t}`] = {
      cwd: root,
      args: [...flags, `${values.before}/dist/t2.js`, "--threads", t],
    };
  }
}
const runs = Number(values.runs);
const out = Deno.makeTempDirSync({ prefix: "t2ts-bench-threads-" });
const common = ["-w", `${out}/`, "-b", `${root}golden/lists/flow.txt`, "--set", "SUBNET_ON=0"];
const samples = new Map<string, ProcessSample[]>();
const loads = [loadAverage()];
try {
  for (const p of Object.values(programs)) await timed(p, ["-r", yard, ...common]); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const c of values.cases!.split(",")) {
      for (const [name, p] of Object.entries(programs)) {
        const key = `${c}\t${name}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key)!.push(await timed(p, [...cases[c], ...common]));
      }
    }
    loads.push(loadAverage());
  }
} finally {
  Deno.removeSync(out, { recursive: true });
}

const cpus = navigator.hardwareConcurrency;
console.log(
  `# ${new Date().toISOString()}  ${cpus} cores  runs ${runs}  load: ${loads.join(" | ")}`,
);
console.log("case\tprogram\tmedian_s\tspeed-up vs base6\tvs t1\tpeak_rss_MiB\tcpu_s\tsamples_s");
const med = (k: string, f: (s: ProcessSample) => number) => median(samples.get(k)!.map(f));
for (const [k, s] of samples) {
  const c = k.split("\t")[0];
  const sec = med(k, (x) => x.sec);
  console.log(
    `${k}\t${sec.toFixed(3)}\t${(med(`${c}\tbase6`, (x) => x.sec) / sec).toFixed(2)}x\t` +
      `${(med(`${c}\tt1`, (x) => x.sec) / sec).toFixed(2)}x\t` +
      `${med(k, (x) => x.rssMiB).toFixed(1)}\t${med(k, (x) => x.cpu).toFixed(2)}\t` +
      s.map((x) => x.sec.toFixed(2)).join(" "),
  );
}
