/**
 * tcpStates on hand-made TCP conversations: the anomaly bits of spec/plugins/tcpStates.md per
 * packet (`-s`) and per flow, and the timeouts it gives flows by state, seen as flow splits
 * (a later packet of the same connection starting a new flow index) and as output order.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { tcpStates } from "./mod.ts";
import { ethernet, hex, pcap, type PcapPacket } from "../../tests/_support/capture_builder.ts";
import { ip4, ip6, type Tcp, tcpSeg } from "../../tests/_support/ip_frames.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { PluginDefinition } from "../../mod.ts";

const SYN = 0x02, ACK = 0x10, FIN = 0x01, RST = 0x04, PSH = 0x08, URG = 0x20;

/** A TCP packet `ms` milliseconds after second 1000, client -> server unless `back`. */
function seg(ms: number, t: Tcp, back = false): PcapPacket {
  const ports = back ? { sport: 80, dport: 40000 } : { sport: 40000, dport: 80 };
  const ip = back ? { src: "10.0.0.2", dst: "10.0.0.1" } : { src: "10.0.0.1", dst: "10.0.0.2" };
  return {
    sec: 1000 + Math.floor(ms / 1000),
    ns: Math.round((ms % 1000) * 1e6),
    data: ethernet({ type: 0x0800 }, ip4(ip, tcpSeg({ ...ports, ...t }))),
  };
}

function run(packets: PcapPacket[], plugins: PluginDefinition[] = [basicFlow, tcpStates, txtSink]) {
  const out = runCapture({
    input: { name: "t.pcap", bytes: pcap(packets) },
    plugins,
    packetMode: true,
  });
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  const pk = parseTable(out.files.get("packets")!);
  const fl = parseTable(out.files.get("flows")!);
  const has = fl.columns.includes("tcpStatesAFlags");
  return {
    /** Per packet: flowInd and tcpStatesAFlags. */
    packets: pk.rows.map((r) =>
      `${r[pk.col("flowInd")]}${has ? " " + r[pk.col("tcpStatesAFlags")] : ""}`
    ),
    /** Per flow: dir, flowInd, srcPort and tcpStatesAFlags. */
    flows: fl.rows.map((r) =>
      `${r[fl.col("dir")]} ${r[fl.col("flowInd")]} ${r[fl.col("srcPort")]}` +
      (has ? " " + r[fl.col("tcpStatesAFlags")] : "")
    ),
    report: out.report.split("\n").filter((l) => l.startsWith("tcpStates:")),
  };
}

/** Handshake: SYN, SYN-ACK, ACK (client ISN 100, server ISN 500) from `ms` on. */
function handshake(ms = 0): PcapPacket[] {
  return [
    seg(ms, { flags: SYN, seq: 100 }),
    seg(ms + 1, { flags: SYN | ACK, seq: 500, ack: 101 }, true),
    seg(ms + 2, { flags: ACK, seq: 101, ack: 501 }),
  ];
}

/** FIN from the client, FIN-ACK from the server, last ACK: a clean close. */
function close(ms: number): PcapPacket[] {
  return [
    seg(ms, { flags: FIN | ACK, seq: 101, ack: 501 }),
    seg(ms + 1, { flags: FIN | ACK, seq: 501, ack: 102 }, true),
    seg(ms + 2, { flags: ACK, seq: 102, ack: 502 }),
  ];
}

Deno.test("tcpStates: handshake, data and a clean close leave no anomaly", () => {
  const r = run([
    ...handshake(),
    seg(3, { flags: PSH | ACK, seq: 101, ack: 501 }),
    seg(4, { flags: ACK, seq: 501, ack: 101 }, true),
    ...close(5),
  ]);
  assert.deepStrictEqual(r.packets, new Array(8).fill("1 0x00"));
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x00", "B 1 80 0x00"]);
  assert.deepStrictEqual(r.report, []);
});

Deno.test("tcpStates: a lone SYN is a bad open and a bad close (0x03)", () => {
  const r = run([seg(0, { flags: SYN, seq: 1 })]);
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x03"]);
  assert.deepStrictEqual(r.report, ["tcpStates: Aggregated tcpStatesAFlags=0x03"]);
});

Deno.test("tcpStates: open but not closed at the end of the capture (0x02)", () => {
  const r = run(handshake());
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x02", "B 1 80 0x02"]);
});

Deno.test("tcpStates: NULL, Xmas and a lone FIN are evil (0x80)", () => {
  const lone = (sport: number, flags: number) => ({
    ...seg(0, { flags }),
    data: ethernet({ type: 0x0800 }, ip4({}, tcpSeg({ sport, dport: 80, flags }))),
  });
  const r = run([lone(1, 0), lone(2, FIN | PSH | URG), lone(3, FIN)]);
  // NULL: evil, then "anything else" while NEW: established with a bad open (0x81); Xmas and
  // FIN alone: evil, no state change. At the end all are lone flows: 0x03 more.
  assert.deepStrictEqual(r.packets, ["1 0x81", "2 0x80", "3 0x80"]);
  assert.deepStrictEqual(r.flows, ["A 1 1 0x83", "A 2 2 0x83", "A 3 3 0x83"]);
});

Deno.test("tcpStates: a connection reset by the client — A 0x42, B 0x12 (B sent after the RST)", () => {
  const r = run([
    ...handshake(),
    seg(3, { flags: RST | ACK, seq: 101, ack: 501 }),
    seg(4, { flags: ACK, seq: 501, ack: 101 }, true),
  ]);
  assert.deepStrictEqual(r.packets, ["1 0x00", "1 0x00", "1 0x00", "1 0x42", "1 0x12"]);
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x42", "B 1 80 0x12"]);
});

Deno.test("tcpStates: a RST+ACK answering a SYN resets both; a RST to nobody is evil", () => {
  const refused = run([
    seg(0, { flags: SYN, seq: 100 }),
    seg(1, { flags: RST | ACK, seq: 0, ack: 101 }, true),
  ]);
  // The SYN flow never got its SYN acknowledged, the RST flow sent no SYN: both bad opens.
  assert.deepStrictEqual(refused.flows, ["A 1 40000 0x03", "B 1 80 0x43"]);
  const lone = run([seg(0, { flags: RST, seq: 100 })]);
  assert.deepStrictEqual(lone.packets, ["1 0xc1"]);
  assert.deepStrictEqual(lone.flows, ["A 1 40000 0xc3"]);
});

Deno.test("tcpStates: a SYN-ACK acknowledging the wrong number is a bad open on both sides", () => {
  const r = run([
    seg(0, { flags: SYN, seq: 100 }),
    seg(1, { flags: SYN | ACK, seq: 500, ack: 999 }, true),
  ]);
  assert.deepStrictEqual(r.packets, ["1 0x00", "1 0x01"]);
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x03", "B 1 80 0x03"]);
});

Deno.test("tcpStates: SYN or a missing ACK once established is flagged on both sides (0x04)", () => {
  const r = run([...handshake(), seg(3, { flags: PSH, seq: 101 })]);
  assert.deepStrictEqual(r.packets.at(-1), "1 0x04");
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x06", "B 1 80 0x06"]);
});

Deno.test("tcpStates: a packet after the close is flagged (0x08)", () => {
  const r = run([...handshake(), ...close(3), seg(6, { flags: ACK, seq: 102, ack: 502 })]);
  assert.deepStrictEqual(r.packets.at(-1), "1 0x08");
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x08", "B 1 80 0x00"]);
});

Deno.test("tcpStates: a connection picked up in the middle is established with a bad open", () => {
  const r = run([
    seg(0, { flags: ACK, seq: 101, ack: 501 }),
    seg(1, { flags: ACK, seq: 501, ack: 101 }, true),
  ]);
  // First packet: "anything else" while NEW -> 0x01; the second, ACK without the SYN's
  // acknowledgement: bad open again on both.
  assert.deepStrictEqual(r.packets, ["1 0x01", "1 0x01"]);
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x03", "B 1 80 0x03"]);
});

Deno.test("tcpStates: after a RST both directions time out in 0.1 s: the next packet starts a new flow", () => {
  const packets = [
    ...handshake(),
    seg(3, { flags: RST | ACK, seq: 101, ack: 501 }),
    seg(200, { flags: SYN, seq: 7000 }), // 0.197 s later
  ];
  const r = run(packets);
  assert.deepStrictEqual(r.packets.map((p) => p.split(" ")[0]), ["1", "1", "1", "1", "2"]);
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x42", "B 1 80 0x02", "A 2 40000 0x03"]);
  // Without tcpStates the default 182 s keeps one flow.
  const plain = run(packets, [basicFlow, txtSink]);
  assert.deepStrictEqual(plain.packets, ["1", "1", "1", "1", "1"]);
  // 0.05 s after the RST: still the same flow (after RST, 0x10).
  const soon = run([...packets.slice(0, 4), seg(50, { flags: ACK, seq: 101, ack: 501 })]);
  assert.deepStrictEqual(soon.packets.at(-1), "1 0x52");
});

Deno.test("tcpStates: an established connection survives 300 s of silence (610 s), the default 182 s does not", () => {
  const packets = [...handshake(), seg(300_000, { flags: PSH | ACK, seq: 101, ack: 501 })];
  assert.deepStrictEqual(run(packets).packets.map((p) => p.split(" ")[0]), ["1", "1", "1", "1"]);
  assert.deepStrictEqual(run(packets, [basicFlow, txtSink]).packets, ["1", "1", "1", "2"]);
  // 611 s is too long even for an established connection.
  const late = [...handshake(), seg(611_002, { flags: PSH | ACK, seq: 101, ack: 501 })];
  assert.deepStrictEqual(run(late).packets.map((p) => p.split(" ")[0]), ["1", "1", "1", "2"]);
});

Deno.test("tcpStates: a closed connection times out after 10 s; a lone SYN after 120 s", () => {
  const closed = [...handshake(), ...close(3)];
  const again = (ms: number) => seg(ms, { flags: SYN, seq: 9000 });
  assert.deepStrictEqual(
    run([...closed, again(11_000)]).packets.map((p) => p.split(" ")[0]),
    ["1", "1", "1", "1", "1", "1", "2"],
  );
  assert.deepStrictEqual(run([...closed, again(9_000)]).packets.at(-1), "1 0x08");
  const syn = seg(0, { flags: SYN, seq: 1 });
  assert.deepStrictEqual(run([syn, again(121_000)]).packets, ["1 0x00", "2 0x00"]);
  assert.deepStrictEqual(run([syn, again(119_000)]).packets, ["1 0x00", "1 0x00"]);
});

Deno.test("tcpStates: the timeouts are settings", () => {
  const packets = [
    ...handshake(),
    seg(3, { flags: RST | ACK, seq: 101, ack: 501 }),
    seg(200, { flags: SYN, seq: 7000 }),
  ];
  const out = runCapture({
    input: { name: "t.pcap", bytes: pcap(packets) },
    plugins: [basicFlow, tcpStates, txtSink],
    settings: [{ name: "TIMEOUT_RESET", value: "1" }],
  });
  const fl = parseTable(out.files.get("flows")!);
  assert.deepStrictEqual(fl.rows.map((r) => r[fl.col("flowInd")]), ["1", "1"]);
});

Deno.test("tcpStates: UDP, later fragments, cut headers and layer-2 packets are not examined", () => {
  const udp = {
    sec: 1000,
    ns: 0,
    data: ethernet({ type: 0x0800 }, ip4({ proto: 17 }, hex("1388 1770 0008 0000"))),
  };
  const arp = {
    sec: 1000,
    ns: 1000,
    data: ethernet(
      { type: 0x0806 },
      hex("0001 0800 0604 0001 000000000001 0a000001 000000000000 0a000002"),
    ),
  };
  // A TCP header cut after 12 bytes: the flags byte is not captured.
  const full = seg(2, { flags: 0 }).data;
  const cut = {
    sec: 1000,
    ns: 2_000_000,
    data: full.subarray(0, 14 + 20 + 12),
    wireLen: full.length,
  };
  // A later fragment of a TCP datagram (offset 8 units) with NULL-flag-looking bytes.
  const frag = {
    sec: 1000,
    ns: 3_000_000,
    data: ethernet({ type: 0x0800 }, ip4({ frag: 1, id: 9 }, new Uint8Array(24))),
  };
  const r = run([udp, arp, cut, frag]);
  assert.deepStrictEqual(r.packets.map((p) => p.split(" ")[1]), ["0x00", "0x00", "0x00", "0x00"]);
  // UDP and ARP: 0x00; the cut TCP flow: never examined, but a lone TCP flow at the end (0x03).
  assert.deepStrictEqual(r.flows.map((f) => f.split(" ")[3]), ["0x00", "0x00", "0x03", "0x03"]);
  assert.deepStrictEqual(r.report, ["tcpStates: Aggregated tcpStatesAFlags=0x03"]);
});

Deno.test("tcpStates: IPv6 connections are followed the same way", () => {
  const v6 = (ms: number, t: Tcp, back = false) => ({
    sec: 1000,
    ns: ms * 1e6,
    data: ethernet(
      { type: 0x86dd },
      ip6(
        back ? { src: "2001:db8::2", dst: "2001:db8::1" } : {},
        tcpSeg(back ? { sport: 80, dport: 40000, ...t } : { sport: 40000, dport: 80, ...t }),
      ),
    ),
  });
  const r = run([
    v6(0, { flags: SYN, seq: 100 }),
    v6(1, { flags: SYN | ACK, seq: 500, ack: 101 }, true),
    v6(2, { flags: ACK, seq: 101, ack: 501 }),
    v6(3, { flags: RST | ACK, seq: 501, ack: 101 }, true),
  ]);
  assert.deepStrictEqual(r.flows, ["A 1 40000 0x02", "B 1 80 0x42"]);
});
