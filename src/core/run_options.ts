/**
 * What a run is given and what it returns (the options of `run` and `runAsync`).
 *
 * @module
 */

import type { Clock } from "./clock.ts";
import type { Input, NumberedInputs } from "./inputs.ts";
import type { GeoWithInfo } from "../geo/labels.ts";
import type { PluginDefinition } from "../plugin/api.ts";
import type { SettingAssignment } from "../plugin/settings.ts";
import type { ByteSink } from "../output/byte_writer.ts";

/** Options of one run (what the command line says). */
export interface RunOptions {
  /** Input captures processed as one stream (one for `-r`); ignored with `numbered`. */
  readonly inputs: readonly Input[];
  /** `-D`: numbered captures instead of `inputs`. */
  readonly numbered?: NumberedInputs;
  /** Name the prefix is derived from (the `-r` path, `-R` list file or `-D` expression). */
  readonly inputName: string;
  /** `-R` list file name, when reading a list (the inputs are then checked as T2 does). */
  readonly listFile?: string;
  /** `-w` argument. */
  readonly outputPrefix?: string;
  /** Plugins in load order. */
  readonly plugins: readonly PluginDefinition[];
  /** `--set` assignments. */
  readonly settings: readonly SettingAssignment[];
  /** `-s`. */
  readonly packetMode: boolean;
  /** `-f`. */
  readonly hashFactor?: number;
  /**
   * `--threads`: shard workers for the capture (`runAsync` only; 1: one thread). A run that
   * cannot be exact on several threads uses one and says why on stderr (docs/multicore.md).
   */
  readonly threads?: number;
  /** The shard worker module (src/cli/shard_worker.ts); without it, one thread. */
  readonly shardWorker?: URL;
  /** `-x`. */
  readonly sensorId?: number;
  /** Command line for `_headers.txt`. */
  readonly commandLine: string;
  /** Where the report goes (default: stdout). */
  readonly reportSink?: ByteSink;
  /** `-l`: report to `PREFIX_log.txt`. */
  readonly logFile?: boolean;
  /** Colour the report. */
  readonly color?: boolean;
  /** Geo labels loader (called only with SUBNET_ON=1). */
  readonly loadGeo?: () => GeoWithInfo | null;
  /** Diagnostics (stderr). */
  readonly stderr?: (line: string) => void;
  /**
   * Stop requested (e.g. by a signal): checked between chunks of packets and while waiting
   * for numbered inputs. The run then ends as at the end of the input: open flows are
   * written, the report and the summary files too.
   */
  readonly stopRequested?: () => boolean;
  /** Called between chunks of packets (a few times per second at most) with the progress. */
  readonly onProgress?: (p: RunProgress) => void;
  /**
   * The clock for elapsed times, progress, returns to the event loop and waits for numbered
   * captures (tests pass their own).
   *
   * @default {SYSTEM_CLOCK}
   */
  readonly clock?: Clock;
}

/** Options of `runAsync` besides the {@linkcode RunOptions}. */
export interface AsyncRunOptions {
  /**
   * Milliseconds of processing after which the run returns to the event loop once (each
   * return costs about 2 ms: 250 keeps it below 1%).
   *
   * @default {250}
   */
  readonly yieldMs?: number;
}

/** How far a run is (for a progress display). */
export interface RunProgress {
  /** Input bytes consumed so far (all captures). */
  readonly bytesRead: number;
  /** Total input bytes, 0 when unknown (standard input, numbered captures). */
  readonly bytesTotal: number;
  /** Packets read so far. */
  readonly packets: number;
  /** Flows in memory now. */
  readonly flowsInMemory: number;
  /** Seconds since the start of the run. */
  readonly elapsed: number;
}

/** A run ended with T2's exit code. */
export interface RunResult {
  /** Process exit code (0: success, 1: error). */
  readonly exitCode: number;
  /** Output file name prefix used (empty when the run failed before choosing it). */
  readonly prefix: string;
  /** Capture records read (0 when the run failed early). */
  readonly packets: number;
  /** A and B flows created (0 when the run failed early). */
  readonly flows: number;
  /** Whether the run ended early because a stop was requested. */
  readonly stopped: boolean;
}
