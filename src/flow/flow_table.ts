/**
 * The flow table and its rules (T2's flow hash map, spec/README.md §2, spec/timeouts.md): finds
 * the flow of a packet or creates it, pairs a new flow with its opposite direction (A/B),
 * follows fragments to the flow of their first fragment, keeps the flows in LRU order, and
 * removes pairs when they time out, when the table is full (the hash autopilot) and at the end
 * of the input.
 *
 * It bumps no counter and calls no plugin. What the run needs to know comes out at two seams,
 * the methods of {@linkcode FlowLife}: a flow begins (`flowCreated`), a pair ends
 * (`pairEnding`). A run split over several flow tables (one per worker, each holding the flows
 * of its share of the addresses) orders flows globally at these two seams: flows are created
 * in packet order, and a pair ends either in the timeout cycle before packet
 * `numPackets + 1`, in the autopilot while packet `numPackets` is looked up, or at the end of
 * the input; within one cycle or flush, pairs end oldest first, and {@linkcode
 * FlowTable.lastPktNo} gives each flow's place in the LRU order. Besides, the table reports
 * per packet whether it counted as a fragment ({@linkcode FlowTable.fragment}) and the status
 * bits its rules set ({@linkcode FlowTable.warnLo}, {@linkcode FlowTable.warnHi}).
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { type Packet, PacketKind } from "../dissect/packet.ts";
import { startsAsReply } from "./direction.ts";
import { ipKeyInto, l2KeyInto, portsWord, reverseIpKeyInto, reverseL2KeyInto } from "./flow_key.ts";
import { Flows } from "./flows.ts";
import { Fragments } from "./fragments.ts";
import { KEY_WORDS } from "./key_table.ts";
import { FlowLru } from "./lru.ts";

/** Why a pair leaves the table: its flows timed out (the LRU cycle). */
export const END_TIMEOUT = 0;
/** Why a pair leaves the table: the table was full and it was the oldest (hash autopilot). */
export const END_AUTOPILOT = 1;
/** Why a pair leaves the table: the input ended. */
export const END_FLUSH = 2;

/** What the owner of a flow table hears of: a flow's beginning and a pair's end. */
export interface FlowLife {
  /**
   * Flow `flow` was just created for packet `p`: keyed, initialised, at the head of the LRU
   * list and linked to its opposite when that is in the table (`flows.opposite[flow] >= 0`:
   * this is the pair's B flow). Nothing else has read it yet: this is where a flow gets its
   * flow index and the plugins' `onNewFlow` runs.
   */
  flowCreated(p: Packet, flow: number): void;
  /**
   * The pair of `flow` (the flow and its opposite, if any) leaves the table for reason `end`
   * ({@linkcode END_TIMEOUT}, {@linkcode END_AUTOPILOT}, {@linkcode END_FLUSH}). Called
   * before anything is removed, so the flows can be output; returns nothing, they are gone
   * after.
   */
  pairEnding(flow: number, end: number): void;
}

/** How a flow table is made. */
export interface FlowTableOptions {
  /** Most flows held at once (T2: 262144 × the hash factor). */
  readonly capacity: number;
  /** A new flow's timeout in seconds (T2 FLOW_TIMEOUT); registered as the first timeout. */
  readonly flowTimeout: number;
  /** Who hears of flows created and pairs ending. */
  readonly life: FlowLife;
}

/** The flows in memory and the rules that find, create, pair and remove them. */
export class FlowTable {
  /** Per-flow state of the core, indexed by flow slot (what plugins read as `ctx.flows`). */
  readonly flows: Flows;
  /**
   * Number of each flow's last packet that went through the lookup (the packet that created
   * it or found it by its key; later fragments find their flow another way and leave it).
   * The LRU list holds flows in the order of this number, oldest first.
   */
  readonly lastPktNo: Float64Array;
  /** Whether the last packet given to {@linkcode ipFlow} counted as an IPv4/IPv6 fragment. */
  fragment = false;
  /**
   * Status bits (0-31) the table's rules set on any flow so far, and those it only reports to
   * the run: for the run's aggregated flowStat (T2 globalWarn).
   */
  warnLo = 0;
  /** Status bits 32-63 (shifted down by 32), as {@linkcode warnLo}. */
  warnHi = 0;

  readonly #lru: FlowLru;
  readonly #frags: Fragments;
  readonly #life: FlowLife;
  readonly #flowTimeout: number;
  readonly #key = new Uint32Array(KEY_WORDS);

  /** An empty table. */
  constructor(opts: FlowTableOptions) {
    const capacity = opts.capacity;
    this.flows = new Flows(capacity);
    this.lastPktNo = new Float64Array(capacity);
    this.#lru = new FlowLru(capacity);
    this.#frags = new Fragments(capacity, this.flows);
    this.#life = opts.life;
    this.#flowTimeout = Math.fround(opts.flowTimeout);
    this.#lru.addHandler(this.#flowTimeout);
  }

  /** Flows in memory now. */
  get size(): number {
    return this.flows.table.count;
  }

  /**
   * Register a timeout value in seconds (T2: one LRU handler per value); a value registered
   * already is ignored. Every value a flow's timeout can take must be registered.
   */
  addTimeout(seconds: number): void {
    this.#lru.addHandler(seconds);
  }

  /** Rank of the timeout handler whose walk is ending pairs now (0 = the largest timeout). */
  get walkingHandler(): number {
    return this.#lru.walking;
  }

  /** The flow where the walk of handler `rank` (see timeouts) stopped last, or -1. */
  walkStop(rank: number): number {
    const p = this.#lru.stopOf(rank);
    return this.#lru.isSentinel(p) ? -1 : p;
  }

  /** Registered timeout values, largest first. */
  get timeouts(): number[] {
    return this.#lru.timeouts;
  }

  // ---------------------------------------------------------------- lookup and creation
  /**
   * The flow of IP packet `p`, created when it has none. A later fragment belongs to the flow
   * of its datagram's first fragment; a first fragment registers its datagram.
   */
  ipFlow(p: Packet): number {
    // The common packet takes the lines below and no other call than the lookup and the LRU
    // touch: kept small, so that the compiler inlines those into the engine's packet step.
    this.fragment = false;
    let noHead = false;
    if (!p.firstFragment) {
      const owner = this.#laterFragment(p);
      if (owner >= 0) return owner;
      noHead = true;
    }
    const flows = this.flows;
    const flow = flows.table.lookup(ipKeyInto(this.#key, p, portsWord(p), p.l4Proto), 0);
    if (flow < 0) return this.#createIp(p, noHead);
    this.#touch(flow, p);
    if (p.kind === PacketKind.IPV4) {
      const id = p.ipId;
      if (id !== 0 && id === flows.lastIPID[flow]) this.#mark(flow, 0, S.DUPIPID_H);
      flows.lastIPID[flow] = id;
    }
    // Offset or more-fragments bits (IPv4), offset or M bit (IPv6), or a datagram pending.
    if (noHead || (p.ipOff & 0x3fff) !== 0 || (flows.statusHi[flow] & S.IPV4_FRAG_PENDING_H)) {
      this.#fragmentRules(p, flow, noHead);
    }
    return flow;
  }

  /**
   * A fragment after the first: the flow of its datagram, or -1 when its first fragment was
   * not seen (the run's flowStat learns of it; the packet then goes by its flow key).
   */
  #laterFragment(p: Packet): number {
    const flow = this.#frags.ownerOfLater(p);
    if (flow >= 0) this.fragment = true;
    else this.warnHi |= S.IPV4_FRAG_H | S.IPV4_FRAG_HDSEQ_ERR_H;
    return flow;
  }

  /**
   * The fragment rules of a packet that found its flow by key: a first fragment, or one whose
   * first fragment is missing (`noHead`), registers its datagram; any other packet of a flow
   * with a datagram pending marks the flow.
   */
  #fragmentRules(p: Packet, flow: number, noHead: boolean): void {
    const v6 = p.kind === PacketKind.IPV6;
    const firstFragment = v6
      ? p.ip6FragOff >= 0 && (p.ipOff & 0xfff9) === 0x0001
      : (p.ipOff & 0x3fff) === 0x2000;
    if (firstFragment || noHead) {
      if (noHead) this.#mark(flow, 0, S.IPV4_FRAG_HDSEQ_ERR_H);
      this.fragment = true;
      if (!v6) p.statusHi |= S.IPV4_FRAG_H;
      this.#mark(flow, 0, S.IPV4_FRAG_H);
      if (!this.#frags.register(p, flow)) this.#mark(flow, 0, S.IPV4_FRAG_ERR_H);
    } else if (this.flows.statusHi[flow] & S.IPV4_FRAG_PENDING_H) {
      this.#mark(flow, 0, S.IPV4_FRAG_ERR_H);
    }
  }

  /** A new IP flow for `p` (its key in `#key`), then its fragment rules. */
  #createIp(p: Packet, noHead: boolean): number {
    const flow = this.#newFlow(p, p.kind === PacketKind.IPV6 ? S.L2_IPV6 : S.L2_IPV4);
    const k = reverseIpKeyInto(this.#key, this.flows.table.keys, flow * KEY_WORDS, p);
    if (!this.#linkReverse(flow, k, p.l4Proto === 6) && startsAsReply(p)) {
      this.flows.statusLo[flow] |= S.L3FLOWINVERT;
    }
    this.#life.flowCreated(p, flow);
    this.#fragmentRules(p, flow, noHead);
    return flow;
  }

  /** The flow of layer-2 packet `p` (no IP), created when it has none. */
  l2Flow(p: Packet): number {
    const k = l2KeyInto(this.#key, p);
    let flow = this.flows.table.lookup(k, 0);
    if (flow >= 0) {
      this.#touch(flow, p);
      return flow;
    }
    flow = this.#newFlow(p, S.L2_FLOW);
    this.#linkReverse(flow, reverseL2KeyInto(k, this.flows.table.keys, flow * KEY_WORDS, p), false);
    this.#life.flowCreated(p, flow);
    return flow;
  }

  /**
   * Insert the key in `#key` for packet `p` (making room first when the table is full) and
   * initialise the flow's core state, with status bit `kind`.
   */
  #newFlow(p: Packet, kind: number): number {
    const flows = this.flows;
    if (flows.table.full) this.#autopilot();
    const flow = flows.table.insert(this.#key, 0);
    flows.statusLo[flow] = 0;
    flows.statusHi[flow] = 0;
    flows.timeout[flow] = this.#flowTimeout;
    flows.opposite[flow] = -1;
    flows.firstSec[flow] = flows.lastSec[flow] = p.tsSec;
    flows.firstNs[flow] = flows.lastNs[flow] = p.tsNs;
    flows.padLen[flow] = 0;
    flows.lastIPID[flow] = -1;
    flows.lastFragIPID[flow] = 0;
    flows.subnetSrc[flow] = 0;
    flows.subnetDst[flow] = 0;
    this.#mark(flow, kind, 0);
    this.#touch(flow, p);
    return flow;
  }

  /**
   * Link new flow `flow` with the flow of `reverseKey` if present. Returns false when the
   * flow stays alone and its direction is still to be guessed: not when its reverse key is
   * its own key (same addresses and ports; a TCP one is a land attack).
   */
  #linkReverse(flow: number, reverseKey: Uint32Array, tcpLand: boolean): boolean {
    const flows = this.flows;
    const rev = flows.table.lookup(reverseKey, 0);
    if (rev === flow) {
      if (tcpLand) this.#mark(flow, 0, S.LANDATTACK_H);
      return true;
    }
    if (rev < 0) return false;
    flows.opposite[rev] = flow;
    flows.opposite[flow] = rev;
    if (!(flows.statusLo[rev] & S.L3FLOWINVERT)) flows.statusLo[flow] |= S.L3FLOWINVERT;
    return true;
  }

  #touch(flow: number, p: Packet): void {
    this.#lru.touch(flow);
    this.lastPktNo[flow] = p.pktNo;
  }

  /** Set status bits of a flow the way T2_SET_STATUS does (the run's flowStat too). */
  #mark(flow: number, lo: number, hi: number): void {
    this.flows.statusLo[flow] |= lo;
    this.flows.statusHi[flow] |= hi;
    this.warnLo |= lo;
    this.warnHi |= hi;
  }

  // ---------------------------------------------------------------- removal
  /**
   * The table is full: the oldest pair leaves (T2's hash autopilot removes the flow at the
   * LRU list's tail and its opposite). A full table always has an oldest flow.
   */
  #autopilot(): void {
    const victim = this.#lru.oldest();
    if (victim < 0) return;
    this.#mark(victim, 0, S.RMFLOW_HFULL_H);
    this.#end(victim, END_AUTOPILOT);
  }

  /**
   * End the pairs whose flows have timed out at packet time `nowSec.nowNs` (T2
   * cycleLRULists), oldest first per timeout value, the largest value first.
   */
  cycle(nowSec: number, nowNs: number): void {
    this.#lru.cycle(nowSec, nowNs, this.flows, this.#timedOut);
  }

  readonly #timedOut = (flow: number): number => this.#end(flow, END_TIMEOUT);

  /** End of the input: end every pair still in memory, oldest first. */
  flush(): void {
    const lru = this.#lru;
    let p = lru.prev[lru.tail];
    while (p !== lru.head) {
      if (lru.isSentinel(p)) p = lru.prev[p];
      else p = this.#end(p, END_FLUSH);
    }
  }

  /**
   * Tell of the end of `flow`'s pair, then remove it (T2 removeFlow); returns the LRU node
   * head-side of `flow` that is still in the list.
   */
  #end(flow: number, end: number): number {
    this.#life.pairEnding(flow, end);
    const flows = this.flows;
    const lru = this.#lru;
    let prev = lru.prev[flow];
    const opp = flows.opposite[flow];
    for (let side = 0; side < 2; side++) {
      const f = side === 0 ? flow : opp;
      if (f < 0) break;
      if (this.#frags.release(f)) this.warnHi |= S.IPV4_FRAG_PENDING_H;
      flows.table.remove(f);
      const fprev = lru.prev[f];
      lru.unlink(f);
      if (prev === f) prev = fprev;
    }
    return prev;
  }
}
