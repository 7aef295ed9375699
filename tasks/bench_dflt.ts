/**
 * `deno task bench:dflt [--runs N] [--packets N] [--no-record]`: T2's default plugin set
 * against the flow set on the yardstick (issue 14).
 *
 * Builds the bundle (`dist/t2.js`, the program as shipped), generates the yardstick capture
 * when missing (`tasks/bench_capture.ts`), then runs, interleaved N times, the plugin list
 * `flow` (basicFlow basicStats tcpWin txtSink) and the default set (T2's `dflt`, as a run
 * without `-b` loads it), both with `SUBNET_ON=0`, and prints the medians of wall time, CPU
 * time (steadier on a busy machine) and peak RSS, and their ratios against the issue's
 * targets: the default set at most 2.0× the wall time and 2.6× the peak RSS of the flow set. While some plugins of the default set are
 * not built in, it runs the ones that are, and says which are missing. Appends the figures to
 * `bench/results.tsv` (rows `whole:flow (bench:dflt)` and `whole:dflt`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { cpus } from "node:os";
import { benchCapture, median, YARDSTICK_PACKETS } from "./bench_capture.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";
import { medianRoundRatio, type ProcessSample, timedDeno } from "./bench_process.ts";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../plugins/mod.ts";

/** The issue's targets: default set / flow set, medians of interleaved runs. */
const TARGET = { wall: 2.0, rss: 2.6 };

const root = fileURLToPath(new URL("../", import.meta.url));

function gitCommit(): string {
  const git = (args: string[]) => {
    const o = new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "null" })
      .outputSync();
    return o.success ? new TextDecoder().decode(o.stdout).trim() : "";
  };
  const id = git(["rev-parse", "--short", "HEAD"]) || "unknown";
  return git(["status", "--porcelain", "--untracked-files=no"]) ? `${id}-dirty` : id;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "5" },
      packets: { type: "string", default: String(YARDSTICK_PACKETS) },
      "no-record": { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  const packets = Number(values.packets);
  const capture = await benchCapture(packets);
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "bundle"],
    cwd: root,
  }).output();
  if (!built.success) throw new Error("deno task bundle failed");

  const have = new Set(BUILTIN_PLUGINS.map((p) => p.name));
  const missing = DEFAULT_PLUGINS.filter((n) => !have.has(n));
  const out = Deno.makeTempDirSync({ prefix: "t2ts-bench-dflt-" });
  try {
    // Without -b when the whole default set is built in; else a list of its built-in part.
    const dfltList = `${out}/dflt.txt`;
    Deno.writeTextFileSync(dfltList, DEFAULT_PLUGINS.filter((n) => have.has(n)).join("\n"));
    const common = [...t2TaskFlags(), "dist/t2.js", "-r", capture, "--set", "SUBNET_ON=0"];
    const cmds: Record<string, string[]> = {
      flow: [...common, "-w", `${out}/flow/`, "-b", "golden/lists/flow.txt"],
      dflt: [...common, "-w", `${out}/dflt/`, ...(missing.length ? ["-b", dfltList] : [])],
    };
    console.log(`capture: ${capture} (${packets} packets); commit ${gitCommit()}`);
    console.log(
      missing.length
        ? `default set WITHOUT ${missing.join(", ")} (not built in yet)`
        : "default set complete (a run without -b)",
    );
    const samples: Record<string, ProcessSample[]> = { flow: [], dflt: [] };
    for (let i = 0; i < runs; i++) {
      for (const k of ["flow", "dflt"]) samples[k].push(await timedDeno(cmds[k], root));
    }
    const sec = (k: string) => median(samples[k].map((s) => s.sec));
    const rss = (k: string) => median(samples[k].map((s) => s.rssMiB));
    const cpu = (k: string) => median(samples[k].map((s) => s.cpu));
    for (const k of ["flow", "dflt"]) {
      const all = samples[k].map((s) => s.sec.toFixed(3)).join(" ");
      console.log(
        `${k.padEnd(5)} ${sec(k).toFixed(3)} s  CPU ${cpu(k).toFixed(2)} s  ` +
          `peak RSS ${rss(k).toFixed(1)} MiB   [${all}]`,
      );
    }
    const wall = sec("dflt") / sec("flow");
    const mem = rss("dflt") / rss("flow");
    console.log(
      `dflt/flow: wall ${wall.toFixed(2)}x (target <= ${TARGET.wall}x), ` +
        `peak RSS ${mem.toFixed(2)}x (target <= ${TARGET.rss}x), ` +
        `CPU ${(cpu("dflt") / cpu("flow")).toFixed(2)}x`,
    );
    // The same ratios per round (each pair of runs back to back): steadier when the host's
    // speed drifts during the batch.
    const perRound = (f: (s: ProcessSample) => number) =>
      medianRoundRatio(samples.flow, samples.dflt, f).toFixed(2);
    console.log(
      `per round (median): wall ${perRound((s) => s.sec)}x, CPU ${perRound((s) => s.cpu)}x`,
    );
    if (!values["no-record"]) {
      const machine = `${
        cpus()[0]?.model.trim() ?? Deno.build.arch
      }, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`;
      const lines = (["flow", "dflt"] as const).map((k) =>
        [
          new Date().toISOString().slice(0, 19) + "Z",
          gitCommit(),
          machine,
          k === "flow"
            ? "whole:flow (bench:dflt)"
            : `whole:dflt${missing.length ? ` without ${missing.join(",")}` : ""}`,
          packets,
          runs,
          sec(k).toFixed(4),
          Math.min(...samples[k].map((s) => s.sec)).toFixed(4),
          Math.max(...samples[k].map((s) => s.rssMiB)).toFixed(1),
          Math.round(packets / sec(k)),
        ].join("\t")
      );
      Deno.writeTextFileSync(`${root}bench/results.tsv`, lines.join("\n") + "\n", { append: true });
      console.log("appended 2 lines to bench/results.tsv");
    }
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
}

if (import.meta.main) await main();
