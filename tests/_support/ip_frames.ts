/**
 * Test helpers: IPv4 and IPv6 headers with every field settable and real checksums, TCP
 * headers with options, and the Internet checksum itself, for tests of plugins that look at
 * header fields (tcpFlags, tcpStates). Addresses are text (`10.0.0.1`, `2001:db8::1`).
 *
 * @module
 */

import { concat } from "./capture_builder.ts";

/** The Internet checksum (RFC 1071) of `bytes`, as the value to store in the header. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** `a.b.c.d` as 4 bytes. */
export function v4(text: string): Uint8Array {
  return new Uint8Array(text.split(".").map(Number));
}

/** An IPv6 address (with `::`) as 16 bytes. */
export function v6(text: string): Uint8Array {
  const [head, tail] = text.split("::");
  const words = (s: string | undefined) => s ? s.split(":").map((w) => parseInt(w, 16)) : [];
  const h = words(head);
  const t = words(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Fields of {@linkcode ip4}. */
export interface Ip4 {
  readonly src?: string;
  readonly dst?: string;
  readonly proto?: number;
  readonly tos?: number;
  readonly id?: number;
  readonly ttl?: number;
  /** Flags and fragment offset word (0x4000 DF, 0x2000 MF, offset in 8-byte units). */
  readonly frag?: number;
  /** Options (padded to 4 bytes with zeros). */
  readonly options?: Uint8Array;
  /** Total length field (default: header + payload). */
  readonly totalLength?: number;
  /** Header checksum field (default: the correct one). */
  readonly checksum?: number;
}

/** An IPv4 header with a correct checksum (unless given), followed by `payload`. */
export function ip4(f: Ip4, payload: Uint8Array): Uint8Array {
  const raw = f.options ?? new Uint8Array(0);
  const opts = new Uint8Array(Math.ceil(raw.length / 4) * 4);
  opts.set(raw);
  const hl = 20 + opts.length;
  const h = new Uint8Array(hl);
  const v = new DataView(h.buffer);
  h[0] = 0x40 | (hl >> 2);
  h[1] = f.tos ?? 0;
  v.setUint16(2, f.totalLength ?? hl + payload.length);
  v.setUint16(4, f.id ?? 1);
  v.setUint16(6, f.frag ?? 0x4000);
  h[8] = f.ttl ?? 64;
  h[9] = f.proto ?? 6;
  h.set(v4(f.src ?? "10.0.0.1"), 12);
  h.set(v4(f.dst ?? "10.0.0.2"), 16);
  h.set(opts, 20);
  v.setUint16(10, f.checksum ?? internetChecksum(h));
  return concat(h, payload);
}

/** One IPv6 extension header: its protocol number and content after the first two bytes. */
export interface Ext {
  /** 0 hop-by-hop, 60 destination options, 44 fragment, 43 routing. */
  readonly type: number;
  /** Bytes after next-header and length (options; for a fragment header its 6 bytes). */
  readonly body: Uint8Array;
}

/** Fields of {@linkcode ip6}. */
export interface Ip6 {
  readonly src?: string;
  readonly dst?: string;
  /** Protocol after the extension headers. */
  readonly proto?: number;
  readonly trafficClass?: number;
  readonly hopLimit?: number;
  readonly ext?: readonly Ext[];
}

/** An IPv6 header and extension headers followed by `payload`. */
export function ip6(f: Ip6, payload: Uint8Array): Uint8Array {
  const exts = f.ext ?? [];
  const parts: Uint8Array[] = [];
  for (let i = 0; i < exts.length; i++) {
    const next = i + 1 < exts.length ? exts[i + 1].type : f.proto ?? 6;
    const e = exts[i];
    const len = 2 + e.body.length;
    const padded = new Uint8Array(Math.ceil(len / 8) * 8);
    padded[0] = next;
    padded[1] = e.type === 44 ? 0 : padded.length / 8 - 1;
    padded.set(e.body, 2);
    parts.push(padded);
  }
  const rest = concat(...parts, payload);
  const h = new Uint8Array(40);
  const tc = f.trafficClass ?? 0;
  h[0] = 0x60 | (tc >> 4);
  h[1] = (tc & 0x0f) << 4;
  h[4] = rest.length >> 8;
  h[5] = rest.length & 0xff;
  h[6] = exts.length ? exts[0].type : f.proto ?? 6;
  h[7] = f.hopLimit ?? 64;
  h.set(v6(f.src ?? "2001:db8::1"), 8);
  h.set(v6(f.dst ?? "2001:db8::2"), 24);
  return concat(h, rest);
}

/** Fields of {@linkcode tcpSeg}. */
export interface Tcp {
  readonly sport?: number;
  readonly dport?: number;
  readonly seq?: number;
  readonly ack?: number;
  readonly flags?: number;
  readonly win?: number;
  /** Option bytes (padded to 4 bytes with zeros, which end the list). */
  readonly options?: Uint8Array;
  /** Checksum field (default 0; see {@linkcode withTcpChecksum}). */
  readonly checksum?: number;
}

/** A TCP header followed by `payload`. */
export function tcpSeg(f: Tcp, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const raw = f.options ?? new Uint8Array(0);
  const opts = new Uint8Array(Math.ceil(raw.length / 4) * 4);
  opts.set(raw);
  const h = new Uint8Array(20 + opts.length);
  const v = new DataView(h.buffer);
  v.setUint16(0, f.sport ?? 40000);
  v.setUint16(2, f.dport ?? 80);
  v.setUint32(4, f.seq ?? 0);
  v.setUint32(8, f.ack ?? 0);
  h[12] = (h.length / 4) << 4;
  h[13] = f.flags ?? 0x10;
  v.setUint16(14, f.win ?? 65535);
  v.setUint16(16, f.checksum ?? 0);
  h.set(opts, 20);
  return concat(h, payload);
}

/**
 * The layer-4 segment `seg` (TCP, or UDP with `sumAt` 6) with its checksum field at byte
 * `sumAt` set from the IPv4 or IPv6 pseudo header of `src`, `dst` and protocol `proto`.
 */
export function withL4Checksum(
  seg: Uint8Array,
  src: string,
  dst: string,
  proto: number,
  sumAt = 16,
): Uint8Array {
  const out = seg.slice();
  out[sumAt] = out[sumAt + 1] = 0;
  const isV6 = src.includes(":");
  const a = isV6 ? v6(src) : v4(src);
  const b = isV6 ? v6(dst) : v4(dst);
  const len = out.length;
  const pseudo = isV6
    ? concat(a, b, new Uint8Array([0, 0, len >> 8, len & 0xff, 0, 0, 0, proto]))
    : concat(a, b, new Uint8Array([0, proto, len >> 8, len & 0xff]));
  const sum = internetChecksum(concat(pseudo, out));
  out[sumAt] = sum >> 8;
  out[sumAt + 1] = sum & 0xff;
  return out;
}

/** TCP option bytes. */
export const TcpOpt = {
  NOP: new Uint8Array([1]),
  mss: (v: number) => new Uint8Array([2, 4, v >> 8, v & 0xff]),
  ws: (shift: number) => new Uint8Array([3, 3, shift]),
  SACK_PERMITTED: new Uint8Array([4, 2]),
  ts: (val: number, ecr: number) => {
    const b = new Uint8Array(10);
    const v = new DataView(b.buffer);
    b[0] = 8;
    b[1] = 10;
    v.setUint32(2, val);
    v.setUint32(6, ecr);
    return b;
  },
};
