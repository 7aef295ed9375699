/**
 * The dispatch loop and the run counters of dissected packets (tally.ts): what the dissector
 * reports through the packet rather than by calling the core.
 */

import assert from "node:assert/strict";
import { STPDSCT_H } from "../base/flow_status.ts";
import { concat, ethernet, hex, ipv4, tcp, udp } from "../../tests/_support/capture_builder.ts";
import { dissectFrame } from "../../tests/_support/dissect_frame.ts";
import { MAX_STEPS } from "./dissect.ts";
import { PacketKind } from "./packet.ts";

/** IPv4 in IPv4 `depth` times around TCP. */
function nested(depth: number): Uint8Array {
  let inner = ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 6 }, tcp({ sport: 1025, dport: 80 }));
  for (let i = 0; i < depth; i++) {
    inner = ipv4({ src: "10.9.0.1", dst: "10.9.0.2", proto: 4 }, inner);
  }
  return ethernet({ type: 0x0800 }, inner);
}

Deno.test("dissectPacket(): a deep IP-in-IP nest is dissected to the innermost header", () => {
  const { p } = dissectFrame(nested(60));
  assert.equal(p.kind, PacketKind.IPV4);
  assert.deepEqual([p.srcPort, p.dstPort, p.l4Proto], [1025, 80, 6]);
  assert.equal(p.statusHi & STPDSCT_H, 0);
});

Deno.test("dissectPacket(): more nested headers than MAX_STEPS stop dissection (STPDSCT), no flow", () => {
  const { p } = dissectFrame(nested(2 * MAX_STEPS));
  assert.ok(p.statusHi & STPDSCT_H);
  assert.equal(p.kind, PacketKind.NONE);
});

Deno.test("countPacket(): an IP EtherType with another IP version counts as IPvX twice, as in T2", () => {
  const bogus = ethernet({ type: 0x0800 }, hex("65 00 00 14 00 00 00 00 40 06 00 00 0a 00 00 01"));
  assert.equal(dissectFrame(bogus).counters.numVxPackets, 2);
  // Behind LLC with the IP SAP, T2 counts it once.
  const llc = ethernet({ type: 0x0014 }, hex("06 06 03 | 55 00 00 14 00 00 00 00 40 06 00 00"));
  assert.equal(dissectFrame(llc).counters.numVxPackets, 1);
});

Deno.test("countPacket(): the run counters of a packet come from the facts in it", () => {
  const dtls = hex(
    "16 fe fd 00 00 00 00 00 00 00 00 00 01 00",
    "17 fe fd 00 00 00 00 00 00 00 01 00 00",
  );
  const frame = ethernet(
    { type: 0x0800 },
    ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17 }, udp({ sport: 50000, dport: 443 }, dtls)),
  );
  const { p, counters } = dissectFrame(frame);
  assert.equal(p.hdrDesc, "eth:ipv4:udp:dtls1.2:dtls1.2");
  assert.equal(counters.numDTLSPackets, 2, "one per record");
  assert.equal(counters.bytesOnWire, frame.length);
  assert.deepEqual([counters.numV4Packets, counters.numL2Packets, counters.maxHdrDesc], [1, 0, 5]);
  // A short frame: the padding after the IP datagram counts per run.
  const short = concat(
    ethernet(
      { type: 0x0800 },
      ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 6 }, tcp({ sport: 1, dport: 2 })),
    ),
    new Uint8Array(6),
  );
  const s = dissectFrame(short);
  assert.deepEqual([s.p.padLen, s.counters.padBytesOnWire], [6, 6]);
});
