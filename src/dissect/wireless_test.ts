/**
 * 802.11 on the link-layer paths (DLT 105, radiotap, Prism, PPI) on hand-made frames, with the
 * expected descriptions, header counts, flows, lengths and warnings of
 * spec/dissection-wireless.md §1-§4 (the tables of crafted captures T2 was run on).
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame, statusNames } from "../../tests/_support/dissect_frame.ts";
import { PacketKind } from "./packet.ts";

const DLT_IEEE802_11 = 105;
const DLT_PRISM = 119;
const DLT_RADIOTAP = 127;
const DLT_PPI = 192;

// Three addresses and the sequence control of a MAC header (18 bytes).
const ADDRESSES = "00 14 a5 cd 74 7b | 00 0b 86 11 22 33 | 00 0b 86 44 55 66 | 10 00";
/** Data frame (type 2, subtype 0) to the DS, duration 0x002c: 24 bytes. */
const DATA = hex("08 01 | 2c 00", ADDRESSES);
/** QoS data frame (subtype 8), with its QoS control: 26 bytes. */
const QOS_DATA = hex("88 01 | 2c 00", ADDRESSES, "00 00");
/** LLC/SNAP up to the EtherType. */
const SNAP = hex("aa aa 03 | 00 00 00");

// IPv4 192.168.1.132:1031 -> 192.168.1.1:53, UDP with 4 payload bytes (32 bytes).
const IPV4_UDP = hex(
  "45 00 00 20 | 00 01 00 00 | 40 11 00 00 | c0 a8 01 84 | c0 a8 01 01",
  "04 07 00 35 | 00 0c 00 00 | de ad be ef",
);
// IPv6 fe80::1 -> ff02::1, UDP 5353 -> 5353 with 4 payload bytes (52 bytes).
const IPV6_UDP = hex(
  "60 00 00 00 | 00 0c 11 40",
  "fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
  "ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
  "14 e9 14 e9 | 00 0c 00 00 | de ad be ef",
);
// ARP request for IPv4 over Ethernet (28 bytes).
const ARP = hex(
  "00 01 08 00 06 04 00 01 | 00 0b 86 11 22 33 | c0 a8 01 84 | 00 00 00 00 00 00 | c0 a8 01 01",
);

/** An 802.11 data frame of DLT 105 carrying `type` and `payload` after LLC/SNAP. */
function wlan(header: Uint8Array, type: string, payload: Uint8Array): Uint8Array {
  return concat(header, SNAP, hex(type), payload);
}

function dissect105(frame: Uint8Array, opts: { capLen?: number; wireLen?: number } = {}) {
  return dissectFrame(frame, { linkType: DLT_IEEE802_11, ...opts });
}

Deno.test("802.11: data frame, SNAP, IPv4 UDP -> wlan:llc:ipv4:udp (4), an IPv4 flow, an LLC packet", () => {
  const { p, counters } = dissect105(wlan(DATA, "08 00", IPV4_UDP));
  assert.equal(p.hdrDesc, "wlan:llc:ipv4:udp");
  assert.equal(p.numHdrs, 4);
  assert.equal(p.kind, PacketKind.IPV4);
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["FS_IPV4_PKT", "L2_IPV4"]);
  assert.deepStrictEqual([p.l2Off, p.l3Off, p.srcPort, p.dstPort], [0, 32, 1031, 53]);
  assert.equal(counters.numLLCPackets, 1);
  // The MAC columns read the header's first 12 bytes as an Ethernet header.
  assert.deepStrictEqual([p.dstMacWord(0), p.dstMacWord(1), p.dstMacWord(2)], [
    0x0801,
    0x2c00,
    0x0014,
  ]);
  assert.deepStrictEqual([p.srcMacWord(0), p.srcMacWord(1), p.srcMacWord(2)], [
    0xa5cd,
    0x747b,
    0x000b,
  ]);
});

Deno.test("802.11: QoS data frame (26-byte header) and IPv6 -> wlan:llc:ipv6:udp, an IPv6 flow", () => {
  const { p } = dissect105(wlan(QOS_DATA, "86 dd", IPV6_UDP));
  assert.equal(p.hdrDesc, "wlan:llc:ipv6:udp");
  assert.equal(p.numHdrs, 4);
  assert.equal(p.kind, PacketKind.IPV6);
  assert.equal(p.l3Off, 34);
});

Deno.test("802.11: a VLAN tag after SNAP -> wlan:llc:vlan:ipv4:udp (5), its VLAN ID", () => {
  const { p } = dissect105(concat(DATA, SNAP, hex("81 00 | 00 05 | 08 00"), IPV4_UDP));
  assert.equal(p.hdrDesc, "wlan:llc:vlan:ipv4:udp");
  assert.equal(p.numHdrs, 5);
  assert.equal(p.vlanId, 5);
  assert.ok(p.statusLo & S.L2_VLAN);
});

Deno.test("802.11: SNAP carrying a length, then STP -> wlan:llc:llc:stp (4), an L2 flow keyed 0x4242", () => {
  const stp = hex("42 42 03 | 00 00 00 00 00 80 00 00 0b 86 11 22 33");
  const { p } = dissect105(concat(DATA, SNAP, hex("00 10"), stp));
  assert.equal(p.hdrDesc, "wlan:llc:llc:stp");
  assert.equal(p.numHdrs, 4);
  assert.equal(p.kind, PacketKind.L2);
  assert.equal(p.ethType, 0x4242);
});

Deno.test("802.11: ARP and EAPOL -> wlan:llc:arp / wlan:llc:eapol (3), L2 flows; l7Len from the wire", () => {
  // ARP in a 62-byte QoS frame: l7Len = 62 - 34 (spec §1.3).
  const arp = dissect105(concat(wlan(QOS_DATA, "08 06", ARP)));
  assert.equal(arp.p.hdrDesc, "wlan:llc:arp");
  assert.equal(arp.p.numHdrs, 3);
  assert.equal(arp.p.kind, PacketKind.L2);
  assert.equal(arp.p.rawLen, 62);
  assert.equal(arp.p.l7Len, 28);
  assert.ok(arp.p.statusLo & S.L2_ARP);
  assert.equal(arp.p.padLen, 0, "the LLC branch's padding estimate is negative");
  const eapol = dissect105(wlan(DATA, "88 8e", hex("01 00 00 05 01 01 00 05 01")));
  assert.equal(eapol.p.hdrDesc, "wlan:llc:eapol");
  assert.equal(eapol.p.kind, PacketKind.L2);
});

Deno.test("802.11: frames that are not data stop at wlan (1): no flow, no status, not LLC", () => {
  const frames: [string, Uint8Array][] = [
    ["beacon (management)", hex("80 00 | 00 00", ADDRESSES, "00 00 00 00 00 00 00 00")],
    ["block ack request (control)", hex("84 00 | 00 00", ADDRESSES)],
    ["protected QoS data", concat(hex("88 41 | 2c 00", ADDRESSES, "00 00"), SNAP, IPV4_UDP)],
    ["null function (subtype 4)", hex("48 01 | 2c 00", ADDRESSES)],
    ["QoS null (subtype 12)", hex("c8 01 | 2c 00", ADDRESSES, "00 00")],
    ["QoS CF-Poll (subtype 14)", hex("e8 01 | 2c 00", ADDRESSES, "00 00")],
  ];
  for (const [what, frame] of frames) {
    const { p, counters } = dissect105(frame);
    assert.equal(p.hdrDesc, "wlan", what);
    assert.equal(p.numHdrs, 1, what);
    assert.equal(p.kind, PacketKind.NONE, what);
    assert.deepStrictEqual([p.statusLo, p.statusHi], [0, 0], what);
    assert.equal(counters.numLLCPackets, 0, what);
  }
});

Deno.test("802.11: a 4-address frame has 6 more header bytes; two zero bytes and a 2-byte LLC control are skipped", () => {
  const wds = concat(hex("08 03 | 00 00", ADDRESSES, "00 0b 86 77 88 99"), SNAP, hex("08 00"));
  const a = dissect105(concat(wds, IPV4_UDP));
  assert.equal(a.p.hdrDesc, "wlan:llc:ipv4:udp");
  assert.equal(a.p.l3Off, 30 + 8);
  const olpc = dissect105(concat(DATA, hex("00 00"), SNAP, hex("08 00"), IPV4_UDP));
  assert.equal(olpc.p.hdrDesc, "wlan:llc:ipv4:udp");
  assert.equal(olpc.p.l3Off, 24 + 2 + 8);
  // An I-format control (low bits not 3) takes 2 bytes: the EtherType comes one byte later.
  const iFormat = dissect105(concat(DATA, hex("aa aa 00 00 | 00 00 00 | 08 00"), IPV4_UDP));
  assert.equal(iFormat.p.hdrDesc, "wlan:llc:ipv4:udp");
  assert.equal(iFormat.p.l3Off, 24 + 9);
});

Deno.test("802.11: the LLC is taken for SNAP: non-SNAP LLC gives a garbage type (wlan:llc:llc, ethType 0)", () => {
  const { p } = dissect105(concat(DATA, hex("42 42 03 | 00 00 00 | 00 00 00 00 00 00 00 00")));
  assert.equal(p.hdrDesc, "wlan:llc:llc");
  assert.equal(p.ethType, 0x0000);
  assert.equal(p.kind, PacketKind.L2);
});

Deno.test("802.11: a 62-byte frame whose SNAP type is the length 0 has 30 bytes of padding (802.3 formula)", () => {
  const frame = concat(DATA, SNAP, hex("00 00"), new Uint8Array(30));
  assert.equal(frame.length, 62);
  const { p } = dissect105(frame);
  assert.equal(p.hdrDesc, "wlan:llc:llc");
  assert.equal(p.padLen, 30);
});

Deno.test("802.11: a data frame cut after its MAC header still reads wlan:llc (bytes past the capture are 0)", () => {
  const frame = wlan(DATA, "08 00", IPV4_UDP);
  const { p } = dissect105(frame, { capLen: 24 });
  assert.ok(p.hdrDesc.startsWith("wlan:llc"), p.hdrDesc);
  assert.notEqual(p.kind, PacketKind.IPV4);
});

// ------------------------------------------------------------------------------ radiotap

/** A radiotap header of `len` bytes (version 0, no fields present but the length). */
function radiotap(len: number): Uint8Array {
  const h = new Uint8Array(len);
  h[2] = len & 0xff;
  h[3] = len >> 8;
  return h;
}

Deno.test("radiotap: its length only, then 802.11 -> radiotap:wlan:llc:ipv4:udp (5), L2 start after it", () => {
  const fcs = hex("01 02 03 04"); // a trailing FCS stays in the frame: trimmed as padding
  const frame = concat(radiotap(18), wlan(QOS_DATA, "08 00", IPV4_UDP), fcs);
  const { p } = dissectFrame(frame, { linkType: DLT_RADIOTAP });
  assert.equal(p.hdrDesc, "radiotap:wlan:llc:ipv4:udp");
  assert.equal(p.numHdrs, 5);
  assert.equal(p.kind, PacketKind.IPV4);
  assert.deepStrictEqual([p.l2Off, p.l3Off, p.l3Len, p.snapL3Len], [18, 52, 32, 32]);
});

Deno.test("radiotap: the layer-2 captured length keeps the radiotap bytes (T2): a cut packet's snapL3Len is too large by them", () => {
  // IPv4 UDP with 80 payload bytes (108 bytes), cut after 40 of them.
  const ip = concat(hex("45 00 00 6c | 00 01 00 00 | 40 11 00 00 | c0 a8 01 84 | c0 a8 01 01"));
  const frame = concat(radiotap(32), wlan(DATA, "08 00", ip), new Uint8Array(88));
  const capLen = 32 + 32 + 40;
  const { p, warnings } = dissectFrame(frame, { linkType: DLT_RADIOTAP, capLen });
  assert.equal(p.snapL3Len, 40 + 32, "the true value is 40");
  assert.deepStrictEqual(warnings, [
    `snapL2Length: ${capLen} - snapL3Length: 72 - IP length in header: 108`,
  ]);
});

Deno.test("radiotap: a length reaching the record's end leaves a management frame of zeros: radiotap:wlan", () => {
  const { p } = dissectFrame(radiotap(26), { linkType: DLT_RADIOTAP });
  assert.equal(p.hdrDesc, "radiotap:wlan");
  assert.equal(p.numHdrs, 2);
  assert.equal(p.kind, PacketKind.NONE);
});

// ------------------------------------------------------------------------------ Prism

/** A Prism header (144 bytes) whose message length field says `len`. */
function prism(len: number): Uint8Array {
  const h = new Uint8Array(144);
  new DataView(h.buffer).setUint32(4, len, true);
  return h;
}

Deno.test("Prism: a fixed 144-byte skip -> prism:wlan:llc:ipv4:udp; another length warns, every packet", () => {
  const good = dissectFrame(concat(prism(144), wlan(DATA, "08 00", IPV4_UDP)), {
    linkType: DLT_PRISM,
  });
  assert.equal(good.p.hdrDesc, "prism:wlan:llc:ipv4:udp");
  assert.equal(good.p.numHdrs, 5);
  assert.deepStrictEqual(good.warnings, []);
  const odd = dissectFrame(concat(prism(100), wlan(DATA, "08 00", IPV4_UDP)), {
    linkType: DLT_PRISM,
  });
  assert.equal(odd.p.hdrDesc, "prism:wlan:llc:ipv4:udp", "144 bytes skipped all the same");
  assert.deepStrictEqual(odd.warnings, [
    "Prism message length 100 different from default value 144",
  ]);
});

// ------------------------------------------------------------------------------ PPI

/** A PPI header of 8 bytes naming link type `dlt`. */
function ppi(dlt: number, len = 8): Uint8Array {
  const h = new Uint8Array(len);
  const v = new DataView(h.buffer);
  v.setUint16(2, len, true);
  v.setUint32(4, dlt, true);
  return h;
}

const ETH_IPV4_UDP = concat(hex("00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10 | 08 00"), IPV4_UDP);

Deno.test("PPI: the link type it names follows: ppi:eth, ppi::wlan (the double colon), ppi:radiotap, ppi::ipv4", () => {
  const cases: [number, Uint8Array, string, number][] = [
    [1, ETH_IPV4_UDP, "ppi:eth:ipv4:udp", 4],
    [105, wlan(DATA, "08 00", IPV4_UDP), "ppi::wlan:llc:ipv4:udp", 5],
    [127, concat(radiotap(12), wlan(DATA, "08 00", IPV4_UDP)), "ppi:radiotap:wlan:llc:ipv4:udp", 6],
    [228, IPV4_UDP, "ppi::ipv4:udp", 3],
    [229, IPV6_UDP, "ppi::ipv6:udp", 3],
  ];
  for (const [dlt, inner, hdrDesc, numHdrs] of cases) {
    const { p } = dissectFrame(concat(ppi(dlt, 20), inner), { linkType: DLT_PPI });
    assert.equal(p.hdrDesc, hdrDesc, `${dlt}`);
    assert.equal(p.numHdrs, numHdrs, `${dlt}`);
    assert.notEqual(p.kind, PacketKind.NONE, `${dlt}`);
    assert.equal(p.l2Off, dlt === 127 ? 32 : 20, `${dlt}: the L2 start`);
  }
  const raw = dissectFrame(concat(ppi(228), IPV4_UDP), { linkType: DLT_PPI });
  assert.ok(raw.p.statusLo & S.L2_NO_ETH, "as DLT_IPV4 sets it");
  const stopped = dissectFrame(concat(ppi(105), hex("80 00 00 00", ADDRESSES)), {
    linkType: DLT_PPI,
  });
  assert.equal(stopped.p.hdrDesc, "ppi::wlan");
  assert.equal(stopped.p.numHdrs, 2);
});

Deno.test("PPI: the captured length is reduced by the PPI header (unlike radiotap)", () => {
  const frame = concat(ppi(105, 32), wlan(DATA, "08 00", IPV4_UDP));
  const capLen = 32 + 32 + 24;
  const { p, warnings } = dissectFrame(frame, { linkType: DLT_PPI, capLen });
  assert.equal(p.snapL3Len, 24);
  assert.deepStrictEqual(warnings, [
    `snapL2Length: ${capLen - 32} - snapL3Length: 24 - IP length in header: 32`,
  ]);
});

Deno.test("PPI: an inner link type T2 does not decode warns for every packet (no LINKTYPE mapping: 101 is not raw IP)", () => {
  for (
    const [dlt, text] of [[101, "(null) [(null)/101]"], [
      163,
      "802.11 plus AVS radio information header [IEEE802_11_RADIO_AVS/163]",
    ], [0x10001, "(null) [(null)/65537]"]] as const
  ) {
    const { p, warnings, unsupported } = dissectFrame(concat(ppi(dlt), IPV4_UDP), {
      linkType: DLT_PPI,
    });
    assert.equal(p.hdrDesc, "ppi:");
    assert.equal(p.kind, PacketKind.NONE);
    assert.deepStrictEqual(warnings, [`Unsupported link-layer type: ${text}`]);
    assert.deepStrictEqual(unsupported, [], "not fatal");
  }
});

Deno.test("PPI: PPI inside PPI and LAPD inside PPI end the run like an unsupported capture link type", () => {
  for (const dlt of [192, 177, 203]) {
    const { p, unsupported, warnings } = dissectFrame(concat(ppi(dlt), IPV4_UDP), {
      linkType: DLT_PPI,
    });
    assert.deepStrictEqual(unsupported, [dlt]);
    assert.deepStrictEqual(warnings, []);
    assert.equal(p.kind, PacketKind.NONE);
  }
});

Deno.test("PPI: fewer than one byte after the header, or an inner Ethernet under 16 bytes: L2SNAPLENGTH, no flow", () => {
  const empty = dissectFrame(ppi(1), { linkType: DLT_PPI });
  assert.equal(empty.p.hdrDesc, "ppi:");
  assert.ok(empty.p.statusHi & S.L2SNAPLENGTH_H);
  assert.equal(empty.p.kind, PacketKind.NONE);
  const short = dissectFrame(concat(ppi(1), ETH_IPV4_UDP), { linkType: DLT_PPI, capLen: 8 + 15 });
  assert.ok(short.p.statusHi & S.L2SNAPLENGTH_H);
  assert.equal(short.p.kind, PacketKind.NONE);
});
