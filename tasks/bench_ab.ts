/**
 * Before/after figures of a change: whole processes of saved bundles on the yardstick,
 * interleaved, medians of CPU time (steadier than wall time on a shared machine), wall time
 * and peak RSS, with the load average during the runs.
 *
 *     deno task bundle && cp dist/t2.js /tmp/before.js   # then change the code
 *     deno task bundle && cp dist/t2.js /tmp/after.js
 *     deno run --no-check -A tasks/bench_ab.ts [--runs N] [--set flow|dflt|both] \
 *       before=/tmp/before.js after=/tmp/after.js
 *
 * Each round runs every bundle with the flow set (`-b golden/lists/flow.txt`) and/or the
 * default set (no `-b`), `--set SUBNET_ON=0`, as `bench:dflt` does; the output is checked to
 * be the same files for every bundle (a change meant to be faster must not change a byte).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { benchCapture, median } from "./bench_capture.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";
import { loadAverage, medianRoundRatio, type ProcessSample, timedDeno } from "./bench_process.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

/** Bytes of every file in `dir`, by name (the run's outputs, to compare between bundles). */
function outputs(dir: string): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  for (const e of Deno.readDirSync(dir)) m.set(e.name, Deno.readFileSync(`${dir}/${e.name}`));
  return m;
}

function sameOutputs(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): string | null {
  if (a.size !== b.size) return `${a.size} files against ${b.size}`;
  for (const [name, bytes] of a) {
    const other = b.get(name);
    if (!other) return `no ${name}`;
    if (name.endsWith("_headers.txt")) continue; // names the command line and date
    if (other.length !== bytes.length || other.some((x, i) => x !== bytes[i])) {
      return `${name} differs`;
    }
  }
  return null;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      runs: { type: "string", default: "7" },
      set: { type: "string", default: "both" },
    },
  });
  const runs = Number(values.runs);
  const bundles = positionals.map((p) => {
    const [name, path] = p.split("=");
    return { name, path };
  });
  if (bundles.length === 0) throw new Error("usage: bench_ab.ts NAME=BUNDLE.js ...");
  const capture = await benchCapture();
  const sets = values.set === "both" ? ["flow", "dflt"] : [values.set!];
  const out = Deno.makeTempDirSync({ prefix: "t2ts-bench-ab-" });
  try {
    const common = [...t2TaskFlags()];
    const cmds: Record<string, string[]> = {};
    for (const b of bundles) {
      for (const s of sets) {
        const dir = `${out}/${b.name}-${s}/`;
        cmds[`${b.name} ${s}`] = [...common, b.path, "-r", capture, "--set", "SUBNET_ON=0"]
          .concat(["-w", dir], s === "flow" ? ["-b", `${root}golden/lists/flow.txt`] : []);
      }
    }
    const names = Object.keys(cmds);
    const samples: Record<string, ProcessSample[]> = Object.fromEntries(names.map((n) => [n, []]));
    const loads = [loadAverage()];
    for (let i = 0; i < runs; i++) {
      // Alternate the order, so that no bundle always follows the same one.
      const order = i % 2 ? [...names].reverse() : names;
      for (const n of order) samples[n].push(await timedDeno(cmds[n], root));
      loads.push(loadAverage());
      console.error(`round ${i + 1}/${runs}, load ${loads.at(-1)}`);
    }
    for (const s of sets) {
      const ref = outputs(`${out}/${bundles[0].name}-${s}`);
      for (const b of bundles.slice(1)) {
        const diff = sameOutputs(ref, outputs(`${out}/${b.name}-${s}`));
        if (diff) console.log(`OUTPUT DIFFERS (${s}): ${bundles[0].name} vs ${b.name}: ${diff}`);
      }
    }
    const cpu = (n: string) => median(samples[n].map((x) => x.cpu));
    const sec = (n: string) => median(samples[n].map((x) => x.sec));
    const rss = (n: string) => median(samples[n].map((x) => x.rssMiB));
    console.log(`load average: ${loads.join(" | ")}`);
    for (const n of names) {
      const all = samples[n].map((x) => x.cpu.toFixed(2)).join(" ");
      console.log(
        `${n.padEnd(20)} CPU ${cpu(n).toFixed(3)} s  wall ${sec(n).toFixed(3)} s  ` +
          `RSS ${rss(n).toFixed(1)} MiB   CPU [${all}]`,
      );
    }
    // Per round, each bundle against the first: the machine's speed drifts over minutes (a
    // shared host), and the rounds' ratios are steadier than the medians of their times.
    for (const s of sets) {
      const base = samples[`${bundles[0].name} ${s}`];
      for (const b of bundles.slice(1)) {
        const other = samples[`${b.name} ${s}`];
        console.log(`${b.name} ${s} against ${bundles[0].name}: ${pairedText(base, other)}`);
      }
    }
    if (sets.length === 2) {
      for (const b of bundles) {
        const f = `${b.name} flow`;
        const d = `${b.name} dflt`;
        console.log(
          `${b.name}: dflt/flow CPU ${(cpu(d) / cpu(f)).toFixed(2)}x, wall ` +
            `${(sec(d) / sec(f)).toFixed(2)}x, RSS ${(rss(d) / rss(f)).toFixed(2)}x`,
        );
      }
    }
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
}

/** Median per-round ratios (CPU, wall) of `b` to `a`, and the rounds where `b` used less CPU. */
export function pairedText(
  a: readonly Pick<ProcessSample, "cpu" | "sec">[],
  b: readonly Pick<ProcessSample, "cpu" | "sec">[],
): string {
  const n = Math.min(a.length, b.length);
  let lower = 0;
  for (let i = 0; i < n; i++) if (b[i].cpu < a[i].cpu) lower++;
  const pct = (value: (s: Pick<ProcessSample, "cpu" | "sec">) => number) => {
    const r = medianRoundRatio(a, b, value);
    return `${r >= 1 ? "+" : ""}${((r - 1) * 100).toFixed(1)} %`;
  };
  return `CPU ${pct((s) => s.cpu)}, wall ${pct((s) => s.sec)} (median of the rounds' ratios); ` +
    `less CPU in ${lower} of ${n} rounds`;
}

if (import.meta.main) await main();
