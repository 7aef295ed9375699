/**
 * The words of a flow key and how a packet fills them. An IP flow's key is its addresses,
 * EtherType and VLAN, ports and layer-4 protocol; a layer-2 flow's key is its MACs, EtherType
 * and VLAN. A fragmented datagram's key (fragments.ts) is its flow's key with the IP ID in
 * place of the ports. Unused words are 0.
 *
 * @module
 */

import type { Packet } from "../dissect/packet.ts";
import { KEY_WORDS } from "./key_table.ts";

/** Source address: 1 word (IPv4) or 4 (IPv6), big-endian words as in `Packet.addr`. */
export const KEY_SRC = 0;
/** Destination address, as the source. */
export const KEY_DST = 4;
/** Layer-2 flows: destination MAC then source MAC, 12 bytes in 3 words. */
export const KEY_MACS = 8;
/** EtherType (high 16 bits) and VLAN ID (low 16 bits). */
export const KEY_TYPE_VLAN = 11;
/** Source port (high 16 bits) and destination port (low 16 bits); a fragment's IP ID. */
export const KEY_PORTS = 12;
/** Layer-4 protocol. */
export const KEY_PROTO = 13;

/** The IP key of packet `p` into `k`, with `portsWord` and `proto` in their words. */
export function ipKeyInto(
  k: Uint32Array,
  p: Packet,
  portsWord: number,
  proto: number,
): Uint32Array {
  const a = p.addr;
  for (let i = 0; i < 8; i++) k[i] = a[i];
  k[8] = k[9] = k[10] = 0;
  k[KEY_TYPE_VLAN] = ((p.ethType << 16) | p.vlanId) >>> 0;
  k[KEY_PORTS] = portsWord >>> 0;
  k[KEY_PROTO] = proto;
  return k;
}

/** The ports word of packet `p` (source port, destination port). */
export function portsWord(p: Packet): number {
  return (p.srcPort << 16) | p.dstPort;
}

/** The layer-2 key of packet `p` (MACs, EtherType, VLAN) into `k`. */
export function l2KeyInto(k: Uint32Array, p: Packet): Uint32Array {
  k.fill(0);
  const l2 = p.l2Off;
  p.u32Into(k, KEY_MACS, l2);
  p.u32Into(k, KEY_MACS + 1, l2 + 4);
  p.u32Into(k, KEY_MACS + 2, l2 + 8);
  k[KEY_TYPE_VLAN] = ((p.ethType << 16) | p.vlanId) >>> 0;
  return k;
}

/**
 * The key of the opposite direction of IP flow key `keys[base..]`, packet `p`'s flow, into
 * `k`: addresses and ports swapped.
 */
export function reverseIpKeyInto(k: Uint32Array, keys: Uint32Array, base: number, p: Packet) {
  for (let i = 0; i < KEY_WORDS; i++) k[i] = keys[base + i];
  for (let i = 0; i < 4; i++) {
    k[KEY_SRC + i] = keys[base + KEY_DST + i];
    k[KEY_DST + i] = keys[base + KEY_SRC + i];
  }
  k[KEY_PORTS] = ((p.dstPort << 16) | p.srcPort) >>> 0;
  return k;
}

/**
 * The key of the opposite direction of layer-2 flow key `keys[base..]`, packet `p`'s flow,
 * into `k`: MACs swapped.
 */
export function reverseL2KeyInto(k: Uint32Array, keys: Uint32Array, base: number, p: Packet) {
  for (let i = 0; i < KEY_WORDS; i++) k[i] = keys[base + i];
  const l2 = p.l2Off;
  k[KEY_MACS] = p.u32(l2 + 6);
  k[KEY_MACS + 1] = ((p.u16(l2 + 10) << 16) | p.u16(l2)) >>> 0;
  k[KEY_MACS + 2] = p.u32(l2 + 2);
  return k;
}
