/**
 * CAPWAP and LWAPP on hand-made frames (spec/dissection-wireless.md §6, the table of crafted
 * captures T2 was run on): 802.11 data frames inside (frame control swapped) and 802.3 frames
 * are decapsulated to the inner flow; everything else is named and stays in the outer UDP flow.
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame, statusNames } from "../../tests/_support/dissect_frame.ts";
import { PacketKind } from "./packet.ts";

/** Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, UDP `sport` -> `dport`, then `payload`. */
function udpOuter(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const ip = hex("45 00 00 00 | 00 09 00 00 | 40 11 00 00 | 0a 00 00 01 | 0a 00 00 02");
  const len = 28 + payload.length;
  ip[2] = len >> 8;
  ip[3] = len & 0xff;
  const udp = new Uint8Array(8);
  const v = new DataView(udp.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint16(4, 8 + payload.length);
  return concat(hex("00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10 | 08 00"), ip, udp, payload);
}

/** The same over IPv6 2001:db8::1 -> 2001:db8::2. */
function udp6Outer(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const ip = hex(
    "60 00 00 00 | 00 00 11 40",
    "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
    "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
  );
  ip[5] = 8 + payload.length;
  const udp = new Uint8Array(8);
  const v = new DataView(udp.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint16(4, 8 + payload.length);
  return concat(hex("00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10 | 86 dd"), ip, udp, payload);
}

// Inner IPv4 172.16.0.1:5353 -> 172.16.0.2:53, UDP with 4 payload bytes (32 bytes).
const INNER_UDP = hex(
  "45 00 00 20 | 00 01 00 00 | 40 11 00 00 | ac 10 00 01 | ac 10 00 02",
  "14 e9 00 35 | 00 0c 00 00 | de ad be ef",
);
// Inner IPv6 fe80::1 -> ff02::1, ICMPv6 echo request (48 bytes).
const INNER_ICMPV6 = hex(
  "60 00 00 00 | 00 08 3a 40",
  "fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
  "ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
  "80 00 00 00 | 00 01 00 01",
);
const ARP = hex(
  "00 01 08 00 06 04 00 01 | 02 00 00 00 00 01 | ac 10 00 01 | 00 00 00 00 00 00 | ac 10 00 02",
);
const ADDRESSES = "00 14 a5 cd 74 7b | 00 0b 86 11 22 33 | 00 0b 86 44 55 66 | 10 00";
/** An 802.11 data frame with its frame control bytes swapped (flags 0x01, then type/subtype). */
const WLAN_SWAPPED = hex("01 08 | 2c 00", ADDRESSES);
const SNAP = hex("aa aa 03 00 00 00");

/** A CAPWAP header: HLEN 2 (8 bytes), `b2` (T flag and WBID), `b3` (flags), fragment word. */
function capwap(b2: number, b3 = 0, type = 0, fragWord = 0): Uint8Array {
  return new Uint8Array([type, 0x10, b2, b3, 0, 0, fragWord >> 8, fragWord & 0xff]);
}
/** T = 1, WBID 1 (IEEE 802.11). */
const NATIVE_80211 = 0x03;

const wlanIpv4 = concat(WLAN_SWAPPED, SNAP, hex("08 00"), INNER_UDP);

Deno.test("CAPWAP data, 802.11 data, IPv4 -> eth:ipv4:udp:capwap.data:wlan:llc:ipv4:udp (8), the inner flow, outer MACs", () => {
  const { p, counters } = dissectFrame(
    udpOuter(50000, 5247, concat(capwap(NATIVE_80211), wlanIpv4)),
  );
  assert.equal(p.hdrDesc, "eth:ipv4:udp:capwap.data:wlan:llc:ipv4:udp");
  assert.equal(p.numHdrs, 8);
  assert.equal(p.kind, PacketKind.IPV4);
  assert.deepStrictEqual([p.addr[0], p.addr[4], p.srcPort, p.dstPort], [
    0xac100001,
    0xac100002,
    5353,
    53,
  ]);
  assert.equal(p.l2Off, 0, "the layer 2 stays the outer Ethernet");
  assert.ok(p.statusLo & S.L3_CAPWAP);
  assert.equal(p.statusHi & S.STPDSCT_H, 0);
  assert.equal(counters.numLLCPackets, 1);
  assert.equal(p.snapL3Len, p.l3Len, "exact lengths of the inner datagram");
});

Deno.test("CAPWAP data, 802.11, IPv6 -> ...:wlan:llc:ipv6:icmpv6 (8): an IPv6 flow that keeps FS_IPV4_PKT", () => {
  const inner = concat(WLAN_SWAPPED, SNAP, hex("86 dd"), INNER_ICMPV6);
  const { p } = dissectFrame(udpOuter(50000, 5247, concat(capwap(NATIVE_80211), inner)));
  assert.equal(p.hdrDesc, "eth:ipv4:udp:capwap.data:wlan:llc:ipv6:icmpv6");
  assert.equal(p.kind, PacketKind.IPV6);
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), [
    "FS_IPV4_PKT",
    "FS_IPV6_PKT",
    "L2_IPV6",
    "L3_CAPWAP",
  ]);
});

Deno.test("CAPWAP data, 802.3 (T = 0), IPv4 -> eth:ipv4:udp:capwap.data:eth:ipv4:udp (7), the inner MACs", () => {
  const eth = concat(hex("02 00 00 00 00 02 | 02 00 00 00 00 01 | 08 00"), INNER_UDP);
  const { p } = dissectFrame(udpOuter(50000, 5247, concat(capwap(0), eth)));
  assert.equal(p.hdrDesc, "eth:ipv4:udp:capwap.data:eth:ipv4:udp");
  assert.equal(p.numHdrs, 7);
  assert.equal(p.kind, PacketKind.IPV4);
  assert.equal(p.l2Off, 14 + 20 + 8 + 8);
});

Deno.test("CAPWAP data, 802.11 that is not data, protected, or with its frame control not swapped -> ...:wlan (5), outer flow, STPDSCT", () => {
  const frames = [
    hex("00 80 | 00 00", ADDRESSES), // beacon
    concat(hex("41 08 | 2c 00", ADDRESSES), SNAP, hex("08 00"), INNER_UDP), // protected
    concat(hex("08 01 | 2c 00", ADDRESSES), SNAP, hex("08 00"), INNER_UDP), // not swapped
  ];
  for (const f of frames) {
    const { p, counters } = dissectFrame(udpOuter(50000, 5247, concat(capwap(NATIVE_80211), f)));
    assert.equal(p.hdrDesc, "eth:ipv4:udp:capwap.data:wlan");
    assert.equal(p.numHdrs, 5);
    assert.equal(p.kind, PacketKind.IPV4);
    assert.deepStrictEqual([p.addr[0], p.srcPort, p.dstPort], [0x0a000001, 50000, 5247]);
    assert.ok(p.statusHi & S.STPDSCT_H);
    assert.equal(counters.numLLCPackets, 0);
  }
});

Deno.test("CAPWAP data, 802.11 ARP / EAPOL / Cisco SNAP PID 0 -> ...:wlan:llc:arp / :eapol / :wlccp (7), outer flow, still an LLC packet", () => {
  const cases: [string, Uint8Array, string][] = [
    ["08 06", ARP, ":arp"],
    ["88 8e", hex("01 00 00 05 01 01 00 05 01"), ":eapol"],
    ["00 00", hex("00 01 02 03"), ":wlccp"],
  ];
  for (const [type, payload, name] of cases) {
    const inner = concat(WLAN_SWAPPED, SNAP, hex(type), payload);
    const { p, counters } = dissectFrame(
      udpOuter(50000, 5247, concat(capwap(NATIVE_80211), inner)),
    );
    assert.equal(p.hdrDesc, `eth:ipv4:udp:capwap.data:wlan:llc${name}`);
    assert.equal(p.numHdrs, 7);
    assert.deepStrictEqual([p.srcPort, p.dstPort], [50000, 5247], name);
    assert.ok(p.statusHi & S.STPDSCT_H, name);
    assert.equal(counters.numLLCPackets, 1, name);
  }
});

Deno.test("CAPWAP control port, DTLS, keep-alive, later fragment: named, the outer flow", () => {
  const control = dissectFrame(udpOuter(50000, 5246, concat(capwap(NATIVE_80211), wlanIpv4)));
  assert.equal(control.p.hdrDesc, "eth:ipv4:udp:capwap");
  assert.ok(control.p.statusHi & S.STPDSCT_H);
  const dtls = dissectFrame(udpOuter(50000, 5247, concat(capwap(0, 0, 1), wlanIpv4)));
  assert.equal(dtls.p.hdrDesc, "eth:ipv4:udp:capwap.data:dtls");
  assert.ok(dtls.p.statusHi & S.L7_DTLS_H);
  const keepAlive = dissectFrame(udpOuter(50000, 5247, concat(capwap(0, 0x08), wlanIpv4)));
  assert.equal(keepAlive.p.hdrDesc, "eth:ipv4:udp:capwap.data");
  const later = dissectFrame(
    udpOuter(50000, 5247, concat(capwap(NATIVE_80211, 0x80, 0, 0x0010), wlanIpv4)),
  );
  assert.equal(later.p.hdrDesc, "eth:ipv4:udp:capwap.data");
  const first = dissectFrame(
    udpOuter(50000, 5247, concat(capwap(NATIVE_80211, 0x80, 0, 0), wlanIpv4)),
  );
  assert.equal(first.p.hdrDesc, "eth:ipv4:udp:capwap.data:wlan:llc:ipv4:udp", "first fragment");
});

Deno.test("CAPWAP over IPv6 is plain UDP", () => {
  const { p } = dissectFrame(udp6Outer(50000, 5247, concat(capwap(NATIVE_80211), wlanIpv4)));
  assert.equal(p.hdrDesc, "eth:ipv6:udp");
});

Deno.test("LWAPP: 802.11 data -> eth:ipv4:udp:lwapp:wlan:llc:ipv4:udp (8), the inner flow; port 12223 has 6 more bytes", () => {
  const lwapp = hex("00 00 00 00 00 00");
  const a = dissectFrame(udpOuter(50000, 12222, concat(lwapp, wlanIpv4)));
  assert.equal(a.p.hdrDesc, "eth:ipv4:udp:lwapp:wlan:llc:ipv4:udp");
  assert.equal(a.p.numHdrs, 8);
  assert.equal(a.p.kind, PacketKind.IPV4);
  assert.equal(a.p.addr[0], 0xac100001);
  assert.ok(a.p.statusLo & S.L3_CAPWAP);
  const b = dissectFrame(udpOuter(12223, 50000, concat(new Uint8Array(6), lwapp, wlanIpv4)));
  assert.equal(b.p.hdrDesc, "eth:ipv4:udp:lwapp:wlan:llc:ipv4:udp");
});

Deno.test("LWAPP: a control message -> eth:ipv4:udp:lwapp (4); no data frame -> ...:lwapp:wlan (5); 6 bytes or less: plain UDP", () => {
  const control = dissectFrame(udpOuter(50000, 12222, concat(hex("04 00 00 00 00 00"), wlanIpv4)));
  assert.equal(control.p.hdrDesc, "eth:ipv4:udp:lwapp");
  assert.equal(control.p.numHdrs, 4);
  assert.ok(control.p.statusHi & S.STPDSCT_H);
  const mgmt = dissectFrame(
    udpOuter(50000, 12222, concat(new Uint8Array(6), hex("00 80 00 00", ADDRESSES))),
  );
  assert.equal(mgmt.p.hdrDesc, "eth:ipv4:udp:lwapp:wlan");
  assert.equal(mgmt.p.numHdrs, 5);
  assert.deepStrictEqual([mgmt.p.srcPort, mgmt.p.dstPort], [50000, 12222]);
  const short = dissectFrame(udpOuter(50000, 12222, new Uint8Array(6)));
  assert.equal(short.p.hdrDesc, "eth:ipv4:udp");
  assert.equal(short.p.statusLo & S.L3_CAPWAP, 0);
});

Deno.test("LWAPP: giving up grows the layer-2 captured length by the bytes up to the 802.11 frame (T2): visible in a cut packet", () => {
  const mgmt = concat(new Uint8Array(6), hex("00 80 00 00", ADDRESSES), new Uint8Array(60));
  const frame = udpOuter(50000, 12222, mgmt);
  const capLen = 14 + 28 + 20;
  const { p, warnings } = dissectFrame(frame, { capLen });
  assert.equal(p.hdrDesc, "eth:ipv4:udp:lwapp:wlan");
  const skip = 14 + 20 + 8 + 6; // from the outer Ethernet to the 802.11 frame
  assert.equal(p.snapL3Len, capLen + skip - 14);
  assert.deepStrictEqual(warnings, [
    `snapL2Length: ${capLen + skip} - snapL3Length: ${capLen + skip - 14} - IP length in header: ${
      frame.length - 14
    }`,
  ]);
});
