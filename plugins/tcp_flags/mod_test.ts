/**
 * tcpFlags on hand-made packets: the bit fields, counters and texts of spec/plugins/tcpFlags.md,
 * each expected value worked out from the spec's rules (the comments show the steps), for TCP
 * conversations, options, checksums, cut headers, fragments, IPv6, UDP and layer-2 flows,
 * packet mode and the settings.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { tcpFlags } from "./mod.ts";
import { ja4tText, sub, tickEstimate } from "./flow_end.ts";
import {
  concat,
  ethernet,
  hex,
  pcap,
  type PcapPacket,
} from "../../tests/_support/capture_builder.ts";
import {
  type Ip4,
  ip4,
  type Ip6,
  ip6,
  type Tcp,
  TcpOpt,
  tcpSeg,
  withL4Checksum,
} from "../../tests/_support/ip_frames.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

const C = "10.0.0.1";
const S = "10.0.0.2";
const SYN = 0x02, ACK = 0x10, FIN = 0x01, RST = 0x04, PSH = 0x08, URG = 0x20;

/** An Ethernet frame at `ms` milliseconds (plus `us` microseconds) after second 1000. */
function at(ms: number, frame: Uint8Array, us = 0): PcapPacket {
  const total = ms * 1000 + us;
  return { sec: 1000 + Math.floor(total / 1e6), ns: (total % 1e6) * 1000, data: frame };
}

/** The packet cut to its first `n` bytes (the rest counts as not captured). */
function snapped(p: PcapPacket, n: number): PcapPacket {
  return { ...p, data: p.data.subarray(0, n), wireLen: p.data.length };
}

/** An IPv4 TCP segment with correct checksums from `ip.src` to `ip.dst`. */
function tcp4(ip: Ip4, t: Tcp, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const src = ip.src ?? C;
  const dst = ip.dst ?? S;
  const seg = withL4Checksum(tcpSeg(t, payload), src, dst, 6);
  return ethernet({ type: 0x0800 }, ip4({ ...ip, src, dst }, seg));
}

/** Client to server (`dir` 0) or server to client (`dir` 1) on 40000 <-> 80. */
function conv(dir: 0 | 1, id: number, t: Tcp, payload?: Uint8Array): Uint8Array {
  return dir === 0
    ? tcp4({ src: C, dst: S, id }, { sport: 40000, dport: 80, ...t }, payload)
    : tcp4({ src: S, dst: C, id }, { sport: 80, dport: 40000, ...t }, payload);
}

interface Out {
  /** Flow rows as column name → value, in file order. */
  flows: Record<string, string>[];
  /** Packet rows as column name → value. */
  packets: Record<string, string>[];
  packetHeader: string[];
  flowHeader: string[];
  report: string;
  /** The report's tcpFlags lines. */
  lines: string[];
}

function run(
  packets: PcapPacket[],
  opts: { packetMode?: boolean; settings?: SettingAssignment[] } = {},
): Out {
  const out = runCapture({
    input: { name: "t.pcap", bytes: pcap(packets) },
    plugins: [basicFlow, tcpFlags, txtSink],
    packetMode: opts.packetMode ?? false,
    settings: opts.settings,
  });
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  const rows = (text: string | undefined) => {
    if (text === undefined) return { header: [], rows: [] };
    const t = parseTable(text);
    return {
      header: [...t.columns],
      rows: t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))),
    };
  };
  const f = rows(out.files.get("flows"));
  const p = rows(out.files.get("packets"));
  return {
    flows: f.rows,
    flowHeader: f.header,
    packets: p.rows,
    packetHeader: p.header,
    report: out.report,
    lines: out.report.split("\n").filter((l) => l.startsWith("tcpFlags:")),
  };
}

/** The values of `cols` of a row, joined by spaces. */
function pick(row: Record<string, string>, cols: string): string {
  return cols.split(" ").map((c) => {
    assert.ok(c in row, `no column ${c}`);
    return row[c];
  }).join(" ");
}

/** A client and a server with options, data both ways and a FIN exchange (10 packets). */
function conversation(): PcapPacket[] {
  const synOpts = (ts: number, ecr: number) =>
    concat(TcpOpt.mss(1460), TcpOpt.SACK_PERMITTED, TcpOpt.ts(ts, ecr), TcpOpt.NOP, TcpOpt.ws(7));
  const ts = (v: number, e: number) => concat(TcpOpt.NOP, TcpOpt.NOP, TcpOpt.ts(v, e));
  const data = (n: number) => new Uint8Array(n).fill(0x61);
  return [
    at(0, conv(0, 1, { flags: SYN, seq: 1000, win: 64240, options: synOpts(100, 0) })),
    at(
      10,
      conv(1, 100, {
        flags: SYN | ACK,
        seq: 5000,
        ack: 1001,
        win: 65160,
        options: synOpts(900, 100),
      }),
    ),
    at(20, conv(0, 2, { flags: ACK, seq: 1001, ack: 5001, win: 502, options: ts(101, 900) })),
    at(
      30,
      conv(
        0,
        3,
        { flags: PSH | ACK, seq: 1001, ack: 5001, win: 502, options: ts(102, 900) },
        data(100),
      ),
    ),
    at(40, conv(1, 101, { flags: ACK, seq: 5001, ack: 1101, win: 509, options: ts(901, 102) })),
    at(
      50,
      conv(
        1,
        102,
        { flags: PSH | ACK, seq: 5001, ack: 1101, win: 509, options: ts(902, 102) },
        data(200),
      ),
    ),
    at(60, conv(0, 4, { flags: ACK, seq: 1101, ack: 5201, win: 501, options: ts(103, 902) })),
    at(70, conv(0, 5, { flags: FIN | ACK, seq: 1101, ack: 5201, win: 501, options: ts(104, 902) })),
    at(
      80,
      conv(1, 103, { flags: FIN | ACK, seq: 5201, ack: 1102, win: 509, options: ts(903, 104) }),
    ),
    at(90, conv(0, 6, { flags: ACK, seq: 1102, ack: 5202, win: 501, options: ts(105, 903) })),
  ];
}

Deno.test("tcpFlags: a complete conversation — flags, options, windows, seq/ack accounting", () => {
  const r = run(conversation());
  const [a, b] = r.flows;
  assert.equal(pick(a, "dir srcPort"), "A 40000");
  assert.equal(pick(b, "dir srcPort"), "B 80");
  // Flags: SYN PSH ACK FIN + FIN-ACK (A); SYN ACK PSH FIN + SYN-ACK + FIN-ACK (B).
  assert.equal(pick(a, "tcpFlags tcpAnomaly"), "0x011b 0x0000");
  assert.equal(pick(b, "tcpFlags tcpAnomaly"), "0x031b 0x0000");
  // tcpFStat: every packet 0x01, first timestamp 0x02, window init 0x10, scaling on 0x200
  // (the SYN-ACK with a WS option sets it on both), A's window went up once 0x800.
  assert.equal(a.tcpFStat, "0x0a13");
  assert.equal(b.tcpFStat, "0x0213");
  // Options NOP MSS WS SACK-permitted TS; MSS; window scale 1 << 7.
  assert.equal(
    pick(a, "tcpOptPktCnt tcpOptCnt tcpOptions tcpMSS tcpWS"),
    "6 20 0x0000011e 1460 128",
  );
  assert.equal(
    pick(b, "tcpOptPktCnt tcpOptCnt tcpOptions tcpMSS tcpWS"),
    "4 14 0x0000011e 1460 128",
  );
  // JA4T: the SYN's option kinds run into the MSS (T2's overwritten separator).
  assert.equal(a.tcpJA4T, "64240_2-4-8-1-31460_7");
  assert.equal(b.tcpJA4T, "65160_2-4-8-1-31460_7");
  // Windows: A 64240, then 502 << 7 = 64256 (up), then 501 << 7 = 64128 (down: a direction
  // change, the "up" bit being sticky); B 65160 (SYN-ACK, unscaled), then 509 << 7 = 65152.
  assert.equal(
    pick(a, "tcpInitWinSz tcpMinWinSz tcpMaxWinSz tcpWinSzDwnCnt tcpWinSzUpCnt tcpWinSzChgDirCnt"),
    "64240 64128 64256 1 1 2",
  );
  assert.equal(
    pick(b, "tcpInitWinSz tcpMinWinSz tcpMaxWinSz tcpWinSzDwnCnt tcpWinSzUpCnt tcpWinSzChgDirCnt"),
    "65160 65152 65160 1 0 0",
  );
  assert.equal(pick(a, "tcpWinSzThRt"), "0");
  // Seq/ack: A's ACK packets all in sequence (5), 100 data bytes sent, 200 acknowledged (the
  // SYN's and FIN's +1 do not count); B 4 in sequence, 200 sent, 100 acknowledged.
  const seqAck =
    "tcpISeqN tcpPSeqCnt tcpSeqSntBytes tcpSeqFaultCnt tcpPAckCnt tcpFlwLssAckRcvdBytes tcpAckFaultCnt tcpBFlgtMx";
  assert.equal(pick(a, seqAck), "1000 5 100 0 5 200 0 100");
  assert.equal(pick(b, seqAck), "5000 4 200 0 4 100 0 200");
  // IP: DF on every packet, checksums right; IP IDs +1 each; TTL 64.
  assert.equal(
    pick(a, "ipFlags ipMindIPID ipMaxdIPID ipMinTTL ipMaxTTL ipTTLChg ipToS ipOptCnt"),
    "0x0040 1 1 64 64 0 0x00 0",
  );
  assert.equal(
    pick(a, "ipOptCpCl_Num ip6OptCntHH_D ip6OptHH_D"),
    "0x00_0x00000000 0_0 0x00000000_0x00000000",
  );
  // Timestamps: last TSval/TSecr.
  assert.equal(pick(a, "tcpTmS tcpTmER"), "105 903");
  assert.equal(pick(b, "tcpTmS tcpTmER"), "903 104");
  // Trip times: SYN -> SYN-ACK 10 ms (A), SYN-ACK -> ACK 10 ms (B); A's round trip the sum.
  assert.equal(pick(a, "tcpSSASAATrip tcpRTTSseqAA"), "0.01 0.02");
  assert.equal(pick(b, "tcpSSASAATrip"), "0.01");
  assert.deepStrictEqual(r.lines, [
    "tcpFlags: Aggregated ipFlags=0x0040",
    "tcpFlags: Aggregated tcpFStat=0x0a13",
    "tcpFlags: Aggregated tcpFlags=0x031b",
  ]);
});

Deno.test("tcpFlags: up time and boot time from the timestamps (tick snapped, glibc's timersub borrow)", () => {
  const [a, b] = run(conversation()).flows;
  // A: TSval 100 -> 105 over 90 ms: 0.018 s per tick -> 0.01; up 105 * 0.01 s; boot = last TS
  // time (1000.090) - 1.049999977 s.
  assert.equal(pick(a, "tcpEcI tcpUtm tcpBtm"), "0.01 1.050000 999.040000024");
  // B: 900 -> 903 over 70 ms: 0.0233 -> 0.1; up 903 * 0.1 = 90.300001345 s; 1000.080 minus
  // that borrows 1 000 000 ns only (glibc's microseconds), leaving -219001345 ns, printed as
  // an unsigned 32-bit number.
  assert.equal(pick(b, "tcpEcI tcpUtm tcpBtm"), "0.1 90.300001 909.4075965951");
});

Deno.test("tcpFlags: tick estimate, timersub and JA4T text helpers", () => {
  assert.equal(tickEstimate(0, 90_000_000, 5, 64), Math.fround(0.01));
  assert.equal(tickEstimate(10, 0, 5, 64), 1); // 2 s per tick
  assert.equal(tickEstimate(0, 0, 0, 128), Math.fround(0.1)); // no increase: from the TTL
  assert.equal(tickEstimate(0, 0, 0, 64), Math.fround(0.004));
  assert.equal(tickEstimate(0, 0, 0, 33), Math.fround(0.01));
  assert.equal(tickEstimate(0, 0, 0, 32), Math.fround(0.001));
  const d = new Float64Array(2);
  sub(10, 100, 3, 200, d);
  assert.deepStrictEqual([...d], [6, 999900]); // the borrow adds 1e6, not 1e9
  assert.equal(ja4tText(254, new Uint8Array(0), 0, 0, 0, "00"), "254_00_00_00");
  assert.equal(ja4tText(1024, new Uint8Array([2, 4]), 0, 2, 536, "0"), "1024_2-4536_0");
});

Deno.test("tcpFlags: a lone SYN is a scan; NULL and Xmas packets are scan patterns, not counted as attempts", () => {
  const lone = (sport: number, flags: number, ms: number) =>
    at(ms, tcp4({ src: C, dst: S }, { sport, dport: 22, flags, seq: 7 }));
  const r = run([lone(50001, SYN, 0), lone(50002, 0, 10), lone(50003, FIN | PSH | URG, 20)]);
  assert.deepStrictEqual(r.flows.map((f) => pick(f, "srcPort tcpFlags tcpAnomaly")), [
    "50001 0x0002 0x1000",
    "50002 0x0800 0x1000",
    "50003 0x8029 0x1000",
  ]);
  assert.deepStrictEqual(r.lines, [
    "tcpFlags: Aggregated ipFlags=0x0040",
    "tcpFlags: Aggregated tcpFStat=0x0011",
    "tcpFlags: Aggregated tcpFlags=0x882b",
    "tcpFlags: Aggregated tcpAnomaly=0x1000",
    "tcpFlags: Number of TCP scans attempted, successful: 1, 0 [0.00%]",
  ]);
});

Deno.test("tcpFlags: a SYN answered by a short reply is a successful scan; a SYN repeated after 0.9 s a retry", () => {
  const syn = (ms: number) => at(ms, conv(0, 1, { flags: SYN, seq: 10 }));
  const rst = (ms: number) => at(ms, conv(1, 2, { flags: RST | ACK, seq: 0, ack: 11 }));
  const scan = run([syn(0), rst(1)]);
  // A (written first): fewer than 4 packets with a SYN: a scan, answered: successful, on both
  // sides; B has its scan bit from A and is no attempt of its own.
  assert.deepStrictEqual(scan.flows.map((f) => f.tcpAnomaly), ["0x3000", "0x2000"]);
  assert.ok(
    scan.lines.includes("tcpFlags: Number of TCP scans attempted, successful: 1, 1 [100.00%]"),
  );
  const retry = run([syn(0), syn(1000), syn(1500)]);
  // 1 s later: a retry (0x0001); 0.5 s after that: a scan pattern (0x1000) counted as attempt,
  // then the retry bit keeps the flow out of the scan detector.
  assert.equal(retry.flows[0].tcpAnomaly, "0x1001");
  assert.ok(retry.lines.includes("tcpFlags: Number of TCP SYN retries, seq retries: 1, 0"));
  assert.ok(
    retry.lines.includes("tcpFlags: Number of TCP scans attempted, successful: 1, 0 [0.00%]"),
  );
});

Deno.test("tcpFlags: zero windows count below WINMIN; duplicate ACKs", () => {
  const r = run([
    at(0, conv(0, 1, { flags: ACK, seq: 100, ack: 500, win: 0 })),
    at(1, conv(1, 2, { flags: ACK, seq: 500, ack: 100, win: 1000 })),
    at(2, conv(0, 3, { flags: ACK, seq: 100, ack: 500, win: 0 })), // same ack, same window: dup
  ]);
  const [a] = r.flows;
  assert.equal(pick(a, "tcpWinSzThRt tcpAnomaly tcpAckFaultCnt"), "1 0x0008 1");
  assert.ok(a.tcpFStat === "0x0111", a.tcpFStat); // low window 0x100
  assert.ok(r.lines.includes("tcpFlags: Number WinSz below 1: 2 [66.67%]"));
  const low = run([at(0, conv(0, 1, { flags: ACK, win: 5 }))], {
    settings: [{ name: "WINMIN", value: "10" }],
  });
  assert.ok(low.lines.includes("tcpFlags: Number WinSz below 10: 1 [100.00%]"));
});

Deno.test("tcpFlags: IP ID deltas (a negative one stored as 16 bits), TTL changes, ToS", () => {
  const p = (ms: number, id: number, ttl: number, tos: number) =>
    at(ms, tcp4({ id, ttl, tos }, { sport: 40000, dport: 80, seq: 1 }));
  const [a] = run([p(0, 10, 64, 0x10), p(1, 13, 63, 0x02), p(2, 11, 64, 0)]).flows;
  // Deltas +3 then -2: min -2 -> 65534; the ID going back sets 0x0004.
  assert.equal(
    pick(a, "ipMindIPID ipMaxdIPID ipMinTTL ipMaxTTL ipTTLChg ipToS ipFlags"),
    "65534 3 63 64 2 0x12 0x0044",
  );
});

Deno.test("tcpFlags: IPv4 options are counted, their copy/class and numbers aggregated", () => {
  const ra = hex("94040000"); // router alert: copied, class 0, number 20
  const r = run(
    [at(0, tcp4({ options: concat(hex("01"), ra) }, { sport: 40000, dport: 80, seq: 1 }))],
    { packetMode: true },
  );
  const [a] = r.flows;
  // NOP and router alert; the zero padding ends the walk without counting.
  assert.equal(pick(a, "ipOptCnt ipOptCpCl_Num ipFlags"), "2 0x80_0x00100002 0x0040");
  assert.equal(pick(r.packets[0], "ipOptLen ipOpts"), "8 0x01;0x94;0x04;0x00;0x00;0x00;0x00;0x00");
  // An option of length 0 is an error and ends the walk.
  const [bad] = run([
    at(0, tcp4({ options: hex("83000000") }, { sport: 40000, dport: 80 })),
  ]).flows;
  assert.equal(pick(bad, "ipOptCnt ipFlags"), "1 0x0041");
});

Deno.test("tcpFlags: wrong IPv4 header and TCP checksums; UDP without checksum; a snapped payload", () => {
  const badIp = ethernet(
    { type: 0x0800 },
    ip4({ checksum: 0x1234 }, withL4Checksum(tcpSeg({ sport: 40000, dport: 80 }), C, S, 6)),
  );
  assert.equal(run([at(0, badIp)]).flows[0].ipFlags, "0x0440");
  const badTcp = ethernet(
    { type: 0x0800 },
    ip4({}, tcpSeg({ sport: 40000, dport: 80, checksum: 1 })),
  );
  assert.equal(run([at(0, badTcp)]).flows[0].ipFlags, "0x0840");
  // UDP: checksum 0 ("none") does not match what T2 computes.
  const udp = (sum: boolean) => {
    const seg = concat(hex("1388 1770 000c 0000"), hex("61626364"));
    return ethernet(
      { type: 0x0800 },
      ip4({ proto: 17 }, sum ? withL4Checksum(seg, C, S, 17, 6) : seg),
    );
  };
  assert.equal(run([at(0, udp(true))]).flows[0].ipFlags, "0x0040");
  assert.equal(run([at(0, udp(false))]).flows[0].ipFlags, "0x0840");
  // Captured up to 20 bytes of TCP: layer 4 not captured for the checksum (0x1800); the UDP
  // length differs from the captured layer-4 bytes (0x2000).
  const data = new Uint8Array(100);
  const cut = run([snapped(at(0, conv(0, 1, { flags: ACK }, data)), 54)]).flows[0];
  assert.equal(cut.ipFlags, "0x1840");
  const cutUdp = run([snapped(at(0, udp(true)), 44)]).flows[0];
  assert.equal(cutUdp.ipFlags, "0x3840");
});

Deno.test("tcpFlags: TCP options cut by the snap length set 0x0008 and are not read", () => {
  const opts = concat(
    TcpOpt.mss(1460),
    TcpOpt.NOP,
    TcpOpt.ws(7),
    TcpOpt.SACK_PERMITTED,
    TcpOpt.ts(1, 0),
  );
  const frame = conv(0, 1, { flags: SYN, options: opts });
  // Ethernet 14 + IP 20 + TCP 20 + 10 of the 20 option bytes.
  const r = run([snapped(at(0, frame), 64)], { packetMode: true });
  const [a] = r.flows;
  assert.equal(
    pick(a, "tcpFStat tcpOptPktCnt tcpOptCnt tcpOptions tcpMSS"),
    "0x0019 0 0 0x00000000 0",
  );
  // Packet mode prints the option bytes anyway: the missing ones as 0x00 (T2 printed what
  // followed in memory).
  assert.equal(
    pick(r.packets[0], "tcpOptLen tcpOpts"),
    "20 0x02;0x04;0x05;0xb4;0x01;0x03;0x03;0x07;0x04;0x02;0x00;0x00;0x00;0x00;0x00;0x00;0x00;0x00;0x00;0x00",
  );
});

Deno.test("tcpFlags: a fragmented TCP segment — the checksum only covers the first fragment", () => {
  const seg = withL4Checksum(
    tcpSeg({ sport: 40000, dport: 80, flags: ACK, seq: 1 }, new Uint8Array(52).fill(0x61)),
    C,
    S,
    6,
  );
  // First fragment: TCP header + 12 bytes (32 bytes, MF); second: offset 4 units, the rest.
  const f1 = ethernet({ type: 0x0800 }, ip4({ id: 7, frag: 0x2000 }, seg.subarray(0, 32)));
  const f2 = ethernet({ type: 0x0800 }, ip4({ id: 7, frag: 4 }, seg.subarray(32)));
  const r = run([at(0, f1), at(1, f2)], { packetMode: true });
  const [a] = r.flows;
  // MF 0x20 on the first; the verdict at the last fragment is a mismatch (0x0800); the first
  // fragment left the checksum pending (0x1000 in tcpFStat).
  assert.equal(pick(a, "ipFlags tcpFStat tcpPAckCnt"), "0x0820 0x1011 1");
  assert.equal(pick(r.packets[0], "ipFrag ipFlags tcpFStat"), "0x2000 0x0020 0x1010");
  // The second fragment is not parsed as TCP: empty TCP columns, tcpFStat 0x0000.
  assert.equal(
    pick(r.packets[1], "ipFrag ipFlags seq tcpFStat tcpFlags tcpOptLen"),
    "0x0004 0x0800  0x0000  0",
  );
});

Deno.test("tcpFlags: IPv6 — traffic class, hop-by-hop and destination options, no IP ID", () => {
  const hbh = { type: 0, body: hex("05020000 0100") }; // router alert, PadN
  const dst = { type: 60, body: hex("c9040000 0000") }; // home address-like type 0xc9, then Pad1
  const f: Ip6 = { trafficClass: 0xb8, hopLimit: 60, ext: [hbh, dst] };
  const seg = withL4Checksum(
    tcpSeg({ sport: 40000, dport: 80, flags: SYN, seq: 9 }),
    "2001:db8::1",
    "2001:db8::2",
    6,
  );
  const r = run([at(0, ethernet({ type: 0x86dd }, ip6(f, seg)))], { packetMode: true });
  const [a] = r.flows;
  assert.equal(
    pick(a, "ipToS ipMindIPID ipMinTTL ip6OptCntHH_D ip6OptHH_D ipFlags"),
    "0xb8 65535 60 2_1 0x00000022_0x00000200 0x0000",
  );
  assert.equal(
    pick(
      r.packets[0],
      "ipToS ipID ipFrag ip6HHOptLen ip6HHOpts ip6DOptLen ip6DOpts ipOptLen ipOpts",
    ),
    "0xb8 0 0x0000 6 0x05;0x02;0x00;0x00;0x01;0x00 6 0xc9;0x04;0x00;0x00;0x00;0x00 0 ",
  );
});

Deno.test("tcpFlags: timestamps equal or going back in one flow set 0x4000 / 0x8000 and TIMEJUMP", () => {
  const p = (us: number) => at(0, conv(0, 1, { flags: ACK }), us);
  const r = run([p(500), p(500), p(100)]);
  assert.equal(r.flows[0].ipFlags, "0xc040");
  // flowStat bit 51 (TIMEJUMP) on the flow, and in the aggregated flowStat of the report.
  assert.equal((BigInt(r.flows[0].flowStat) >> 51n) & 1n, 1n);
  const agg = r.report.match(/^Aggregated flowStat=(0x[0-9a-f]+)$/m)![1];
  assert.equal((BigInt(agg) >> 51n) & 1n, 1n);
});

Deno.test("tcpFlags: UDP, ICMP and layer-2 flows", () => {
  const udp = ethernet(
    { type: 0x0800 },
    ip4({ proto: 17 }, withL4Checksum(hex("1388 1770 0008 0000"), C, S, 17, 6)),
  );
  const arp = ethernet(
    { type: 0x0806 },
    hex("0001 0800 0604 0001 000000000001 0a000001 000000000000 0a000002"),
  );
  const r = run([at(0, udp), at(1, arp)], { packetMode: true });
  const [u, l2] = r.flows;
  assert.equal(
    pick(u, "tcpFStat ipMindIPID tcpRTTAckTripMin tcpJA4T tcpWS"),
    "0x0001 65535 65535 0_00_00_00 0",
  );
  const zeroes = r.flowHeader.slice(r.flowHeader.indexOf("tcpFStat")).filter((c) =>
    !["ipMindIPID", "tcpRTTAckTripMin", "tcpJA4T"].includes(c)
  );
  for (const c of zeroes) assert.match(l2[c], /^(0x)?0+(_0x0+|_0+)?(\.0+)?$/, `${c}: ${l2[c]}`);
  assert.equal(pick(l2, "ipMindIPID tcpRTTAckTripMin tcpJA4T"), "65535 65535 0_00_00_00");
  // Packet mode: the UDP packet's TCP part is empty but for tcpFStat 0x0000 and tcpOptLen 0;
  // the ARP packet's 41 columns are all empty.
  const cols = r.packetHeader.slice(
    r.packetHeader.indexOf("ipToS"),
    r.packetHeader.indexOf("tcpOpts") + 1,
  );
  assert.equal(cols.length, 41);
  const empty = (n: number) => new Array(n).fill("");
  assert.deepStrictEqual(
    cols.slice(16).map((c) => r.packets[0][c]),
    [...empty(11), "0x0000", ...empty(11), "0", ""],
  );
  assert.equal(cols.map((c) => r.packets[1][c]).join(""), "");
});

Deno.test("tcpFlags: packet mode — the IP and TCP columns of a SYN-ACK", () => {
  const r = run(conversation().slice(0, 2), { packetMode: true });
  const p = r.packets[1];
  assert.equal(
    pick(p, "ipToS ipID ipIDDiff ipFrag ipTTL ipFlags ip6HHOptLen ipOptLen"),
    "0x00 100 0 0x4000 64 0x0040 0 0",
  );
  assert.equal(pick(p, "ipHdrChkSum"), pick(p, "ipCalChkSum"));
  assert.equal(pick(p, "l4HdrChkSum"), pick(p, "l4CalChkSum"));
  assert.equal(
    pick(p, "seq ack seqMax seqDiff ackDiff seqLen ackLen seqFlowLen ackFlowLen tcpMLen tcpBFlgt"),
    "5000 1001 5000 0 0 0 0 0 0 0 0",
  );
  assert.equal(
    pick(
      p,
      "tcpFStat tcpFlags tcpAnomaly tcpWin tcpWS tcpMSS tcpTmS tcpTmER tcpMPTyp tcpMPF tcpMPAID tcpMPDSSF tcpOptLen",
    ),
    "0x0012 0x0212 0x0000 65160 0 1460 900 100 0 0x00 0 0x00 20",
  );
  assert.equal(
    p.tcpOpts,
    "0x02;0x04;0x05;0xb4;0x04;0x02;0x08;0x0a;0x00;0x00;0x03;0x84;0x00;0x00;0x00;0x64;0x01;0x03;0x03;0x07",
  );
});

Deno.test("tcpFlags: an MPTCP option is counted and aggregated", () => {
  const mpCapable = hex("1e0c0081 0102030405060708"); // MP_CAPABLE v0, flags 0x81
  const r = run([at(0, conv(0, 1, { flags: SYN, options: mpCapable }))]);
  assert.equal(
    pick(r.flows[0], "tcpMPTBF tcpMPF tcpMPAID tcpMPDSSF tcpFStat"),
    "0x0001 0x81 0 0x00 0x8011",
  );
  assert.ok(r.lines.includes("tcpFlags: Aggregated MPTCP subtypes: tcpMPTBF=0x0001"));
  assert.ok(r.lines.includes("tcpFlags: Aggregated MPTCP flags: tcpMPF=0x81"));
  assert.ok(r.lines.includes("tcpFlags: Number of MPTCP packets: 1 [100.00%]"));
});

Deno.test("tcpFlags: settings — IPTOS, SEQ_ACK_NUM, TCPFLGCNT, WINDOWSIZE, RTT_ESTIMATE", () => {
  const packets = [at(0, tcp4({ tos: 0xb9 }, { sport: 1, dport: 2, flags: SYN }))];
  const dscp = run(packets, { settings: [{ name: "IPTOS", value: "1" }], packetMode: true });
  assert.equal(dscp.flows[0].ipToSDscp_ecn, "46_1");
  assert.equal(dscp.packets[0].ipToSDscp_ecn, "46_1");
  const prec = run(packets, { settings: [{ name: "IPTOS", value: "2" }] });
  assert.equal(prec.flows[0].ipToSPrec_ecn, "5_1");
  const slim = run(packets, {
    packetMode: true,
    settings: [
      { name: "SEQ_ACK_NUM", value: "0" },
      { name: "WINDOWSIZE", value: "0" },
      { name: "RTT_ESTIMATE", value: "0" },
      { name: "MPTCP", value: "0" },
      { name: "NAT_BT_EST", value: "0" },
      { name: "TCPJA4T", value: "0" },
    ],
  });
  for (const c of ["tcpISeqN", "tcpInitWinSz", "tcpSSASAATrip", "tcpMPTBF", "tcpTmS", "tcpJA4T"]) {
    assert.ok(!slim.flowHeader.includes(c), c);
  }
  assert.ok(!slim.packetHeader.includes("seq"));
  assert.equal(slim.flows[0].tcpFlags, "0x0002");
  const counted = run([...packets, at(1, tcp4({}, { sport: 1, dport: 2, flags: SYN | ACK }))], {
    settings: [{ name: "TCPFLGCNT", value: "1" }],
  });
  // F S R P A U E C FA SA RA N SF SFR RF X
  assert.equal(
    counted.flows[0].tcpCntF_S_R_P_A_U_E_C_FA_SA_RA_N_SF_SFR_RF_X,
    "0_2_0_0_1_0_0_0_0_1_0_0_0_0_0_0",
  );
});

Deno.test("tcpFlags: the warm-up before the run leaves nothing behind (flow slots, totals)", () => {
  // One UDP packet: the first flow takes slot 0, which the warm-up used; no TCP counts.
  const udp = ethernet(
    { type: 0x0800 },
    ip4({ proto: 17, id: 3 }, withL4Checksum(hex("1388 1770 0008 0000"), C, S, 17, 6)),
  );
  const r = run([at(0, udp)]);
  assert.equal(
    pick(r.flows[0], "tcpFStat ipMindIPID ipMaxdIPID ipMinTTL ipMaxTTL ipTTLChg ipFlags tcpFlags"),
    "0x0001 65535 0 64 64 0 0x0040 0x0000",
  );
  assert.deepStrictEqual(r.lines, [
    "tcpFlags: Aggregated ipFlags=0x0040",
    "tcpFlags: Aggregated tcpFStat=0x0001",
  ]);
});
