/**
 * Whole-process timing for the benchmarks: a `deno` command under `/usr/bin/time`, its wall
 * time, CPU time (user + system: less disturbed than wall time on a loaded machine) and peak
 * RSS; and the machine's load average, printed beside interleaved runs.
 *
 * @module
 */

import { median } from "./bench_capture.ts";

/** One timed process. */
export interface ProcessSample {
  sec: number;
  /** User + system CPU seconds. */
  cpu: number;
  rssMiB: number;
  /** What the process wrote on standard error, without `/usr/bin/time`'s line. */
  stderr: string;
}

/** Run `deno ...args` in `cwd`; throws with its standard error when it fails. */
export async function timedDeno(args: readonly string[], cwd: string): Promise<ProcessSample> {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M %U %S", Deno.execPath(), ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const sec = (performance.now() - t0) / 1000;
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (!out.success) {
    throw new Error(`Benchmark run failed (${args.join(" ")}):\n${lines.join("\n")}`);
  }
  const [rss, user, sys] = lines.pop()!.split(" ").map(Number);
  return { sec, cpu: user + sys, rssMiB: rss / 1024, stderr: lines.join("\n") };
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
}

/**
 * The median over rounds of `b[i]`'s value to `a[i]`'s (`value`: wall or CPU time), runs `a[i]`
 * and `b[i]` made back to back: steadier than the ratio of medians on a host whose speed drifts.
 */
export function medianRoundRatio<T>(
  a: readonly T[],
  b: readonly T[],
  value: (s: T) => number,
): number {
  const n = Math.min(a.length, b.length);
  return median(Array.from({ length: n }, (_, i) => value(b[i]) / value(a[i])));
}
