/**
 * Dissector benchmark: Ethernet frames of the kinds the annoloc trace holds (TCP, UDP, VLAN,
 * ICMP, ARP), dissected into the reusable packet view, 66-byte snap length as in the trace; by
 * `dissectPacket` (plain IPv4 packets in one pass, plain_ipv4.ts) and, for comparison, by the
 * general dissector alone.
 *
 *     deno task bench:micro src/dissect/
 *
 * @module
 */

import { Counters } from "../core/counters.ts";
import type { DissectContext } from "./context.ts";
import { dissectAllCases, dissectPacket } from "./link_layer.ts";
import { Packet } from "./packet.ts";
import { concat, ethernet, ipv4, tcp, udp } from "../../tests/_support/capture_builder.ts";

const SNAP = 66;
const FRAMES: Uint8Array[] = [];
for (let i = 0; i < 64; i++) {
  const src = `138.212.${i}.${(i * 7) & 255}`;
  const dst = `10.${i}.0.1`;
  const payload = new Uint8Array(100 + i * 13);
  if (i % 8 === 7) {
    FRAMES.push(
      ethernet(
        { type: 0x0800 },
        ipv4({ src, dst, proto: 17 }, udp({ sport: 53, dport: 40000 + i }, payload)),
      ),
    );
  } else if (i % 16 === 6) {
    FRAMES.push(ethernet({ type: 0x0806 }, new Uint8Array(28)));
  } else if (i % 16 === 14) {
    const tag = new Uint8Array([0x00, 0x64, 0x08, 0x00]);
    const ip = ipv4(
      { src, dst, proto: 6 },
      tcp({ sport: 80, dport: 1024 + i, win: 65535 }, payload),
    );
    const frame = ethernet({ type: 0x8100 }, concat(tag, ip));
    FRAMES.push(frame);
  } else {
    FRAMES.push(
      ethernet(
        { type: 0x0800 },
        ipv4({ src, dst, proto: 6 }, tcp({ sport: 1024 + i, dport: 80, win: 8192 }, payload)),
      ),
    );
  }
}
// All frames back to back in one buffer, as the capture reader hands them over.
const offsets: number[] = [];
const wire: number[] = [];
const all = new Uint8Array(FRAMES.reduce((n, f) => n + Math.min(f.length, SNAP), 0));
{
  let at = 0;
  for (const f of FRAMES) {
    offsets.push(at);
    wire.push(f.length);
    all.set(f.subarray(0, SNAP), at);
    at += Math.min(f.length, SNAP);
  }
}

const ctx: DissectContext = {
  counters: new Counters(),
  warn: () => {},
  unsupportedLinkType: () => {},
};
const p = new Packet();
let sink = 0;

function dissectAll(dissect: (p: Packet, d: DissectContext) => void): void {
  for (let i = 0; i < offsets.length; i++) {
    const start = offsets[i];
    const end = i + 1 < offsets.length ? offsets[i + 1] : all.length;
    p.reset(all, start, end - start, wire[i]);
    p.linkType = 1;
    dissect(p, ctx);
    sink += p.l4Proto;
  }
}

Deno.bench({
  name: "dissect 64 frames (eth/ipv4/tcp|udp, vlan, arp; snap 66)",
  group: "dissect",
  baseline: true,
  fn: () => dissectAll(dissectPacket),
});

Deno.bench({
  name: "the same with the general dissector only (no plain IPv4 path)",
  group: "dissect",
  fn: () => dissectAll(dissectAllCases),
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
});
