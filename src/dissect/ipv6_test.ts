/**
 * IPv6 dissection on hand-made frames (spec/dissection.md §4, §8, §9): extension headers,
 * fragments, encapsulation, the five-header walk limit and snap lengths.
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame, statusNames } from "../../tests/_support/dissect_frame.ts";
import { PacketKind } from "./packet.ts";

const ETH6 = hex("33 33 00 00 00 01 | 00 0b db 4f 6b 10 | 86 dd"); // dst, src, IPv6
const SRC = "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"; // 2001:db8::1
const DST = "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"; // 2001:db8::2

/** An Ethernet frame with an IPv6 header (next header `nh`) in front of `rest`. */
function ipv6(nh: number, rest: Uint8Array): Uint8Array {
  const h = hex("60 00 00 00 | 00 00 00 40", SRC, DST); // payload length set below, hop limit 64
  h[4] = rest.length >> 8;
  h[5] = rest.length & 0xff;
  h[6] = nh;
  return concat(ETH6, h, rest);
}

const TCP = hex("01 bb c3 50 | 00 00 00 01 | 00 00 00 01 | 50 18 ff ff | 00 00 00 00"); // 443 -> 50000
const UDP = hex("14 e9 14 e9 | 00 0c 00 00 | de ad be ef"); // 5353 -> 5353, 4 payload bytes

Deno.test("dissectIPv6(): TCP -> eth:ipv6:tcp, an IPv6 flow packet with ports and 128-bit addresses", () => {
  const { p } = dissectFrame(ipv6(6, TCP));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv6:tcp", 3, PacketKind.IPV6]);
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["FS_IPV6_PKT", "L2_IPV6"]);
  assert.deepStrictEqual([p.srcPort, p.dstPort, p.l4Proto, p.ethType], [443, 50000, 6, 0x86dd]);
  assert.deepStrictEqual([...p.addr], [0x20010db8, 0, 0, 1, 0x20010db8, 0, 0, 2]);
  assert.deepStrictEqual([p.l3Off, p.l3HdrLen, p.l4Off, p.l7Off, p.l3Len, p.len], [
    14,
    40,
    54,
    74,
    60,
    0,
  ]);
});

Deno.test("dissectIPv6(): UDP -> eth:ipv6:udp; the statistics length is the UDP payload", () => {
  const { p } = dissectFrame(ipv6(17, UDP));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.srcPort, p.dstPort], [
    "eth:ipv6:udp",
    3,
    5353,
    5353,
  ]);
  assert.deepStrictEqual([p.len, p.l7Len, p.snapL7Len], [4, 4, 4]);
});

Deno.test("dissectIPv6(): hop-by-hop options then ICMPv6 -> eth:ipv6:ipv6.hopopts:icmpv6, 4 headers", () => {
  const frame = ipv6(
    0,
    hex(
      "3a 00 | 05 02 00 00 | 01 00", // next ICMPv6, 8 bytes: router alert, PadN
      "80 00 00 00 | 00 01 00 01", // echo request
      "61 62 63 64",
    ),
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv6:ipv6.hopopts:icmpv6", 4, 6]);
  assert.deepStrictEqual([p.l4Proto, p.l3HdrLen, p.l4Off, p.l4HdrLen, p.len], [58, 48, 62, 8, 4]);
  assert.deepStrictEqual([p.srcPort, p.dstPort], [0, 0]);
});

Deno.test("dissectIPv6(): destination options and a routing header before TCP", () => {
  const frame = ipv6(
    60,
    concat(
      hex("2b 00 | 01 04 00 00 00 00"), // dst options: next routing, 8 bytes
      hex("06 02 | 02 01 00 00 00 00", DST), // routing: next TCP, 24 bytes, type 2
      TCP,
    ),
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(
    [p.hdrDesc, p.numHdrs, p.kind],
    ["eth:ipv6:ipv6.dstopts:ipv6.routing:tcp", 5, PacketKind.IPV6],
  );
  assert.deepStrictEqual([p.l3HdrLen, p.l4Off, p.srcPort, p.dstPort], [72, 86, 443, 50000]);
});

Deno.test("dissectIPv6(): an atomic fragment (offset 0, no more fragments) is a first fragment", () => {
  const frame = ipv6(44, concat(hex("11 00 | 00 00 | 12 34 56 78"), UDP)); // next UDP, id
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv6:ipv6.fraghdr:udp", 4, 6]);
  assert.deepStrictEqual([p.firstFragment, p.ip6FragOff, p.ipId, p.ipOff], [
    true,
    54,
    0x12345678,
    0,
  ]);
  assert.deepStrictEqual([p.srcPort, p.dstPort, p.len], [5353, 5353, 4]);
});

Deno.test("dissectIPv6(): a later fragment -> eth:ipv6:ipv6.fraghdr, ports 0, its payload is the length", () => {
  const frame = ipv6(44, hex("11 00 | 00 b0 | 12 34 56 78", "00 01 02 03 04 05 06 07 08 09")); // offset 22
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv6:ipv6.fraghdr", 3, 6]);
  assert.deepStrictEqual([p.firstFragment, p.srcPort, p.dstPort, p.l4Proto], [false, 0, 0, 17]);
  assert.deepStrictEqual([p.l4HdrLen, p.len, p.ipOff], [0, 10, 0x00b0]);
});

Deno.test("dissectIPv6(): IPv6 in IPv6 -> eth:ipv6:ipv6:udp, L3_IPIP, the inner addresses", () => {
  const inner = hex(
    "60 00 00 00 | 00 0c 11 40",
    "fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0a",
    "fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0b",
  );
  const { p } = dissectFrame(ipv6(41, concat(inner, UDP)));
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv6:ipv6:udp", 4, PacketKind.IPV6]);
  assert.ok(p.statusLo & S.L3_IPIP);
  assert.deepStrictEqual([p.addr[0], p.addr[3], p.addr[7], p.srcPort], [
    0xfd000000,
    0x0a,
    0x0b,
    5353,
  ]);
});

Deno.test("dissectIPv6(): no next header (59) adds nothing; an unknown one -> UNK(n) and STPDSCT", () => {
  const none = dissectFrame(ipv6(59, new Uint8Array(8))).p;
  assert.deepStrictEqual([none.hdrDesc, none.numHdrs, none.kind, none.l4Proto], [
    "eth:ipv6",
    2,
    6,
    59,
  ]);
  const unknown = dissectFrame(ipv6(253, new Uint8Array(8))).p;
  assert.deepStrictEqual([unknown.hdrDesc, unknown.kind, unknown.l4Proto], [
    "eth:ipv6:UNK(253)",
    6,
    253,
  ]);
  assert.ok(unknown.statusHi & S.STPDSCT_H);
});

/** `n` destination-options headers (8 bytes each) chained before `last` (next header `nh`). */
function dstOpts(n: number, nh: number, last: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(hex(i === n - 1 ? nh.toString(16).padStart(2, "0") : "3c", "00 01 04 00 00 00 00"));
  }
  return concat(...parts, last);
}

Deno.test("dissectIPv6(): at most five headers after the IPv6 header are walked (MAXHDRCNT)", () => {
  const four = dissectFrame(ipv6(60, dstOpts(4, 6, TCP))).p;
  assert.equal(four.hdrDesc, "eth:ipv6" + ":ipv6.dstopts".repeat(4) + ":tcp");
  assert.deepStrictEqual([four.numHdrs, four.srcPort, four.l4Proto], [7, 443, 6]);
  // A fifth options header uses the last step: TCP is not reached, no ports.
  const five = dissectFrame(ipv6(60, dstOpts(5, 6, TCP))).p;
  assert.equal(five.hdrDesc, "eth:ipv6" + ":ipv6.dstopts".repeat(5));
  assert.deepStrictEqual([five.numHdrs, five.srcPort, five.l4Proto, five.kind], [7, 0, 6, 6]);
});

Deno.test("dissectIPv6(): a packet cut by the snap length is L3SNAPLENGTH with the 'Outer --' warning", () => {
  const frame = ipv6(6, concat(TCP, new Uint8Array(1440))); // IP length 1500
  const d = dissectFrame(frame, { capLen: 66 });
  assert.ok(d.p.statusHi & S.L3SNAPLENGTH_H);
  assert.deepStrictEqual(d.warnings, [
    "Outer -- snapL2Length: 66 - snapL3Length: 52 - IP length in header: 1500",
  ]);
  // Lengths come from the IPv6 header; ports need 20 captured TCP bytes (only 12 here).
  assert.deepStrictEqual([d.p.l3Len, d.p.len, d.p.srcPort, d.p.dstPort], [1500, 1440, 0, 0]);
  assert.ok(d.p.statusHi & S.L4HDRSHRTLEN_H);
});

Deno.test("dissectIPv6(): fewer than 8 bytes left stop the extension-header walk", () => {
  const frame = ipv6(0, hex("3a 00 05 02 00 00 01 00 | 80 00 00 00 00 01 00 01"));
  const { p } = dissectFrame(frame, { capLen: 14 + 40 + 7 });
  assert.deepStrictEqual([p.hdrDesc, p.kind], ["eth:ipv6", PacketKind.IPV6]);
  assert.ok(p.statusHi & S.L3SNAPLENGTH_H);
});

Deno.test("dissectIPv6(): a datagram with no or too few transport bytes (not cut by the capture) is not L4HDRSHRTLEN", () => {
  for (
    const [nh, rest] of [[6, new Uint8Array(0)], [17, new Uint8Array(0)], [
      17,
      hex("81 58 00 35"),
    ]] as const
  ) {
    const { p } = dissectFrame(ipv6(nh, rest));
    assert.equal(p.hdrDesc, "eth:ipv6", `${nh}, ${rest.length} bytes`);
    assert.equal(p.kind, PacketKind.IPV6);
    assert.equal(p.statusHi & S.L4HDRSHRTLEN_H, 0, `${nh}, ${rest.length} bytes`);
    assert.deepStrictEqual([p.l4Proto, p.srcPort, p.dstPort], [nh, 0, 0]);
  }
});

Deno.test("dissectIPv6(): the captured length of a frame over 64 KiB is not cut to 16 bits", () => {
  const frame = ipv6(17, concat(UDP.subarray(0, 8), new Uint8Array(70000)));
  frame[14 + 4] = 0; // payload length 0: a jumbogram's
  frame[14 + 5] = 0;
  const { p } = dissectFrame(frame);
  assert.equal(p.snapL3Len, frame.length - 14);
  assert.equal(p.kind, PacketKind.IPV6);
});

const FRAMES: Record<string, Uint8Array> = {
  "tcp": ipv6(6, TCP),
  "udp": ipv6(17, UDP),
  "hopopts": ipv6(0, hex("3a 00 05 02 00 00 01 00 | 80 00 00 00 00 01 00 01 | 61 62 63 64")),
  "fragment": ipv6(44, concat(hex("11 00 00 00 12 34 56 78"), UDP)),
  "dstopts x5": ipv6(60, dstOpts(5, 6, TCP)),
};

Deno.test("dissectIPv6(): every capture length is dissected without throwing; a cut datagram is L3SNAPLENGTH", () => {
  for (const [name, frame] of Object.entries(FRAMES)) {
    for (let cap = 0; cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      if (cap < 16) continue;
      assert.equal(p.kind, PacketKind.IPV6, `${name} cut at ${cap}`);
      assert.equal(
        (p.statusHi & S.L3SNAPLENGTH_H) !== 0,
        cap < frame.length,
        `${name} cut at ${cap}`,
      );
    }
  }
});

Deno.test("dissectIPv6(): a TCP header cut by the snap length is L4HDRSHRTLEN", () => {
  const frame = FRAMES.tcp;
  for (let cap = 54; cap <= frame.length; cap++) {
    const { p } = dissectFrame(frame, { capLen: cap });
    assert.equal((p.statusHi & S.L4HDRSHRTLEN_H) !== 0, cap < 74, `cut at ${cap}`);
  }
});
