/**
 * Test helpers: IPv6 headers and ICMP/ICMPv6 messages, to go with `capture_builder.ts`.
 *
 * @module
 */

import { concat, ethernet, ipv4, type Ipv4Fields } from "./capture_builder.ts";

/** `2001:db8::1`-style text as 16 bytes (`::` once at most). */
export function ipv6Bytes(text: string): Uint8Array {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const words = (s: string) => (s === "" ? [] : s.split(":").map((w) => parseInt(w, 16)));
  const h = words(head);
  const t = tail === null ? [] : words(tail);
  const all = tail === null ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  if (all.length !== 8 || all.some((w) => !(w >= 0 && w <= 0xffff))) {
    throw new SyntaxError(`Cannot read IPv6 address "${text}"`);
  }
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Fields of {@linkcode ipv6}. */
export interface Ipv6Fields {
  readonly src: string;
  readonly dst: string;
  /** Next header. */
  readonly next: number;
  readonly hopLimit?: number;
  /** Payload length field (default: the payload's length). */
  readonly payloadLength?: number;
}

/** A 40-byte IPv6 header followed by `payload`. */
export function ipv6(f: Ipv6Fields, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(40);
  const v = new DataView(h.buffer);
  h[0] = 0x60;
  v.setUint16(4, f.payloadLength ?? payload.length);
  h[6] = f.next;
  h[7] = f.hopLimit ?? 64;
  h.set(ipv6Bytes(f.src), 8);
  h.set(ipv6Bytes(f.dst), 24);
  return concat(h, payload);
}

/** Fields of {@linkcode icmp} (ICMP and ICMPv6 share the layout of the first 8 bytes). */
export interface IcmpFields {
  readonly type: number;
  readonly code?: number;
  /** Bytes 4-5 (echo identifier). */
  readonly id?: number;
  /** Bytes 6-7 (echo sequence number). */
  readonly seq?: number;
}

/** An 8-byte ICMP header (checksum 0) followed by `payload`. */
export function icmp(f: IcmpFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  h[0] = f.type;
  h[1] = f.code ?? 0;
  v.setUint16(4, f.id ?? 0);
  v.setUint16(6, f.seq ?? 0);
  return concat(h, payload);
}

/** An Ethernet/IPv4/ICMP frame. */
export function icmpFrame(
  ip: Omit<Ipv4Fields, "proto">,
  f: IcmpFields,
  payload?: Uint8Array,
): Uint8Array {
  return ethernet({ type: 0x0800 }, ipv4({ ...ip, proto: 1 }, icmp(f, payload)));
}

/** An Ethernet/IPv6/ICMPv6 frame. */
export function icmp6Frame(
  ip: Omit<Ipv6Fields, "next">,
  f: IcmpFields,
  payload?: Uint8Array,
): Uint8Array {
  return ethernet({ type: 0x86dd }, ipv6({ ...ip, next: 58 }, icmp(f, payload)));
}
