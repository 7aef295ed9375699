/**
 * Runs for the `--threads` tests: one capture in process with `runAsync`, every output file
 * read back, the report and `_headers.txt` without their run-specific lines.
 *
 * @module
 */

import { runAsync } from "../../src/core/run.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";
import { rootUrl } from "../../src/root.ts";

/** What one run left behind. */
export interface ThreadsRun {
  readonly exitCode: number;
  /** Output file name (without the prefix) → content. */
  readonly files: Map<string, string>;
  readonly report: string;
  /** stderr lines but the `[INF] --threads` line. */
  readonly stderr: string[];
  /** The `[INF] --threads ...` line, when the run fell back to one thread. */
  readonly fallback: string | null;
}

/** Lines that differ between any two runs (PID, dates, times, memory). */
const RUN_SPECIFIC =
  /PID: |^Date: |^# Date: |^# PID: |Elapsed time|Time: \d|Memory usage|^# Command line/;

function stable(text: string): string {
  return text.split("\n").filter((l) => !RUN_SPECIFIC.test(l)).join("\n");
}

/** Run `capture` with `threads` (1: today's engine); the outputs go to a fresh folder. */
export async function runThreads(
  capture: string,
  plugins: readonly PluginDefinition[],
  packetMode: boolean,
  threads: number,
  extra: {
    settings?: readonly SettingAssignment[];
    hashFactor?: number;
    shardWorker?: URL;
  } = {},
): Promise<ThreadsRun> {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-threads-" });
  const report = new MemorySink();
  const lines: string[] = [];
  try {
    const r = await runAsync({
      inputs: [capture],
      inputName: capture,
      outputPrefix: dir + "/",
      plugins,
      settings: [{ name: "SUBNET_ON", value: "0" }, ...(extra.settings ?? [])],
      hashFactor: extra.hashFactor,
      packetMode,
      commandLine: "t2",
      reportSink: report,
      color: false,
      stderr: (l) => lines.push(l),
      threads,
      shardWorker: extra.shardWorker ?? rootUrl("src/cli/shard_worker.ts"),
    });
    const files = new Map<string, string>();
    for (const e of Deno.readDirSync(dir)) {
      const text = Deno.readTextFileSync(`${dir}/${e.name}`);
      files.set(e.name, e.name.endsWith("_headers.txt") ? stable(text) : text);
    }
    const fallback = lines.find((l) => l.startsWith("[INF] --threads")) ?? null;
    return {
      exitCode: r.exitCode,
      files,
      report: stable(report.takeText()),
      stderr: lines.filter((l) => l !== fallback),
      fallback,
    };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** The first difference between two runs, or null when they wrote the same. */
export function runDifference(one: ThreadsRun, many: ThreadsRun): string | null {
  if (one.exitCode !== many.exitCode) return `exit code ${one.exitCode} / ${many.exitCode}`;
  const names = [...new Set([...one.files.keys(), ...many.files.keys()])].sort();
  for (const f of names) {
    const d = firstLine(one.files.get(f), many.files.get(f));
    if (d) return `${f}: ${d}`;
  }
  const r = firstLine(one.report, many.report);
  if (r) return `report: ${r}`;
  const e = firstLine(one.stderr.join("\n"), many.stderr.join("\n"));
  return e ? `stderr: ${e}` : null;
}

function firstLine(a: string | undefined, b: string | undefined): string | null {
  if (a === b) return null;
  if (a === undefined || b === undefined) {
    return a === undefined ? "missing in one thread" : "missing";
  }
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return `line ${i + 1}:\n  one thread: ${x[i] ?? "(none)"}\n  threads:    ${y[i] ?? "(none)"}`;
    }
  }
  return "differs";
}
