/**
 * The progress line of long runs on standard error: percentage of the input bytes and the
 * time left (when the input's size is known: files and `-R` lists, not standard input, `-D` or
 * compressed captures), packets per second and flows in memory, rewritten in place with `\r`
 * (only on a terminal).
 *
 * @module
 */

import type { RunProgress } from "../core/run_options.ts";

const encoder = new TextEncoder();

/** Text of one progress line (without `\r` and the erase sequence). */
export function progressText(p: RunProgress): string {
  const parts: string[] = [];
  if (p.bytesTotal > 0) {
    const pct = Math.min(100, (100 * p.bytesRead) / p.bytesTotal);
    parts.push(`${pct.toFixed(1)}%`);
    const left = secondsLeft(p);
    if (left !== null) parts.push(`${duration(left)} left`);
  } else {
    parts.push(`${human(p.bytesRead)}B read`);
  }
  parts.push(`${human(p.packets)} packets`);
  parts.push(`${human(p.elapsed > 0 ? p.packets / p.elapsed : 0)} packets/s`);
  parts.push(`${human(p.flowsInMemory)} flows in memory`);
  return `t2: ${parts.join(", ")}`;
}

/**
 * Seconds until the end at the speed so far, or null before there is a speed to go by (the
 * first second, whose start-up would make the estimate jump).
 */
export function secondsLeft(p: RunProgress): number | null {
  if (p.bytesTotal <= 0 || p.bytesRead <= 0 || p.elapsed < 1) return null;
  return Math.max(0, p.elapsed * (p.bytesTotal - p.bytesRead) / p.bytesRead);
}

/** 75 → `1 min 15 s`; 4000 → `1 h 06 min`; 9 → `9 s`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, "0")} min`;
}

/** 1234567 → `1.23 M` (SI prefixes, as T2's report numbers). */
function human(v: number): string {
  const units = ["", " K", " M", " G", " T"];
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? String(Math.round(v)) : `${v.toFixed(2)}${units[i]}`;
}

/** A sink for the progress line: a terminal, or anything in tests. */
export interface ProgressOutput {
  writeSync(p: Uint8Array): number;
}

/** The progress line: shown at most every `intervalMs`, erased before other output. */
export class ProgressLine {
  readonly #out: ProgressOutput;
  readonly #intervalMs: number;
  #shown = false;
  #last = -Infinity;

  /**
   * @param out Where the line goes (standard error when it is a terminal).
   * @param intervalMs Shortest time between two updates.
   */
  constructor(out: ProgressOutput, intervalMs = 250) {
    this.#out = out;
    this.#intervalMs = intervalMs;
  }

  /** Show the progress of a run (rate-limited). */
  update(p: RunProgress): void {
    this.show(progressText(p));
  }

  /** Show a text as the progress line (rate-limited unless `force`). */
  show(text: string, force = false): void {
    const now = performance.now();
    if (!force && now - this.#last < this.#intervalMs) return;
    this.#last = now;
    this.#write(`\r${text}\x1b[K`);
    this.#shown = true;
  }

  /** Erase the line (before other output on the same terminal, and at the end). */
  clear(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#write("\r\x1b[K");
  }

  #write(text: string): void {
    try {
      const b = encoder.encode(text);
      let off = 0;
      while (off < b.length) off += this.#out.writeSync(b.subarray(off));
    } catch {
      // A progress display never stops a run.
    }
  }
}

/** Standard error as a progress output. */
export const stderrOutput: ProgressOutput = {
  writeSync: (p) => Deno.stderr.writeSync(p),
};
