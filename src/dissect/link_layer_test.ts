/**
 * Link-layer dissection on hand-made frames (spec/dissection.md §1, §2, §5, §9). Frames are
 * written as hex, field by field; expected descriptions, header counts and status bits come
 * from the spec's tables.
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame, statusNames } from "../../tests/_support/dissect_frame.ts";
import { PacketKind } from "./packet.ts";

// Ethernet addresses: dst 00:19:e3:e7:5d:23, src 00:0b:db:4f:6b:10.
const MACS = "00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10";

// IPv4 192.168.1.104 -> 63.245.209.93, TCP 1297 -> 80, SYN, window 65535 (40 bytes).
const IPV4_TCP = hex(
  "45 00 00 28 | 12 34 40 00 | 40 06 00 00 | c0 a8 01 68 | 3f f5 d1 5d", // IPv4, len 40, TTL 64
  "05 11 00 50 | 00 00 00 01 | 00 00 00 00 | 50 02 ff ff | 00 00 00 00", // TCP, SYN
);

// IPv4 192.168.1.104 -> 224.0.0.251, UDP 5353 -> 5353, 4 payload bytes (32 bytes).
const IPV4_UDP = hex(
  "45 00 00 20 | 00 01 00 00 | ff 11 00 00 | c0 a8 01 68 | e0 00 00 fb", // IPv4, len 32
  "14 e9 14 e9 | 00 0c 00 00", // UDP, length 12
  "de ad be ef", // payload
);

const ETH_IPV4_TCP = concat(hex(MACS, "08 00"), IPV4_TCP);

/** The facts most tests check. */
function summary(frame: Uint8Array, opts: Parameters<typeof dissectFrame>[1] = {}) {
  const { p } = dissectFrame(frame, opts);
  return { hdrDesc: p.hdrDesc, numHdrs: p.numHdrs, kind: p.kind };
}

Deno.test("dissectPacket(): Ethernet II, IPv4, TCP -> eth:ipv4:tcp, 3 headers, an IPv4 flow packet", () => {
  const { p } = dissectFrame(ETH_IPV4_TCP);
  assert.deepStrictEqual(summary(ETH_IPV4_TCP), {
    hdrDesc: "eth:ipv4:tcp",
    numHdrs: 3,
    kind: PacketKind.IPV4,
  });
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["FS_IPV4_PKT", "L2_IPV4"]);
  assert.deepStrictEqual([p.srcPort, p.dstPort, p.l4Proto, p.ethType], [1297, 80, 6, 0x0800]);
  assert.deepStrictEqual([p.addr[0], p.addr[4]], [0xc0a80168, 0x3ff5d15d]);
  assert.deepStrictEqual([p.l2Off, p.l3Off, p.l4Off, p.l7Off], [0, 14, 34, 54]);
});

Deno.test("dissectPacket(): 802.1Q tag -> eth:vlan:ipv4:udp, L2_VLAN, the tag's VLAN ID", () => {
  const frame = concat(hex(MACS, "81 00 | 20 64", "08 00"), IPV4_UDP); // PCP 1, VID 100
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:vlan:ipv4:udp",
    numHdrs: 4,
    kind: PacketKind.IPV4,
  });
  assert.ok(p.statusLo & S.L2_VLAN);
  assert.deepStrictEqual([p.vlanId, p.vlanHdrCnt, p.l3Off, p.srcPort], [100, 1, 18, 5353]);
});

Deno.test("dissectPacket(): QinQ (802.1ad then 802.1Q) -> eth:vlan{2}:ipv4:tcp, 5 headers, innermost VLAN ID", () => {
  const frame = concat(hex(MACS, "88 a8 | 00 0a", "81 00 | 00 14", "08 00"), IPV4_TCP);
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:vlan{2}:ipv4:tcp",
    numHdrs: 5,
    kind: PacketKind.IPV4,
  });
  assert.deepStrictEqual([p.vlanId, p.vlanHdrCnt, p.l3Off], [20, 2, 22]);
  assert.equal(p.statusHi & S.FS_VLAN0_H, 0);
});

Deno.test("dissectPacket(): a VLAN tag with VID 0 (priority tag) sets FS_VLAN0", () => {
  const { p } = dissectFrame(concat(hex(MACS, "81 00 | e0 00", "08 00"), IPV4_UDP));
  assert.ok(p.statusHi & S.FS_VLAN0_H);
  assert.equal(p.vlanId, 0);
});

Deno.test("dissectPacket(): two MPLS labels -> eth:mpls{2}:ipv4:tcp, 5 headers, L2_MPLS_UCAST", () => {
  const frame = concat(
    hex(MACS, "88 47", "00 01 00 40", "00 02 01 40"), // label 16 (S=0), label 32 (S=1)
    IPV4_TCP,
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:mpls{2}:ipv4:tcp",
    numHdrs: 5,
    kind: PacketKind.IPV4,
  });
  assert.ok(p.statusLo & S.L2_MPLS_UCAST);
  assert.deepStrictEqual([p.mplsHdrCnt, p.l3Off, p.srcPort], [2, 22, 1297]);
});

Deno.test("dissectPacket(): MPLS with a pseudowire control word carries Ethernet -> eth:mpls:pwethcw:eth:ipv4:udp", () => {
  const frame = concat(
    hex(MACS, "88 47", "00 03 01 40"), // one label (S=1)
    hex("00 00 00 00"), // control word: first nibble 0
    hex("00 00 5e 00 01 01 | 00 00 5e 00 01 02 | 08 00"), // inner Ethernet
    IPV4_UDP,
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:mpls:pwethcw:eth:ipv4:udp",
    numHdrs: 6,
    kind: PacketKind.IPV4,
  });
  assert.deepStrictEqual([p.l2Off, p.l3Off], [22, 36]);
});

Deno.test("dissectPacket(): PPPoE session -> eth:pppoes:ppp:ipv4:tcp, 5 headers, L2_PPPOE_S", () => {
  const frame = concat(
    hex(MACS, "88 64", "11 00 | 00 01 | 00 2a", "00 21"), // ver/type, code, session 1, len 42; PPP IPv4
    IPV4_TCP,
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:pppoes:ppp:ipv4:tcp",
    numHdrs: 5,
    kind: PacketKind.IPV4,
  });
  assert.ok(p.statusLo & S.L2_PPPOE_S);
  assert.equal(p.l3Off, 22);
});

Deno.test("dissectPacket(): PPPoE discovery -> eth:pppoed, a pure layer-2 flow packet", () => {
  const frame = hex(
    "ff ff ff ff ff ff | 00 0b db 4f 6b 10",
    "88 63",
    "11 09 00 00 00 04",
    "01 01 00 00",
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:pppoed",
    numHdrs: 2,
    kind: PacketKind.L2,
  });
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["L2_FLOW", "L2_PPPOE_D"]);
  assert.equal(p.ethType, 0x8863);
});

// ARP request 192.168.1.104 asks for 192.168.1.1, in a minimum-size (60-byte) frame.
const ARP_60 = hex(
  "ff ff ff ff ff ff | 00 0b db 4f 6b 10 | 08 06", // broadcast, ARP
  "00 01 08 00 06 04 00 01", // Ethernet/IPv4, request
  "00 0b db 4f 6b 10 | c0 a8 01 68 | 00 00 00 00 00 00 | c0 a8 01 01",
  "00".repeat(18), // padding to 60 bytes
);

Deno.test("dissectPacket(): ARP in a 60-byte frame -> eth:arp, layer-2 flow, length 46, padding 18", () => {
  const { p, counters } = dissectFrame(ARP_60);
  assert.deepStrictEqual(summary(ARP_60), { hdrDesc: "eth:arp", numHdrs: 2, kind: PacketKind.L2 });
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["L2_ARP", "L2_FLOW"]);
  // len = wire length - 14 (padding included); padding = 60 - 28 - 14.
  assert.deepStrictEqual([p.len, p.l7Len, p.padLen, p.ethType], [46, 46, 18, 0x0806]);
  assert.deepStrictEqual([p.snapL3Len, p.snapL7Len, p.l7Off], [46, 46, 14]);
  assert.deepStrictEqual([counters.padBytesOnWire, counters.numL2Packets], [18, 1]);
});

Deno.test("dissectPacket(): 802.3/LLC spanning tree -> eth:llc:stp, a layer-2 flow keyed by DSAP/SSAP 0x4242", () => {
  const frame = hex(
    "01 80 c2 00 00 00 | 00 0b db 4f 6b 10 | 00 26", // 802.3 length 38
    "42 42 03", // DSAP, SSAP STP, UI
    "00 00 00 00 00 80 00 00 0b db 4f 6b 10 00 00 00 00 80 00 00 0b db 4f 6b 10 80 01 00 00 14 00 02 00 0f 00", // BPDU
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:llc:stp",
    numHdrs: 3,
    kind: PacketKind.L2,
  });
  assert.ok(p.statusLo & S.L2_FLOW);
  assert.deepStrictEqual([p.ethType, p.llcOff], [0x4242, 12]);
});

Deno.test("dissectPacket(): LLC/SNAP with EtherType IPv4 -> eth:llc:ipv4:udp", () => {
  const frame = concat(
    hex(MACS, "00 28", "aa aa 03 | 00 00 00 | 08 00"), // length 40, SNAP, OUI 0, IPv4
    IPV4_UDP,
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:llc:ipv4:udp",
    numHdrs: 4,
    kind: PacketKind.IPV4,
  });
  assert.deepStrictEqual([p.l3Off, p.srcPort], [22, 5353]);
});

Deno.test("dissectPacket(): LLDP -> eth:lldp, L2_LLDP, layer-2 flow", () => {
  const frame = hex(
    "01 80 c2 00 00 0e | 00 0b db 4f 6b 10 | 88 cc",
    "02 07 04 00 0b db 4f 6b 10 00 00",
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), { hdrDesc: "eth:lldp", numHdrs: 2, kind: PacketKind.L2 });
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["L2_FLOW", "L2_LLDP"]);
});

Deno.test("dissectPacket(): an unknown EtherType -> eth:UNK(0x1234), stop dissecting, layer-2 flow", () => {
  const frame = hex(MACS, "12 34", "00 01 02 03 04 05 06 07");
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "eth:UNK(0x1234)",
    numHdrs: 2,
    kind: PacketKind.L2,
  });
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["L2_FLOW", "STPDSCT"]);
  assert.equal(p.ethType, 0x1234);
});

Deno.test("dissectPacket(): EtherType IPv4 with version nibble 6 -> eth:ipvx, L3_IPVX, layer-2 flow", () => {
  const frame = concat(hex(MACS, "08 00"), hex("65"), IPV4_TCP.subarray(1));
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), { hdrDesc: "eth:ipvx", numHdrs: 2, kind: PacketKind.L2 });
  assert.ok(p.statusLo & S.L3_IPVX);
});

Deno.test("dissectPacket(): Cisco ISL around Ethernet -> isl:eth:ipv4:tcp", () => {
  const frame = concat(
    hex(
      "01 00 0c 00 00 | 00 | 00 0b db 4f 6b 10 | 00 00 | aa aa 03 | 00 00 0c | 00 64 | 00 00 | 00 00",
    ), // 26-byte ISL header
    ETH_IPV4_TCP,
  );
  const { p } = dissectFrame(frame);
  assert.deepStrictEqual(summary(frame), {
    hdrDesc: "isl:eth:ipv4:tcp",
    numHdrs: 4,
    kind: PacketKind.IPV4,
  });
  assert.deepStrictEqual([p.l2Off, p.l3Off], [26, 40]);
});

Deno.test("dissectPacket(): link types without Ethernet — null, raw, DLT_IPV4, Linux cooked", () => {
  // BSD loopback, family 2 in the capturing host's (little-endian) order.
  const nul = dissectFrame(concat(hex("02 00 00 00"), IPV4_UDP), { linkType: 0 });
  assert.deepStrictEqual(
    [nul.p.hdrDesc, nul.p.numHdrs, nul.p.kind, nul.p.l3Off],
    ["null:ipv4:udp", 3, PacketKind.IPV4, 4],
  );
  assert.ok(nul.p.statusLo & S.L2_NO_ETH);
  // OpenBSD loopback: family in network order.
  const loop = dissectFrame(concat(hex("00 00 00 02"), IPV4_UDP), { linkType: 108 });
  assert.equal(loop.p.hdrDesc, "null:ipv4:udp");
  const raw = dissectFrame(IPV4_TCP, { linkType: 12 });
  assert.deepStrictEqual([raw.p.hdrDesc, raw.p.numHdrs, raw.p.srcPort], ["raw:ipv4:tcp", 3, 1297]);
  assert.ok(raw.p.statusLo & S.L2_NO_ETH);
  const v4 = dissectFrame(IPV4_TCP, { linkType: 228 });
  assert.deepStrictEqual([v4.p.hdrDesc, v4.p.numHdrs], [":ipv4:tcp", 2]);
  const sll = dissectFrame(
    concat(hex("00 00 | 00 01 | 00 06 | 00 0b db 4f 6b 10 00 00 | 08 00"), IPV4_TCP), // 16 bytes
    { linkType: 113 },
  );
  assert.deepStrictEqual([sll.p.hdrDesc, sll.p.numHdrs, sll.p.l3Off], ["sll:ipv4:tcp", 3, 16]);
});

Deno.test("dissectPacket(): an unsupported link type is reported, nothing is dissected", () => {
  const d = dissectFrame(ETH_IPV4_TCP, { linkType: 147 });
  assert.deepStrictEqual(d.unsupported, [147]);
  assert.equal(d.p.kind, PacketKind.NONE);
});

/** Every Ethernet frame of this file, for the truncation property. */
const ETHERNET_FRAMES: Record<string, Uint8Array> = {
  "eth:ipv4:tcp": ETH_IPV4_TCP,
  "eth:vlan:ipv4:udp": concat(hex(MACS, "81 00 20 64 08 00"), IPV4_UDP),
  "eth:vlan{2}:ipv4:tcp": concat(hex(MACS, "88 a8 00 0a 81 00 00 14 08 00"), IPV4_TCP),
  "eth:mpls{2}:ipv4:tcp": concat(hex(MACS, "88 47 00 01 00 40 00 02 01 40"), IPV4_TCP),
  "eth:mpls:pwethcw:eth:ipv4:udp": concat(
    hex(MACS, "88 47 00 03 01 40 00 00 00 00 00 00 5e 00 01 01 00 00 5e 00 01 02 08 00"),
    IPV4_UDP,
  ),
  "eth:pppoes:ppp:ipv4:tcp": concat(hex(MACS, "88 64 11 00 00 01 00 2a 00 21"), IPV4_TCP),
  "eth:arp": ARP_60,
  "eth:llc:ipv4:udp": concat(hex(MACS, "00 28 aa aa 03 00 00 00 08 00"), IPV4_UDP),
};

Deno.test("dissectPacket(): every capture length of every frame is dissected without throwing", () => {
  for (const [name, frame] of Object.entries(ETHERNET_FRAMES)) {
    for (let cap = 0; cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      assert.ok(p.numHdrs >= 0, `${name} cut at ${cap}`);
    }
  }
});

Deno.test("dissectPacket(): an Ethernet frame with fewer than 16 captured bytes is L2SNAPLENGTH and gets no flow", () => {
  for (const [name, frame] of Object.entries(ETHERNET_FRAMES)) {
    for (let cap = 0; cap <= frame.length; cap++) {
      const { p } = dissectFrame(frame, { capLen: cap });
      const snapped = (p.statusHi & S.L2SNAPLENGTH_H) !== 0;
      assert.equal(snapped, cap < 16, `${name} cut at ${cap}`);
      if (cap < 16) assert.equal(p.kind, PacketKind.NONE, `${name} cut at ${cap}`);
    }
  }
});

Deno.test("dissectPacket(): headers cut short by the snap length of other link types are L2SNAPLENGTH", () => {
  const sll = concat(hex("00 00 00 01 00 06 00 0b db 4f 6b 10 00 00 08 00"), IPV4_TCP);
  for (let cap = 0; cap < 16; cap++) {
    const { p } = dissectFrame(sll, { capLen: cap, linkType: 113 });
    assert.ok(p.statusHi & S.L2SNAPLENGTH_H, `sll cut at ${cap}`);
    assert.equal(p.kind, PacketKind.NONE);
  }
  const nul = concat(hex("02 00 00 00"), IPV4_UDP);
  for (let cap = 0; cap < 4; cap++) {
    const { p } = dissectFrame(nul, { capLen: cap, linkType: 0 });
    assert.ok(p.statusHi & S.L2SNAPLENGTH_H, `null cut at ${cap}`);
    assert.equal(p.kind, PacketKind.NONE);
  }
  const isl = concat(hex("01 00 0c 00 00 00", "00".repeat(20)), ETH_IPV4_TCP);
  for (let cap = 16; cap < 42; cap++) {
    const { p } = dissectFrame(isl, { capLen: cap });
    assert.ok(p.statusHi & S.L2SNAPLENGTH_H, `isl cut at ${cap}`);
    assert.equal(p.kind, PacketKind.NONE);
  }
});
