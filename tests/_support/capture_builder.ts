/**
 * Test helpers: packets and classic pcap files built in memory, so that tests can describe
 * exactly the traffic they need (hex bytes for dissector units, small builders for flow and
 * timeout scenarios). Nothing here is used by the analyzer itself.
 *
 * @module
 */

/**
 * Bytes from hexadecimal text. Whitespace and `|` separators are ignored, so a test can lay
 * out a header field by field.
 *
 * @example Usage
 * ```ts
 * import { hex } from "./capture_builder.ts";
 * const b = hex("08 00", "45|00"); // Uint8Array [8, 0, 0x45, 0]
 * ```
 */
export function hex(...parts: string[]): Uint8Array {
  const text = parts.join("").replace(/[\s|]/g, "");
  if (text.length % 2 !== 0 || /[^0-9a-fA-F]/.test(text)) {
    throw new SyntaxError(`Cannot read hex bytes: "${text}" is not an even run of hex digits`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The byte arrays joined into one. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One record of a hand-made pcap file. */
export interface PcapPacket {
  /** Timestamp seconds. */
  readonly sec: number;
  /** Timestamp nanoseconds (stored as µs unless the file is a nanosecond pcap). */
  readonly ns?: number;
  /** Captured bytes. */
  readonly data: Uint8Array;
  /** Length on the wire (default: the captured length). */
  readonly wireLen?: number;
}

/** Options of {@linkcode pcap}. */
export interface PcapOptions {
  /** Link type (default 1, Ethernet). */
  readonly linkType?: number;
  /** Snap length of the file header (default 65535). */
  readonly snapLen?: number;
  /** Nanosecond timestamps (default: microseconds). */
  readonly nanosecond?: boolean;
}

/** A little-endian classic pcap file holding `packets`. */
export function pcap(packets: readonly PcapPacket[], options: PcapOptions = {}): Uint8Array {
  const size = 24 + packets.reduce((n, p) => n + 16 + p.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const ns = options.nanosecond ?? false;
  v.setUint32(0, ns ? 0xa1b23c4d : 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, options.snapLen ?? 65535, true);
  v.setUint32(20, options.linkType ?? 1, true);
  let at = 24;
  for (const p of packets) {
    const frac = p.ns ?? 0;
    if (!ns && frac % 1000 !== 0) {
      throw new RangeError(`Cannot store ${frac} ns in a microsecond pcap: use nanosecond`);
    }
    v.setUint32(at, p.sec, true);
    v.setUint32(at + 4, ns ? frac : frac / 1000, true);
    v.setUint32(at + 8, p.data.length, true);
    v.setUint32(at + 12, p.wireLen ?? p.data.length, true);
    out.set(p.data, at + 16);
    at += 16 + p.data.length;
  }
  return out;
}

/** `a.b.c.d` as 4 bytes. */
function ipv4Bytes(text: string): Uint8Array {
  const parts = text.split(".").map(Number);
  if (parts.length !== 4 || parts.some((x) => !(x >= 0 && x <= 255 && Number.isInteger(x)))) {
    throw new SyntaxError(`Cannot read IPv4 address "${text}"`);
  }
  return new Uint8Array(parts);
}

/** `aa:bb:cc:dd:ee:ff` as 6 bytes. */
export function macBytes(text: string): Uint8Array {
  return hex(text.replaceAll(":", ""));
}

/** Fields of {@linkcode ethernet}. */
export interface EthernetFields {
  readonly dst?: string;
  readonly src?: string;
  readonly type: number;
}

/** An Ethernet II frame. */
export function ethernet(f: EthernetFields, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(14);
  h.set(macBytes(f.dst ?? "00:00:00:00:00:02"), 0);
  h.set(macBytes(f.src ?? "00:00:00:00:00:01"), 6);
  h[12] = f.type >> 8;
  h[13] = f.type & 0xff;
  return concat(h, payload);
}

/** Fields of {@linkcode ipv4}. */
export interface Ipv4Fields {
  readonly src: string;
  readonly dst: string;
  readonly proto: number;
  readonly id?: number;
  readonly ttl?: number;
  /** Flags and fragment offset word (e.g. 0x2000 = more fragments, offset 0). */
  readonly fragment?: number;
  /** Total length field (default: header + payload). */
  readonly totalLength?: number;
  /** Options (a multiple of 4 bytes). */
  readonly options?: Uint8Array;
}

/** An IPv4 header (checksum 0: T2 does not check it) followed by `payload`. */
export function ipv4(f: Ipv4Fields, payload: Uint8Array): Uint8Array {
  const opts = f.options ?? new Uint8Array(0);
  if (opts.length % 4 !== 0) throw new RangeError("Cannot build IPv4 options: not 4-byte aligned");
  const hl = 20 + opts.length;
  const h = new Uint8Array(hl);
  const v = new DataView(h.buffer);
  h[0] = 0x40 | (hl >> 2);
  v.setUint16(2, f.totalLength ?? hl + payload.length);
  v.setUint16(4, f.id ?? 0);
  v.setUint16(6, f.fragment ?? 0);
  h[8] = f.ttl ?? 64;
  h[9] = f.proto;
  h.set(ipv4Bytes(f.src), 12);
  h.set(ipv4Bytes(f.dst), 16);
  h.set(opts, 20);
  return concat(h, payload);
}

/** TCP flag bits. */
export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/** Fields of {@linkcode tcp}. */
export interface TcpFields {
  readonly sport: number;
  readonly dport: number;
  readonly flags?: number;
  readonly win?: number;
  readonly seq?: number;
}

/** A 20-byte TCP header followed by `payload`. */
export function tcp(f: TcpFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  v.setUint16(0, f.sport);
  v.setUint16(2, f.dport);
  v.setUint32(4, f.seq ?? 0);
  h[12] = 0x50;
  h[13] = f.flags ?? TCP.ACK;
  v.setUint16(14, f.win ?? 65535);
  return concat(h, payload);
}

/** Fields of {@linkcode udp}. */
export interface UdpFields {
  readonly sport: number;
  readonly dport: number;
}

/** An 8-byte UDP header followed by `payload`. */
export function udp(f: UdpFields, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, f.sport);
  v.setUint16(2, f.dport);
  v.setUint16(4, 8 + payload.length);
  return concat(h, payload);
}

/** Endpoints of a UDP or TCP conversation, for the frame helpers below. */
export interface Conversation {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
}

/** An Ethernet/IPv4/UDP frame from `c.src:c.sport` to `c.dst:c.dport`. */
export function udpFrame(c: Conversation, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  return ethernet(
    { type: 0x0800 },
    ipv4({ src: c.src, dst: c.dst, proto: 17 }, udp({ sport: c.sport, dport: c.dport }, payload)),
  );
}

/** The same conversation seen from the other side. */
export function reversed(c: Conversation): Conversation {
  return { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport };
}
