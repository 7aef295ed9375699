/**
 * IPv4 dissection on hand-made frames (spec/dissection.md §3, §8, §9): lengths, options,
 * fragments, snap lengths, GRE/PPTP, IP-in-IP and 6in4. Frames are hex, field by field.
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame, DissectRun, statusNames } from "../../tests/_support/dissect_frame.ts";
import { Packet, PacketKind } from "./packet.ts";

const ETH = hex("00 19 e3 e7 5d 23 | 00 08 74 38 01 b4 | 08 00"); // dst, src, IPv4

// 192.168.1.105:49329 -> 143.166.11.10:21, PSH|ACK, window 64860, "USER a\r\n".
const IPV4_TCP_DATA = hex(
  "45 00 00 30 | 12 34 40 00 | 80 06 00 00 | c0 a8 01 69 | 8f a6 0b 0a", // len 48, DF, TTL 128
  "c0 b1 00 15 | 00 00 00 01 | 00 00 00 01 | 50 18 fd 5c | 00 00 00 00", // TCP, 20 bytes
  "55 53 45 52 20 61 0d 0a", // payload
);

// 192.168.1.104:5353 -> 224.0.0.251:5353, 4 payload bytes.
const IPV4_UDP = hex(
  "45 00 00 20 | 00 01 00 00 | ff 11 00 00 | c0 a8 01 68 | e0 00 00 fb",
  "14 e9 14 e9 | 00 0c 00 00",
  "de ad be ef",
);

function eth(...parts: Uint8Array[]): Uint8Array {
  return concat(ETH, ...parts);
}

Deno.test("dissectIPv4(): TCP with payload — ports, header lengths, L7 offset and length", () => {
  const { p } = dissectFrame(eth(IPV4_TCP_DATA));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:tcp", 3, PacketKind.IPV4]);
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["FS_IPV4_PKT", "L2_IPV4"]);
  assert.deepStrictEqual([p.srcPort, p.dstPort, p.l4Proto], [49329, 21, 6]);
  assert.deepStrictEqual([p.addr[0], p.addr[4]], [0xc0a80169, 0x8fa60b0a]);
  assert.deepStrictEqual([p.l3Len, p.l3HdrLen, p.l4HdrLen, p.l2HdrLen], [48, 20, 20, 14]);
  // PACKETLENGTH=3: the statistics length is the L7 length.
  assert.deepStrictEqual([p.len, p.l7Len, p.l7Off, p.snapL7Len], [8, 8, 54, 8]);
  assert.deepStrictEqual([p.snapL3Len, p.snapL4Len], [48, 28]);
  assert.deepStrictEqual([p.ipId, p.ipOff, p.firstFragment], [0x1234, 0x4000, true]);
});

Deno.test("dissectIPv4(): options (IHL 7) — the UDP header is read after them", () => {
  const frame = eth(
    hex("47 00 00 28 | 00 02 00 00 | 01 11 00 00 | c0 a8 01 68 | e0 00 00 fb"), // IHL 7, len 40
    hex("94 04 00 00 | 01 01 01 00"), // router alert, NOP NOP NOP EOL
    hex("14 e9 14 e9 | 00 0c 00 00 | de ad be ef"),
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp", 3, PacketKind.IPV4]);
  assert.deepStrictEqual([p.l3HdrLen, p.l4Off, p.srcPort, p.dstPort], [28, 42, 5353, 5353]);
  assert.deepStrictEqual([p.len, p.l7Off, p.snapL7Len], [4, 50, 4]);
});

Deno.test("dissectIPv4(): a header length below 20 bytes is IPV4_HL_TOO_SHORT and gets no flow", () => {
  const frame = eth(hex("44"), IPV4_UDP.subarray(1));
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4", 2, PacketKind.NONE]);
  assert.ok(p.statusHi & S.IPV4_HL_TOO_SHORT_H);
});

// One UDP datagram (48 bytes: header + 40 payload bytes) in two fragments, IP ID 0xabcd.
const FRAG_FIRST = hex(
  "45 00 00 2c | ab cd 20 00 | 40 11 00 00 | c0 a8 01 68 | c0 a8 01 01", // MF, offset 0, len 44
  "14 e9 00 35 | 00 30 00 00", // UDP 5353 -> 53, length 48
  "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f", // first 16 payload bytes
);
const FRAG_LAST = hex(
  "45 00 00 30 | ab cd 00 03 | 40 11 00 00 | c0 a8 01 68 | c0 a8 01 01", // offset 3 (24 bytes)
  "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27 | 00 00 00 00",
);

Deno.test("dissectIPv4(): a first fragment is dissected as usual and marked as first", () => {
  const { p } = dissectFrame(eth(FRAG_FIRST));
  assert.deepStrictEqual([p.hdrDesc, p.kind, p.firstFragment], ["eth:ipv4:udp", 4, true]);
  assert.deepStrictEqual([p.srcPort, p.dstPort, p.ipId, p.ipOff], [5353, 53, 0xabcd, 0x2000]);
  assert.deepStrictEqual([p.len, p.l4HdrLen], [16, 8]);
});

Deno.test("dissectIPv4(): a later fragment gets the protocol name, ports 0, no L4 header, STPDSCT", () => {
  const { p } = dissectFrame(eth(FRAG_LAST));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp", 3, PacketKind.IPV4]);
  assert.deepStrictEqual([p.firstFragment, p.srcPort, p.dstPort, p.l4Proto], [false, 0, 0, 17]);
  assert.ok(p.statusHi & S.STPDSCT_H);
  // The statistics length of a later fragment is its whole IP payload.
  assert.deepStrictEqual([p.l4HdrLen, p.len, p.l7Off], [0, 28, 34]);
  assert.deepStrictEqual([p.ipId, p.ipOff], [0xabcd, 3]);
});

Deno.test("dissectIPv4(): Ethernet padding is trimmed from the snap lengths", () => {
  const tcp = IPV4_TCP_DATA.slice(0, 40);
  tcp[3] = 40; // IP length 40: no payload
  const frame = concat(eth(tcp), new Uint8Array(6)); // 54 + 6 padding = 60
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.l3Len, p.snapL2Len, p.snapL3Len, p.snapL7Len, p.len], [
    40,
    54,
    40,
    0,
    0,
  ]);
  assert.equal(p.statusHi & S.L3SNAPLENGTH_H, 0);
});

Deno.test("dissectIPv4(): a packet cut by the snap length is L3SNAPLENGTH (warned once per run), lengths come from the IP header", () => {
  // A 1500-byte IP datagram of which 66 bytes were captured (annoloc2's snap length).
  const big = new Uint8Array(14 + 1500);
  big.set(eth(IPV4_TCP_DATA.subarray(0, 40)));
  big[14 + 2] = 0x05;
  big[14 + 3] = 0xdc; // IP length 1500
  const run = new DissectRun();
  const warnings = run.warnings;
  for (let i = 0; i < 2; i++) {
    const p = new Packet();
    p.reset(big.slice(0, 66), 0, 66, big.length);
    p.linkType = 1;
    run.dissect(p);
    assert.ok(p.statusHi & S.L3SNAPLENGTH_H);
    assert.equal(p.statusHi & S.L4HDRSHRTLEN_H, 0, "the TCP header is complete");
    assert.deepStrictEqual([p.l3Len, p.len, p.l7Len, p.snapL3Len, p.snapL7Len], [
      1500,
      1460,
      1460,
      52,
      12,
    ]);
    assert.deepStrictEqual([p.srcPort, p.dstPort], [49329, 21]);
  }
  assert.deepStrictEqual(warnings, [
    "snapL2Length: 66 - snapL3Length: 52 - IP length in header: 1500",
  ]);
});

Deno.test("dissectIPv4(): IP length 0 (segmentation offload) uses the frame length and sets IP_PL_MSMTCH", () => {
  const tso = IPV4_TCP_DATA.slice();
  tso[2] = tso[3] = 0;
  const { p } = dissectFrame(eth(tso));
  assert.ok(p.statusHi & S.IP_PL_MSMTCH_H);
  assert.deepStrictEqual([p.l3Len, p.len], [48, 8]);
});

Deno.test("dissectIPv4(): an IP length beyond the frame is cut to the frame", () => {
  const long = IPV4_TCP_DATA.slice();
  long[3] = 200;
  const { p } = dissectFrame(eth(long));
  assert.deepStrictEqual([p.l3Len, p.len], [48, 8]);
});

Deno.test("dissectIPv4(): TCP needs an IP length of 40 and UDP of 28, else L4HDRSHRTLEN and no ports", () => {
  const tcp = IPV4_TCP_DATA.slice(0, 36);
  tcp[3] = 36;
  const t = dissectFrame(eth(tcp)).p;
  assert.ok(t.statusHi & S.L4HDRSHRTLEN_H);
  assert.deepStrictEqual([t.kind, t.hdrDesc, t.srcPort, t.dstPort, t.len], [
    4,
    "eth:ipv4:tcp",
    0,
    0,
    0,
  ]);
  const udp = IPV4_UDP.slice(0, 27);
  udp[3] = 27;
  const u = dissectFrame(eth(udp)).p;
  assert.ok(u.statusHi & S.L4HDRSHRTLEN_H);
  assert.deepStrictEqual([u.kind, u.hdrDesc, u.srcPort, u.dstPort], [4, "eth:ipv4:udp", 0, 0]);
});

Deno.test("dissectIPv4(): an unknown protocol -> eth:ipv4:UNK(253), STPDSCT, a flow without ports", () => {
  const frame = eth(
    hex(
      "45 00 00 1c | 00 01 00 00 | 40 fd 00 00 | 0a 00 00 01 | 0a 00 00 02",
      "01 02 03 04 05 06 07 08",
    ),
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind, p.l4Proto], [
    "eth:ipv4:UNK(253)",
    3,
    4,
    253,
  ]);
  assert.ok(p.statusHi & S.STPDSCT_H);
  assert.deepStrictEqual([p.srcPort, p.dstPort], [0, 0]);
});

Deno.test("dissectIPv4(): ICMP -> eth:ipv4:icmp, no ports, an 8-byte L4 header", () => {
  const frame = eth(hex(
    "45 00 00 24 | 00 07 00 00 | 40 01 00 00 | c0 a8 01 68 | 08 08 08 08",
    "08 00 00 00 | 12 34 00 01", // echo request
    "61 62 63 64 65 66 67 68", // 8 data bytes
  ));
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:icmp", 3, PacketKind.IPV4]);
  assert.deepStrictEqual([p.srcPort, p.dstPort, p.l4HdrLen, p.len], [0, 0, 8, 8]);
});

Deno.test("dissectIPv4(): UDP to port 1900 from above 1024 -> eth:ipv4:udp:ssdp, L4_UPNP", () => {
  const frame = eth(hex(
    "45 00 00 1c | 00 01 00 00 | 01 11 00 00 | c0 a8 01 68 | ef ff ff fa",
    "c3 50 07 6c | 00 08 00 00", // 50000 -> 1900
  ));
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs], ["eth:ipv4:udp:ssdp", 4]);
  assert.ok(p.statusLo & S.L4_UPNP);
});

// Outer IPv4 10.0.0.1 -> 10.0.0.2 with protocol `proto` around `inner` bytes.
function outer(proto: number, inner: Uint8Array): Uint8Array {
  const h = hex("45 00 00 00 | 00 09 00 00 | 40 00 00 00 | 0a 00 00 01 | 0a 00 00 02");
  h[9] = proto;
  const len = 20 + inner.length;
  h[2] = len >> 8;
  h[3] = len & 0xff;
  return concat(h, inner);
}

Deno.test("dissectIPv4(): GRE carrying IPv4 -> eth:ipv4:gre:ipv4:tcp, L2_GRE, the inner header makes the flow", () => {
  const frame = eth(outer(47, concat(hex("00 00 08 00"), IPV4_TCP_DATA))); // GRE, IPv4
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:gre:ipv4:tcp", 5, 4]);
  assert.ok(p.statusLo & S.L2_GRE);
  assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort, p.l3Off], [0xc0a80169, 49329, 21, 38]);
  assert.equal(p.len, 8);
});

Deno.test("dissectIPv4(): PPTP (enhanced GRE, PPP) -> eth:ipv4:gre:ppp:ipv4:tcp, L2_GRE and L2_PPP", () => {
  const gre = hex(
    "30 81 88 0b", // key + sequence present, ack present, version 1; PPP
    "00 2c 00 05", // payload length 44, call ID 5
    "00 00 00 01 | 00 00 00 00", // sequence, acknowledgment
    "ff 03 00 21", // PPP address, control, protocol IPv4
  );
  const { p } = dissectFrame(eth(outer(47, concat(gre, IPV4_TCP_DATA))));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:gre:ppp:ipv4:tcp", 6, 4]);
  assert.ok(p.statusLo & S.L2_GRE && p.statusLo & S.L2_PPP);
  assert.deepStrictEqual([p.srcPort, p.dstPort], [49329, 21]);
});

Deno.test("dissectIPv4(): PPTP compressed data -> eth:ipv4:gre:ppp:comp_data, PPP_NRHD, stop", () => {
  const gre = hex("30 01 88 0b | 00 08 00 05 | 00 00 00 02", "fd 00 11 22 33 44 55 66");
  const { p } = dissectFrame(eth(outer(47, gre)));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:gre:ppp:comp_data", 5, 4]);
  assert.ok(p.statusHi & S.PPP_NRHD_H && p.statusHi & S.STPDSCT_H);
  assert.deepStrictEqual([p.addr[0], p.addr[4], p.l4Proto], [0x0a000001, 0x0a000002, 47]);
});

// IPv6 2001:db8::1 -> 2001:db8::2, TCP 443 -> 50000 (ACK), no payload.
const IPV6_TCP = hex(
  "60 00 00 00 | 00 14 06 40", // payload length 20, TCP, hop limit 64
  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
  "01 bb c3 50 | 00 00 00 01 | 00 00 00 01 | 50 10 ff ff | 00 00 00 00",
);

Deno.test("dissectIPv4(): 6in4 -> eth:ipv4:ipv6:tcp, L3_IPIP, an IPv6 flow of the inner header", () => {
  const { p } = dissectFrame(eth(outer(41, IPV6_TCP)));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:ipv6:tcp", 4, PacketKind.IPV6]);
  assert.ok(p.statusLo & S.L3_IPIP);
  assert.deepStrictEqual([p.ethType, p.srcPort, p.dstPort, p.addr[3], p.addr[7]], [
    0x86dd,
    443,
    50000,
    1,
    2,
  ]);
});

Deno.test("dissectIPv4(): IPv4 in IPv4 -> eth:ipv4:ipv4:udp, L3_IPIP, the inner addresses", () => {
  const { p } = dissectFrame(eth(outer(4, IPV4_UDP)));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:ipv4:udp", 4, PacketKind.IPV4]);
  assert.ok(p.statusLo & S.L3_IPIP);
  assert.deepStrictEqual([p.addr[0], p.addr[4], p.srcPort], [0xc0a80168, 0xe00000fb, 5353]);
});

/** Frames and the offset of their innermost IP header. */
const FRAMES: Record<string, [Uint8Array, number]> = {
  "tcp": [eth(IPV4_TCP_DATA), 14],
  "udp": [eth(IPV4_UDP), 14],
  "first fragment": [eth(FRAG_FIRST), 14],
  "later fragment": [eth(FRAG_LAST), 14],
  "gre": [eth(outer(47, concat(hex("00 00 08 00"), IPV4_TCP_DATA))), 38],
  "pptp": [
    eth(
      outer(
        47,
        concat(hex("30 81 88 0b 00 2c 00 05 00 00 00 01 00 00 00 00 ff 03 00 21"), IPV4_TCP_DATA),
      ),
    ),
    54,
  ],
  "6in4": [eth(outer(41, IPV6_TCP)), 34],
  "ipip": [eth(outer(4, IPV4_UDP)), 34],
};

Deno.test("dissectIPv4(): every capture length of every frame is dissected without throwing; with the innermost version byte captured it stays a flow packet", () => {
  for (const [name, [frame, l3]] of Object.entries(FRAMES)) {
    for (let cap = 0; cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      if (cap > Math.max(15, l3)) assert.notEqual(p.kind, PacketKind.NONE, `${name} cut at ${cap}`);
    }
  }
});

Deno.test("dissectIPv4(): a datagram cut after the start of its innermost IP header is L3SNAPLENGTH", () => {
  for (const [name, [frame, l3]] of Object.entries(FRAMES)) {
    for (let cap = Math.max(16, l3 + 1); cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      const cut = (p.statusHi & S.L3SNAPLENGTH_H) !== 0;
      assert.equal(cut, cap < frame.length, `${name} cut at ${cap}`);
    }
  }
});

Deno.test("dissectIPv4(): a TCP or UDP header cut by the snap length is L4HDRSHRTLEN (IP header complete)", () => {
  for (const [name, l4End] of [["tcp", 54], ["udp", 42]] as const) {
    const frame = FRAMES[name][0];
    for (let cap = 34; cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      assert.equal((p.statusHi & S.L4HDRSHRTLEN_H) !== 0, cap < l4End, `${name} cut at ${cap}`);
    }
  }
});

Deno.test({
  // spec/dissection.md §9: fewer bytes left than the L4 header needs, negative counts included.
  name: "dissectIPv4(): a TCP header not captured at all (IP header cut too) is L4HDRSHRTLEN",
  fn() {
    for (let cap = 16; cap < 34; cap++) {
      const { p } = dissectFrame(FRAMES.tcp[0], { capLen: cap });
      assert.ok(p.statusHi & S.L4HDRSHRTLEN_H, `tcp cut at ${cap}`);
    }
  },
});
