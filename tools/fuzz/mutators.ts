/**
 * The mutation generator: from a seed capture and a {@linkcode Prng}, choose a list of
 * {@linkcode Op}s — a window of records, then a few of: bit flips, protocol-aware corruption of
 * length/type fields, record-header corruption (captured/wire length, timestamps), file-header
 * corruption, truncation, record reordering, duplication and removal, garbage insertion, and
 * structural growth (deep VLAN/MPLS/IP-in-IP/IPv6-extension stacks) that keeps the framing valid.
 *
 * @module
 */

import { type Layout, packetIndices, parseLayout, type RecordSpan } from "./layout.ts";
import { applyOp, type Op, toHex } from "./ops.ts";
import type { Prng } from "./prng.ts";

/** Names of the mutation families (for statistics). */
export const FAMILIES = [
  "flip",
  "field",
  "record-header",
  "file-header",
  "truncate",
  "reorder",
  "garbage",
  "grow",
  "snap",
] as const;

/** A mutation family. */
export type Family = typeof FAMILIES[number];

const WEIGHTS: Record<Family, number> = {
  "flip": 3,
  "field": 6,
  "record-header": 2.5,
  "file-header": 0.7,
  "truncate": 1,
  "reorder": 1.5,
  "garbage": 0.5,
  "grow": 1.2,
  "snap": 0.6,
};

/** A generated input: the ops and the bytes they produce from the seed capture. */
export interface Mutated {
  readonly ops: Op[];
  readonly bytes: Uint8Array;
  readonly families: Family[];
}

/** Options of {@linkcode mutate}. */
export interface MutateOptions {
  /** Largest window, in packets (default 400). */
  readonly maxWindow?: number;
  /** Largest number of mutation steps after the window (default 6). */
  readonly maxSteps?: number;
}

/** Choose and apply a window and 1..maxSteps mutations to `seed`. */
export function mutate(prng: Prng, seed: Uint8Array, o: MutateOptions = {}): Mutated {
  const ops: Op[] = [];
  const families: Family[] = [];
  let b = seed;
  const push = (op: Op) => {
    ops.push(op);
    b = applyOp(b, op);
  };
  const L0 = parseLayout(b);
  const packets = packetIndices(L0).length;
  const maxWindow = o.maxWindow ?? 400;
  if (packets > 0 && (packets > maxWindow || prng.chance(0.8))) {
    const size = Math.min(maxWindow, prng.pick([1, 2, 3, 5, 8, 16, 32, 64, 128, maxWindow]));
    const count = 1 + prng.int(Math.min(size, packets));
    const first = prng.int(packets - count + 1);
    push({ op: "window", first, count });
  }
  const steps = 1 + prng.int(o.maxSteps ?? 6);
  const names = [...FAMILIES];
  const weights = names.map((n) => WEIGHTS[n]);
  for (let s = 0; s < steps; s++) {
    const fam = names[prng.weighted(weights)];
    const op = FAMILY[fam](prng, b, parseLayout(b));
    if (op) {
      families.push(fam);
      for (const one of Array.isArray(op) ? op : [op]) push(one);
    }
  }
  return { ops, bytes: b === seed ? seed.slice() : b, families };
}

type Gen = (prng: Prng, b: Uint8Array, L: Layout) => Op | Op[] | null;

function randomPacket(prng: Prng, L: Layout): [number, RecordSpan] | null {
  const pk = packetIndices(L);
  if (pk.length === 0) return null;
  const i = prng.pick(pk);
  return [i, L.records[i]];
}

const INTERESTING_8 = [0, 1, 2, 0x0f, 0x10, 0x3f, 0x40, 0x45, 0x4f, 0x60, 0x7f, 0x80, 0xfe, 0xff];

const FAMILY: Record<Family, Gen> = {
  flip(prng, b, L) {
    const pr = randomPacket(prng, L);
    let at: number;
    if (pr && pr[1].dataLen > 0 && prng.chance(0.9)) {
      const r = pr[1];
      // Headers live at the front: bias towards the first 96 bytes.
      const span = prng.chance(0.8) ? Math.min(96, r.dataLen) : r.dataLen;
      at = r.dataStart + prng.int(span);
    } else {
      if (b.length === 0) return null;
      at = prng.int(b.length);
    }
    return { op: "flip", at, bit: prng.int(8) };
  },

  field(prng, b, L) {
    const pr = randomPacket(prng, L);
    if (!pr || pr[1].dataLen === 0) return null;
    const r = pr[1];
    const data = b.subarray(r.dataStart, r.dataStart + r.dataLen);
    const targets = locateFields(data, linkTypeOf(L));
    if (targets.length === 0 || prng.chance(0.1)) {
      const at = prng.int(Math.min(64, data.length));
      return {
        op: "set",
        at: r.dataStart + at,
        size: 1,
        value: prng.pick(INTERESTING_8),
        le: false,
      };
    }
    const t = prng.pick(targets);
    if (t.at + t.size > data.length) return null;
    const value = interesting(prng, t, data.length);
    return { op: "set", at: r.dataStart + t.at, size: t.size, value, le: t.le ?? false };
  },

  "record-header"(prng, b, L) {
    const pr = randomPacket(prng, L);
    if (!pr) return null;
    const r = pr[1];
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const which = prng.int(r.tsAt >= 0 ? 4 : 2);
    if (which === 0 && r.capLenAt >= 0) {
      const value = prng.pick([
        0,
        1,
        r.dataLen - 1,
        r.dataLen + 1,
        r.dataLen + 4,
        L.snapLen,
        L.snapLen + 1,
        65535,
        262144,
        262145,
        0x7fffffff,
        0xffffffff,
        prng.u32(),
      ]);
      return { op: "set", at: r.capLenAt, size: 4, value: value >>> 0, le: r.le };
    }
    if (which <= 1 && r.wireLenAt >= 0) {
      const cap = r.dataLen;
      const value = prng.pick([0, 1, cap - 1, cap, cap + 1, 60, 1514, 65535, 0xffffffff]);
      return { op: "set", at: r.wireLenAt, size: 4, value: value >>> 0, le: r.le };
    }
    if (which === 2 && L.format === "pcap") {
      // Seconds: far past, far future, backwards jumps, the signed/unsigned boundary.
      const sec = v.getUint32(r.tsAt, r.le);
      const value = prng.pick([
        0,
        1,
        sec - 1,
        sec - 3600,
        sec + 3600,
        sec + 1e6,
        0x7fffffff,
        0x80000000,
        0xffffffff,
      ]);
      return { op: "set", at: r.tsAt, size: 4, value: value >>> 0, le: r.le };
    }
    if (which === 3 && L.format === "pcap") {
      const value = prng.pick([0, 999999, 1000000, 999999999, 1000000000, 0xffffffff]);
      return { op: "set", at: r.tsAt + 4, size: 4, value, le: r.le };
    }
    if (L.format === "pcapng") {
      // Timestamp words or the block length fields.
      if (prng.chance(0.5)) {
        const value = prng.pick([0, 1, 0x7fffffff, 0xffffffff, prng.u32()]);
        return { op: "set", at: r.tsAt + 4 * prng.int(2), size: 4, value: value >>> 0, le: r.le };
      }
      const len = v.getUint32(r.start + 4, r.le);
      const value = prng.pick([0, 4, 12, len - 4, len + 4, len + 1, 0x01000000, 0xffffffff]);
      const at = prng.chance(0.5) ? r.start + 4 : r.end - 4;
      return { op: "set", at, size: 4, value: value >>> 0, le: r.le };
    }
    return null;
  },

  "file-header"(prng, b, L) {
    if (L.format === "pcap" && b.length >= 24) {
      const which = prng.int(4);
      if (which === 0) {
        const value = prng.pick([
          0,
          1,
          14,
          40,
          58,
          64,
          65535,
          262144,
          262145,
          0x7fffffff,
          0xffffffff,
        ]);
        return { op: "set", at: 16, size: 4, value: value >>> 0, le: L.le };
      }
      if (which === 1) {
        const value = prng.pick(LINK_TYPES);
        return { op: "set", at: 20, size: 4, value: value >>> 0, le: L.le };
      }
      if (which === 2) {
        return { op: "set", at: 6, size: 2, value: prng.pick([0, 1, 2, 3, 4, 5]), le: L.le };
      }
      return { op: "set", at: 4, size: 2, value: prng.pick([1, 2, 3, 543]), le: L.le };
    }
    if (L.format === "pcapng") {
      const idb = L.records.find((r) => r.blockType === 1 && r.end - r.start >= 20);
      if (!idb) return null;
      if (prng.chance(0.5)) {
        return {
          op: "set",
          at: idb.start + 8,
          size: 2,
          value: prng.pick(LINK_TYPES) & 0xffff,
          le: idb.le,
        };
      }
      const value = prng.pick([0, 1, 14, 58, 65535, 262144, 262145, 0xffffffff]);
      return { op: "set", at: idb.start + 12, size: 4, value: value >>> 0, le: idb.le };
    }
    return null;
  },

  truncate(prng, b, L) {
    if (b.length === 0) return null;
    const pr = randomPacket(prng, L);
    if (pr && prng.chance(0.7)) {
      // Near a record boundary: inside the header, the data or right at the end.
      const r = pr[1];
      const at = prng.pick([
        r.start + 1 + prng.int(15),
        r.dataStart + prng.int(r.dataLen + 1),
        r.end - 1,
      ]);
      return { op: "truncate", at: Math.max(0, Math.min(b.length - 1, at)) };
    }
    return { op: "truncate", at: prng.int(b.length) };
  },

  reorder(prng, _b, L) {
    const n = L.records.length;
    if (n === 0) return null;
    const k = prng.int(3);
    if (k === 0 && n >= 2) return { op: "swap", a: prng.int(n), b: prng.int(n) };
    if (k === 1) return { op: "dup", index: prng.int(n) };
    return { op: "drop", index: prng.int(n) };
  },

  garbage(prng, b, _L) {
    const n = prng.pick([1, 2, 4, 16, 64]);
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = prng.chance(0.3) ? prng.pick([0, 0xff]) : prng.int(256);
    return { op: "insert", at: prng.int(b.length + 1), hex: toHex(bytes) };
  },

  grow(prng, b, L) {
    const pr = randomPacket(prng, L);
    if (!pr) return null;
    const [index, r] = pr;
    const data = b.subarray(r.dataStart, r.dataStart + r.dataLen);
    const depth = prng.pick([2, 3, 8, 40, 300, 3000]);
    const lt = linkTypeOf(L);
    const ip = ipStart(data, lt);
    const kind = prng.int(4);
    if (kind === 0 && lt === 1 && data.length >= 14) {
      // A stack of 802.1Q/802.1ad tags in front of the real EtherType.
      const tag = prng.pick([0x8100, 0x88a8, 0x9100]);
      const hex = toHex(new Uint8Array([tag >> 8, tag & 255, 0, 1]));
      return { op: "edit", index, at: 12, del: 0, hex, repeat: depth };
    }
    if (kind === 1 && lt === 1 && data.length >= 14) {
      // MPLS labels (label 16, TTL 64) without a bottom-of-stack bit, then the old payload.
      return [
        { op: "edit", index, at: 14, del: 0, hex: "00010040", repeat: depth },
        { op: "set", at: r.dataStart + 12, size: 2, value: 0x8847, le: false },
      ];
    }
    if (kind === 2 && ip >= 0 && ip + 20 <= data.length && data[ip] >> 4 === 4) {
      // IPv4-in-IPv4 nested `depth` times.
      const hdr = data.slice(ip, ip + 20);
      hdr[0] = 0x45;
      hdr[9] = 4;
      return { op: "edit", index, at: ip, del: 0, hex: toHex(hdr), repeat: depth };
    }
    if (ip >= 0 && ip + 40 <= data.length && data[ip] >> 4 === 6) {
      // A chain of IPv6 destination-options headers (8 bytes each), then the old next header
      // moved into the last one.
      const last = toHex(new Uint8Array([data[ip + 6], 0, 1, 4, 0, 0, 0, 0]));
      return [
        { op: "edit", index, at: ip + 40, del: 0, hex: last },
        { op: "edit", index, at: ip + 40, del: 0, hex: "3c00010400000000", repeat: depth - 1 },
        { op: "set", at: r.dataStart + ip + 6, size: 1, value: 60, le: false },
      ];
    }
    return null;
  },

  snap(prng, _b, _L) {
    return {
      op: "snap",
      len: prng.pick([0, 1, 13, 14, 15, 20, 33, 34, 38, 40, 54, 58, 60, 68, 96]),
    };
  },
};

const LINK_TYPES = [
  0,
  1,
  9,
  12,
  14,
  101,
  104,
  105,
  108,
  113,
  127,
  147,
  192,
  228,
  229,
  276,
  0x40000001,
  0xffff,
];

function linkTypeOf(L: Layout): number {
  const lt = L.linkType & 0x03ffffff;
  return lt === 101 ? 12 : lt;
}

// ---------------------------------------------------------------------------------------------
// Protocol-aware field location (a shallow, forgiving walk: it only suggests targets)

/** A field worth corrupting. */
export interface FieldTarget {
  /** Offset in the packet. */
  readonly at: number;
  readonly size: 1 | 2 | 4;
  readonly kind: FieldKind;
  /** Byte order (network order unless set). */
  readonly le?: boolean;
}

/** What a field means, which decides the interesting values. */
export type FieldKind =
  | "len"
  | "etype"
  | "ipproto"
  | "ihl"
  | "frag"
  | "tcpoff"
  | "port"
  | "extlen"
  | "greflags"
  | "ppp"
  | "family"
  | "byte";

const VALUES: Record<FieldKind, number[]> = {
  len: [0, 1, 7, 8, 19, 20, 21, 39, 40, 41, 0x7fff, 0x8000, 0xfffe, 0xffff],
  etype: [
    0x0800,
    0x86dd,
    0x0806,
    0x8035,
    0x8100,
    0x88a8,
    0x9100,
    0x8847,
    0x8848,
    0x8863,
    0x8864,
    0x88cc,
    0x6558,
    0x88be,
    0x880b,
    0x0000,
    0x05dc,
    0x05ff,
    0xffff,
  ],
  ipproto: [
    0,
    1,
    2,
    4,
    6,
    17,
    41,
    43,
    44,
    47,
    50,
    51,
    58,
    59,
    60,
    97,
    103,
    112,
    115,
    132,
    135,
    255,
  ],
  ihl: [0x40, 0x41, 0x44, 0x45, 0x46, 0x4f, 0x60, 0x00, 0xff, 0x55],
  frag: [0x0000, 0x2000, 0x0001, 0x2001, 0x1fff, 0x3fff, 0x4000, 0xffff],
  tcpoff: [0x00, 0x10, 0x40, 0x50, 0x60, 0xf0, 0xff],
  port: [0, 53, 67, 80, 123, 443, 1701, 2123, 2152, 3544, 4789, 5072, 5353, 6081, 0xffff],
  extlen: [0, 1, 2, 0x7f, 0xff],
  greflags: [0x0000, 0x2000, 0x8000, 0x1000, 0x3001, 0x3081, 0xb001, 0x0001, 0xffff],
  ppp: [0x0021, 0x0057, 0x0281, 0xc021, 0x8021, 0x0000, 0xffff],
  family: [0, 2, 10, 24, 28, 30, 0x02000000, 0x18000000, 0xffffffff],
  byte: INTERESTING_8,
};

function interesting(prng: Prng, t: FieldTarget, dataLen: number): number {
  const pool = VALUES[t.kind];
  if (t.kind === "len" && prng.chance(0.4)) {
    // Around what the packet really holds.
    return Math.max(0, dataLen - t.at + prng.range(-24, 24)) & 0xffff;
  }
  if (prng.chance(0.1)) return t.size === 4 ? prng.u32() : prng.int(1 << (8 * t.size));
  const v = prng.pick(pool);
  return t.size === 1 ? v & 0xff : t.size === 2 ? v & 0xffff : v >>> 0;
}

/** Where the IP header of a packet starts for common link types, or -1. */
function ipStart(d: Uint8Array, linkType: number): number {
  switch (linkType) {
    case 0:
    case 108:
      return 4;
    case 12:
    case 14:
    case 228:
    case 229:
      return 0;
    case 113:
      return 16;
    case 276:
      return 20;
    case 1: {
      let at = 12;
      for (let i = 0; i < 8 && at + 2 <= d.length; i++) {
        const et = (d[at] << 8) | d[at + 1];
        if (et === 0x8100 || et === 0x88a8 || et === 0x9100) at += 4;
        else if (et === 0x0800 || et === 0x86dd) return at + 2;
        else return -1;
      }
      return -1;
    }
    default:
      return -1;
  }
}

/** Suggest fields of a packet to corrupt (offsets within `d`). */
export function locateFields(d: Uint8Array, linkType: number): FieldTarget[] {
  const out: FieldTarget[] = [];
  const add = (at: number, size: 1 | 2 | 4, kind: FieldKind, le?: boolean) => {
    if (at >= 0 && at + size <= d.length) out.push({ at, size, kind, le });
  };
  let l3 = -1;
  switch (linkType) {
    case 1: {
      let at = 12;
      for (let i = 0; i < 8 && at + 2 <= d.length; i++) {
        add(at, 2, "etype");
        const et = (d[at] << 8) | d[at + 1];
        if (et === 0x8100 || et === 0x88a8 || et === 0x9100) {
          at += 4;
          continue;
        }
        if (et === 0x8847 || et === 0x8848) {
          let m = at + 2;
          for (let k = 0; k < 8 && m + 4 <= d.length; k++, m += 4) {
            add(m + 2, 1, "byte");
            if (d[m + 2] & 1) break;
          }
          l3 = m + 4;
        } else if (et === 0x8864) {
          add(at + 6, 2, "len");
          add(at + 8, 2, "ppp");
          l3 = at + 10;
        } else if (et === 0x0800 || et === 0x86dd) l3 = at + 2;
        else if (et <= 1500) {
          add(at + 2, 1, "byte"); // LLC DSAP
          add(at + 4, 1, "byte"); // LLC control
        }
        break;
      }
      break;
    }
    case 0:
    case 108:
      add(0, 4, "family", true);
      add(0, 4, "family", false);
      l3 = 4;
      break;
    case 113:
      add(14, 2, "etype");
      add(4, 2, "len");
      l3 = 16;
      break;
    case 276:
      add(0, 2, "etype");
      l3 = 20;
      break;
    default:
      l3 = ipStart(d, linkType);
  }
  if (l3 >= 0) ipFields(d, l3, add, 0);
  return out;
}

type Add = (at: number, size: 1 | 2 | 4, kind: FieldKind, le?: boolean) => void;

function ipFields(d: Uint8Array, l3: number, add: Add, depth: number): void {
  if (depth > 3 || l3 + 1 > d.length) return;
  const ver = d[l3] >> 4;
  let l4 = -1;
  let proto = -1;
  if (ver === 4) {
    add(l3, 1, "ihl");
    add(l3 + 2, 2, "len");
    add(l3 + 6, 2, "frag");
    add(l3 + 9, 1, "ipproto");
    l4 = l3 + 4 * (d[l3] & 15);
    proto = d[l3 + 9] ?? -1;
  } else if (ver === 6) {
    add(l3, 1, "ihl");
    add(l3 + 4, 2, "len");
    add(l3 + 6, 1, "ipproto");
    proto = d[l3 + 6] ?? -1;
    l4 = l3 + 40;
    for (let i = 0; i < 6 && (proto === 0 || proto === 43 || proto === 60 || proto === 44); i++) {
      add(l4, 1, "ipproto");
      add(l4 + 1, 1, "extlen");
      if (proto === 44) add(l4 + 2, 2, "frag");
      if (l4 + 2 > d.length) return;
      const next = d[l4];
      l4 += proto === 44 ? 8 : 8 * (d[l4 + 1] + 1);
      proto = next;
    }
  } else return;
  if (l4 < 0 || l4 >= d.length) return;
  switch (proto) {
    case 6:
      add(l4 + 12, 1, "tcpoff");
      add(l4 + 14, 2, "len");
      if (l4 + 20 < d.length) add(l4 + 20, 1, "byte"); // first option kind
      if (l4 + 21 < d.length) add(l4 + 21, 1, "byte"); // its length
      break;
    case 17: {
      add(l4, 2, "port");
      add(l4 + 2, 2, "port");
      add(l4 + 4, 2, "len");
      const dst = (d[l4 + 2] << 8) | d[l4 + 3];
      const src = (d[l4] << 8) | d[l4 + 1];
      const port = (p: number) => dst === p || src === p;
      if (port(4789) || port(6081)) add(l4 + 8, 1, "byte");
      if (port(2152)) {
        add(l4 + 8, 1, "byte");
        add(l4 + 10, 2, "len");
        ipFields(d, l4 + 16, add, depth + 1);
      }
      if (port(1701)) add(l4 + 8, 2, "greflags");
      if (port(3544)) ipFields(d, l4 + 8, add, depth + 1);
      break;
    }
    case 47:
      add(l4, 2, "greflags");
      add(l4 + 2, 2, "etype");
      add(l4 + 4, 2, "len");
      break;
    case 1:
    case 58:
      add(l4, 1, "byte");
      add(l4 + 1, 1, "byte");
      ipFields(d, l4 + 8, add, depth + 1);
      break;
    case 132:
      add(l4 + 12, 1, "byte");
      add(l4 + 14, 2, "len");
      break;
    case 4:
    case 41:
      ipFields(d, l4, add, depth + 1);
      break;
  }
}
