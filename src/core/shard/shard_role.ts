/**
 * One shard of a run over several threads (docs/multicore.md): owns the packets whose flow
 * addresses hash to it, sees every packet's time, and collects its events for the merge
 * ({@linkcode BatchBuilder}). It gives up ({@linkcode ShardFallback}) where a shard's timeout
 * walk could differ from one thread's (docs/multicore.md §3): time going back, and a walk that
 * stops at a flow a later IPv4 fragment kept young (the fragment refreshes its flow's time
 * without moving it in the LRU list; one thread's walk would stop there for every shard's
 * flows). One thread's full table (the autopilot) is found by the merge.
 *
 * @module
 */

import { type Packet, PacketKind } from "../../dissect/packet.ts";
import { plainIpv4At } from "../../dissect/plain_ipv4.ts";
import { END_AUTOPILOT, END_FLUSH } from "../../flow/flow_table.ts";
import type { FlowTable } from "../../flow/flow_table.ts";
import type { FlowLineFormat } from "../../plugin/api.ts";
import type { Column } from "../../plugin/columns.ts";
import { FLOW_INDEX_SLOT, type OutputBuffer } from "../../plugin/output_buffer.ts";
import { ByteWriter } from "../../output/byte_writer.ts";
import { AT_CREATE, AT_FLUSH, AT_LINE, BatchBuilder, PER_PACKET } from "./batch.ts";
import { ShardFallback, type ShardRole } from "./role.ts";

/** Events after which a batch goes out even between records (the end-of-input lines). */
const ROWS_PER_BATCH = 4096;

/** A 32-bit mix of one word (murmur3's finalizer). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The shard of a dissected packet's flow, in `[0, shards)`: a symmetric hash of its key's two
 * addresses (IP: innermost source and destination, their words folded; pure layer 2: the two
 * MACs), so that both directions and every fragment land in one shard. Packets without a
 * flow: shard 0.
 */
export function shardOf(p: Packet, shards: number): number {
  let h: number;
  if (p.kind === PacketKind.IPV4 || p.kind === PacketKind.IPV6) {
    const a = p.addr;
    h = mix(a[0] ^ a[1] ^ a[2] ^ a[3]) + mix(a[4] ^ a[5] ^ a[6] ^ a[7]);
  } else if (p.kind === PacketKind.L2) {
    const l2 = p.l2Off;
    h = mix(p.u16(l2) ^ p.u32(l2 + 2)) + mix(p.u16(l2 + 6) ^ p.u32(l2 + 8));
  } else return 0;
  return (h >>> 0) % shards;
}

/** The engine's shard: see the module. */
export class Shard implements ShardRole {
  readonly shard: number;
  readonly shards: number;
  readonly events: BatchBuilder = new BatchBuilder();
  /** IPv6 fragment headers of all records (what every shard's counter holds besides its own). */
  ip6FragHeaders = 0;
  readonly #lines: ByteWriter | null;
  #lastSec = -Infinity;
  #lastNs = 0;
  #keyHi = 0;
  #keyLo = 0;
  #pktNo = 0;
  #tsSec = 0;
  #tsNs = 0;
  #table: FlowTable | null = null;
  // Per flow: the time of its last LRU touch, and whether a later fragment refreshed it since.
  #touchSec = new Float64Array(0);
  #touchNs = new Float64Array(0);
  #refreshed = new Uint8Array(0);
  #refreshedCount = 0;
  /** The table's timeouts, largest first (fixed once the plugins' `init` ran). */
  #timeouts: number[] | null = null;

  /** @param lines The packet lines' writer (`-s`), else null. */
  constructor(shard: number, shards: number, lines: ByteWriter | null) {
    this.shard = shard;
    this.shards = shards;
    this.#lines = lines;
  }

  attach(table: FlowTable): void {
    this.#table = table;
    const n = table.flows.capacity;
    this.#touchSec = new Float64Array(n);
    this.#touchNs = new Float64Array(n);
    this.#refreshed = new Uint8Array(n);
  }

  record(tsSec: number, tsNs: number): void {
    if (tsSec < this.#lastSec || (tsSec === this.#lastSec && tsNs < this.#lastNs)) {
      throw new ShardFallback("time goes back");
    }
    this.#lastSec = tsSec;
    this.#lastNs = tsNs;
  }

  afterCycle(nowSec: number, nowNs: number): void {
    if (this.#refreshedCount === 0) return;
    const t = this.#table!;
    const timeouts = this.#timeouts ??= t.timeouts.map(Math.fround);
    for (let i = 0; i < timeouts.length; i++) {
      const p = t.walkStop(i);
      if (p < 0 || this.#refreshed[p] === 0) continue;
      // Old enough by its place in the list: one thread's walk stopped here only because of
      // the fragment's time, and would not have looked at younger-placed flows of any shard.
      const age = Math.fround(
        Math.fround(nowSec - this.#touchSec[p]) + (nowNs - this.#touchNs[p]) / 1e9,
      );
      if (age >= timeouts[i]) {
        throw new ShardFallback("a later IPv4 fragment kept a flow in memory past its turn");
      }
    }
  }

  skips(p: Packet): boolean {
    if (this.shard === 0) return false;
    const ip = plainIpv4At(p);
    if (ip < 0) return false;
    // shardOf's hash of the two IPv4 addresses, read from the bytes.
    const d = p.data;
    const src = (d[ip + 12] << 24) | (d[ip + 13] << 16) | (d[ip + 14] << 8) | d[ip + 15];
    const dst = (d[ip + 16] << 24) | (d[ip + 17] << 16) | (d[ip + 18] << 8) | d[ip + 19];
    return ((mix(src) + mix(dst)) >>> 0) % this.shards !== this.shard;
  }

  owns(p: Packet): boolean {
    this.#pktNo = p.pktNo;
    this.#tsSec = p.tsSec;
    this.#tsNs = p.tsNs;
    this.#later = !p.firstFragment;
    this.ip6FragHeaders += p.ip6FragHeaders;
    return shardOf(p, this.shards) === this.shard;
  }
  #later = false;

  packetDone(flow: number, fragment: boolean): void {
    if (this.#later && fragment) {
      // Found by its datagram: the flow's time moves, its place in the LRU list does not.
      if (this.#refreshed[flow] === 0) this.#refreshedCount++;
      this.#refreshed[flow] = 1;
    } else {
      this.#touchSec[flow] = this.#tsSec;
      this.#touchNs[flow] = this.#tsNs;
      if (this.#refreshed[flow] !== 0) {
        this.#refreshed[flow] = 0;
        this.#refreshedCount--;
      }
    }
    const w = this.#lines;
    if (w !== null && w.written !== this.#lineEnd) {
      this.#lineEnd = w.written;
      this.events.line(this.#pktNo * PER_PACKET + AT_LINE, w.written - this.#linesBase);
    }
  }
  #lineEnd = 0;
  #linesBase = 0;

  /** The packet lines of the next batch start here (bytes written so far). */
  linesFrom(written: number): void {
    this.#linesBase = written;
    this.#lineEnd = written;
  }

  flowCreated(pktNo: number, index: number): void {
    this.events.create(pktNo * PER_PACKET + AT_CREATE, index);
  }

  pairEnding(end: number, handler: number, stamp: number, packets: number): void {
    if (end === END_AUTOPILOT) throw new ShardFallback("the flow table is full");
    this.#keyHi = (packets + 1) * PER_PACKET + (end === END_FLUSH ? AT_FLUSH : handler);
    this.#keyLo = stamp;
  }

  /** Called when the events of a batch are many (flush lines: send them on). */
  full: () => void = () => {};

  #format: FlowLineFormat | null = null;
  #columns: readonly Column[] = [];
  #flowLines: ByteWriter | null = null;
  #flowBase = 0;

  /** Format the flow lines here with the run's sink's `flowLine` (else they go as values). */
  formatLines(format: FlowLineFormat, columns: readonly Column[]): void {
    this.#format = format;
    this.#columns = columns;
    this.#flowLines = new ByteWriter(null, 1 << 20);
  }

  /** The formatted flow lines of the batch (and a fresh start). */
  takeFlowLines(): Uint8Array {
    const w = this.#flowLines;
    if (w === null) return new Uint8Array(0);
    const bytes = w.takeBytes();
    this.#flowBase = w.written;
    return bytes;
  }

  row(out: OutputBuffer): void {
    if (this.events.count >= ROWS_PER_BATCH) this.full();
    const w = this.#flowLines;
    if (w !== null) {
      const at = this.#format!(out, this.#columns, w);
      const base = this.#flowBase;
      this.events.rowLine(
        this.#keyHi,
        this.#keyLo,
        w.written - base,
        at < 0 ? -1 : at - base,
        out.nums[FLOW_INDEX_SLOT],
        out.notes,
        out.noteCount,
      );
      return;
    }
    this.events.row(
      this.#keyHi,
      this.#keyLo,
      out.nums,
      out.tags,
      out.length,
      out.strs.slice(0, out.strCount),
      out.notes,
      out.noteCount,
    );
  }
}
