/**
 * Dissector benchmark: Ethernet frames of the kinds the annoloc trace holds (TCP, UDP, VLAN,
 * ICMP, ARP), dissected into the reusable packet view, 66-byte snap length as in the trace; by
 * `dissectPacket` (plain IPv4 packets in one pass, plain_ipv4.ts) and, for comparison, by the
 * general dissector alone. The same for IPv6 TCP frames (plain_ipv6.ts).
 *
 *     deno task bench:micro src/dissect/
 *
 * @module
 */

import { Counters } from "../base/counters.ts";
import { dissectAllCases, dissectPacket } from "./dissect.ts";
import { type NoticeSink, reportNotices } from "./notices.ts";
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
/** IPv6 TCP frames (the TCP header cut by the 66-byte snap length). */
const IPV6_FRAMES: Uint8Array[] = [];
for (let i = 0; i < 64; i++) {
  const ip6 = new Uint8Array(40 + 20 + 100 + i * 13);
  ip6.set([0x60, 0, 0, 0, (ip6.length - 40) >> 8, (ip6.length - 40) & 0xff, 6, 64]);
  ip6.set([0x20, 0x01, 0x0d, 0xb8, 0, i], 8);
  ip6.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1], 24);
  ip6.set([0x04, i, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff], 40);
  IPV6_FRAMES.push(ethernet({ type: 0x86dd }, ip6));
}

/** Frames back to back in one buffer, as the capture reader hands them over. */
class Records {
  readonly offsets: number[] = [];
  readonly wire: number[] = [];
  readonly all: Uint8Array;

  constructor(frames: Uint8Array[]) {
    this.all = new Uint8Array(frames.reduce((n, f) => n + Math.min(f.length, SNAP), 0));
    let at = 0;
    for (const f of frames) {
      this.offsets.push(at);
      this.wire.push(f.length);
      this.all.set(f.subarray(0, SNAP), at);
      at += Math.min(f.length, SNAP);
    }
  }
}
const ANNOLOC = new Records(FRAMES);
const IPV6 = new Records(IPV6_FRAMES);

const p = new Packet();
const counters = new Counters();
const quiet: NoticeSink = { warn() {}, unsupportedLinkType() {} };
let sink = 0;

function dissectAll(dissect: (p: Packet) => void, records = ANNOLOC): void {
  const { offsets, wire, all } = records;
  for (let i = 0; i < offsets.length; i++) {
    const start = offsets[i];
    const end = i + 1 < offsets.length ? offsets[i + 1] : all.length;
    p.reset(all, start, end - start, wire[i]);
    p.linkType = 1;
    dissect(p);
    // As in a run: notices are reported (here nowhere), and a once-per-run warning once.
    if (p.noticeCount !== 0) reportNotices(p, counters, quiet);
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

Deno.bench({
  name: "dissect 64 eth/ipv6/tcp frames (snap 66)",
  group: "ipv6",
  baseline: true,
  fn: () => dissectAll(dissectPacket, IPV6),
});

Deno.bench({
  name: "the same with the general dissector only (no plain IPv6 path)",
  group: "ipv6",
  fn: () => dissectAll(dissectAllCases, IPV6),
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
});
