/**
 * macRecorder on hand-made captures (spec/plugins/macRecorder.md §3-§6): the pairs of a flow
 * in order of first appearance with their packet counts, the full list (macStat 0x01), flows
 * without Ethernet (raw IP: nothing; Linux cooked: the link header's first 12 bytes), layer-2
 * flows, later fragments, IPv6, the settings, the report lines and the pool of extra pairs.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { macRecorder } from "./mod.ts";
import {
  concat,
  ethernet,
  hex,
  ipv4,
  pcap,
  type PcapOptions,
  type PcapPacket,
  udp,
} from "../../tests/_support/capture_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

let clock = 0;
/** Packets 1 ms apart (`gap` seconds more when given). */
function at(data: Uint8Array, gap = 0): PcapPacket {
  clock++;
  return { sec: 9000 + gap, ns: clock * 1_000_000, data };
}

const HOST = "00:00:00:00:00:0a";
const ROUTER = "00:00:00:00:00:0b";

/** A UDP packet 10.0.0.1:sport -> 10.0.0.2:53 from MAC `src` to MAC `dst`. */
function q(src: string, dst: string, sport = 40000, fragment = 0, gap = 0): PcapPacket {
  const payload = fragment & 0x1fff ? new Uint8Array(8) : udp({ sport, dport: 53 });
  return at(
    ethernet(
      { type: 0x0800, src, dst },
      ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17, fragment, id: 9 }, payload),
    ),
    gap,
  );
}

/** The answer 10.0.0.2:53 -> 10.0.0.1:sport. */
function a(src: string, dst: string, sport = 40000): PcapPacket {
  return at(ethernet(
    { type: 0x0800, src, dst },
    ipv4({ src: "10.0.0.2", dst: "10.0.0.1", proto: 17 }, udp({ sport: 53, dport: sport })),
  ));
}

function run(packets: PcapPacket[], settings: SettingAssignment[] = [], options?: PcapOptions) {
  clock = 0;
  const out = runCapture({
    input: { name: "mr.pcap", bytes: pcap(packets, options) },
    plugins: [basicFlow, macRecorder, txtSink],
    settings,
  });
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  return out;
}

/** `dir macStat macPairs srcMac_dstMac_numP` per flow. */
function lines(text: string, cols = ["macStat", "macPairs", "srcMac_dstMac_numP"]): string[] {
  const t = parseTable(text);
  return t.rows.map((r) => ["dir", ...cols].map((c) => r[t.col(c)]).join(" "));
}

function pluginLines(report: string): string[] {
  return report.split("\n").filter((l) => l.startsWith("macRecorder: "));
}

Deno.test("macRecorder: one pair per direction — source, destination, packets", () => {
  const out = run([q(HOST, ROUTER), a(ROUTER, HOST), q(HOST, ROUTER)]);
  assert.deepEqual(lines(out.files.get("flows")!), [
    `A 0x00 1 ${HOST}_${ROUTER}_2`,
    `B 0x00 1 ${ROUTER}_${HOST}_1`,
  ]);
  assert.deepEqual(pluginLines(out.report), []); // nothing with at most one pair per flow
});

Deno.test("macRecorder: several pairs in order of first appearance; the report's min, max and average", () => {
  const OTHER = "00:00:00:00:00:0c";
  const out = run([
    q(HOST, ROUTER),
    q(HOST, OTHER),
    q(HOST, ROUTER),
    q(OTHER, ROUTER),
    q(HOST, OTHER),
    q(HOST, ROUTER, 40001), // a second flow, one pair
  ]);
  assert.deepEqual(lines(out.files.get("flows")!), [
    `A 0x00 3 ${HOST}_${ROUTER}_2;${HOST}_${OTHER}_2;${OTHER}_${ROUTER}_1`,
    `A 0x00 1 ${HOST}_${ROUTER}_1`,
  ]);
  // first flow: (min + max) / 2 = 3; then float32(0.7 * 3 + 0.3 * 1) = 2.4
  assert.deepEqual(pluginLines(out.report), [
    "macRecorder: MAC pairs per flow: min: 1, max: 3, average: 2.40",
  ]);
});

Deno.test("macRecorder: a full list (MR_MAX_MAC) sets macStat 0x01 and counts nothing more", () => {
  const macs = Array.from(
    { length: 18 },
    (_, i) => `02:00:00:00:00:${(i + 1).toString(16).padStart(2, "0")}`,
  );
  const packets = macs.map((m) => q(m, ROUTER)); // 18 pairs: 16 kept
  packets.push(q(macs[0], ROUTER)); // known, but the list is full: not counted
  const out = run(packets);
  const [row] = lines(out.files.get("flows")!);
  const [dir, stat, n, list] = row.split(" ");
  assert.deepEqual([dir, stat, n], ["A", "0x01", "16"]);
  assert.deepEqual(list.split(";"), macs.slice(0, 16).map((m) => `${m}_${ROUTER}_1`));
  assert.deepEqual(pluginLines(out.report), [
    "macRecorder: Aggregated macStat=0x01",
    "macRecorder: MAC pairs per flow: min: 16, max: 16, average: 16.00",
  ]);
  const small = run(packets.slice(0, 3), [{ name: "MR_MAX_MAC", value: "2" }]);
  assert.deepEqual(lines(small.files.get("flows")!), [
    `A 0x01 2 ${macs[0]}_${ROUTER}_1;${macs[1]}_${ROUTER}_1`,
  ]);
});

Deno.test("macRecorder: raw IP has no MACs; Linux cooked gives the link header's first 12 bytes", () => {
  const ip = ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17 }, udp({ sport: 1, dport: 53 }));
  const raw = run([at(ip)], [], { linkType: 101 });
  assert.deepEqual(lines(raw.files.get("flows")!), ["A 0x00 0 "]);
  // SLL: packet type 4 (sent by us), ARPHRD_ETHER, address length 6, address, protocol IPv4
  const sll = hex("0004 0001 0006 001122334455 0000 0800");
  const cooked = run([at(concat(sll, ip)), at(concat(sll, ip))], [], { linkType: 113 });
  assert.deepEqual(lines(cooked.files.get("flows")!), [
    "A 0x00 1 00:11:22:33:44:55_00:04:00:01:00:06_2",
  ]);
});

Deno.test("macRecorder: layer-2 flows, later fragments and IPv6 count their packets", () => {
  const arp = hex("0001 0800 0604 0001 00000000000a 0a000001 000000000000 0a000002");
  const ip6 = new Uint8Array(40);
  ip6[0] = 0x60;
  ip6[5] = 8;
  ip6[6] = 17;
  ip6[23] = 1;
  ip6[39] = 2;
  const out = run([
    at(ethernet({ type: 0x0806, src: HOST, dst: "ff:ff:ff:ff:ff:ff" }, arp)),
    at(ethernet({ type: 0x0806, src: HOST, dst: "ff:ff:ff:ff:ff:ff" }, arp)),
    q(HOST, ROUTER, 40000, 0x2000), // first fragment
    q(HOST, ROUTER, 40000, 0x0002), // second fragment (offset 16)
    at(
      ethernet({ type: 0x86dd, src: HOST, dst: ROUTER }, concat(ip6, udp({ sport: 9, dport: 53 }))),
    ),
  ]);
  assert.deepEqual(lines(out.files.get("flows")!), [
    `A 0x00 1 ${HOST}_ff:ff:ff:ff:ff:ff_2`,
    `A 0x00 1 ${HOST}_${ROUTER}_2`,
    `A 0x00 1 ${HOST}_${ROUTER}_1`,
  ]);
});

Deno.test("macRecorder: MR_MAC_FMT 0 (hex) and 2 (decimal), MR_NPAIRS=0", () => {
  const packets = [q("00:00:00:00:01:00", "00:00:00:00:00:ff")];
  const hex64 = run(packets, [{ name: "MR_MAC_FMT", value: "0" }]);
  assert.deepEqual(lines(hex64.files.get("flows")!), [
    "A 0x00 1 0x0000000000000100_0x00000000000000ff_1",
  ]);
  assert.match(hex64.files.get("headers")!, /\tH64_H64_U64:R\tsrcMac_dstMac_numP\t/);
  const dec = run(packets, [{ name: "MR_MAC_FMT", value: "2" }]);
  assert.deepEqual(lines(dec.files.get("flows")!), ["A 0x00 1 256_255_1"]);
  const noPairs = run(packets, [{ name: "MR_NPAIRS", value: "0" }]);
  assert.ok(!parseTable(noPairs.files.get("flows")!).columns.includes("macPairs"));
  assert.deepEqual(lines(noPairs.files.get("flows")!, ["macStat", "srcMac_dstMac_numP"]), [
    "A 0x00 00:00:00:00:01:00_00:00:00:00:00:ff_1",
  ]);
});

Deno.test("macRecorder: extra pairs of many flows, flow slots reused — every flow its own pairs", () => {
  // 300 flows with 3 pairs each, ended one after the other by the flow timeout (slots and
  // pool blocks are reused), then 100 flows alive together (the pool grows).
  const packets: PcapPacket[] = [];
  const want: string[] = [];
  for (let f = 0; f < 400; f++) {
    const sport = 10000 + f;
    const gap = f < 300 ? f * 10 : 3000;
    const m1 = `02:00:00:00:${(f >> 8).toString(16).padStart(2, "0")}:${
      (f & 0xff).toString(16).padStart(2, "0")
    }`;
    const m2 = `04:00:00:00:00:${(f % 7).toString(16).padStart(2, "0")}`;
    packets.push(q(m1, ROUTER, sport, 0, gap), q(m2, ROUTER, sport, 0, gap));
    packets.push(q(m1, m2, sport, 0, gap), q(m2, ROUTER, sport, 0, gap));
    want.push(`A 0x00 3 ${m1}_${ROUTER}_1;${m2}_${ROUTER}_2;${m1}_${m2}_1`);
  }
  const out = run(packets, [{ name: "FLOW_TIMEOUT", value: "5" }]);
  assert.deepEqual(lines(out.files.get("flows")!), want);
});
