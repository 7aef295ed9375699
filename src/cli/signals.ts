/**
 * SIGINT/SIGTERM handling of the command: the first signal asks the run to stop reading (it
 * then writes all open flows, the report and the summary files and exits 0, as T2 does); a
 * second one exits at once.
 *
 * @module
 */

/** The signals that stop a run. */
const STOP_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGTERM"];

/** What a {@linkcode StopSignals} does besides raising its flag. */
export interface StopSignalsOptions {
  /** Told about the first signal (e.g. a line on stderr). */
  readonly onFirst?: (signal: Deno.Signal) => void;
  /** Called on the second signal; by default the process exits with code 1. */
  readonly onSecond?: (signal: Deno.Signal) => void;
  /** Also raised on the first signal (e.g. a flag shared with workers). */
  readonly shared?: Int32Array;
}

/** Listeners for SIGINT and SIGTERM and the stop flag they raise. */
export class StopSignals {
  readonly #opts: StopSignalsOptions;
  readonly #installed: [Deno.Signal, () => void][] = [];
  #count = 0;

  constructor(opts: StopSignalsOptions = {}) {
    this.#opts = opts;
  }

  /** Whether a stop was asked for (pass as `stopRequested` to a run). */
  readonly stopRequested = (): boolean => this.#count > 0;

  /** Listen (signals the platform cannot listen for are left alone). */
  install(): void {
    for (const sig of STOP_SIGNALS) {
      const handler = () => this.signal(sig);
      try {
        Deno.addSignalListener(sig, handler);
        this.#installed.push([sig, handler]);
      } catch {
        // e.g. SIGTERM on Windows
      }
    }
  }

  /** Stop listening. */
  uninstall(): void {
    for (const [sig, handler] of this.#installed) Deno.removeSignalListener(sig, handler);
    this.#installed.length = 0;
  }

  /** React to a signal (what the listeners call). */
  signal(sig: Deno.Signal): void {
    this.#count++;
    if (this.#count === 1) {
      if (this.#opts.shared) {
        Atomics.store(this.#opts.shared, 0, 1);
        Atomics.notify(this.#opts.shared, 0);
      }
      this.#opts.onFirst?.(sig);
      return;
    }
    if (this.#opts.onSecond) this.#opts.onSecond(sig);
    else Deno.exit(1);
  }
}
