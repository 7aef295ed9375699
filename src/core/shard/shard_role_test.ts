import assert from "node:assert/strict";
import { ethernet, ipv4, tcp, udp } from "../../../tests/_support/capture_builder.ts";
import { dissectPacket } from "../../dissect/dissect.ts";
import { Packet } from "../../dissect/packet.ts";
import { Shard, shardOf } from "./shard_role.ts";

/** A packet reset on `frame` (Ethernet), not dissected. */
function record(frame: Uint8Array): Packet {
  const p = new Packet();
  p.reset(frame, 0, frame.length, frame.length);
  p.linkType = 1;
  return p;
}

Deno.test("Shard.skips: a plain IPv4 record is skipped exactly when its dissected flow is another shard's", () => {
  let seed = 7;
  const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const addr = () => `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
  let skipped = 0;
  let kept = 0;
  for (let i = 0; i < 600; i++) {
    const proto = i % 2 === 0 ? 6 : 17;
    const ports = { sport: 1024 + rnd(60000), dport: [80, 443, 53, 8080][rnd(4)] };
    const l4 = proto === 6 ? tcp(ports) : udp(ports, new Uint8Array(8));
    const frame = ethernet({ type: 0x0800 }, ipv4({ src: addr(), dst: addr(), proto }, l4));
    const dissected = record(frame);
    dissectPacket(dissected);
    for (const shards of [2, 3]) {
      const owner = shardOf(dissected, shards);
      for (let k = 0; k < shards; k++) {
        const skips = new Shard(k, shards, null).skips(record(frame));
        // Shard 0 dissects every record (it counts them for the run).
        assert.equal(skips, k !== 0 && owner !== k, `packet ${i}, shard ${k} of ${shards}`);
        if (skips) skipped++;
        else kept++;
      }
    }
  }
  assert.ok(skipped > 500 && kept > 500);
});

Deno.test("Shard.skips: records that are not plain IPv4 TCP/UDP are dissected", () => {
  const icmp = ethernet(
    { type: 0x0800 },
    ipv4({ src: "1.2.3.4", dst: "5.6.7.8", proto: 1 }, new Uint8Array(8)),
  );
  const later = ethernet(
    { type: 0x0800 },
    ipv4({ src: "1.2.3.4", dst: "5.6.7.9", proto: 6, fragment: 185 }, new Uint8Array(20)),
  );
  for (const frame of [icmp, later]) {
    for (let k = 1; k < 4; k++) assert.equal(new Shard(k, 4, null).skips(record(frame)), false);
  }
});
