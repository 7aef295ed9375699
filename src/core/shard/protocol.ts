/**
 * The messages between the main thread and its shard workers (`--threads N`).
 *
 * @module
 */

import type { Counters } from "../../base/counters.ts";
import type { RunFacts } from "../../plugin/api.ts";
import type { SettingAssignment } from "../../plugin/settings.ts";
import type { ShardBatch } from "./batch.ts";

/** What a shard worker is told: the capture and the run's options. */
export interface ShardConfig {
  readonly shard: number;
  readonly shards: number;
  /** The capture (a file: every shard reads it). */
  readonly path: string;
  /** Names of the plugins to run in the shard (every plugin but the sinks), in load order. */
  readonly plugins: readonly string[];
  /** The run's one sink, when it formats its lines in the shards (`flowLine`), else null. */
  readonly lineSink: string | null;
  readonly settings: readonly SettingAssignment[];
  readonly hashFactor: number;
  readonly packetMode: boolean;
  readonly color: boolean;
  readonly outputPrefix: string;
  readonly run: RunFacts;
  /**
   * Shared counters (Int32): `[STOP_AT]` becomes, on a stop request (SIGINT), the number of
   * records after which every shard stops reading (0: none), so that all stop at the same
   * packet; `[PENDING + shard]` counts the shard's batches the merge has not finished with (a
   * shard that is that far ahead waits).
   */
  readonly control: SharedArrayBuffer;
}

/** Index of the stop packet in {@linkcode ShardConfig.control}. */
export const STOP_AT = 0;
/** Index of shard 0's count of batches not yet merged in {@linkcode ShardConfig.control}. */
export const PENDING = 1;
/** Batches a shard may have waiting for the merge before it waits itself. */
export const MAX_PENDING = 8;

/** What a shard sends back. */
export type FromShard =
  | { readonly type: "batch"; readonly batch: ShardBatch }
  | {
    readonly type: "end";
    readonly batch: ShardBatch;
    readonly end: ShardEnd;
  }
  | { readonly type: "fallback"; readonly reason: string }
  | { readonly type: "error"; readonly message: string; readonly packet: number };

/** A shard's last words: its counters and its plugins' run-wide state. */
export interface ShardEnd {
  readonly counters: Counters;
  /** IPv6 fragment headers of all records (counted by every shard alike). */
  readonly ip6FragHeaders: number;
  /** Each shard plugin's `shardState()` (undefined without the hook), in load order. */
  readonly states: readonly unknown[];
  /** The flow-file columns' names, to check against the main thread's. */
  readonly columns: readonly string[];
  /** The report lines written during the run (shard 0: dissection's warnings, `Dump start`). */
  readonly report: Uint8Array;
}
