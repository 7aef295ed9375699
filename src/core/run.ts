/**
 * One analyzer run, from options to output files and end report, in T2's order (see
 * session.ts). Returns T2's exit code instead of exiting, so tests and batch mode can call it.
 *
 * {@linkcode run} is synchronous. {@linkcode runAsync} does the same work but returns to the
 * event loop now and then (between chunks of packets), so that signal listeners and timers of
 * the caller can run: a signal can then stop a long run mid-file, and numbered inputs (`-D`)
 * can be waited for.
 *
 * The run is a generator ({@linkcode Session.steps}) that pauses for its driver: `run` resumes
 * it at once, `runAsync` lets the event loop run or sleeps first.
 *
 * @module
 */

import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import type { Pause } from "./inputs.ts";
import type { AsyncRunOptions, RunOptions, RunResult } from "./run_options.ts";
import { Session } from "./session.ts";
import { collectOutputFiles, type OutputFile, OutputFileError } from "../output/output_file.ts";
import { PluginFailure } from "../plugin/context.ts";
import { attemptSharded, shardBlocker, shardFailed } from "./shard/attempt.ts";
import { ShardError } from "./shard/sharded_read.ts";

export type { Input, NumberedInputs } from "./inputs.ts";
export type { AsyncRunOptions, RunOptions, RunProgress, RunResult } from "./run_options.ts";
export type { GeoWithInfo } from "../geo/labels.ts";

/**
 * Run the analyzer synchronously. Numbered inputs (`numbered`) are not waited for: a capture
 * that is not there ends the input.
 */
export function run(opts: RunOptions): RunResult {
  const steps = closingOnError(opts, false, 250);
  for (;;) {
    const s = steps.next(false);
    if (s.done) return s.value;
  }
}

/**
 * Run the analyzer, returning to the event loop every `yieldMs` of processing (so signal
 * listeners, timers and progress displays run) and waiting for numbered captures that are
 * not there yet, until `stopRequested` says otherwise.
 */
export async function runAsync(
  opts: RunOptions,
  asyncOpts: AsyncRunOptions = {},
): Promise<RunResult> {
  const threads = opts.threads ?? 1;
  if (threads > 1) {
    let why = shardBlocker(opts);
    if (why === null) {
      const attempt = await attemptSharded(
        opts,
        (o) => drive(closingOnError(o, true, asyncOpts.yieldMs ?? 250, threads), opts),
      );
      if (typeof attempt !== "string") return attempt;
      why = attempt;
    }
    (opts.stderr ?? ((l: string) => console.error(l)))(
      `[INF] --threads ${threads}: ${why}: one thread`,
    );
  }
  return await drive(closingOnError(opts, true, asyncOpts.yieldMs ?? 250), opts);
}

/** Run the steps, pausing as they ask. */
async function drive(
  steps: Generator<Pause, RunResult, boolean>,
  opts: RunOptions,
): Promise<RunResult> {
  const stop = opts.stopRequested ?? (() => false);
  const clock = opts.clock ?? SYSTEM_CLOCK;
  let resume = true;
  for (;;) {
    const s = steps.next(resume);
    if (s.done) return s.value;
    if (s.value === "tick") {
      await macrotask();
      resume = true;
    } else if (typeof s.value === "object") {
      await s.value.until;
      resume = true;
    } else {
      resume = await sleepUnlessStopped(opts.numbered?.pollSeconds ?? 5, stop, clock);
    }
  }
}

/** Let the event loop run once (timers, signals) and come back. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Sleep, looking at the stop flag every 100 ms; true when the whole time passed. */
async function sleepUnlessStopped(
  seconds: number,
  stop: () => boolean,
  clock: Clock,
): Promise<boolean> {
  const end = clock.now() + seconds * 1000;
  while (!stop()) {
    const left = end - clock.now();
    if (left <= 0) return true;
    await clock.sleep(Math.min(100, left));
  }
  return false;
}

/**
 * The run's steps; `ticking` makes it pause for the event loop. An output file or directory
 * that cannot be created or written (full disk, ...) ends the run with one `[ERR]` line naming
 * it and exit code 1, and every file the run opened (its own and its plugins') is closed, so
 * that a caller in the same process (tests, batch workers) does not keep them open.
 */
function* closingOnError(
  opts: RunOptions,
  ticking: boolean,
  yieldMs: number,
  shards = 0,
): Generator<Pause, RunResult, boolean> {
  const open = new Set<OutputFile>();
  try {
    const session = collectOutputFiles(open, () => new Session(opts, ticking, yieldMs, shards));
    const steps = session.steps();
    let resume = false;
    for (;;) {
      const s = collectOutputFiles(open, () => steps.next(resume));
      if (s.done) return s.value;
      resume = yield s.value;
    }
  } catch (e) {
    const files = [...open];
    for (const f of open) {
      try {
        f.close();
      } catch { /* the first error is the one reported */ }
    }
    if (e instanceof ShardError) return shardFailed(e, files, opts);
    if (!(e instanceof OutputFileError || e instanceof PluginFailure)) throw e;
    const stderr = opts.stderr ?? ((l: string) => console.error(l));
    stderr(
      opts.color ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${e.message}\x1b[0m` : `[ERR] ${e.message}`,
    );
    return { exitCode: 1, prefix: "", packets: 0, flows: 0, stopped: false };
  }
}
