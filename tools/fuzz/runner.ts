/**
 * Runs fuzz inputs in a worker with a time bound: an input that takes longer is a hang; the
 * worker is terminated (its scratch directory removed) and a fresh one serves the next input.
 *
 * @module
 */

import type { FuzzInput, Outcome } from "./target.ts";

/** An outcome with the time the run took. */
export interface TimedOutcome extends Outcome {
  readonly ms: number;
}

interface Pending {
  resolve: (o: TimedOutcome) => void;
  timer: ReturnType<typeof setTimeout>;
  started: number;
}

/** One worker running inputs one at a time; see the module doc. */
export class FuzzRunner {
  readonly #timeoutMs: number;
  #worker: Worker | null = null;
  #outDir: string | null = null;
  #ready: Promise<void> | null = null;
  #pending: Pending | null = null;
  #nextId = 1;
  readonly #dirs: string[] = [];
  /** Workers started so far (1 + the number of hangs and worker deaths). */
  workersStarted = 0;

  /** @param timeoutMs time bound per input */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  #start(): Promise<void> {
    // The scratch directory belongs to the runner: a terminated worker cannot remove it, and
    // one still finishing a run may even recreate it, so every one is removed again at close.
    const outDir = Deno.makeTempDirSync({ prefix: "t2ts-fuzz-" });
    this.#dirs.push(outDir);
    const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.workersStarted++;
    this.#worker = w;
    this.#outDir = outDir;
    this.#ready = new Promise((resolve) => {
      w.onmessage = (e: MessageEvent) => {
        const msg = e.data;
        if (msg.type === "ready") resolve();
        else if (msg.type === "done") this.#finish(msg.outcome);
      };
    });
    w.postMessage({ type: "init", outDir });
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#kill();
      this.#finish({
        kind: "crash",
        message: `worker died: ${e.message}`,
        exitCode: -1,
        packets: 0,
        flows: 0,
      });
    };
    return this.#ready;
  }

  #finish(outcome: Outcome): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = null;
    clearTimeout(p.timer);
    p.resolve({ ...outcome, ms: performance.now() - p.started });
  }

  #kill(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = null;
    if (this.#outDir) removeDir(this.#outDir);
    this.#outDir = null;
  }

  /** Run one input; resolves with a `hang` outcome when the time bound passes. */
  async run(input: FuzzInput, keepOutputs = false): Promise<TimedOutcome> {
    if (this.#pending) throw new Error("Cannot run two inputs at once on one FuzzRunner");
    if (!this.#worker) await this.#start();
    else await this.#ready;
    const id = this.#nextId++;
    return new Promise<TimedOutcome>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        this.#kill();
        this.#finish({
          kind: "hang",
          message: `no result within ${this.#timeoutMs / 1000} s`,
          exitCode: -1,
          packets: 0,
          flows: 0,
        });
      }, this.#timeoutMs);
      this.#pending = { resolve, timer, started };
      this.#worker!.postMessage({ type: "run", id, input, keepOutputs });
    });
  }

  /** Stop the worker and remove the scratch directories. */
  async close(): Promise<void> {
    if (this.#ready) await this.#ready;
    this.#kill();
    // A worker stopped in the middle of a run may have recreated its directory meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const d of this.#dirs.splice(0)) removeDir(d);
  }
}

function removeDir(dir: string): void {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // already gone
  }
}
