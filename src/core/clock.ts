/**
 * The clock of a run: elapsed times for the report and the progress line, when to return to
 * the event loop, and the waits for numbered captures. Tests pass their own, so that what a
 * run does never depends on how fast the machine is.
 *
 * @module
 */

/** Time and waiting, as a run sees them. */
export interface Clock {
  /** Milliseconds since an arbitrary start (like `performance.now()`). */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
