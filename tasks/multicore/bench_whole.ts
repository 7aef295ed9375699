/**
 * Whole-process wall time and peak RSS of several programs on the multicore benchmarks
 * (issue 15), interleaved: every round runs every (case, program) once, so that drift of a
 * shared machine hits all of them alike. Prints medians, every sample and the load average.
 *
 *     deno run -A tasks/multicore/bench_whole.ts [--runs N] [--cases a,b] [--programs x,y]
 *
 * Programs:
 *  - `base6`: commit 6bcb3e6 (the reference), started as its `deno task bench` did
 *    (`deno run <its t2 flags> main.ts`, which runs its bundle dist/t2.js); needs
 *    `git worktree add /tmp/base6 6bcb3e6` (the script makes it when missing);
 *  - `main`: this worktree's bundle `dist/t2.js` (`deno task bundle` first), with the flags of
 *    its `t2` task, as `deno task bench` runs it;
 *  - `proto1`, `proto2`: the sharding prototype (`tasks/multicore/proto_main.ts`, bundled by
 *    `tasks/multicore/bundle.sh`) with 1 and 2 shards (design b: every worker reads the file),
 *    `protoR2`: the reader copies records into a ring (design a), `protoZ1`..`protoZ3`: the
 *    reader reads into shared chunks and hands out descriptors (design a without copies).
 *
 * Cases: `yard` (the annoloc yardstick, plugin list `flow`), `many` (gen-manyflows.mjs, 1 M
 * packets, 200 k directional flows), `yardS` (the yardstick with `-s`). All with
 * `--set SUBNET_ON=0`, as `deno task bench`.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchCapture, median } from "../bench_capture.ts";
import { t2TaskFlags } from "../../tests/_support/t2_task.ts";

const root = new URL("../../", import.meta.url).pathname;
const deno = Deno.execPath();
const BASE = "/tmp/base6";

/** The many-flows capture of the issue, generated into .bench-cache/ when missing. */
export async function manyFlowsCapture(): Promise<string> {
  const out = `${root}.bench-cache/manyflows-1M.pcap`;
  if (existsSync(out)) return out;
  Deno.mkdirSync(`${root}.bench-cache`, { recursive: true });
  const gen = `${root}../shared/tools/gen-manyflows.mjs`;
  const { code } = await new Deno.Command("node", { args: [gen, `${out}.part`] }).output();
  if (code !== 0) throw new Error("gen-manyflows.mjs failed");
  Deno.renameSync(`${out}.part`, out);
  return out;
}

interface Program {
  cwd: string;
  /** Arguments of `deno` up to the program's own options. */
  args: string[];
  env?: Record<string, string>;
}

function programs(): Record<string, Program> {
  const flags = t2TaskFlags();
  // The prototype's bundles (tasks/multicore/bundle.sh), started like the program's bundle.
  const proto = (extra: string[]) => ({
    cwd: root,
    args: ["run", "--no-check", "--v8-flags=--max-semi-space-size=1", "-A", "dist/proto_main.js"]
      .concat(extra),
    env: { PROTO_WORKER: `file://${root}dist/proto_worker.js` },
  });
  return {
    base6: {
      cwd: BASE,
      args: [
        "run",
        "--no-check",
        "--unstable-bundle",
        "--v8-flags=--max-semi-space-size=1",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "main.ts",
      ],
    },
    main: { cwd: root, args: [...flags, "dist/t2.js"] },
    proto1: proto(["--shards", "1"]),
    proto2: proto(["--shards", "2"]),
    protoR2: proto(["--shards", "2", "--ring"]),
    protoZ1: proto(["--shards", "1", "--zring"]),
    protoZ2: proto(["--shards", "2", "--zring"]),
    protoZ3: proto(["--shards", "3", "--zring"]),
  };
}

interface Sample {
  sec: number;
  rssKiB: number;
  /** User + system CPU seconds of the whole process (all threads). */
  cpu: number;
}

async function timed(p: Program, rest: string[]): Promise<Sample> {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M %U %S", deno, ...p.args, ...rest],
    cwd: p.cwd,
    env: p.env,
    stdout: "null",
    stderr: "piped",
  }).output();
  const sec = (performance.now() - t0) / 1000;
  const err = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`run failed (${p.args.join(" ")} ${rest.join(" ")}):\n${err}`);
  const [rss, user, sys] = err.split("\n").at(-1)!.split(" ").map(Number);
  return { sec, rssKiB: rss, cpu: user + sys };
}

function load(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "7" },
      cases: { type: "string", default: "yard,many,yardS" },
      programs: { type: "string", default: "base6,main" },
    },
  });
  if (!existsSync(BASE)) {
    await new Deno.Command("git", { args: ["worktree", "add", BASE, "6bcb3e6"], cwd: root })
      .output();
  }
  const yard = await benchCapture();
  const many = await manyFlowsCapture();
  const cases: Record<string, string[]> = {
    yard: ["-r", yard],
    many: ["-r", many],
    yardS: ["-r", yard, "-s"],
  };
  const all = programs();
  const names = values.programs!.split(",");
  const caseNames = values.cases!.split(",");
  const runs = Number(values.runs);
  const outDir = Deno.makeTempDirSync({ prefix: "t2ts-mc-" });
  const samples = new Map<string, Sample[]>();
  const loads: string[] = [load()];
  try {
    // One warm-up run each (base6 builds its bundle on the first run).
    for (const n of names) {
      await timed(
        all[n],
        ["-r", yard, "-w", `${outDir}/`, "-b", `${root}golden/lists/flow.txt`]
          .concat(["--set", "SUBNET_ON=0"]),
      );
    }
    for (let i = 0; i < runs; i++) {
      for (const c of caseNames) {
        for (const n of names) {
          const s = await timed(
            all[n],
            [...cases[c], "-w", `${outDir}/`, "-b", `${root}golden/lists/flow.txt`]
              .concat(["--set", "SUBNET_ON=0"]),
          );
          const k = `${c}\t${n}`;
          if (!samples.has(k)) samples.set(k, []);
          samples.get(k)!.push(s);
        }
      }
      loads.push(load());
    }
  } finally {
    Deno.removeSync(outDir, { recursive: true });
  }
  console.log(`# ${new Date().toISOString()}  runs ${runs}  load averages: ${loads.join(" | ")}`);
  console.log("case\tprogram\tmedian_s\tmedian_rss_mib\tmedian_cpu_s\tsamples_s\tsamples_rss_mib");
  for (const [k, s] of samples) {
    console.log(
      `${k}\t${median(s.map((x) => x.sec)).toFixed(3)}\t` +
        `${(median(s.map((x) => x.rssKiB)) / 1024).toFixed(1)}\t` +
        `${median(s.map((x) => x.cpu)).toFixed(2)}\t` +
        `${s.map((x) => x.sec.toFixed(3)).join(" ")}\t` +
        `${s.map((x) => (x.rssKiB / 1024).toFixed(0)).join(" ")}`,
    );
  }
}
