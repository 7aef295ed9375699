/**
 * `deno task bench`: the performance yardstick of issue 6, measured on this machine.
 *
 *     deno task bench [--runs N] [--packets N] [--no-stages] [--no-floor] [--no-packet-mode]
 *                     [--scale] [--no-record]
 *
 * 1. Generates the synthetic annoloc capture when missing (`tasks/bench_capture.ts`).
 * 2. Builds the bundle (`deno task bundle`) and runs the whole program as shipped (the bundle
 *    `dist/t2.js`, with the flags of the `t2` task; plugin list `flow`: basicFlow basicStats
 *    tcpWin txtSink, `--set SUBNET_ON=0`), N times, and reports the median wall time,
 *    packets/s, MB/s and peak RSS (from `/usr/bin/time`), next to T2 0.9.3's figures from the
 *    issue; then the same from the sources (`main.ts`, what `deno task t2` runs) and with `-s`
 *    (packet mode).
 * 3. Breaks the time down by stage (read, dissect, flow lookup, plugins, output) with
 *    `tasks/bench_stages.ts`, one process per run.
 * 4. Times the floor (`tasks/bench_floor.ts`): whole processes that only read, parse and look
 *    up flows, with and without per-flow state, to show what this machine and V8 allow at all.
 * 5. With `--scale`: the same capture profile with 10x the packets, to check that time grows
 *    linearly and memory follows the flows, not the file.
 * 6. Appends every figure, with the date, the commit and the machine, to `bench/results.tsv`.
 *
 * Start-up counts: `deno --version`-like runs of an empty program and of `t2 -V` (bundle and
 * sources) are timed too, so the fixed cost is visible beside the per-packet cost.
 *
 * @module
 */

import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchCapture, median, YARDSTICK_PACKETS } from "./bench_capture.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";
import { STAGES } from "./bench_stages.ts";
import { FIELDS, FLOOR_VARIANTS } from "./bench_floor.ts";

/** T2 0.9.3 (gcc -O2) on these machines, from issue 6: whole process, median of 5. */
const T2 = { wallSec: 0.37, rssMiB: 34, packetModeSec: 3.3 };

const root = fileURLToPath(new URL("../", import.meta.url));
const deno = Deno.execPath();
/** `deno run` flags: those of the `t2` task, so that the figures are the task's. */
const RUN_FLAGS = t2TaskFlags();
/** The program as shipped (`deno task bundle`; what `deno task compile` compiles). */
const BUNDLE = "dist/t2.js";
/** The program from its sources (what `deno task t2` runs). */
const SOURCES = "main.ts";

interface Sample {
  sec: number;
  rssKiB: number;
}

interface Row {
  what: string;
  packets: number;
  bytes: number;
  samples: Sample[];
}

/** Run a command, returning wall seconds and peak RSS (KiB, 0 when unknown). */
async function timed(args: string[]): Promise<Sample> {
  const useTime = existsSync("/usr/bin/time");
  const cmd = useTime ? "/usr/bin/time" : deno;
  const full = useTime ? ["-f", "%M", deno, ...args] : args;
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args: full,
    cwd: root,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const sec = (performance.now() - t0) / 1000;
  const err = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`Benchmark run failed (${args.join(" ")}):\n${err}`);
  const rssKiB = useTime ? Number(err.split("\n").at(-1)) : 0;
  return { sec, rssKiB: Number.isFinite(rssKiB) ? rssKiB : 0 };
}

async function wholeRuns(
  what: string,
  capture: string,
  extra: string[],
  runs: number,
  packets: number,
  program = BUNDLE,
): Promise<Row> {
  const outDir = Deno.makeTempDirSync({ prefix: "t2ts-bench-" });
  const args = [...RUN_FLAGS, program, "-r", capture, "-w", `${outDir}/`]
    .concat(["-b", "golden/lists/flow.txt", "--set", "SUBNET_ON=0", ...extra]);
  const row: Row = { what, packets, bytes: Deno.statSync(capture).size, samples: [] };
  try {
    for (let i = 0; i < runs; i++) row.samples.push(await timed(args));
  } finally {
    Deno.removeSync(outDir, { recursive: true });
  }
  return row;
}

/** `deno task bundle`: the bundle the whole-process rows run (not timed). */
async function bundle(): Promise<void> {
  const out = await new Deno.Command(deno, {
    args: ["task", "-q", "bundle"],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno task bundle failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

async function startupRow(what: string, args: string[], runs: number): Promise<Row> {
  const row: Row = { what, packets: 0, bytes: 0, samples: [] };
  for (let i = 0; i < runs; i++) row.samples.push(await timed(args));
  return row;
}

async function stageRows(capture: string, runs: number, packets: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const stage of STAGES) {
    const row: Row = { what: `stage:${stage}`, packets, bytes: 0, samples: [] };
    for (let i = 0; i < runs; i++) {
      const out = await new Deno.Command(deno, {
        args: [...RUN_FLAGS, "tasks/bench_stages.ts", stage, capture],
        cwd: root,
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (!out.success) throw new Error(`Stage ${stage} failed`);
      const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      row.samples.push({ sec: r.ms / 1000, rssKiB: 0 });
    }
    rows.push(row);
  }
  return rows;
}

async function floorRows(capture: string, runs: number, packets: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const v of FLOOR_VARIANTS) {
    const row: Row = { what: `floor:${v}`, packets, bytes: 0, samples: [] };
    const args = [...RUN_FLAGS, "tasks/bench_floor.ts", v, capture];
    for (let i = 0; i < runs; i++) row.samples.push(await timed(args));
    rows.push(row);
  }
  return rows;
}

const sec = (r: Row) => median(r.samples.map((s) => s.sec));
/** Highest peak RSS of the runs (what `bench/results.tsv` records). */
const rssMiB = (r: Row) => Math.max(...r.samples.map((s) => s.rssKiB)) / 1024;
/** Median of the runs' peak RSS (the issue's targets are medians). */
const rssMedianMiB = (r: Row) => median(r.samples.map((s) => s.rssKiB)) / 1024;

function printWhole(r: Row, t2Sec: number, t2RssMiB: number | null): void {
  const s = sec(r);
  const all = r.samples.map((x) => x.sec.toFixed(3)).join(" ");
  const rss = rssMedianMiB(r);
  console.log(
    `${r.what.padEnd(22)} ${s.toFixed(3)} s  ${(r.packets / s / 1e6).toFixed(2)} M pkt/s  ` +
      `${(r.bytes / 1e6 / s).toFixed(0)} MB/s  peak RSS ${rss.toFixed(1)} MiB ` +
      `(highest ${rssMiB(r).toFixed(1)})   ` +
      `T2: ${t2Sec} s${t2RssMiB ? `, ${t2RssMiB} MiB` : ""}  ratio ${(s / t2Sec).toFixed(2)}x` +
      (t2RssMiB ? `, ${(rss / t2RssMiB).toFixed(2)}x` : "") + `   [${all}]`,
  );
}

function gitCommit(): string {
  const run = (args: string[]) => {
    try {
      const o = new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "null" })
        .outputSync();
      return o.success ? new TextDecoder().decode(o.stdout).trim() : "";
    } catch {
      return "";
    }
  };
  const id = run(["rev-parse", "--short", "HEAD"]) || "unknown";
  return run(["status", "--porcelain", "--untracked-files=no"]) ? `${id}-dirty` : id;
}

function machine(): string {
  let cpu: string = Deno.build.arch;
  try {
    cpu = cpus()[0]?.model.trim() || cpu;
  } catch { /* no --allow-sys */ }
  return `${cpu}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`;
}

function record(rows: Row[]): void {
  const dir = `${root}bench`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/results.tsv`;
  const header =
    "date\tcommit\tmachine\twhat\tpackets\truns\tmedian_s\tmin_s\tpeak_rss_mib\tpkts_per_s\n";
  const lines = rows.map((r) => {
    const s = sec(r);
    const min = Math.min(...r.samples.map((x) => x.sec));
    return [
      new Date().toISOString().slice(0, 19) + "Z",
      gitCommit(),
      machine(),
      r.what,
      r.packets,
      r.samples.length,
      s.toFixed(4),
      min.toFixed(4),
      rssMiB(r) ? rssMiB(r).toFixed(1) : "",
      r.packets ? Math.round(r.packets / s) : "",
    ].join("\t");
  });
  const exists = existsSync(file);
  Deno.writeTextFileSync(file, (exists ? "" : header) + lines.join("\n") + "\n", { append: true });
  console.log(`\nappended ${lines.length} line(s) to bench/results.tsv`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "5" },
      packets: { type: "string", default: String(YARDSTICK_PACKETS) },
      "no-stages": { type: "boolean", default: false },
      "no-floor": { type: "boolean", default: false },
      "no-packet-mode": { type: "boolean", default: false },
      scale: { type: "boolean", default: false },
      "no-record": { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  const packets = Number(values.packets);
  if (!(Number.isInteger(runs) && runs > 0) || !(Number.isInteger(packets) && packets > 0)) {
    throw new RangeError(`Cannot benchmark: --runs and --packets take positive integers`);
  }
  const capture = await benchCapture(packets);
  const size = Deno.statSync(capture).size;
  console.log(`capture: ${capture} (${packets} packets, ${(size / 1e6).toFixed(1)} MB)`);
  console.log(`machine: ${machine()}; commit ${gitCommit()}; median of ${runs} run(s)\n`);

  await bundle();

  const rows: Row[] = [];
  const empty = await startupRow("startup:deno", ["eval", "0"], runs);
  const ours = await startupRow("startup:t2 -V", [...RUN_FLAGS, BUNDLE, "-V"], runs);
  const fromSources = await startupRow(
    "startup:t2 -V sources",
    [...RUN_FLAGS, SOURCES, "-V"],
    runs,
  );
  rows.push(empty, ours, fromSources);
  const ms = (r: Row) => `${(sec(r) * 1000).toFixed(0)} ms, ${rssMedianMiB(r).toFixed(1)} MiB`;
  console.log(
    `start-up: empty Deno program ${ms(empty)}; t2 -V ${ms(ours)} (bundle), ` +
      `${ms(fromSources)} (sources)`,
  );

  const flow = await wholeRuns("whole:flow", capture, [], runs, packets);
  rows.push(flow);
  printWhole(flow, T2.wallSec, T2.rssMiB);
  const flowSources = await wholeRuns("whole:flow sources", capture, [], runs, packets, SOURCES);
  rows.push(flowSources);
  printWhole(flowSources, T2.wallSec, T2.rssMiB);
  if (!values["no-packet-mode"]) {
    const s = await wholeRuns("whole:flow -s", capture, ["-s"], Math.min(runs, 3), packets);
    rows.push(s);
    printWhole(s, T2.packetModeSec, null);
  }

  if (!values["no-stages"]) {
    console.log("\nstages (in-process, cumulative; cost = difference to the previous stage):");
    const stages = await stageRows(capture, runs, packets);
    rows.push(...stages);
    let before = 0;
    for (const r of stages) {
      const s = sec(r);
      console.log(
        `  ${r.what.slice(6).padEnd(8)} ${(s * 1000).toFixed(0).padStart(5)} ms cumulative` +
          `   +${((s - before) * 1000).toFixed(0).padStart(4)} ms` +
          `   ${(((s - before) * 1e9) / packets).toFixed(0).padStart(4)} ns/packet`,
      );
      before = s;
    }
  }

  if (!values["no-floor"]) {
    console.log(
      `\nfloor (whole process: read, parse and look up flows only; ${FIELDS} per-flow values ` +
        `per packet as arrays or as records):`,
    );
    const floor = await floorRows(capture, runs, packets);
    rows.push(...floor);
    for (const r of floor) {
      console.log(
        `  ${r.what.slice(6).padEnd(8)} ${sec(r).toFixed(3)} s  peak RSS ${
          rssMiB(r).toFixed(0)
        } MiB   (T2, all of its work: ${T2.wallSec} s, ${T2.rssMiB} MiB)`,
      );
    }
  }

  if (values.scale) {
    const big = await benchCapture(packets * 10);
    const row = await wholeRuns("whole:flow x10", big, [], Math.min(runs, 3), packets * 10);
    rows.push(row);
    console.log("");
    printWhole(row, T2.wallSec * 10, null);
    console.log(
      `scaling: 10x the packets took ${(sec(row) / sec(flow)).toFixed(2)}x the time ` +
        `(target <= 10.5x), peak RSS ${rssMiB(row).toFixed(0)} MiB vs ${
          rssMiB(flow).toFixed(0)
        } MiB`,
    );
  }

  if (!values["no-record"]) record(rows);
}

if (import.meta.main) await main();
