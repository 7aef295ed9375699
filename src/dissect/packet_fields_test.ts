/**
 * The named header fields of the packet view (the plugins' accessors), on dissected frames:
 * each reads its field of the header the dissector found, and 0 when the capture cut it off.
 */

import assert from "node:assert/strict";
import { concat, ethernet, hex, ipv4, tcp, udp } from "../../tests/_support/capture_builder.ts";
import { dissectFrame } from "../../tests/_support/dissect_frame.ts";

/** An IPv4/TCP frame with every field the accessors read set to a telling value. */
function tcpFrame(): Uint8Array {
  const segment = tcp({ sport: 40000, dport: 443, flags: 0x12, win: 8192, seq: 0x80000001 });
  segment.set([0xfe, 0xdc, 0xba, 0x98], 8); // ack
  segment.set([0x12, 0x34], 16); // checksum
  const frame = ethernet(
    { dst: "00:11:22:33:44:55", src: "66:77:88:99:aa:bb", type: 0x0800 },
    ipv4({ src: "192.0.2.1", dst: "198.51.100.2", proto: 6, ttl: 57, fragment: 0x4000 }, segment),
  );
  frame[14 + 1] = 0xb8; // ToS
  frame.set([0xab, 0xcd], 14 + 10); // header checksum
  return frame;
}

Deno.test("packet fields: IPv4 and TCP header fields by name", () => {
  const { p } = dissectFrame(tcpFrame());
  assert.equal(p.ipTTL(), 57);
  assert.equal(p.ipToS(), 0xb8);
  assert.equal(p.ipFragWord(), 0x4000);
  assert.equal(p.ipFragOffset(), 0);
  assert.equal(p.ipMoreFragments(), false);
  assert.equal(p.ipChecksum(), 0xabcd);
  assert.equal(p.ipNextHeader(), 6);
  assert.equal(p.tcpSeq(), 0x80000001);
  assert.equal(p.tcpAck(), 0xfedcba98);
  assert.equal(p.tcpDataOffset(), 20);
  assert.equal(p.tcpFlags(), 0x12);
  assert.equal(p.tcpWindow(), 8192);
  assert.equal(p.tcpChecksum(), 0x1234);
  assert.ok(p.tcpFlagsCaptured());
  assert.ok(p.tcpWindowCaptured());
  assert.deepEqual([p.srcPort, p.dstPort, p.l4Proto], [40000, 443, 6]);
});

Deno.test("packet fields: a field cut off by the snap length reads 0 and says so", () => {
  // Ethernet 14 + IPv4 20 + TCP: 14 bytes keep the flags (byte 13), not the window (14-15).
  const { p } = dissectFrame(tcpFrame(), { capLen: 14 + 20 + 14 });
  assert.equal(p.tcpFlags(), 0x12);
  assert.ok(p.tcpFlagsCaptured());
  assert.equal(p.tcpWindow(), 0);
  assert.ok(!p.tcpWindowCaptured());
  // Half a window: the missing byte reads 0, and the window counts as not captured.
  const half = dissectFrame(tcpFrame(), { capLen: 14 + 20 + 15 }).p;
  assert.equal(half.tcpWindow(), 0x2000);
  assert.ok(!half.tcpWindowCaptured());
  const cut = dissectFrame(tcpFrame(), { capLen: 14 + 20 + 13 }).p;
  assert.equal(cut.tcpFlags(), 0);
  assert.ok(!cut.tcpFlagsCaptured());
  assert.equal(cut.tcpWindow(), 0);
});

Deno.test("packet fields: MAC addresses as bytes and 16-bit words", () => {
  const { p } = dissectFrame(tcpFrame());
  assert.ok(p.macsCaptured());
  const mac = new Uint8Array(8);
  p.srcMacInto(mac, 1);
  assert.deepEqual([...mac], [0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0]);
  p.dstMacInto(mac, 0);
  assert.deepEqual([...mac.subarray(0, 6)], [0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
  assert.deepEqual([0, 1, 2].map((i) => p.srcMacWord(i)), [0x6677, 0x8899, 0xaabb]);
  assert.deepEqual([0, 1, 2].map((i) => p.dstMacWord(i)), [0x0011, 0x2233, 0x4455]);
  const cut = dissectFrame(tcpFrame(), { capLen: 10 }).p;
  assert.ok(!cut.macsCaptured());
});

Deno.test("packet fields: IPv6 hop limit, traffic class and fragment header", () => {
  const payload = udp({ sport: 5353, dport: 5353 }, new Uint8Array(4));
  const ip6 = concat(
    hex("6 b4 00000"), // version 6, traffic class 0xb4, flow label 0
    new Uint8Array([0, 8 + payload.length, 44, 33]), // payload length, next: fragment, hop limit
    new Uint8Array(32).fill(1),
    hex("11 00 0009 12345678"), // fragment header: UDP, offset 1 (8 bytes), M flag
    payload,
  );
  const { p } = dissectFrame(ethernet({ type: 0x86dd }, ip6));
  assert.equal(p.ipVersion, 6);
  assert.equal(p.ipTTL(), 33);
  assert.equal(p.ipToS(), 0xb4);
  assert.equal(p.ipNextHeader(), 44);
  assert.equal(p.ipFragWord(), 0x0009);
  assert.equal(p.ipFragOffset(), 1);
  assert.equal(p.ipMoreFragments(), true);
  assert.equal(p.ipChecksum(), 0);
});

Deno.test("packet fields: a later IPv4 fragment's offset and MF flag", () => {
  const frame = ethernet(
    { type: 0x0800 },
    ipv4(
      { src: "192.0.2.1", dst: "192.0.2.2", proto: 17, fragment: 0x2000 | 185 },
      hex("00".repeat(16)),
    ),
  );
  const { p } = dissectFrame(frame);
  assert.equal(p.firstFragment, false);
  assert.equal(p.ipFragOffset(), 185);
  assert.equal(p.ipMoreFragments(), true);
});

Deno.test("packet fields: UDP length, ICMP type, code, identifier and sequence", () => {
  const u = dissectFrame(
    ethernet(
      { type: 0x0800 },
      ipv4(
        { src: "192.0.2.1", dst: "192.0.2.2", proto: 17 },
        udp({ sport: 1, dport: 2 }, hex("aabbcc")),
      ),
    ),
  ).p;
  assert.equal(u.udpLength(), 11);
  const echo = hex("08 00 0000 1234 0007 6162");
  const i = dissectFrame(
    ethernet({ type: 0x0800 }, ipv4({ src: "192.0.2.1", dst: "192.0.2.2", proto: 1 }, echo)),
  ).p;
  assert.deepEqual([i.icmpType(), i.icmpCode(), i.icmpId(), i.icmpSeq()], [8, 0, 0x1234, 7]);
});

Deno.test("packet fields: VLAN tags of the flow header, 0 without", () => {
  const inner = ipv4(
    { src: "192.0.2.1", dst: "192.0.2.2", proto: 17 },
    udp({ sport: 1, dport: 2 }),
  );
  const tagged = ethernet({ type: 0x8100 }, concat(hex("2064 0800"), inner)); // prio 1, VLAN 100
  const { p } = dissectFrame(tagged);
  assert.equal(p.vlanId, 100);
  assert.equal(p.vlanTag(0), 0x20640800);
  assert.equal(dissectFrame(ethernet({ type: 0x0800 }, inner)).p.vlanTag(0), 0);
});

Deno.test("packet fields: offsets of the IPv6 hop-by-hop and destination options headers", () => {
  const payload = udp({ sport: 1, dport: 2 });
  const ip6 = concat(
    hex("60000000"),
    new Uint8Array([0, 16 + payload.length, 0, 64]), // next: hop-by-hop
    new Uint8Array(32).fill(1),
    hex("3c00 0104 00000000"), // hop-by-hop, 8 bytes: next destination options, PadN
    hex("1100 0104 00000000"), // destination options, 8 bytes: next UDP
    payload,
  );
  const { p } = dissectFrame(ethernet({ type: 0x86dd }, ip6));
  assert.equal(p.ip6HopOptsOff, 14 + 40);
  assert.equal(p.ip6DstOptsOff, 14 + 48);
  assert.equal(p.l4Proto, 17);
  const plain = dissectFrame(ethernet(
    { type: 0x86dd },
    concat(
      hex("60000000"),
      new Uint8Array([0, payload.length, 17, 64]),
      new Uint8Array(32).fill(1),
      payload,
    ),
  )).p;
  assert.deepEqual([plain.ip6HopOptsOff, plain.ip6DstOptsOff], [-1, -1]);
});
