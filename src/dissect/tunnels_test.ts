/**
 * UDP tunnels on hand-made frames (spec/dissection.md §3.3): GTP, VXLAN, GENEVE, Teredo and
 * L2TP. A tunnel that decapsulates continues the description with the inner headers, and the
 * inner IP header makes the flow; a recognised tunnel that is not decapsulated keeps its label
 * and the outer UDP flow.
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame } from "../../tests/_support/dissect_frame.ts";
import { PacketKind } from "./packet.ts";

/** Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, UDP `sport` -> `dport`, then `payload`. */
function udpOuter(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const ip = hex("45 00 00 00 | 00 09 00 00 | 40 11 00 00 | 0a 00 00 01 | 0a 00 00 02");
  const len = 28 + payload.length;
  ip[2] = len >> 8;
  ip[3] = len & 0xff;
  const udp = new Uint8Array(8);
  new DataView(udp.buffer).setUint16(0, sport);
  new DataView(udp.buffer).setUint16(2, dport);
  new DataView(udp.buffer).setUint16(4, 8 + payload.length);
  return concat(hex("00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10 | 08 00"), ip, udp, payload);
}

// Inner IPv4 192.168.1.105:49329 -> 143.166.11.10:21, TCP with 8 payload bytes (48 bytes).
const INNER_TCP = hex(
  "45 00 00 30 | 12 34 40 00 | 80 06 00 00 | c0 a8 01 69 | 8f a6 0b 0a",
  "c0 b1 00 15 | 00 00 00 01 | 00 00 00 01 | 50 18 fd 5c | 00 00 00 00",
  "55 53 45 52 20 61 0d 0a",
);
// Inner IPv4 172.16.0.1:5353 -> 172.16.0.2:53, UDP with 4 payload bytes (32 bytes).
const INNER_UDP = hex(
  "45 00 00 20 | 00 01 00 00 | 40 11 00 00 | ac 10 00 01 | ac 10 00 02",
  "14 e9 00 35 | 00 0c 00 00 | de ad be ef",
);
const INNER_ETH = hex("02 00 00 00 00 02 | 02 00 00 00 00 01 | 08 00");

const GTP_TPDU = udpOuter(
  2152,
  2152,
  concat(hex("30 ff 00 30 | 00 00 00 01"), INNER_TCP), // GTPv1, T-PDU, length 48, TEID 1
);
// GTPv1 error indication (type 26). (An echo request, type 1 with length < 256, would read
// as a DTLS 1.0 record to T2's DTLS test: content type 0x32, "version" 0x0100.)
const GTP_OTHER = udpOuter(2123, 2152, hex("32 1a 00 04 | 00 00 00 00 | 00 01 00 00"));
const VXLAN = udpOuter(50000, 4789, concat(hex("08 00 00 00 | 00 00 64 00"), INNER_ETH, INNER_TCP));
const GENEVE = udpOuter(
  50000,
  6081,
  concat(hex("00 00 65 58 | 00 00 64 00"), INNER_ETH, INNER_UDP),
);
// Teredo relay port 3544 carrying IPv6 2001:0:: -> 2001:db8::2, UDP 5353 -> 5353.
const IPV6_UDP = hex(
  "60 00 00 00 | 00 0c 11 40",
  "20 01 00 00 4d 4d 00 00 00 00 00 00 00 00 00 01",
  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
  "14 e9 14 e9 | 00 0c 00 00 | de ad be ef",
);
const TEREDO = udpOuter(3544, 50000, IPV6_UDP);
const TEREDO_ORIGIN = udpOuter(
  3544,
  50000,
  concat(hex("00 00 | c3 50 | c0 00 02 01"), IPV6_UDP), // origin indication, then IPv6
);
const L2TP_DATA = udpOuter(
  1701,
  1701,
  concat(hex("00 02 | 00 01 | 00 01", "ff 03 | 00 21"), INNER_UDP), // v2 data, tunnel 1, session 1; PPP IPv4
);
const L2TP_CONTROL = udpOuter(1701, 1701, hex("c8 02 | 00 0c | 00 01 00 00 | 00 00 00 00"));

Deno.test("tunnels: GTP-U T-PDU -> eth:ipv4:udp:gtp:ipv4:tcp, L3_GTP, the inner header makes the flow", () => {
  const { p } = dissectFrame(GTP_TPDU);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp:gtp:ipv4:tcp", 6, 4]);
  assert.ok(p.statusLo & S.L3_GTP);
  assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort, p.l4Proto], [0xc0a80169, 49329, 21, 6]);
  assert.deepStrictEqual([p.l3Off, p.len], [50, 8]);
});

Deno.test("tunnels: another GTP message -> eth:ipv4:udp:gtp, L3_GTP, the outer UDP flow", () => {
  const { p } = dissectFrame(GTP_OTHER);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp:gtp", 4, PacketKind.IPV4]);
  assert.ok(p.statusLo & S.L3_GTP);
  assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort, p.l4Proto], [
    0x0a000001,
    2123,
    2152,
    17,
  ]);
});

Deno.test("tunnels: VXLAN -> eth:ipv4:udp:vxlan:eth:ipv4:tcp, L3_VXLAN, the inner Ethernet and IP", () => {
  const { p } = dissectFrame(VXLAN);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp:vxlan:eth:ipv4:tcp", 7, 4]);
  assert.ok(p.statusLo & S.L3_VXLAN);
  assert.deepStrictEqual([p.l2Off, p.l3Off, p.srcPort, p.dstPort], [50, 64, 49329, 21]);
});

Deno.test("tunnels: VXLAN-GPE with NSH -> ...:vxlan_gpe:nsh:ipv4:udp; NSH's length is the second byte's low 6 bits", () => {
  // GPE flags (next protocol valid), next protocol 4 (NSH); NSH: TTL 63, length 6 words (MD
  // type 1: 24 bytes), next protocol 1 (IPv4), service path 1/255, 16 bytes of context.
  const nsh = concat(hex("0f c6 01 01 | 00 00 01 ff"), new Uint8Array(16));
  const frame = udpOuter(50000, 4790, concat(hex("0c 00 00 04 | 00 00 64 00"), nsh, INNER_UDP));
  const { p } = dissectFrame(frame);
  assert.equal(p.hdrDesc, "eth:ipv4:udp:vxlan_gpe:nsh:ipv4:udp");
  assert.equal(p.kind, PacketKind.IPV4);
  assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort], [0xac100001, 5353, 53]);
});

Deno.test("tunnels: VXLAN with reserved bits set is not decapsulated — the outer UDP flow", () => {
  const bad = VXLAN.slice();
  bad[42 + 7] = 1; // last reserved byte
  const { p } = dissectFrame(bad);
  assert.deepStrictEqual([p.hdrDesc, p.kind, p.srcPort, p.dstPort], [
    "eth:ipv4:udp",
    4,
    50000,
    4789,
  ]);
  assert.equal(p.statusLo & S.L3_VXLAN, 0);
});

Deno.test("tunnels: GENEVE with Ethernet -> eth:ipv4:udp:geneve:eth:ipv4:udp, L3_GENEVE", () => {
  const { p } = dissectFrame(GENEVE);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], [
    "eth:ipv4:udp:geneve:eth:ipv4:udp",
    7,
    4,
  ]);
  assert.ok(p.statusLo & S.L3_GENEVE);
  assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort], [0xac100001, 5353, 53]);
});

Deno.test("tunnels: Teredo -> eth:ipv4:udp:teredo:ipv6:udp, L3_TRDO, an IPv6 flow", () => {
  for (const frame of [TEREDO, TEREDO_ORIGIN]) {
    const { p } = dissectFrame(frame);
    assert.deepStrictEqual(
      [p.hdrDesc, p.numHdrs, p.kind],
      ["eth:ipv4:udp:teredo:ipv6:udp", 6, PacketKind.IPV6],
    );
    assert.ok(p.statusLo & S.L3_TRDO);
    assert.deepStrictEqual([p.addr[0], p.addr[7], p.srcPort, p.dstPort], [
      0x20010000,
      2,
      5353,
      5353,
    ]);
  }
});

Deno.test("tunnels: UDP between high ports carrying IPv6 without a Teredo address or port is plain UDP", () => {
  const notTeredo = IPV6_UDP.slice();
  notTeredo[8 + 2] = 0x0d; // source 2001:d4d::... is not 2001:0::/32
  const { p } = dissectFrame(udpOuter(40000, 50000, notTeredo));
  assert.deepStrictEqual([p.hdrDesc, p.kind, p.srcPort, p.dstPort], [
    "eth:ipv4:udp",
    4,
    40000,
    50000,
  ]);
});

Deno.test("tunnels: L2TPv2 data -> eth:ipv4:udp:l2tp:ppp:ipv4:udp, L2_L2TP and L2_PPP", () => {
  const { p } = dissectFrame(L2TP_DATA);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp:l2tp:ppp:ipv4:udp", 7, 4]);
  assert.ok(p.statusLo & S.L2_L2TP && p.statusLo & S.L2_PPP);
  assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort, p.l3Off], [0xac100001, 5353, 53, 52]);
});

Deno.test("tunnels: an L2TP control message -> eth:ipv4:udp:l2tp, stop, the outer UDP flow", () => {
  const { p } = dissectFrame(L2TP_CONTROL);
  assert.deepStrictEqual([p.hdrDesc, p.numHdrs, p.kind], ["eth:ipv4:udp:l2tp", 4, 4]);
  assert.ok(p.statusHi & S.STPDSCT_H && p.statusLo & S.L2_L2TP);
  assert.deepStrictEqual([p.srcPort, p.dstPort], [1701, 1701]);
});

Deno.test("tunnels: every capture length of every tunnel frame is dissected without throwing", () => {
  const frames = {
    GTP_TPDU,
    GTP_OTHER,
    VXLAN,
    GENEVE,
    TEREDO,
    TEREDO_ORIGIN,
    L2TP_DATA,
    L2TP_CONTROL,
  };
  for (const [name, frame] of Object.entries(frames)) {
    for (let cap = 0; cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      // Uncaptured bytes read as 0, so a cut inner header may turn into IPvX (no flow); what
      // matters here is that nothing throws and that the complete frame is a flow packet.
      if (cap === frame.length) assert.notEqual(p.kind, PacketKind.NONE, name);
    }
  }
});
