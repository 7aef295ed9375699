/**
 * Whether and how a run goes on several threads (`--threads N`): the cases that need one
 * thread from the start, the attempt (its report and stderr lines held back, so that a
 * fallback to one thread leaves no trace but one `[INF]` line), and a failed shard.
 *
 * @module
 */

import type { ByteSink } from "../../output/byte_writer.ts";
import type { OutputFile } from "../../output/output_file.ts";
import { stdoutSink } from "../../output/stdout_sink.ts";
import type { RunOptions, RunResult } from "../run_options.ts";
import { ShardFallback } from "./role.ts";
import type { ShardError } from "./sharded_read.ts";

/** Why `opts` cannot run on several threads at all, or null. */
export function shardBlocker(opts: RunOptions): string | null {
  if (!opts.shardWorker) return "plugins that are not built in (-p)";
  if (opts.numbered) return "numbered captures (-D) are read as a stream";
  if (opts.listFile !== undefined || opts.inputs.length !== 1) return "a list of captures (-R)";
  const input = opts.inputs[0];
  if (typeof input !== "string" || input === "-") return "standard input is read once";
  // Every such plugin, so that a user making a list that splits learns them all at once.
  const lonely = opts.plugins.filter((p) => p.oneThread).map((p) => `${p.name} ${p.oneThread}`);
  return lonely.length ? lonely.join("; ") : null;
}

/**
 * Run `opts` through `run` (a sharded session) with its report and stderr lines held back:
 * written out when it ends, dropped when the attempt falls back (then the reason is returned).
 */
export async function attemptSharded(
  opts: RunOptions,
  run: (o: RunOptions) => Promise<RunResult>,
): Promise<RunResult | string> {
  const chunks: Uint8Array[] = [];
  const held: ByteSink = {
    writeSync(p: Uint8Array): number {
      chunks.push(p.slice());
      return p.length;
    },
  };
  const lines: string[] = [];
  let result: RunResult;
  try {
    result = await run({ ...opts, reportSink: held, stderr: (l) => lines.push(l) });
  } catch (e) {
    if (e instanceof ShardFallback) return e.message;
    throw e;
  }
  const sink = opts.reportSink ?? stdoutSink;
  for (const c of chunks) {
    for (let at = 0; at < c.length;) at += sink.writeSync(c.subarray(at));
  }
  const stderr = opts.stderr ?? ((l: string) => console.error(l));
  for (const l of lines) stderr(l);
  return result;
}

/**
 * A shard failed: one `[ERR]` line naming the capture, and every output file the run had open
 * renamed to `NAME.incomplete`, so that none looks complete.
 */
export function shardFailed(
  e: ShardError,
  files: readonly OutputFile[],
  opts: RunOptions,
): RunResult {
  for (const f of files) {
    if (!f.path) continue;
    try {
      Deno.renameSync(f.path, f.path + ".incomplete");
    } catch { /* the shard's error is the one reported */ }
  }
  const stderr = opts.stderr ?? ((l: string) => console.error(l));
  stderr(`[ERR] ${opts.inputName}: ${e.message}`);
  return { exitCode: 1, prefix: "", packets: 0, flows: 0, stopped: false };
}
