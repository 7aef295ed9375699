/**
 * connStat's run-wide state, all in one place (spec/plugins/connStat.md §3-§7): four maps
 * with T2's slot allocation — host pairs (`ipP`), initiators (`ipS`, which also holds every
 * sender's packet and byte totals), responders (`ipD`) and initiator/port pairs (`port`) —
 * their per-slot counters, and the run's maxima for the report.
 *
 * Every flow of the run updates this state, in T2's order of flow creation, packets and flow
 * ends; the counts belong to no single flow (what is kept per flow slot only remembers where
 * the flow's entries are, to spare lookups). A run that splits its flows over several workers
 * must therefore give connStat all flows in that order (one worker), or merge its events so.
 *
 * Addresses are 4 words (IPv4: the address, then 0s), as in the flow keys.
 *
 * @module
 */

import { NOT_FOUND, SlotMap } from "./slot_map.ts";

/** An address with its IP version and geo record, and a count: the report's maxima. */
export class Top {
  count = 0;
  version = 0;
  subnet = 0;
  readonly addr: Uint32Array = new Uint32Array(4);

  /** Take over `count` for the address at `words[at ..]`. */
  set(count: number, version: number, words: Uint32Array, at: number, subnet: number): void {
    this.count = count;
    this.version = version;
    this.subnet = subnet;
    for (let i = 0; i < 4; i++) this.addr[i] = words[at + i];
  }
}

/** The values of one flow row, taken when the flow ends. */
export interface FlowCounts {
  /** connSip: live distinct peers of the row's sender. */
  sip: number;
  /** connDip: live distinct peers of the row's receiver. */
  dip: number;
  /** connSipDip: live flows between initiator and responder. */
  sipDip: number;
  /** connSipDprt: live flows from the initiator to the responder port. */
  sipDprt: number;
  /** connNumPCnt, connNumBCnt: packets and bytes sent by the row's sender address. */
  pkts: number;
  bytes: number;
}

/** Which lookup of a flow's end found no entry (T2 warns; cannot happen with this bookkeeping). */
export type MissingEntry = "pair" | "port" | "src" | "dst";

/** How the tables behave (connStat settings). */
export interface TableOptions {
  /** Slots per map (262144 × hash factor). */
  readonly capacity: number;
  /** Flow slots of the run (flows are numbered below this). */
  readonly flows: number;
  /** CS_HSDRM: forget connections when their flows end. */
  readonly removeEnded: boolean;
  /** CS_SDIPMAX: numSDIP is the highest pair count (else the number of IP flows). */
  readonly pairMax: boolean;
}

/** The state connStat keeps over all flows of a run. */
export class ConnTables {
  readonly pairs: SlotMap;
  readonly srcs: SlotMap;
  readonly dsts: SlotMap;
  readonly ports: SlotMap;
  /** Per slot of `pairs`: live flows of the pair. */
  readonly pairCnt: Uint32Array;
  /** Per slot of `srcs`: live responders of the initiator. */
  readonly srcCnt: Uint32Array;
  /**
   * Per slot `s` of `srcs`: packets (`[2s]`) and bytes (`[2s+1]`) sent by the address, kept
   * when the slot is freed. (One array: a packet updates one cache line.)
   */
  readonly pb: Float64Array;
  /** Per slot of `dsts`: live initiators of the responder. */
  readonly dstCnt: Uint32Array;
  /** Per slot of `ports`: live flows of the initiator to the port. */
  readonly portCnt: Uint32Array;

  /** Report values (T2 numSIP, numDIP, numSDIP, numPort). */
  numSIP = 0;
  numDIP = 0;
  numSDIP = 0;
  numPort = 0;
  /** IP flows created. */
  ipFlows = 0;
  readonly sMax: Top = new Top();
  readonly dMax: Top = new Top();
  readonly pktTop: Top = new Top();
  readonly byteTop: Top = new Top();

  /**
   * What T2 reads as the packet and byte totals of a sender missing from `srcs` (§11): the
   * 16 bytes before its array, glibc's header of the page-rounded, mmapped block.
   */
  readonly missingBytes: number;

  readonly #removeEnded: boolean;
  readonly #pairMax: boolean;
  /**
   * Per pair slot: the initiator's `srcs` slot and the responder's `dsts` slot, bound as long
   * as the pair is (the pair holds one count on each).
   */
  readonly #pairSrc: Int32Array;
  readonly #pairDst: Int32Array;
  /**
   * Per flow, what its start found, to spare the lookups at its end: its pair and port slots
   * (bound while the flow lives, as it holds a count on each), and the sender's `srcs` slot
   * with the slot's generation then (the sender may leave the table). Slots are stored + 1:
   * 0 means none (a flow not started, or no packet counted yet).
   */
  readonly #flowPair: Int32Array;
  readonly #flowPort: Int32Array;
  /** `[2f]`: flow f's sender slot + 1, `[2f+1]`: its generation. */
  readonly #flowSender: Uint32Array;
  // Keys: [version, address words...] (+ second address or port).
  readonly #pairKey = new Uint32Array(9);
  readonly #hostKey = new Uint32Array(5);
  readonly #portKey = new Uint32Array(6);

  constructor(o: TableOptions) {
    const n = o.capacity;
    this.pairs = new SlotMap(n, 9);
    this.srcs = new SlotMap(n, 5);
    this.dsts = new SlotMap(n, 5);
    this.ports = new SlotMap(n, 6);
    this.pairCnt = new Uint32Array(n);
    this.srcCnt = new Uint32Array(n);
    this.pb = new Float64Array(2 * n);
    this.dstCnt = new Uint32Array(n);
    this.portCnt = new Uint32Array(n);
    this.missingBytes = n * 16 + 4096 + 2;
    this.#removeEnded = o.removeEnded;
    this.#pairMax = o.pairMax;
    this.#pairSrc = new Int32Array(n);
    this.#pairDst = new Int32Array(n);
    this.#flowPair = new Int32Array(o.flows);
    this.#flowPort = new Int32Array(o.flows);
    this.#flowSender = new Uint32Array(2 * o.flows);
  }

  #pair(ver: number, w: Uint32Array, i: number, r: number): Uint32Array {
    const k = this.#pairKey;
    k[0] = ver;
    for (let j = 0; j < 4; j++) {
      k[1 + j] = w[i + j];
      k[5 + j] = w[r + j];
    }
    return k;
  }

  #host(ver: number, w: Uint32Array, a: number): Uint32Array {
    const k = this.#hostKey;
    k[0] = ver;
    for (let j = 0; j < 4; j++) k[1 + j] = w[a + j];
    return k;
  }

  #port(ver: number, w: Uint32Array, i: number, port: number): Uint32Array {
    const k = this.#portKey;
    k[0] = ver;
    for (let j = 0; j < 4; j++) k[1 + j] = w[i + j];
    k[5] = port;
    return k;
  }

  /** Insert or report the map as full (`onFull` does not return). */
  #insert(map: SlotMap, key: Uint32Array, name: string, onFull: (m: string) => never): number {
    const slot = map.insert(key);
    if (slot === NOT_FOUND) onFull(name);
    return slot;
  }

  /**
   * IP flow `flow` starts (§5): initiator at `w[i ..]`, responder at `w[r ..]`, responder port
   * `port`, geo records `subI`, `subR`. `onFull` is called with the map's name when a map
   * has no free slot.
   */
  flowStarts(
    flow: number,
    ver: number,
    w: Uint32Array,
    i: number,
    r: number,
    port: number,
    subI: number,
    subR: number,
    onFull: (map: string) => never,
  ): void {
    this.#flowPair[flow] = this.#flowPort[flow] = this.#flowSender[2 * flow] = 0;
    this.ipFlows++;
    let k = this.pairs.lookup(this.#pair(ver, w, i, r));
    if (k !== NOT_FOUND) this.pairCnt[k]++;
    else {
      k = this.#insert(this.pairs, this.#pairKey, "ipP", onFull);
      this.pairCnt[k] = 1;
      let s = this.srcs.lookup(this.#host(ver, w, i));
      if (s !== NOT_FOUND) this.srcCnt[s]++;
      else {
        s = this.#insert(this.srcs, this.#hostKey, "ipS", onFull);
        this.srcCnt[s] = 1; // the packet totals of the slot's last owner stay
        this.numSIP++;
      }
      if (this.sMax.count < this.srcCnt[s]) this.sMax.set(this.srcCnt[s], ver, w, i, subI);
      let d = this.dsts.lookup(this.#host(ver, w, r));
      if (d !== NOT_FOUND) this.dstCnt[d]++;
      else {
        d = this.#insert(this.dsts, this.#hostKey, "ipD", onFull);
        this.dstCnt[d] = 1;
        this.numDIP++;
      }
      if (this.dMax.count < this.dstCnt[d]) this.dMax.set(this.dstCnt[d], ver, w, r, subR);
      this.#pairSrc[k] = s;
      this.#pairDst[k] = d;
    }
    if (this.#pairMax) {
      if (this.numSDIP < this.pairCnt[k]) this.numSDIP = this.pairCnt[k];
    } else {
      this.numSDIP = this.ipFlows;
    }
    let p = this.ports.lookup(this.#port(ver, w, i, port));
    if (p !== NOT_FOUND) this.portCnt[p]++;
    else {
      p = this.#insert(this.ports, this.#portKey, "port", onFull);
      this.portCnt[p] = 1;
    }
    if (this.numPort < this.portCnt[p]) this.numPort = this.portCnt[p];
    this.#flowPair[flow] = k + 1;
    this.#flowPort[flow] = p + 1;
  }

  /**
   * A packet of `len` bytes of IP flow `flow` (§6), counted for its sender if the flow knows
   * the sender's slot and the slot is still the sender's; otherwise false: call
   * {@linkcode packet}. (Only a flow's first packet, and the first after its sender left the
   * table, need the lookup.)
   */
  packetOfKnownSender(flow: number, len: number): boolean {
    const fs = this.#flowSender;
    const s = fs[2 * flow] - 1;
    if (s < 0 || this.srcs.generation[s] !== fs[2 * flow + 1]) return false;
    this.pb[2 * s]++;
    this.pb[2 * s + 1] += len;
    return true;
  }

  /** A packet of `len` bytes of IP flow `flow`, whose source address is at `w[a ..]` (§6). */
  packet(
    flow: number,
    ver: number,
    w: Uint32Array,
    a: number,
    len: number,
    onFull: (map: string) => never,
  ): void {
    let s = this.srcs.lookup(this.#host(ver, w, a));
    if (s === NOT_FOUND) {
      s = this.#insert(this.srcs, this.#hostKey, "ipS", onFull);
      this.pb[2 * s] = 0;
      this.pb[2 * s + 1] = 0;
    }
    this.#flowSender[2 * flow] = s + 1;
    this.#flowSender[2 * flow + 1] = this.srcs.generation[s];
    this.pb[2 * s]++;
    this.pb[2 * s + 1] += len;
  }

  /** The `srcs` slot of the address at `w[a ..]`, the sender of `flow`, or NOT_FOUND. */
  #senderSlot(flow: number, ver: number, w: Uint32Array, a: number): number {
    const s = this.#flowSender[2 * flow] - 1;
    if (s >= 0 && this.srcs.generation[s] === this.#flowSender[2 * flow + 1]) return s;
    return this.srcs.lookup(this.#host(ver, w, a));
  }

  /**
   * IP flow `flow` ends (§7): its values into `out`, then its connections are forgotten.
   * `reply`: the row's sender is the responder. The sender's address is at `w[sender ..]`
   * with geo record `subSender`. Returns the lookups that failed (T2 warns about them), or
   * null.
   */
  flowEnds(
    flow: number,
    ver: number,
    w: Uint32Array,
    i: number,
    r: number,
    port: number,
    reply: boolean,
    sender: number,
    subSender: number,
    out: FlowCounts,
  ): MissingEntry[] | null {
    let k = this.#flowPair[flow] - 1;
    let p = this.#flowPort[flow] - 1;
    let sI: number;
    let dR: number;
    if (k >= 0 && p >= 0) {
      sI = this.#pairSrc[k];
      dR = this.#pairDst[k];
    } else { // the flow's start did not finish (a full table stopped the run): as T2, look up
      k = this.pairs.lookup(this.#pair(ver, w, i, r));
      p = this.ports.lookup(this.#port(ver, w, i, port));
      sI = this.srcs.lookup(this.#host(ver, w, i));
      dR = this.dsts.lookup(this.#host(ver, w, r));
    }
    const srcCnt = sI === NOT_FOUND ? 0 : this.srcCnt[sI];
    const dstCnt = dR === NOT_FOUND ? 0 : this.dstCnt[dR];
    const ownFound = reply ? dR !== NOT_FOUND : sI !== NOT_FOUND;
    out.sip = reply ? dstCnt : srcCnt;
    out.dip = reply ? srcCnt : dstCnt;
    out.sipDip = k === NOT_FOUND ? 0 : this.pairCnt[k];
    out.sipDprt = p === NOT_FOUND ? 0 : this.portCnt[p];
    if (!ownFound) {
      out.pkts = 0;
      out.bytes = 0;
    } else {
      const x = reply ? this.#senderSlot(flow, ver, w, sender) : sI;
      out.pkts = x === NOT_FOUND ? 0 : this.pb[2 * x];
      out.bytes = x === NOT_FOUND ? this.missingBytes : this.pb[2 * x + 1];
      if (this.pktTop.count < out.pkts) this.pktTop.set(out.pkts, ver, w, sender, subSender);
      if (this.byteTop.count < out.bytes) this.byteTop.set(out.bytes, ver, w, sender, subSender);
    }
    let missing: MissingEntry[] | null = null;
    if (k === NOT_FOUND) (missing ??= []).push("pair");
    if (p === NOT_FOUND) (missing ??= []).push("port");
    if (sI === NOT_FOUND) (missing ??= []).push("src");
    if (dR === NOT_FOUND) (missing ??= []).push("dst");
    if (!this.#removeEnded) return missing;
    if (p !== NOT_FOUND && --this.portCnt[p] === 0) this.ports.remove(p);
    if (k !== NOT_FOUND && --this.pairCnt[k] === 0) {
      this.pairs.remove(k);
      if (sI !== NOT_FOUND && --this.srcCnt[sI] === 0) this.srcs.remove(sI);
      if (dR !== NOT_FOUND && --this.dstCnt[dR] === 0) this.dsts.remove(dR);
    }
    return missing;
  }
}
