/**
 * What the engine asks of a shard (a run over several flow tables, `--threads N`,
 * docs/multicore.md): which packets are its own, and where the events a merge needs go. In
 * one thread the engine has no shard.
 *
 * @module
 */

import type { Packet } from "../../dissect/packet.ts";
import type { FlowTable } from "../../flow/flow_table.ts";
import type { OutputBuffer } from "../../plugin/output_buffer.ts";

/**
 * A sharded attempt cannot be exact from here on (time going back, a later IPv4 fragment, a
 * full flow table, a plugin that prints during the run, ...): the run starts again in one
 * thread. The message says why.
 */
export class ShardFallback extends Error {}

/** The engine's view of its shard. */
export interface ShardRole {
  /** The engine's flow table (once, when the engine is made). */
  attach(table: FlowTable): void;
  /** Every record, before the timeout cycle (throws {@linkcode ShardFallback}). */
  record(tsSec: number, tsNs: number): void;
  /** Every record, after the timeout cycle (throws {@linkcode ShardFallback}). */
  afterCycle(tsSec: number, tsNs: number): void;
  /**
   * Before dissection (the packet reset, numbered, timed): whether the record is certainly
   * another shard's and this shard need not dissect or count it (a shard other than 0, which
   * counts every record's dissection for the run).
   */
  skips(p: Packet): boolean;
  /** After dissection and the record's counters: whether the packet's flow is this shard's. */
  owns(p: Packet): boolean;
  /**
   * After an own flow packet went through its flow `flow` (its packet line, if any, is
   * complete); `fragment`: the flow table counted it as a fragment.
   */
  packetDone(flow: number, fragment: boolean): void;
  /** A flow was created by packet `pktNo`: `index` is its A flow's index (0: a B flow). */
  flowCreated(pktNo: number, index: number): void;
  /**
   * A pair ends: `end` (flow_table.ts END_*), the rank of the timeout handler whose walk ends
   * it, the LRU stamp of the flow met, and the packets read so far.
   */
  pairEnding(end: number, handler: number, stamp: number, packets: number): void;
  /** One flow line (instead of the sinks), in the place of the pair that is ending. */
  row(out: OutputBuffer): void;
}
