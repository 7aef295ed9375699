/**
 * tcpWinTMT on hand-made TCP conversations: the tutorial's state machine (spec/timeouts.md §6)
 * seen through its packet-mode columns, and the flow split it causes.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { tcpWinTMT } from "./mod.ts";
import {
  ethernet,
  ipv4,
  pcap,
  type PcapPacket,
  TCP,
  tcp,
} from "../../tests/_support/capture_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

const CLIENT = "10.0.0.1";
const SERVER = "10.0.0.2";

/** A TCP packet `us` microseconds after the start, client -> server unless `fromServer`. */
function seg(us: number, flags: number, win: number, fromServer = false): PcapPacket {
  const [src, dst, sport, dport] = fromServer
    ? [SERVER, CLIENT, 8000, 40000]
    : [CLIENT, SERVER, 40000, 8000];
  return {
    sec: 1000 + Math.floor(us / 1e6),
    ns: (us % 1e6) * 1000,
    data: ethernet(
      { type: 0x0800 },
      ipv4({ src, dst, proto: 6 }, tcp({ sport, dport, flags, win })),
    ),
  };
}

function run(packets: PcapPacket[], settings: SettingAssignment[] = []) {
  const out = runCapture({
    input: { name: "tmt.pcap", bytes: pcap(packets) },
    plugins: [basicFlow, tcpWinTMT, txtSink],
    packetMode: true,
    settings,
  });
  assert.equal(out.exitCode, 0);
  const pk = parseTable(out.files.get("packets")!);
  const flows = parseTable(out.files.get("flows")!);
  const cols = ["flowInd", "tcpWinStat", "tcpWinState", "tcpWin", "tcpWinThCnt", "flowTmout"];
  return {
    packets: pk.rows.map((r) => cols.map((c) => r[pk.col(c)]).join(" ")),
    flows: flows.rows.map((r) =>
      ["dir", "flowInd", "srcPort", "tcpWinStat", "tcpWinState", "tcpWinThCnt"]
        .map((c) => r[flows.col(c)]).join(" ")
    ),
    report: out.report,
  };
}

const { SYN, ACK, FIN, PSH, RST } = TCP;

Deno.test("tcpWinTMT: handshake and close — 2.2 s after SYN, 1 s after, ABRT with 1 s on FIN, then 1 ms", () => {
  const r = run([
    seg(0, SYN, 64240),
    seg(100, SYN | ACK, 65535, true),
    seg(200, ACK, 64240),
    seg(300, PSH | ACK, 65535, true),
    seg(400, FIN | ACK, 64240),
    seg(500, ACK, 65535, true),
    seg(600, ACK, 64240),
  ]);
  assert.deepStrictEqual(r.packets, [
    "1 0x02 0x01 64240 0 2.200000", // NEW + SYN -> BGN, 2.2 s
    "1 0x12 0x01 65535 0 2.200000", // the reply flow: its own NEW + SYN
    "1 0x12 0x01 64240 0 1.000000", // BGN: 1 s; the state stays BGN (the tutorial's code)
    "1 0x1a 0x01 65535 0 1.000000",
    "1 0x13 0x04 64240 0 1.000000", // FIN seen: ABRT, timeout stays 1 s
    "1 0x1a 0x01 65535 0 1.000000",
    "1 0x13 0x04 64240 0 0.001000", // in ABRT: 1 ms
  ]);
});

Deno.test("tcpWinTMT: the second zero window aborts both directions (1 ms); the next packet starts a new flow whose A side is its sender", () => {
  const r = run([
    seg(0, ACK, 0), // no SYN: NEW -> EST, 1 s; first zero window
    seg(1000, ACK, 1000, true),
    seg(2000, ACK, 0), // second zero window: ABNRM, ABRT, 1 ms here and on the opposite flow
    seg(4000, ACK, 1000, true), // both directions are >= 1 ms old: pair 1 is written first
  ]);
  assert.deepStrictEqual(r.packets, [
    "1 0x90 0x02 0 1 1.000000",
    "1 0x10 0x02 1000 0 1.000000",
    "1 0xd0 0x04 0 2 0.001000",
    "2 0x10 0x02 1000 0 1.000000",
  ]);
  assert.deepStrictEqual(r.flows, [
    "A 1 40000 0xd0 0x04 2",
    "B 1 8000 0x10 0x04 0", // aborted through its opposite
    "A 2 8000 0x10 0x02 0", // the server side is A now
  ]);
  assert.match(r.report, /^tcpWinTMT: Aggregated tcpWinStat=0xd0$/m);
  assert.match(r.report, /^tcpWinTMT: Aggregated tcpWinState=0x06$/m);
  assert.match(
    r.report,
    /^tcpWinTMT: Number of TCP winsize packets below threshold 1: 2 \[50\.00%\]$/m,
  );
});

Deno.test("tcpWinTMT: an aborted pair survives a gap shorter than 1 ms", () => {
  // The last packet comes 0.9 ms after the abort.
  const r = run([
    seg(0, ACK, 0),
    seg(1000, ACK, 1000, true),
    seg(2000, ACK, 0),
    seg(2900, ACK, 1000, true),
  ]);
  assert.deepStrictEqual(r.packets.map((l) => l.split(" ")[0]), ["1", "1", "1", "1"]);
});

Deno.test("tcpWinTMT: an established pair idle for 1 s is split; 0.9 s is not", () => {
  const split = run([seg(0, ACK, 500), seg(10_000, ACK, 500, true), seg(1_010_000, ACK, 500)]);
  assert.deepStrictEqual(split.packets.map((l) => l.split(" ")[0]), ["1", "1", "2"]);
  const kept = run([seg(0, ACK, 500), seg(10_000, ACK, 500, true), seg(910_000, ACK, 500)]);
  assert.deepStrictEqual(kept.packets.map((l) => l.split(" ")[0]), ["1", "1", "1"]);
});

Deno.test("tcpWinTMT: a first packet with neither SYN nor ACK leaves the state NEW and the default timeout", () => {
  const r = run([seg(0, RST, 0), seg(5_000_000, RST, 0)]);
  assert.deepStrictEqual(r.packets, ["1 0x84 0x00 0 1 182.000000", "1 0x84 0x00 0 2 182.000000"]);
});

Deno.test("tcpWinTMT: TCPWIN_THRES and TCPWIN_FLWPRG are settings", () => {
  const r = run(
    [seg(0, ACK, 500), seg(1000, ACK, 800), seg(2000, ACK, 900)],
    [
      { part: "tcpWinTMT", name: "TCPWIN_THRES", value: "1000" },
      { name: "TCPWIN_FLWPRG", value: "3" },
    ],
  );
  assert.deepStrictEqual(r.packets, [
    "1 0x90 0x02 500 1 1.000000",
    "1 0x90 0x02 800 2 1.000000",
    "1 0xd0 0x04 900 3 0.001000",
  ]);
  assert.match(r.report, /below threshold 1000: 3 \[/);
});

Deno.test("tcpWinTMT: a window past the captured bytes reads 0 and counts as below the threshold (T2)", () => {
  const whole = seg(0, ACK, 8760);
  const cut = { ...whole, data: whole.data.subarray(0, 14 + 20 + 8), wireLen: whole.data.length };
  const r = run([cut]);
  // The flags byte is past the capture too: 0, so only the threshold bit.
  assert.deepStrictEqual(r.packets, ["1 0x80 0x00 0 1 182.000000"]);
});
