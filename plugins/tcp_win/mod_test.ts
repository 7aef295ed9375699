/**
 * tcpWin on hand-made captures: the flow columns, the packet-mode columns (including the empty
 * ones of non-TCP and layer-2 packets), the report lines and the `_tcpwin.txt` summary with
 * its settings (tutorials 000-002).
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { tcpWin } from "./mod.ts";
import {
  concat,
  ethernet,
  hex,
  ipv4,
  pcap,
  type PcapPacket,
  TCP,
  tcp,
  udpFrame,
} from "../../tests/_support/capture_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

let clock = 0;
/** Packets 1 ms apart. */
function at(data: Uint8Array): PcapPacket {
  clock++;
  return { sec: 5000, ns: clock * 1_000_000, data };
}

/** A TCP segment from `src`:`sport` to `dst`:`dport` with a window and a TTL. */
function seg(src: string, sport: number, dst: string, dport: number, win: number, ttl = 64) {
  return at(ethernet(
    { type: 0x0800 },
    ipv4({ src, dst, proto: 6, ttl }, tcp({ sport, dport, flags: TCP.ACK, win })),
  ));
}

function run(packets: PcapPacket[], settings: SettingAssignment[] = []) {
  const out = runCapture({
    input: { name: "win.pcap", bytes: pcap(packets) },
    plugins: [basicFlow, tcpWin, txtSink],
    packetMode: true,
    settings,
  });
  assert.equal(out.exitCode, 0);
  return out;
}

function flowColumns(text: string): string[] {
  const t = parseTable(text);
  return t.rows.map((r) =>
    ["dir", "flowInd", "tcpWinStat", "tcpWinIpTTL", "tcpInitWinSz", "tcpWinThCnt", "tcpWinSzThRt"]
      .map((c) => r[t.col(c)]).join(" ")
  );
}

Deno.test("tcpWin: flow columns — status, TTL and window of the first packet, zero-window count and ratio", () => {
  clock = 0;
  const out = run([
    seg("10.0.0.1", 40000, "10.0.0.2", 6699, 8760, 127),
    seg("10.0.0.2", 6699, "10.0.0.1", 40000, 0, 118),
    seg("10.0.0.2", 6699, "10.0.0.1", 40000, 0, 118),
    seg("10.0.0.1", 40000, "10.0.0.2", 6699, 0, 127),
    seg("10.0.0.2", 6699, "10.0.0.1", 40000, 0, 118),
    seg("10.0.0.1", 40000, "10.0.0.2", 6699, 100, 127),
    seg("10.0.0.1", 40000, "10.0.0.2", 6699, 100, 127),
  ]);
  assert.deepStrictEqual(flowColumns(out.files.get("flows")!), [
    "A 1 0x01 127 8760 1 0.25", // 1 of 4 packets
    "B 1 0x01 118 0 3 1", // 3 of 3
  ]);
  assert.match(out.report, /^tcpWin: Aggregated tcpWinStat=0x01$/m);
  assert.match(
    out.report,
    /^tcpWin: Number of TCP winsize packets below threshold 1: 4 \[57\.14%\]$/m,
  );
});

Deno.test("tcpWin: TCPWIN_THRES counts windows below another threshold", () => {
  clock = 0;
  const out = run(
    [seg("10.0.0.1", 40000, "10.0.0.2", 80, 999), seg("10.0.0.1", 40000, "10.0.0.2", 80, 1000)],
    [{ name: "TCPWIN_THRES", value: "1000" }],
  );
  assert.deepStrictEqual(flowColumns(out.files.get("flows")!), ["A 1 0x01 64 999 1 0.5"]);
  assert.match(out.report, /below threshold 1000: 1 \[50\.00%\]/);
});

Deno.test("tcpWin: non-TCP and layer-2 flows get zeros; their packets get empty tcpWin columns", () => {
  clock = 0;
  const arp = hex(
    "ff ff ff ff ff ff | 00 0b db 4f 6b 10 | 08 06",
    "00 01 08 00 06 04 00 01 | 00 0b db 4f 6b 10 | 0a 00 00 01 | 00 00 00 00 00 00 | 0a 00 00 02",
  );
  const out = run([
    at(udpFrame({ src: "10.0.0.1", dst: "10.0.0.2", sport: 5353, dport: 5353 })),
    at(arp),
    seg("10.0.0.1", 40000, "10.0.0.2", 80, 0),
  ]);
  assert.deepStrictEqual(flowColumns(out.files.get("flows")!), [
    "A 1 0x00 64 0 0 0", // UDP: the TTL, no TCP window
    "A 2 0x00 0 0 0 0", // ARP: no IP header at all
    "A 3 0x01 64 0 1 1",
  ]);
  const pk = parseTable(out.files.get("packets")!);
  const cells = pk.rows.map((r) => [r[pk.col("tcpWinSize")], r[pk.col("tcpWinThPktCnt")]]);
  assert.deepStrictEqual(cells, [["", ""], ["", ""], ["0", "1"]]);
  for (const r of pk.rows) assert.equal(r.length, pk.columns.length);
});

Deno.test("tcpWin: the TTL of an IPv6 flow is the hop limit", () => {
  clock = 0;
  const v6 = ethernet(
    { type: 0x86dd },
    concat(
      hex("60 00 00 00 | 00 14 06 39"), // payload 20, TCP, hop limit 57
      hex("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"),
      hex("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"),
      tcp({ sport: 40000, dport: 443, win: 0 }),
    ),
  );
  const out = run([at(v6)]);
  assert.deepStrictEqual(flowColumns(out.files.get("flows")!), ["A 1 0x01 57 0 1 1"]);
  // The summary file lists IPv4 sources only.
  assert.equal(out.files.get("tcpwin"), "# IP\tpktTcpCnt\twinRelThCnt\n");
});

Deno.test("tcpWin: _tcpwin.txt keeps each IPv4 source's highest ratio among flows with >= TCPWIN_MINPKTS packets, at most TCPWIN_MAXWSCNT sources", () => {
  clock = 0;
  const flow = (src: string, sport: number, wins: number[]) =>
    wins.map((w) => seg(src, sport, "10.9.9.9", 80, w));
  const packets = [
    ...flow("10.0.0.1", 1001, [0, 5, 5, 5]), // 0.25
    ...flow("10.0.0.1", 1002, [0, 0, 5, 5]), // 0.5: replaces 0.25 for 10.0.0.1
    ...flow("10.0.0.1", 1003, [0, 5, 5, 5, 5]), // 0.2: lower, ignored
    ...flow("10.0.0.2", 1004, [0, 0, 0]), // 3 packets: below TCPWIN_MINPKTS=4
    ...flow("10.0.0.3", 1005, [5, 5, 5, 5]), // no zero window: not listed
    ...flow("10.0.0.4", 1006, [0, 0, 0, 5]), // 0.75
  ];
  const settings = [{ name: "TCPWIN_MINPKTS", value: "4" }];
  const out = run(packets, settings);
  assert.equal(
    out.files.get("tcpwin"),
    "# IP\tpktTcpCnt\twinRelThCnt\n10.0.0.1\t4\t0.500000\n10.0.0.4\t4\t0.750000\n",
  );
  clock = 0;
  // A full table takes no more updates at all, not even a higher ratio of a listed source
  // (the tutorial's code returns as soon as the array is full).
  const one = run(packets, [...settings, { name: "TCPWIN_MAXWSCNT", value: "1" }]);
  assert.equal(one.files.get("tcpwin"), "# IP\tpktTcpCnt\twinRelThCnt\n10.0.0.1\t4\t0.250000\n");
  clock = 0;
  const suffix = run(packets, [...settings, { name: "TCPWIN_SUFFIX", value: "_win.txt" }]);
  assert.ok(suffix.files.has("win") && !suffix.files.has("tcpwin"));
});

Deno.test("tcpWin: a window past the captured bytes reads 0 and counts as below the threshold (T2)", () => {
  clock = 0;
  // A TCP segment cut by the snap length 8 bytes into its header (the ports only).
  const frame = seg("10.0.0.1", 40000, "10.0.0.2", 80, 8760).data;
  const cut = { ...at(frame.subarray(0, 14 + 20 + 8)), wireLen: frame.length };
  const out = run([cut]);
  assert.deepStrictEqual(flowColumns(out.files.get("flows")!), ["A 1 0x01 64 0 1 1"]);
  const packets = parseTable(out.files.get("packets")!);
  const row = packets.rows[0];
  assert.deepStrictEqual(
    [row[packets.col("tcpWinSize")], row[packets.col("tcpWinThPktCnt")]],
    ["0", "1"],
  );
});
