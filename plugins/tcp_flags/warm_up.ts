/**
 * Packets that take tcpFlags' per-packet analysis through its branches once before the run.
 *
 * Why: V8 optimises a function from what it has seen run; the first time a branch that never
 * ran is taken, it throws the optimised code away and starts again. tcpFlags' analysis has
 * many branches that real traffic takes only now and then (a FIN-ACK, a zero window, an option
 * kind, a retransmission), and re-optimising the large function each time cost about 0.4 s of
 * compile time on the benchmark capture. Running these packets through it first (on two flow
 * slots, before any real flow exists, then cleared) leaves nothing new to learn.
 *
 * The packets are views filled by hand (no dissector): IPv4 or IPv6 at offset 0, then TCP,
 * UDP, ICMP or other protocols, with the header fields tcpFlags reads.
 *
 * @module
 */

import { flowStatus, IpProto, Packet, PacketKind } from "../../mod.ts";

/** One warm-up packet: which of the two flows, and whether it opens that flow. */
export interface WarmUpPacket {
  readonly p: Packet;
  readonly flow: 0 | 1;
  readonly first: boolean;
}

interface Spec {
  flow: 0 | 1;
  ms: number;
  v6?: boolean;
  proto?: number;
  flags?: number;
  seq?: number;
  ack?: number;
  win?: number;
  opts?: readonly number[];
  payload?: number;
  ipOpts?: readonly number[];
  /** IPv4 flags and fragment offset word, or IPv6 fragment header offset word. */
  frag?: number;
  /** Captured bytes (default: all). */
  cap?: number;
}

/** Added to the specs' sequence and acknowledgement numbers. */
const BIG = 0xf0000000;

const TCP_OPTS = [
  2,
  4,
  5,
  180, // MSS
  4,
  2, // SACK permitted
  8,
  10,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  0, // timestamps
  1, // NOP
  3,
  3,
  7, // window scale
  5,
  10,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  2, // SACK
  30,
  12,
  0x00,
  0x81,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8, // MPTCP MP_CAPABLE
  30,
  8,
  0x10,
  0x01,
  1,
  2,
  3,
  4, // MP_JOIN
  30,
  4,
  0x20,
  0x01, // DSS
  30,
  4,
  0x30,
  0x01, // ADD_ADDR
  99,
  2, // unknown kind
  200,
  2, // kind >= 31
];

/** The warm-up packets, in order. */
export function warmUpPackets(): WarmUpPacket[] {
  const S = 0x02, A = 0x10, F = 0x01, R = 0x04, P = 0x08;
  const specs: Spec[] = [
    { flow: 0, ms: 0, flags: S, seq: 100, opts: TCP_OPTS, ipOpts: [0x94, 4, 0, 0] },
    {
      flow: 1,
      ms: 1,
      flags: S | A,
      seq: 500,
      ack: 101,
      opts: [2, 4, 5, 180, 3, 3, 7, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1],
    },
    { flow: 0, ms: 2, flags: A, seq: 101, ack: 501, opts: [1, 1, 8, 10, 0, 0, 0, 3, 0, 0, 0, 2] },
    { flow: 0, ms: 3, flags: P | A, seq: 101, ack: 501, payload: 100 },
    { flow: 1, ms: 4, flags: A, seq: 501, ack: 201, win: 0 },
    { flow: 1, ms: 4, flags: A, seq: 501, ack: 201, win: 0 }, // same time, duplicate ACK
    { flow: 0, ms: 5, flags: A, seq: 201, ack: 501, payload: 1 }, // zero-window probe
    { flow: 1, ms: 6, flags: A, seq: 501, ack: 201, win: 0 }, // probe answer
    { flow: 0, ms: 7, flags: A, seq: 200, ack: 501 }, // keep-alive
    { flow: 1, ms: 8, flags: A, seq: 500, ack: 201, win: 100 },
    { flow: 0, ms: 9, flags: P | A, seq: 150, ack: 501, payload: 10 }, // retransmission
    {
      flow: 0,
      ms: 1500,
      flags: P | A,
      seq: 150,
      ack: 501,
      payload: 10,
      opts: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2],
    },
    { flow: 1, ms: 1501, flags: A, seq: 501, ack: 900, win: 65535 }, // ACK of unseen bytes
    { flow: 0, ms: 1502, flags: P | A, seq: 300, ack: 501, payload: 10 }, // gap
    { flow: 0, ms: 1503, flags: S, seq: 100, payload: 4 }, // SYN with data
    { flow: 0, ms: 2600, flags: S, seq: 100 }, // SYN retry
    { flow: 0, ms: 2700, flags: S, seq: 100 }, // SYN scan pattern
    { flow: 0, ms: 2701, flags: F | A, seq: 310, ack: 501 },
    { flow: 1, ms: 2702, flags: R | A, seq: 501, ack: 311 },
    { flow: 1, ms: 2703, flags: S | F, seq: 1 },
    { flow: 1, ms: 2704, flags: S | F | R, seq: 1 },
    { flow: 1, ms: 2705, flags: F | R, seq: 1 },
    { flow: 1, ms: 2706, flags: 0, seq: 1 },
    { flow: 1, ms: 2707, flags: 0x29, seq: 1 },
    { flow: 1, ms: 2708, flags: F, seq: 1 },
    { flow: 1, ms: 2709, flags: R, seq: 1 },
    { flow: 0, ms: 2710, flags: A, seq: 1, frag: 0x2000, payload: 40 }, // first fragment
    { flow: 0, ms: 2711, flags: A, seq: 1, frag: 0x0006, payload: 40 }, // later fragment
    { flow: 0, ms: 2712, flags: A, seq: 1, frag: 0x0020, payload: 40 }, // offset 32: read as TCP
    { flow: 0, ms: 2713, flags: A, seq: 1, payload: 100, cap: 40 }, // layer 4 cut
    { flow: 0, ms: 2714, flags: A, seq: 1, cap: 10 }, // IP header cut
    { flow: 0, ms: 2715, flags: A, seq: 1, opts: [2, 0, 0, 0] }, // option of length 0
    { flow: 0, ms: 2716, flags: A, seq: 1, opts: TCP_OPTS, cap: 30 }, // options cut
    { flow: 0, ms: 2717, flags: A, seq: 1, ipOpts: [0x83, 0, 0, 0] }, // IP option of length 0
    { flow: 0, ms: 2718, proto: IpProto.UDP, payload: 20 },
    { flow: 0, ms: 2719, proto: IpProto.UDP, payload: 20, cap: 30 },
    { flow: 0, ms: 2720, proto: IpProto.UDPLITE, payload: 20 },
    { flow: 0, ms: 2721, proto: IpProto.ICMP, payload: 20 },
    { flow: 0, ms: 2722, proto: IpProto.IGMP, payload: 20 },
    { flow: 0, ms: 2723, proto: IpProto.GRE, payload: 20 },
    { flow: 0, ms: 2724, proto: IpProto.OSPF, payload: 40 },
    { flow: 0, ms: 2725, proto: IpProto.ESP, payload: 40 },
    { flow: 0, ms: 2726, proto: IpProto.ESP, payload: 40, cap: 30 },
    { flow: 0, ms: 2727, v6: true, flags: S, seq: 1, opts: TCP_OPTS },
    { flow: 0, ms: 2728, v6: true, flags: A, seq: 2, frag: 0x0001, payload: 40 },
    { flow: 0, ms: 2729, v6: true, flags: A, seq: 2, frag: 0x0100, payload: 40 },
    { flow: 0, ms: 2730, v6: true, proto: IpProto.ICMPV6, payload: 20 },
    { flow: 0, ms: 2731, v6: true, proto: IpProto.UDP, payload: 20 },
  ];
  const seen = new Set<number>();
  return specs.map((s) => {
    const first = !seen.has(s.flow);
    seen.add(s.flow);
    return { p: packet(s), flow: s.flow, first };
  });
}

/** A packet view of one spec. */
function packet(s: Spec): Packet {
  const proto = s.proto ?? IpProto.TCP;
  const payload = s.payload ?? 0;
  const tcpOpts = s.opts ?? [];
  const l4Hdr = proto === IpProto.TCP ? 20 + Math.ceil(tcpOpts.length / 4) * 4 : 8;
  const later = s.v6 ? ((s.frag ?? 0) >>> 3) !== 0 : ((s.frag ?? 0) & 0x1fff) !== 0;
  const l4Len = later ? payload : l4Hdr + payload;
  let l3Hdr: number;
  let bytes: Uint8Array;
  const p = new Packet();
  if (s.v6) {
    // Hop-by-hop options, destination options, a fragment header when `frag` is given.
    const hasFrag = s.frag !== undefined;
    l3Hdr = 40 + 8 + 8 + (hasFrag ? 8 : 0);
    bytes = new Uint8Array(l3Hdr + l4Len);
    bytes[0] = 0x60;
    bytes[1] = 0xb8;
    bytes[4] = (l3Hdr - 40 + l4Len) >> 8;
    bytes[5] = (l3Hdr - 40 + l4Len) & 0xff;
    bytes[6] = 0;
    bytes[7] = 64;
    bytes[23] = 1;
    bytes[39] = 2;
    bytes.set([60, 0, 5, 2, 0, 0, 1, 0], 40); // hop-by-hop: router alert, PadN
    bytes.set([hasFrag ? 44 : proto, 0, 0xc9, 4, 0, 0, 0, 0], 48); // destination options
    p.ip6HopOptsOff = 40;
    p.ip6DstOptsOff = 48;
    if (hasFrag) {
      bytes.set([proto, 0, (s.frag! >> 8) & 0xff, s.frag! & 0xff, 0, 0, 0, 7], 56);
      p.ip6FragOff = 56;
    }
  } else {
    const ipOpts = s.ipOpts ?? [];
    l3Hdr = 20 + Math.ceil(ipOpts.length / 4) * 4;
    bytes = new Uint8Array(l3Hdr + l4Len);
    bytes[0] = 0x40 | (l3Hdr >> 2);
    bytes[1] = 0x10;
    bytes[2] = (l3Hdr + l4Len) >> 8;
    bytes[3] = (l3Hdr + l4Len) & 0xff;
    bytes[5] = s.ms & 0xff;
    const frag = s.frag ?? 0x4000;
    bytes[6] = frag >> 8;
    bytes[7] = frag & 0xff;
    bytes[8] = 64 - s.flow;
    bytes[9] = proto;
    bytes.set(s.flow ? [10, 0, 0, 2, 10, 0, 0, 1] : [10, 0, 0, 1, 10, 0, 0, 2], 12);
    bytes.set(ipOpts, 20);
  }
  const l4 = l3Hdr;
  if (proto === IpProto.TCP && !later) {
    const v = new DataView(bytes.buffer);
    v.setUint16(l4, s.flow ? 80 : 40000);
    v.setUint16(l4 + 2, s.flow ? 40000 : 80);
    // Sequence numbers above 2^31, as real ones mostly are (V8 learns their type too).
    v.setUint32(l4 + 4, (BIG + (s.seq ?? 0)) >>> 0);
    v.setUint32(l4 + 8, (BIG + (s.ack ?? 0)) >>> 0);
    bytes[l4 + 12] = (l4Hdr / 4) << 4;
    bytes[l4 + 13] = s.flags ?? 0x10;
    v.setUint16(l4 + 14, s.win ?? 1000);
    bytes.set(tcpOpts, l4 + 20);
  } else if (proto === IpProto.UDP || proto === IpProto.UDPLITE) {
    bytes[l4 + 5] = l4Len;
  } else if (proto === IpProto.GRE) {
    bytes[l4] = 0x80;
  } else if (proto === IpProto.OSPF) {
    bytes[l4] = 2;
  }
  const cap = Math.min(s.cap ?? bytes.length, bytes.length);
  p.reset(bytes, 0, cap, bytes.length);
  p.kind = s.v6 ? PacketKind.IPV6 : PacketKind.IPV4;
  p.statusLo = s.v6 ? flowStatus.L2_IPV6 : flowStatus.L2_IPV4;
  p.tsSec = 1 + Math.floor(s.ms / 1000);
  p.tsNs = (s.ms % 1000) * 1e6;
  p.l2Off = p.l3Off = 0;
  p.l3HdrLen = l3Hdr;
  p.l4Off = l4;
  p.l4Proto = proto;
  p.l4HdrLen = later ? 0 : l4Hdr;
  p.l3Len = bytes.length;
  p.snapL3Len = cap;
  p.snapL4Len = Math.max(0, cap - l3Hdr);
  p.l7Len = later ? l4Len : payload;
  p.l7Off = l4 + (later ? 0 : l4Hdr);
  p.snapL7Len = Math.max(0, cap - p.l7Off);
  p.firstFragment = !later;
  p.addr[0] = s.flow ? 0x0a000002 : 0x0a000001;
  p.addr[4] = s.flow ? 0x0a000001 : 0x0a000002;
  return p;
}
