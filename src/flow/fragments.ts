/**
 * Fragmented IPv4 and IPv6 datagrams in flight: the first fragment (or a fragment whose first
 * one was never seen) registers its datagram for its flow, later fragments find that flow by
 * the datagram's key (the flow key with the IP ID in place of the ports), and the last fragment
 * ends the datagram. A flow has at most one datagram pending (flowStat `IPV4_FRAG_PENDING_H`,
 * its IP ID in `Flows.lastFragIPID`).
 *
 * @module
 */

import { IPV4_FRAG_PENDING_H } from "../base/flow_status.ts";
import { type Packet, PacketKind } from "../dissect/packet.ts";
import { ipKeyInto, KEY_PORTS } from "./flow_key.ts";
import type { Flows } from "./flows.ts";
import { KEY_WORDS, KeyTable } from "./key_table.ts";

/** The datagrams pending, by key, and the flow owning each. */
export class Fragments {
  readonly #flows: Flows;
  readonly #keys: KeyTable;
  readonly #owner: Int32Array;
  readonly #key = new Uint32Array(KEY_WORDS);

  /** Room for `capacity` datagrams at once, owned by flows of `flows`. */
  constructor(capacity: number, flows: Flows) {
    this.#flows = flows;
    this.#keys = new KeyTable(capacity);
    this.#owner = new Int32Array(capacity);
  }

  /** Datagrams pending now. */
  get size(): number {
    return this.#keys.count;
  }

  /**
   * The flow of later fragment `p`'s datagram, or -1 when its first fragment was not seen.
   * The last fragment ends the datagram. T2 looks IPv6 fragments up with protocol 0, so they
   * are never found (reference: ipv6-fragments-udp-mdns).
   */
  ownerOfLater(p: Packet): number {
    const v6 = p.kind === PacketKind.IPV6;
    const fi = this.#keys.lookup(ipKeyInto(this.#key, p, p.ipId, v6 ? 0 : p.l4Proto), 0);
    if (fi < 0) return -1;
    const flow = this.#owner[fi];
    const moreFragments = v6 ? (p.ipOff & 0x0001) !== 0 : (p.ipOff & 0x2000) !== 0;
    if (!moreFragments) {
      this.#drop(fi);
      this.#flows.statusHi[flow] &= ~IPV4_FRAG_PENDING_H;
    }
    return flow;
  }

  /**
   * Register the datagram of `p` (a first fragment, or one whose first fragment is missing)
   * as `flow`'s pending one. Returns false when the flow's previous datagram was not complete
   * or not found (T2's IPV4_FRAG_ERR). A datagram another flow registered with the same key
   * passes to `flow`; when the table is full the datagram is not remembered.
   */
  register(p: Packet, flow: number): boolean {
    const flows = this.#flows;
    const id = p.ipId;
    const k = ipKeyInto(this.#key, p, id, p.l4Proto);
    let ok = true;
    let fi = -1;
    if (flows.statusHi[flow] & IPV4_FRAG_PENDING_H) {
      k[KEY_PORTS] = flows.lastFragIPID[flow];
      const old = this.#keys.lookup(k, 0);
      if (old < 0) ok = false;
      else {
        this.#drop(old);
        if (flows.lastFragIPID[flow] !== id) ok = false;
      }
      k[KEY_PORTS] = id;
    } else if ((fi = this.#keys.lookup(k, 0)) >= 0) {
      // Two flows with the same datagram key: the newer one takes it over.
      flows.statusHi[this.#owner[fi]] &= ~IPV4_FRAG_PENDING_H;
      this.#owner[fi] = flow;
    }
    if (fi < 0 && !this.#keys.full) {
      fi = this.#keys.insert(k, 0);
      this.#owner[fi] = flow;
    }
    flows.lastFragIPID[flow] = id;
    flows.statusHi[flow] |= IPV4_FRAG_PENDING_H;
    return ok;
  }

  /**
   * Forget the pending datagram of `flow`, which leaves the flow table (its key words must
   * still be in place). Returns whether one was pending.
   */
  release(flow: number): boolean {
    const flows = this.#flows;
    if (!(flows.statusHi[flow] & IPV4_FRAG_PENDING_H)) return false;
    const k = this.#key;
    const keys = flows.table.keys;
    const base = flow * KEY_WORDS;
    for (let i = 0; i < KEY_WORDS; i++) k[i] = keys[base + i];
    k[KEY_PORTS] = flows.lastFragIPID[flow];
    const fi = this.#keys.lookup(k, 0);
    if (fi >= 0) this.#drop(fi);
    return true;
  }

  #drop(fi: number): void {
    this.#owner[fi] = -1;
    this.#keys.remove(fi);
  }
}
