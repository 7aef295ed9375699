/**
 * Juniper link types (DLT 178, 167, 137) and 802.3br mPackets (DLT 274) on hand-made frames, as
 * spec/dissection-wireless.md §5 and spec/dissection.md §2 describe them (the frame of the shared
 * capture tcpdump-isis_poi is rebuilt here with its lengths).
 */

import assert from "node:assert/strict";
import * as S from "../base/flow_status.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { dissectFrame, statusNames } from "../../tests/_support/dissect_frame.ts";
import { PacketKind } from "./packet.ts";

const DLT_JUNIPER_ATM1 = 137;
const DLT_JUNIPER_PPPOE = 167;
const DLT_JUNIPER_ETHER = 178;
const DLT_ETHERNET_MPACKET = 274;

// IPv4 10.1.1.1:1024 -> 10.1.1.2:53, UDP with 4 payload bytes (32 bytes).
const IPV4_UDP = hex(
  "45 00 00 20 | 00 01 00 00 | 40 11 00 00 | 0a 01 01 01 | 0a 01 01 02",
  "04 00 00 35 | 00 0c 00 00 | de ad be ef",
);
// IPv6 2001:db8::1 -> 2001:db8::2, UDP with 4 payload bytes (52 bytes).
const IPV6_UDP = hex(
  "60 00 00 00 | 00 0c 11 40",
  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
  "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
  "04 00 00 35 | 00 0c 00 00 | de ad be ef",
);
const ETH_IPV4 = concat(hex("00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10 | 08 00"), IPV4_UDP);

/** The cookie and flags, with `extensions` bytes of TLVs when the flags say so. */
function juniper(flags: string, extensions = 0): Uint8Array {
  const ext = extensions
    ? concat(hex(extensions.toString(16).padStart(4, "0")), new Uint8Array(extensions))
    : new Uint8Array(0);
  return concat(hex("4d 47 43", flags), ext);
}

Deno.test("Juniper: extensions skipped, Ethernet with 802.3 OSI LLC -> juniper:eth:llc:osi (4), an L2 flow (tcpdump-isis_poi)", () => {
  const eth = hex("09 00 2b 00 00 05 | 00 05 86 18 ae 00 | 00 2e | fe fe 03");
  const frame = concat(juniper("85", 16), eth, new Uint8Array(43));
  assert.equal(frame.length, 82);
  const { p } = dissectFrame(frame, { linkType: DLT_JUNIPER_ETHER });
  assert.equal(p.hdrDesc, "juniper:eth:llc:osi");
  assert.equal(p.numHdrs, 4);
  assert.equal(p.kind, PacketKind.L2);
  assert.equal(p.ethType, 0xfefe);
  assert.deepStrictEqual(statusNames(p.statusLo, p.statusHi), ["L2_FLOW"]);
  assert.equal(p.l2Off, 22, "the MACs are the inner Ethernet's");
  // The layer-2 captured length keeps the Juniper header (T2): snapL3Len 65 (43 captured).
  assert.deepStrictEqual([p.snapL3Len, p.l7Len], [65, 43]);
  assert.ok(p.l3Off >= 0, "T2 points its layer 3 here: the packet file prints protocol 0");
});

Deno.test("Juniper: IP right after the header (by the first nibble) -> juniper:ipv4:udp / juniper:ipv6:udp, L2_NO_ETH", () => {
  const v4 = dissectFrame(concat(juniper("01"), IPV4_UDP), { linkType: DLT_JUNIPER_ETHER });
  assert.equal(v4.p.hdrDesc, "juniper:ipv4:udp");
  assert.equal(v4.p.numHdrs, 3);
  assert.equal(v4.p.kind, PacketKind.IPV4);
  assert.ok(v4.p.statusLo & S.L2_NO_ETH);
  assert.equal(v4.p.l2Off, 0, "the layer 2 starts at the record");
  const v6 = dissectFrame(concat(juniper("01"), IPV6_UDP), { linkType: DLT_JUNIPER_PPPOE });
  assert.equal(v6.p.hdrDesc, "juniper:ipv6:udp");
  assert.equal(v6.p.kind, PacketKind.IPV6);
  // PPPoE takes the same routine; Ethernet after the header otherwise.
  const eth = dissectFrame(concat(juniper("01"), ETH_IPV4), { linkType: DLT_JUNIPER_PPPOE });
  assert.equal(eth.p.hdrDesc, "juniper:eth:ipv4:udp");
  assert.equal(eth.p.statusLo & S.L2_NO_ETH, 0);
});

Deno.test("Juniper: no layer 2, a little-endian protocol: 2 IPv4, 6 IPv6, 204 Ethernet; others warn, no flow", () => {
  const proto = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  const v4 = dissectFrame(concat(juniper("02"), proto(2), IPV4_UDP), {
    linkType: DLT_JUNIPER_ETHER,
  });
  assert.equal(v4.p.hdrDesc, "juniper:ipv4:udp");
  assert.ok(v4.p.statusLo & S.L2_NO_ETH);
  const v6 = dissectFrame(concat(juniper("02"), proto(6), IPV6_UDP), {
    linkType: DLT_JUNIPER_ETHER,
  });
  assert.equal(v6.p.hdrDesc, "juniper:ipv6:udp");
  const eth = dissectFrame(concat(juniper("02"), proto(204), ETH_IPV4), {
    linkType: DLT_JUNIPER_ETHER,
  });
  assert.equal(eth.p.hdrDesc, "juniper:eth:ipv4:udp");
  assert.equal(eth.p.l2Off, 8);
  const bigEndian = dissectFrame(concat(juniper("02"), hex("00 00 00 02"), IPV4_UDP), {
    linkType: DLT_JUNIPER_ETHER,
  });
  assert.equal(bigEndian.p.hdrDesc, "juniper");
  assert.equal(bigEndian.p.kind, PacketKind.NONE);
  assert.deepStrictEqual(bigEndian.warnings, ["Unhandled Juniper protocol 33554432"]);
});

Deno.test("Juniper: without the MGC cookie: a warning, juniper, no flow", () => {
  const { p, warnings } = dissectFrame(concat(hex("4d 47 44 01"), IPV4_UDP), {
    linkType: DLT_JUNIPER_ETHER,
  });
  assert.equal(p.hdrDesc, "juniper");
  assert.equal(p.numHdrs, 1);
  assert.equal(p.kind, PacketKind.NONE);
  assert.deepStrictEqual(warnings, ["Juniper magic cookie not found"]);
});

Deno.test("Juniper ATM1: a 4-byte cookie before the frame when it has a layer 2", () => {
  const { p } = dissectFrame(concat(juniper("01"), hex("00 00 00 00"), IPV4_UDP), {
    linkType: DLT_JUNIPER_ATM1,
  });
  assert.equal(p.hdrDesc, "juniper:ipv4:udp");
  assert.equal(p.l3Off, 8);
  const ether = dissectFrame(concat(juniper("01"), hex("00 00 00 00"), IPV4_UDP), {
    linkType: DLT_JUNIPER_ETHER,
  });
  assert.equal(
    ether.p.hdrDesc,
    "juniper:eth:UNK(0x4011)",
    "no cookie skipped: an Ethernet frame whose type is the TTL and protocol",
  );
});

Deno.test("802.3br mPackets: 8 bytes of preamble skipped -> fpp:eth:ipv4:udp", () => {
  const { p } = dissectFrame(concat(hex("55 55 55 55 55 55 55 d5"), ETH_IPV4), {
    linkType: DLT_ETHERNET_MPACKET,
  });
  assert.equal(p.hdrDesc, "fpp:eth:ipv4:udp");
  assert.equal(p.numHdrs, 4);
  assert.equal(p.kind, PacketKind.IPV4);
  assert.equal(p.l2Off, 8);
});
