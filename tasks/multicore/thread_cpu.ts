/**
 * PROTOTYPE (issue 15): CPU time of each thread of a command (Linux), sampled from
 * /proc/PID/task every 5 ms until it exits: the main thread (`deno`), workers (`worker-N`),
 * V8's background threads (compilers, GC: `v8-bg`) and the runtime's (`tokio`). On a shared
 * machine this says how much work each thread did, whatever the wall time was.
 *
 *     deno run -A tasks/multicore/thread_cpu.ts [--runs N] -- deno run ... ARGS
 *
 * Prints per run: wall ms and CPU ms per thread class; then the medians.
 *
 * @module
 */

import { median } from "../bench_capture.ts";

const sep = Deno.args.indexOf("--");
const opts = Deno.args.slice(0, sep);
const cmd = Deno.args.slice(sep + 1);
const runs = Number(opts[opts.indexOf("--runs") + 1] ?? 1) || 1;

function sample(pid: number, last: Map<string, [string, number]>): boolean {
  try {
    for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        const comm = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/comm`).trim();
        const stat = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/stat`);
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        last.set(t.name, [comm, (Number(f[11]) + Number(f[12])) * 10]);
      } catch { /* thread ended */ }
    }
    return true;
  } catch {
    return false;
  }
}

const all = new Map<string, number[]>();
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const child = new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" })
    .spawn();
  const last = new Map<string, [string, number]>();
  let done = false;
  child.status.then(() => done = true);
  while (!done) {
    sample(child.pid, last);
    await new Promise((r) => setTimeout(r, 5));
  }
  const wall = performance.now() - t0;
  const by = new Map<string, number>([["wall", Math.round(wall)]]);
  for (const [comm, ms] of last.values()) {
    const k = comm.startsWith("V8") ? "v8-bg" : comm.startsWith("tokio") ? "tokio" : comm;
    by.set(k, (by.get(k) ?? 0) + ms);
  }
  let total = 0;
  for (const [k, v] of by) if (k !== "wall") total += v;
  by.set("cpu", total);
  console.log([...by].map(([k, v]) => `${k} ${v}`).join(", "));
  for (const [k, v] of by) {
    if (!all.has(k)) all.set(k, []);
    all.get(k)!.push(v);
  }
}
console.log("median: " + [...all].map(([k, v]) => `${k} ${median(v)}`).join(", "));
