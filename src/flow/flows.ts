/**
 * The core's per-flow state (T2's `flow_t`), as typed arrays indexed by flow slot. Plugins
 * receive a slot number ("flow index") and read these arrays; the key fields live in the
 * hash table's key words.
 *
 * @module
 */

import { KEY_WORDS, KeyTable } from "./key_table.ts";
import { KEY_DST, KEY_MACS, KEY_PORTS, KEY_PROTO, KEY_SRC, KEY_TYPE_VLAN } from "./flow_key.ts";
import { L2_IPV4, L2_IPV6, L3FLOWINVERT } from "../base/flow_status.ts";
import { ipWordsText } from "../output/ip_words.ts";

/** An IP flow key to look up with {@linkcode Flows.findIp}. */
export interface IpFlowKey {
  /** Source address: one word (IPv4) or four (IPv6), big-endian words as in `Packet.addr`. */
  readonly src: ArrayLike<number>;
  /** Destination address, as `src`. */
  readonly dst: ArrayLike<number>;
  /** Source port (0 for a protocol without ports). */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
  /** Layer-4 protocol number. */
  readonly l4Proto: number;
  /** EtherType of the IP header (0x0800 or 0x86dd). */
  readonly ethType: number;
  /** VLAN ID (0: none). */
  readonly vlanId: number;
}

/** Per-flow state of the core, indexed by flow slot. */
export class Flows {
  /** Number of slots (262144 × hash factor). */
  readonly capacity: number;
  /** The hash table of flow keys. */
  readonly table: KeyTable;
  /** flowStat bits 0-31. */
  readonly statusLo: Uint32Array;
  /** flowStat bits 32-63. */
  readonly statusHi: Uint32Array;
  /** Flow index shared by the A and B flow. */
  readonly findex: Float64Array;
  /** First packet time: whole seconds. */
  readonly firstSec: Float64Array;
  /** First packet time: nanoseconds within the second. */
  readonly firstNs: Uint32Array;
  /** Last packet time: whole seconds. */
  readonly lastSec: Float64Array;
  /** Last packet time: nanoseconds within the second. */
  readonly lastNs: Uint32Array;
  /** Duration in whole seconds, computed when the flow is output. */
  readonly durSec: Float64Array;
  /** Duration's nanoseconds part (0-999999999), computed when the flow is output. */
  readonly durNs: Uint32Array;
  /** Timeout in seconds (float32, as T2). */
  readonly timeout: Float32Array;
  /** Slot of the opposite flow, or -1. */
  readonly opposite: Int32Array;
  /** Σ Ethernet padding of the flow's packets. */
  readonly padLen: Float64Array;
  /** IPv4 ID of the previous packet (-1: none yet). */
  readonly lastIPID: Int32Array;
  /** Fragment ID of the pending fragmented datagram. */
  readonly lastFragIPID: Uint32Array;
  /** Geo/organisation record of the source address (0: unknown). */
  readonly subnetSrc: Uint32Array;
  /** Geo/organisation record of the destination address (0: unknown). */
  readonly subnetDst: Uint32Array;

  /** Allocate zeroed state for `capacity` flow slots. */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.table = new KeyTable(capacity);
    this.statusLo = new Uint32Array(capacity);
    this.statusHi = new Uint32Array(capacity);
    this.findex = new Float64Array(capacity);
    this.firstSec = new Float64Array(capacity);
    this.firstNs = new Uint32Array(capacity);
    this.lastSec = new Float64Array(capacity);
    this.lastNs = new Uint32Array(capacity);
    this.durSec = new Float64Array(capacity);
    this.durNs = new Uint32Array(capacity);
    this.timeout = new Float32Array(capacity);
    this.opposite = new Int32Array(capacity);
    this.padLen = new Float64Array(capacity);
    this.lastIPID = new Int32Array(capacity);
    this.lastFragIPID = new Uint32Array(capacity);
    this.subnetSrc = new Uint32Array(capacity);
    this.subnetDst = new Uint32Array(capacity);
  }

  /** IP version of the flow: 4, 6, or 0 for a layer-2 flow. */
  ipVersion(flow: number): 0 | 4 | 6 {
    const s = this.statusLo[flow];
    return s & L2_IPV6 ? 6 : s & L2_IPV4 ? 4 : 0;
  }

  /** Offset of the flow's key words in {@linkcode KeyTable.keys}. */
  keyOffset(flow: number): number {
    return flow * KEY_WORDS;
  }

  /** Source port. */
  srcPort(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_PORTS] >>> 16;
  }

  /** Destination port. */
  dstPort(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_PORTS] & 0xffff;
  }

  /** Layer-4 protocol. */
  l4Proto(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_PROTO];
  }

  /** EtherType of the flow key. */
  ethType(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_TYPE_VLAN] >>> 16;
  }

  /** VLAN ID of the flow key. */
  vlanId(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_TYPE_VLAN] & 0xffff;
  }

  /** First word of the source address (the whole address for IPv4). */
  srcIPv4(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_SRC];
  }

  /** First word of the destination address. */
  dstIPv4(flow: number): number {
    return this.table.keys[flow * KEY_WORDS + KEY_DST];
  }

  /** Source MAC of a layer-2 flow key as 6 bytes written into `out` at `pos`. */
  srcMac(flow: number, out: Uint8Array, pos: number): void {
    macBytes(this.table.keys, flow * KEY_WORDS, 6, out, pos);
  }

  /** Destination MAC of a layer-2 flow key. */
  dstMac(flow: number, out: Uint8Array, pos: number): void {
    macBytes(this.table.keys, flow * KEY_WORDS, 0, out, pos);
  }

  /** Whether the flow has an opposite flow. */
  hasOpposite(flow: number): boolean {
    return this.opposite[flow] >= 0;
  }

  // ==================================================================== flow keys, for plugins
  // The accessors above read the flow key (ports, protocol, EtherType, VLAN, IPv4 addresses,
  // MACs); these add whole addresses, the reply direction and lookups by key.

  /**
   * The words of every flow's key: a flow's source address is the 1 (IPv4) or 4 (IPv6) words
   * from {@linkcode srcAddrAt}, its destination address those from {@linkcode dstAddrAt};
   * e.g. `out.ipx(flows.ipVersion(f), flows.addrWords, flows.srcAddrAt(f))`.
   */
  get addrWords(): Uint32Array {
    return this.table.keys;
  }

  /** Index in {@linkcode addrWords} of the flow's source address. */
  srcAddrAt(flow: number): number {
    return flow * KEY_WORDS + KEY_SRC;
  }

  /** Index in {@linkcode addrWords} of the flow's destination address. */
  dstAddrAt(flow: number): number {
    return flow * KEY_WORDS + KEY_DST;
  }

  /**
   * Source address as text (`192.0.2.1`, `2001:db8::1`; `-` for a layer-2 flow, as T2).
   *
   * @example A warning naming a flow's addresses
   * ```ts
   * import type { PluginDefinition } from "../../mod.ts";
   *
   * export const bigFlows: PluginDefinition = {
   *   name: "bigFlows",
   *   number: 170,
   *   version: "0.1.0",
   *   create(ctx) {
   *     const { pkts } = ctx.perFlow({ pkts: Uint32Array });
   *     const f = ctx.flows;
   *     return {
   *       onNewFlow: (_p, flow) => void (pkts[flow] = 0),
   *       onLayer4: (_p, flow) => void pkts[flow]++,
   *       onFlowTerminate(flow) {
   *         if (pkts[flow] < 10000) return;
   *         ctx.warn(`${f.srcAddrText(flow)}:${f.srcPort(flow)} -> ` +
   *           `${f.dstAddrText(flow)}:${f.dstPort(flow)}: ${pkts[flow]} packets`);
   *       },
   *     };
   *   },
   * };
   * ```
   */
  srcAddrText(flow: number): string {
    return ipWordsText(this.ipVersion(flow), this.table.keys, flow * KEY_WORDS + KEY_SRC);
  }

  /** Destination address as text (`-` for a layer-2 flow). */
  dstAddrText(flow: number): string {
    return ipWordsText(this.ipVersion(flow), this.table.keys, flow * KEY_WORDS + KEY_DST);
  }

  /**
   * Whether the flow is the reply direction (flowStat bit 0, T2's `FLOW_IS_B`): the B flow of
   * a pair, or a lone flow the core (or a plugin, {@linkcode setReply}) took for a reply.
   */
  isReply(flow: number): boolean {
    return (this.statusLo[flow] & L3FLOWINVERT) !== 0;
  }

  /**
   * Mark the flow as the reply direction or not (flowStat bit 0 of this flow only; the run's
   * aggregated flowStat is not changed). Call it in `onNewFlow` of a flow without opposite:
   * its packets then count as B packets, and plugins after this one see the new direction.
   *
   * @example icmpDecode's direction correction: a lone ICMP flow is a reply unless it starts
   * with an echo request
   * ```ts
   * import { IpProto, type PluginDefinition } from "../../mod.ts";
   *
   * export const icmpDirection: PluginDefinition = {
   *   name: "icmpDirection",
   *   number: 140,
   *   version: "0.1.0",
   *   create(ctx) {
   *     const flows = ctx.flows;
   *     return {
   *       onNewFlow(p, flow) {
   *         if (p.l4Proto !== IpProto.ICMP || !p.firstFragment || flows.hasOpposite(flow)) return;
   *         flows.setReply(flow, p.icmpType() !== 8);
   *       },
   *     };
   *   },
   * };
   * ```
   */
  setReply(flow: number, reply: boolean): void {
    if (reply) this.statusLo[flow] |= L3FLOWINVERT;
    else this.statusLo[flow] &= ~L3FLOWINVERT;
  }

  /**
   * The port of the side that answers: the source port of a reply flow, else the destination
   * port (T2's `FLOW_IS_B(flow) ? srcPort : dstPort`), so both flows of a pair give the server
   * port.
   */
  servicePort(flow: number): number {
    return this.isReply(flow) ? this.srcPort(flow) : this.dstPort(flow);
  }

  /**
   * The IP flow with this key in the flow table, or -1.
   *
   * @example The flow of the opposite direction of a packet's flow, looked up by its key
   * ```ts
   * import { EtherType, type Packet, type PluginContext } from "../../mod.ts";
   *
   * function reverseFlow(ctx: PluginContext, p: Packet): number {
   *   return ctx.flows.findIp({
   *     src: p.addr.subarray(4, 8),
   *     dst: p.addr.subarray(0, 4),
   *     srcPort: p.dstPort,
   *     dstPort: p.srcPort,
   *     l4Proto: p.l4Proto,
   *     ethType: p.ipVersion === 6 ? EtherType.IPV6 : EtherType.IPV4,
   *     vlanId: p.vlanId,
   *   });
   * }
   * ```
   */
  findIp(key: IpFlowKey): number {
    const k = this.#scratch;
    k.fill(0);
    for (let i = 0; i < key.src.length && i < 4; i++) k[KEY_SRC + i] = key.src[i];
    for (let i = 0; i < key.dst.length && i < 4; i++) k[KEY_DST + i] = key.dst[i];
    k[KEY_TYPE_VLAN] = ((key.ethType << 16) | key.vlanId) >>> 0;
    k[KEY_PORTS] = ((key.srcPort << 16) | key.dstPort) >>> 0;
    k[KEY_PROTO] = key.l4Proto;
    return this.table.lookup(k, 0);
  }

  readonly #scratch = new Uint32Array(KEY_WORDS);
}

/** Bytes of the MAC area (dst MAC then src MAC) of a key. */
function macBytes(keys: Uint32Array, base: number, at: number, out: Uint8Array, pos: number) {
  for (let i = 0; i < 6; i++) {
    const b = at + i;
    const w = keys[base + KEY_MACS + (b >> 2)];
    out[pos + i] = (w >>> (24 - 8 * (b & 3))) & 0xff;
  }
}
