/**
 * The plugin's side of the database worker (see protocol.ts): start it and wait until the
 * table is ready, hand it rows without waiting (at most {@linkcode MAX_IN_FLIGHT} messages
 * ahead), and wait for the last commit at the end. Every call first checks whether the worker
 * failed, and throws its message as a {@linkcode PsqlFailure}.
 *
 * @module
 */

import { PsqlFailure } from "./failure.ts";
import {
  COMMITTED,
  type DbConfig,
  ERROR_LENGTH,
  ERROR_OFFSET,
  HANDLED,
  SHARED_BYTES,
  STATE,
  State,
  type ToWorker,
} from "./protocol.ts";

/** Row messages (of ~512 KiB each) the plugin may be ahead of the worker. */
const MAX_IN_FLIGHT = 32;

/** A running database worker. */
export class DbBridge {
  readonly #worker: Worker;
  readonly #ctl: Int32Array;
  readonly #err: Uint8Array;
  #sent = 0;
  #closed = false;

  /**
   * Start the worker and wait until the database and table are ready.
   *
   * @param workerUrl the worker module
   * @param config connection and table
   * @param waitMs longest wait for the start (the connection timeout and some)
   */
  constructor(workerUrl: URL, config: DbConfig, waitMs: number) {
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    this.#ctl = new Int32Array(shared, 0, ERROR_OFFSET / 4);
    this.#err = new Uint8Array(shared, ERROR_OFFSET);
    this.#worker = new Worker(workerUrl.href, { type: "module" });
    this.#worker.onerror = (e) => {
      // A worker that cannot even load (missing client package, no permission to read it).
      e.preventDefault();
      this.#failWith(`the database worker failed: ${e.message}`);
    };
    this.#post({ type: "start", shared, config });
    const until = Date.now() + waitMs;
    while (Atomics.load(this.#ctl, STATE) === State.STARTING) {
      const left = until - Date.now();
      if (left <= 0) {
        this.close();
        throw new PsqlFailure(
          `no answer from DB '${config.database}' on '${config.host}' within ${
            Math.round(waitMs / 1000)
          } s (or the database worker could not load)`,
        );
      }
      Atomics.wait(this.#ctl, STATE, State.STARTING, left);
    }
    this.#check();
  }

  /** Rows committed so far (as the worker last said). */
  get committed(): number {
    return Atomics.load(this.#ctl, COMMITTED);
  }

  /** Hand COPY lines of `rows` flows to the worker. */
  rows(data: Uint8Array, rows: number): void {
    this.#check();
    for (;;) {
      const handled = Atomics.load(this.#ctl, HANDLED);
      if (this.#sent - handled < MAX_IN_FLIGHT) break;
      Atomics.wait(this.#ctl, HANDLED, handled, 1000);
      this.#check();
    }
    this.#post({ type: "rows", data, rows }, [data.buffer as ArrayBuffer]);
    this.#sent++;
  }

  /** End the open transaction (the worker commits it in order, without being waited for). */
  commit(): void {
    this.#check();
    this.#post({ type: "commit" });
    this.#sent++;
  }

  /** Commit what is open and wait until the worker has handled everything. */
  finish(): void {
    this.#check();
    this.#post({ type: "finish" });
    this.#sent++;
    for (;;) {
      const handled = Atomics.load(this.#ctl, HANDLED);
      this.#check();
      if (handled >= this.#sent) break;
      Atomics.wait(this.#ctl, HANDLED, handled, 1000);
    }
    this.#check();
  }

  /** Stop the worker (its connection closes; an uncommitted COPY is rolled back). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
  }

  #post(m: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(m, transfer);
  }

  #failWith(text: string): void {
    const n = new TextEncoder().encodeInto(text, this.#err).written;
    Atomics.store(this.#ctl, ERROR_LENGTH, n);
    Atomics.store(this.#ctl, STATE, State.FAILED);
  }

  /** Throw the worker's error, if it failed (and stop it). */
  #check(): void {
    if (Atomics.load(this.#ctl, STATE) !== State.FAILED) return;
    const n = Atomics.load(this.#ctl, ERROR_LENGTH);
    const text = new TextDecoder().decode(this.#err.slice(0, n));
    this.close();
    throw new PsqlFailure(text);
  }
}
