/**
 * Flow timeouts end to end (issue 4, spec/timeouts.md): hand-made captures built in memory run
 * through `run()` with a tiny probe plugin that registers timeout values and sets the timeout
 * of a flow and of its opposite at chosen packets, as T2's timeout handlers allow any plugin
 * to do. The probe records, in order, which flow every packet joined and every flow line the
 * core wrote, so a test sees whether a pair was written before a packet was processed.
 *
 * Expected outputs are derived by hand from the algorithm in spec/timeouts.md §3 (traced in
 * the comments), never from a previous run.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../plugins/basic_flow/mod.ts";
import { txtSink } from "../plugins/txt_sink/mod.ts";
import type { PluginContext, PluginDefinition } from "../src/plugin/api.ts";
import type { OutputBuffer } from "../src/plugin/output_buffer.ts";
import {
  type Conversation,
  ethernet,
  ipv4,
  pcap,
  type PcapPacket,
  reversed,
  udp,
  udpFrame,
} from "./_support/capture_builder.ts";
import { parseTable, runCapture } from "./_support/run_capture.ts";

/** What the probe does at each packet. */
interface ProbeScript {
  /** Timeout values registered in `init` (the core registers FLOW_TIMEOUT = 182 itself). */
  readonly register?: readonly number[];
  /** Called for every packet of an IP flow with the packet number and the flow index. */
  readonly onPacket?: (pktNo: number, flow: number, ctx: PluginContext) => void;
}

/** A probe plugin and the log it fills: `pkt N: F` (packet N joined findex F), `out A1`. */
function probe(script: ProbeScript): { plugin: PluginDefinition; events: string[] } {
  const events: string[] = [];
  const plugin: PluginDefinition = {
    name: "timeoutProbe",
    number: 500,
    version: "0",
    create: (ctx) => ({
      init() {
        for (const t of script.register ?? []) ctx.registerTimeout(t);
      },
      onLayer4(p, flow) {
        events.push(`pkt ${p.pktNo}: ${ctx.flows.findex[flow]}`);
        script.onPacket?.(p.pktNo, flow, ctx);
      },
      // A sink sees every flow line at the moment it is written: the core puts `dir` and
      // `flowInd` first in the buffer.
      bufferToSink(out: OutputBuffer) {
        events.push(`out ${out.nums[0] === 0 ? "A" : "B"}${out.nums[1]}`);
      },
    }),
  };
  return { plugin, events };
}

/** Set the timeout of a flow and, when it has one, of its opposite flow. */
function setPair(ctx: PluginContext, flow: number, seconds: number): void {
  ctx.setTimeout(flow, seconds);
  const opp = ctx.flows.opposite[flow];
  if (opp >= 0) ctx.setTimeout(opp, seconds);
}

const C1: Conversation = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40001, dport: 50001 };
const C2: Conversation = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40002, dport: 50002 };
const C3: Conversation = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40003, dport: 50003 };

/** Start of every hand-made capture (seconds). */
const T0 = 1_000_000;

/** A UDP packet of `c` at `sec` seconds (a multiple of 1 ms) + `ns` after the start time. */
function at(sec: number, c: Conversation, ns = 0): PcapPacket {
  const whole = Math.floor(sec);
  return {
    sec: T0 + whole,
    ns: Math.round((sec - whole) * 1000) * 1_000_000 + ns,
    data: udpFrame(c),
  };
}

/** Run the packets (nanosecond pcap) with the probe, plus basicFlow and txtSink. */
function runProbe(packets: PcapPacket[], script: ProbeScript = {}) {
  const { plugin, events } = probe(script);
  const out = runCapture({
    input: { name: "timeouts.pcap", bytes: pcap(packets, { nanosecond: true }) },
    plugins: [basicFlow, plugin, txtSink],
  });
  assert.deepStrictEqual(out.exitCode, 0);
  const flows = parseTable(out.files.get("flows") ?? "");
  const lines = flows.rows.map((r) =>
    `${r[flows.col("dir")]}${r[flows.col("flowInd")]} ${r[flows.col("srcPort")]}>` +
    r[flows.col("dstPort")]
  );
  return { events, lines, flows };
}

Deno.test("timeouts: default 182 s — two packets 183 s apart make two flows, the first written before the second packet", () => {
  const { events, lines } = runProbe([at(0, C1), at(183, C1)]);
  assert.deepStrictEqual(events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
  assert.deepStrictEqual(lines, ["A1 40001>50001", "A2 40001>50001"]);
});

Deno.test("timeouts: a flow idle exactly 182 s has expired (age == timeout counts)", () => {
  const { events } = runProbe([at(0, C1), at(182, C1)]);
  assert.deepStrictEqual(events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
});

Deno.test("timeouts: ages near 182 s are float32 — 1 ns short of 182 s rounds to 182.0f and expires, 100 µs short does not", () => {
  // Preconditions: float32 spacing at 182 is about 1.5e-5 s.
  assert.equal(Math.fround(181.999999999), 182);
  assert.ok(Math.fround(181.9999) < 182);
  const rounded = runProbe([at(0, C1), at(181, C1, 999_999_999)]);
  assert.deepStrictEqual(rounded.events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
  const kept = runProbe([at(0, C1), at(181, C1, 999_900_000)]);
  assert.deepStrictEqual(kept.events, ["pkt 1: 1", "pkt 2: 1", "out A1"]);
});

Deno.test("timeouts: request at t, reply at t+100, request at t+250 stay one flow (the reply is only 150 s old)", () => {
  const { events, lines } = runProbe([at(0, C1), at(100, reversed(C1)), at(250, C1)]);
  assert.deepStrictEqual(events, ["pkt 1: 1", "pkt 2: 1", "pkt 3: 1", "out A1", "out B1"]);
  assert.deepStrictEqual(lines, ["A1 40001>50001", "B1 50001>40001"]);
});

Deno.test("timeouts: request at t, reply at t+50, request at t+250 — both sides expired, the third packet starts flow 2", () => {
  const { events } = runProbe([at(0, C1), at(50, reversed(C1)), at(250, C1)]);
  assert.deepStrictEqual(events, [
    "pkt 1: 1",
    "pkt 2: 1",
    "out A1",
    "out B1",
    "pkt 3: 2",
    "out A2",
  ]);
});

Deno.test("timeouts: 0.001 s registered and set on both sides — 1 000 000 ns idle expires, 999 999 ns does not", () => {
  // float32(0.001) = 0.0010000000474974513; an age of exactly 1e6 ns rounds to the same float.
  const script: ProbeScript = {
    register: [0.001],
    onPacket: (_n, f, ctx) => setPair(ctx, f, 0.001),
  };
  const expired = runProbe([at(0, C1), at(0, C1, 1_000_000)], script);
  assert.deepStrictEqual(expired.events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
  const kept = runProbe([at(0, C1), at(0, C1, 999_999)], script);
  assert.deepStrictEqual(kept.events, ["pkt 1: 1", "pkt 2: 1", "out A1"]);
});

Deno.test("timeouts: ages are float32 — 0.99999999 s idle rounds to 1.0f and expires a 1 s timeout, 0.9999999 s does not", () => {
  // Preconditions of the test itself: how these gaps round to float32.
  assert.equal(Math.fround(0.99999999), 1);
  assert.ok(Math.fround(0.9999999) < 1);
  const script: ProbeScript = { register: [1], onPacket: (_n, f, ctx) => setPair(ctx, f, 1) };
  const rounded = runProbe([at(0, C1), at(0, C1, 999_999_990)], script);
  assert.deepStrictEqual(rounded.events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
  const below = runProbe([at(0, C1), at(0, C1, 999_999_900)], script);
  assert.deepStrictEqual(below.events, ["pkt 1: 1", "pkt 2: 1", "out A1"]);
});

Deno.test("timeouts: one side expired only — the pair stays", () => {
  // A at 0, B at 0.5, A again at 3. The A flow gets 1 s, the B flow keeps 182 s: at t=3 A is
  // 3 s old (expired), B 2.5 s (not expired) -> the pair stays.
  const oneSide: ProbeScript = {
    register: [1],
    onPacket: (n, f, ctx) => ctx.setTimeout(f, n === 1 ? 1 : 182),
  };
  const kept = runProbe([at(0, C1), at(0.5, reversed(C1)), at(3, C1)], oneSide);
  assert.deepStrictEqual(kept.events, ["pkt 1: 1", "pkt 2: 1", "pkt 3: 1", "out A1", "out B1"]);
  // Each packet sets 1 s on its own flow: both sides expired at t=3.
  const script: ProbeScript = { register: [1], onPacket: (_n, f, ctx) => ctx.setTimeout(f, 1) };
  const both = runProbe([at(0, C1), at(0.5, reversed(C1)), at(3, C1)], script);
  assert.deepStrictEqual(both.events, [
    "pkt 1: 1",
    "pkt 2: 1",
    "out A1",
    "out B1",
    "pkt 3: 2",
    "out A2",
  ]);
});

Deno.test("timeouts: a timeout set on the opposite flow ends the pair without a packet of that flow", () => {
  // Packet 2 (B) sets 1 s on itself and on A; the A flow has had 182 s until then.
  const withOpposite: ProbeScript = {
    register: [1],
    onPacket: (n, f, ctx) => n === 2 && setPair(ctx, f, 1),
  };
  const r = runProbe([at(0, C1), at(0.5, reversed(C1)), at(2, C1)], withOpposite);
  assert.deepStrictEqual(r.events, [
    "pkt 1: 1",
    "pkt 2: 1",
    "out A1",
    "out B1",
    "pkt 3: 2",
    "out A2",
  ]);
  const ownOnly: ProbeScript = {
    register: [1],
    onPacket: (n, f, ctx) => n === 2 && ctx.setTimeout(f, 1),
  };
  const k = runProbe([at(0, C1), at(0.5, reversed(C1)), at(2, C1)], ownOnly);
  assert.deepStrictEqual(k.events, ["pkt 1: 1", "pkt 2: 1", "pkt 3: 1", "out A1", "out B1"]);
});

Deno.test("timeouts: many handlers — a larger handler writes its flows before a smaller one, even an older pair", () => {
  // Handlers 182 (core), 10 and 1. Pair Y = C1 (A at 0, B at 0.1), lone X = C2.
  // t=11: X is created; before it, handlers 10 and 1 examine Y's A and B (ages >= 10 and >= 1,
  //   timeout 182) and keep them: both sentinels move head-side of Y.
  // t=12: Y's B packet sets 1 s on B and A (A is not moved); X got 10 s at t=11.
  // t=21.5: a packet of C3. Handler 10 walks from its sentinel: X (age 10.5 >= 10) is written;
  //   Y.B (age 9.5) stops it. Handler 1 then reaches Y.B (9.5 >= 1, timeout 1) whose opposite
  //   Y.A (21.5 >= 1) is expired too: pair Y is written, A line first. Y's A flow is the oldest
  //   flow of all, yet X comes first.
  const script: ProbeScript = {
    register: [10, 1],
    onPacket: (n, f, ctx) => {
      if (n === 3) ctx.setTimeout(f, 10);
      if (n === 4) setPair(ctx, f, 1);
    },
  };
  const r = runProbe(
    [at(0, C1), at(0.1, reversed(C1)), at(11, C2), at(12, reversed(C1)), at(21.5, C3)],
    script,
  );
  assert.deepStrictEqual(r.events, [
    "pkt 1: 1",
    "pkt 2: 1",
    "pkt 3: 2",
    "pkt 4: 1",
    "out A2",
    "out A1",
    "out B1",
    "pkt 5: 3",
    "out A3",
  ]);
});

Deno.test("timeouts: within one handler the oldest flows are written first", () => {
  // Three lone flows created at 0, 1, 2; C1 touched again at 3. All expire (182 s) before the
  // packet at 400: least recently touched first.
  const r = runProbe([at(0, C1), at(1, C2), at(2, C3), at(3, C1), at(400, reversed(C3))]);
  assert.deepStrictEqual(r.events, [
    "pkt 1: 1",
    "pkt 2: 2",
    "pkt 3: 3",
    "pkt 4: 1",
    "out A2",
    "out A3",
    "out A1",
    "pkt 5: 4",
    "out A4",
  ]);
});

Deno.test("timeouts: a pair is written A line then B line, whichever was created first", () => {
  // The server answers first: 53 -> 40000 gets bit 0 (source port < 1024 and < destination
  // port), so the client flow created second is the A flow.
  const dns: Conversation = { src: "10.0.0.53", dst: "10.0.0.9", sport: 53, dport: 40000 };
  const r = runProbe([at(0, dns), at(1, reversed(dns)), at(300, C1)]);
  assert.deepStrictEqual(r.events, [
    "pkt 1: 1",
    "pkt 2: 1",
    "out A1",
    "out B1",
    "pkt 3: 2",
    "out A2",
  ]);
  assert.deepStrictEqual(r.lines, ["A1 40000>53", "B1 53>40000", "A2 40001>50001"]);
});

Deno.test("timeouts: an unregistered small timeout acts only when a registered handler reaches the flow", () => {
  // 0.5 s is set but never registered: with only the 182 s handler the flow lives 182 s.
  const unregistered: ProbeScript = { onPacket: (_n, f, ctx) => setPair(ctx, f, 0.5) };
  const kept = runProbe([at(0, C1), at(100, C1)], unregistered);
  assert.deepStrictEqual(kept.events, ["pkt 1: 1", "pkt 2: 1", "out A1"]);
  const ended = runProbe([at(0, C1), at(182, C1)], unregistered);
  assert.deepStrictEqual(ended.events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
  // With a 10 s handler registered, 0.5 s behaves like 10 s (the smallest handler reaching it).
  const with10: ProbeScript = { register: [10], onPacket: unregistered.onPacket };
  assert.deepStrictEqual(
    runProbe([at(0, C1), at(9.9, C1)], with10).events,
    ["pkt 1: 1", "pkt 2: 1", "out A1"],
  );
  assert.deepStrictEqual(
    runProbe([at(0, C1), at(10, C1)], with10).events,
    ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"],
  );
});

Deno.test("timeouts: a timeout larger than every handler keeps an idle flow until EOF once a handler has passed it", () => {
  // C1 gets 500 s (unregistered). At t=200 the 182 s handler examines C1 (age 200 < 500),
  // keeps it and moves its sentinel past it; C1 is never examined again while idle, so its
  // packet at t=1000 still joins flow 1 — while C2 (182 s) is written before that packet.
  const big: ProbeScript = { onPacket: (n, f, ctx) => n === 1 && ctx.setTimeout(f, 500) };
  const r = runProbe([at(0, C1), at(200, C2), at(1000, C1)], big);
  assert.deepStrictEqual(r.events, ["pkt 1: 1", "pkt 2: 2", "out A2", "pkt 3: 1", "out A1"]);
  // Without the packet at t=200 the handler first meets C1 at t=1000 (age >= 500): written.
  const alone = runProbe([at(0, C1), at(1000, C1)], big);
  assert.deepStrictEqual(alone.events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
});

Deno.test("timeouts: at EOF pairs are written in LRU order of their least recently touched member", () => {
  // Pair 1: A at 1, B at 2, A again at 5; lone flow 2 at 3. LRU from the tail: B1 (2), 2 (3),
  // A1 (5) -> pair 1 first (A line, B line), then flow 2 — although A1 was touched last.
  const r = runProbe([at(1, C1), at(2, reversed(C1)), at(3, C2), at(5, C1)]);
  assert.deepStrictEqual(r.events, [
    "pkt 1: 1",
    "pkt 2: 1",
    "pkt 3: 2",
    "pkt 4: 1",
    "out A1",
    "out B1",
    "out A2",
  ]);
  // Without the B packet, flow 1 was touched last and comes after flow 2.
  const s = runProbe([at(1, C1), at(3, C2), at(5, C1)]);
  assert.deepStrictEqual(s.events, ["pkt 1: 1", "pkt 2: 2", "pkt 3: 1", "out A2", "out A1"]);
});

/** A UDP datagram of C1 in two IPv4 fragments (id 7): first (MF, offset 0) and last. */
function fragments(first: number, last: number): PcapPacket[] {
  const c = C1;
  const payload = udp({ sport: c.sport, dport: c.dport }, new Uint8Array(16));
  const head = ipv4(
    { src: c.src, dst: c.dst, proto: 17, id: 7, fragment: 0x2000 },
    payload.subarray(0, 16),
  );
  const tail = ipv4(
    { src: c.src, dst: c.dst, proto: 17, id: 7, fragment: 2 }, // offset 2 x 8 bytes, MF = 0
    payload.subarray(16),
  );
  return [
    { sec: T0 + first, data: ethernet({ type: 0x0800 }, head) },
    { sec: T0 + last, data: ethernet({ type: 0x0800 }, tail) },
  ];
}

Deno.test("timeouts: a later fragment does not refresh the flow's LRU position", () => {
  // First fragment at 0 (flow 1), flow 2 at 1, last fragment of flow 1 at 2: flow 1 stays the
  // least recently touched, so it is written first at EOF.
  const [head, tail] = fragments(0, 2);
  const r = runProbe([head, at(1, C2), tail]);
  assert.deepStrictEqual(r.events, ["pkt 1: 1", "pkt 2: 2", "pkt 3: 1", "out A1", "out A2"]);
  // The same with an unfragmented third packet moves flow 1 to the head.
  const s = runProbe([at(0, C1), at(1, C2), at(2, C1)]);
  assert.deepStrictEqual(s.events, ["pkt 1: 1", "pkt 2: 2", "pkt 3: 1", "out A2", "out A1"]);
});

Deno.test("timeouts: a later fragment updates the flow's last-seen time used for its age", () => {
  // Flow 1: first fragment at 0, last fragment at 100; next packet of C1 at 250: age 150 < 182.
  const [head, tail] = fragments(0, 100);
  const r = runProbe([head, tail, at(250, C1)]);
  assert.deepStrictEqual(r.events, ["pkt 1: 1", "pkt 2: 1", "pkt 3: 1", "out A1"]);
});

Deno.test("timeouts: registering the same value twice (as float32) adds one handler", () => {
  // 2.2 and Math.fround(2.2) are one handler; the flow set to 2.2 s expires after 2.2 s.
  const script: ProbeScript = {
    register: [2.2, Math.fround(2.2), 2.2],
    onPacket: (_n, f, ctx) => setPair(ctx, f, 2.2),
  };
  const r = runProbe([at(0, C1), at(2.3, C1)], script);
  assert.deepStrictEqual(r.events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
});

Deno.test("timeouts: FLOW_TIMEOUT changes the default timeout of every flow", () => {
  const { plugin, events } = probe({});
  const out = runCapture({
    input: { name: "t.pcap", bytes: pcap([at(0, C1), at(60, C1)], { nanosecond: true }) },
    plugins: [plugin],
    settings: [{ name: "FLOW_TIMEOUT", value: "60" }],
  });
  assert.deepStrictEqual(out.exitCode, 0);
  assert.deepStrictEqual(events, ["pkt 1: 1", "out A1", "pkt 2: 2", "out A2"]);
});
