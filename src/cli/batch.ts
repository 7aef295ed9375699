/**
 * Batch processing (`--jobs N` with several `-r CAPTURE` and `-w DIR/`): the captures are
 * processed in parallel on N Deno workers, each as a run on that capture alone (outputs
 * `DIR/<name>_*`, the report in `DIR/<name>_log.txt`), and one summary line per capture goes
 * to standard output, in the order of the command line.
 *
 * @module
 */

import { inDirectory, stem } from "../core/output_prefix.ts";
import type { SettingAssignment } from "../plugin/settings.ts";
import { rootUrl } from "../root.ts";

/** What a worker needs to run one capture (structured-clone safe). */
export interface BatchJob {
  readonly id: number;
  readonly capture: string;
  /** `-w` argument (a directory), or undefined for the prefix derived from the capture. */
  readonly outputPrefix?: string;
  readonly pluginFolder?: string;
  readonly pluginList?: string;
  readonly settings: readonly SettingAssignment[];
  readonly packetMode: boolean;
  readonly hashFactor?: number;
  readonly sensorId?: number;
  readonly commandLine: string;
}

/** How one capture went. */
export interface BatchOutcome {
  readonly id: number;
  readonly capture: string;
  readonly exitCode: number;
  readonly prefix: string;
  readonly packets: number;
  readonly flows: number;
  readonly seconds: number;
  /** Stopped by a signal before the end of the capture. */
  readonly stopped: boolean;
  /** Why the run failed, when it threw. */
  readonly error?: string;
}

/** Messages to a worker. */
export type ToWorker =
  | { readonly type: "init"; readonly stop: SharedArrayBuffer }
  | { readonly type: "job"; readonly job: BatchJob };

/** Options of {@linkcode runBatch}. */
export interface BatchOptions {
  /** The captures (`-r` arguments). */
  readonly captures: readonly string[];
  /** Number of workers. */
  readonly jobs: number;
  /** Everything of a job but its id and capture. */
  readonly job: Omit<BatchJob, "id" | "capture">;
  /** Raised (non-zero at index 0) to stop: running captures end early, no new one starts. */
  readonly stop: Int32Array;
  /** A line for standard output. */
  readonly out: (line: string) => void;
  /** Progress text (a terminal's progress line), if wanted. */
  readonly progress?: (text: string) => void;
  /** The worker module (default: `batch_worker.ts` beside this file). */
  readonly workerUrl?: URL;
}

/**
 * The output prefix of every capture of a batch, or an error text when two captures would
 * write the same files (same name without extension) or `-w` is not a directory.
 */
export function batchPrefixes(
  captures: readonly string[],
  w: string | undefined,
): string[] | string {
  if (w !== undefined && w !== "-" && !w.endsWith("/") && !isDirectory(w)) {
    return `Cannot process captures in parallel: -w ${w} is not a directory (use -w ${w}/)`;
  }
  if (w === "-") return "Cannot process captures in parallel: -w - (flows to stdout)";
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const c of captures) {
    if (c === "-") return "Cannot process captures in parallel: '-' (stdin) is not a file";
    const prefix = w === undefined ? stem(c) : inDirectory(c, w);
    const other = seen.get(prefix);
    if (other !== undefined) {
      return `Cannot process captures in parallel: '${other}' and '${c}' would both write ${prefix}_*`;
    }
    seen.set(prefix, c);
    out.push(prefix);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** The summary line of one capture. */
export function summaryLine(o: BatchOutcome): string {
  if (o.error !== undefined) return `${o.capture}: exit ${o.exitCode}, error: ${o.error}`;
  const stopped = o.stopped ? " (stopped)" : "";
  return `${o.capture}: exit ${o.exitCode}, ${o.packets} packets, ${o.flows} flows, ` +
    `${o.seconds.toFixed(2)} s${stopped}, ${o.prefix}_*`;
}

/** Run the batch; returns the exit code (0 when every capture's run returned 0). */
export function runBatch(o: BatchOptions): Promise<number> {
  const url = o.workerUrl ?? rootUrl("src/cli/batch_worker.ts");
  const total = o.captures.length;
  const outcomes: (BatchOutcome | null)[] = new Array(total).fill(null);
  let next = 0;
  let printed = 0;
  let done = 0;
  let running = 0;
  const stopped = () => Atomics.load(o.stop, 0) !== 0;

  return new Promise((resolve) => {
    const workers: Worker[] = [];
    const current = new Map<Worker, number>();
    const flush = () => {
      while (printed < total && outcomes[printed] !== null) {
        o.out(summaryLine(outcomes[printed]!));
        printed++;
      }
    };
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const w of workers) w.terminate();
      for (let i = printed; i < total; i++) {
        if (outcomes[i] === null) o.out(`${o.captures[i]}: not processed (stopped)`);
        else o.out(summaryLine(outcomes[i]!));
      }
      const failed = outcomes.some((x) => x !== null && x.exitCode !== 0);
      resolve(failed ? 1 : 0);
    };
    const record = (outcome: BatchOutcome) => {
      outcomes[outcome.id] = outcome;
      done++;
      running--;
      flush();
      o.progress?.(`t2: ${done}/${total} captures done, ${running} running`);
    };
    const dispatch = (w: Worker) => {
      current.delete(w);
      if (next >= total || stopped()) {
        if (running === 0) finish();
        return;
      }
      const id = next++;
      running++;
      current.set(w, id);
      const job: BatchJob = { ...o.job, id, capture: o.captures[id] };
      w.postMessage({ type: "job", job } satisfies ToWorker);
    };
    const start = (slot: number): Worker => {
      const w = new Worker(url.href, { type: "module" });
      w.postMessage({ type: "init", stop: o.stop.buffer as SharedArrayBuffer } satisfies ToWorker);
      w.onmessage = (e: MessageEvent<BatchOutcome>) => {
        record(e.data);
        dispatch(w);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        const id = current.get(w);
        current.delete(w);
        w.terminate();
        if (id !== undefined && outcomes[id] === null) {
          record({
            id,
            capture: o.captures[id],
            exitCode: 1,
            prefix: "",
            packets: 0,
            flows: 0,
            seconds: 0,
            stopped: false,
            error: e.message,
          });
        }
        const fresh = start(slot);
        workers[slot] = fresh;
        dispatch(fresh);
      };
      return w;
    };
    const n = Math.max(1, Math.min(o.jobs, total));
    for (let i = 0; i < n; i++) workers.push(start(i));
    for (const w of [...workers]) dispatch(w);
    o.progress?.(`t2: 0/${total} captures done, ${running} running`);
  });
}
