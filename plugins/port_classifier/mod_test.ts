/**
 * portClassifier on hand-made captures (spec/plugins/portClassifier.md §4-§5): the service
 * port of both flows of a pair and of a lone reply, names by protocol, portless flows, the
 * settings, packet mode (IP, later fragments, layer 2) and a table file of one's own.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { portClassifier } from "./mod.ts";
import {
  concat,
  ethernet,
  hex,
  ipv4,
  pcap,
  type PcapPacket,
  tcp,
  udp,
} from "../../tests/_support/capture_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

let clock = 0;
/** Packets 1 ms apart. */
function at(data: Uint8Array): PcapPacket {
  clock++;
  return { sec: 7000, ns: clock * 1_000_000, data };
}

function ip4(src: string, dst: string, proto: number, payload: Uint8Array, fragment = 0) {
  return at(ethernet({ type: 0x0800 }, ipv4({ src, dst, proto, fragment, id: 7 }, payload)));
}

/** An Ethernet/IPv6 frame (no extension headers). */
function ip6(src: number, dst: number, next: number, payload: Uint8Array) {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  new DataView(h.buffer).setUint16(4, payload.length);
  h[6] = next;
  h[7] = 64;
  h.set([0x20, 0x01, 0x0d, 0xb8], 8);
  h[23] = src;
  h.set([0x20, 0x01, 0x0d, 0xb8], 24);
  h[39] = dst;
  return at(ethernet({ type: 0x86dd }, concat(h, payload)));
}

const arp = () =>
  at(ethernet(
    { type: 0x0806, dst: "ff:ff:ff:ff:ff:ff" },
    hex("0001 0800 0604 0001 000000000001 0a000001 000000000000 0a000002"),
  ));

function run(packets: PcapPacket[], settings: SettingAssignment[] = [], packetMode = false) {
  clock = 0;
  const out = runCapture({
    input: { name: "pc.pcap", bytes: pcap(packets) },
    plugins: [basicFlow, portClassifier, txtSink],
    settings,
    packetMode,
  });
  return out;
}

/** `dir srcPort dstPort l4Proto dstPortClassN dstPortClass` per flow. */
function flowLines(text: string, cols = ["dstPortClassN", "dstPortClass"]): string[] {
  const t = parseTable(text);
  return t.rows.map((r) =>
    ["dir", "srcPort", "dstPort", "l4Proto", ...cols].map((c) => r[t.col(c)]).join(" ")
  );
}

Deno.test("portClassifier: both flows of a pair get the server's port and its name", () => {
  const out = run([
    ip4("10.0.0.1", "10.0.0.2", 6, tcp({ sport: 40000, dport: 80 })),
    ip4("10.0.0.2", "10.0.0.1", 6, tcp({ sport: 80, dport: 40000 })),
    ip4("10.0.0.1", "10.0.0.3", 17, udp({ sport: 5000, dport: 2049 })), // first name: shilp
    ip4("10.0.0.1", "10.0.0.3", 6, tcp({ sport: 5001, dport: 2049 })),
    ip4("10.0.0.1", "10.0.0.3", 17, udp({ sport: 5002, dport: 1701 })), // l2f, not l2tp
    ip4("10.0.0.1", "10.0.0.3", 17, udp({ sport: 5003, dport: 47002 })), // no name
  ]);
  assert.equal(out.exitCode, 0);
  assert.deepEqual(flowLines(out.files.get("flows")!), [
    "A 40000 80 6 80 http",
    "B 80 40000 6 80 http",
    "A 5000 2049 17 2049 shilp",
    "A 5001 2049 6 2049 shilp",
    "A 5002 1701 17 1701 l2f",
    "A 5003 47002 17 47002 unknown",
  ]);
});

Deno.test("portClassifier: a lone reply flow (flowStat bit 0) gets its source port", () => {
  const out = run([ip4("10.0.0.53", "10.0.0.1", 17, udp({ sport: 53, dport: 40000 }))]);
  const t = parseTable(out.files.get("flows")!);
  const row = t.rows[0];
  assert.equal(BigInt(row[t.col("flowStat")]) & 1n, 1n);
  assert.deepEqual(flowLines(out.files.get("flows")!), ["A 53 40000 17 53 domain"]);
});

Deno.test("portClassifier: portless flows (ICMP, layer 2) are 0 unknown; SCTP and UDP-Lite use the TCP and UDP names", () => {
  const out = run([
    ip4("10.0.0.1", "10.0.0.2", 1, hex("0800f7ff00010001")), // ICMP echo request
    arp(),
    // SCTP to 22 (common header and a DATA chunk)
    ip4(
      "10.0.0.1",
      "10.0.0.2",
      132,
      hex("c350 0016 00000000 00000000", "00 00 0010 00000000 00000000 00000000"),
    ),
    ip4("10.0.0.1", "10.0.0.2", 136, hex("c351 0035 0008 0000")), // UDP-Lite to 53
  ]);
  assert.deepEqual(flowLines(out.files.get("flows")!), [
    "A 0 0 1 0 unknown",
    "A 0 0 0 0 unknown",
    "A 50000 22 132 22 ssh",
    "A 50001 53 136 53 domain",
  ]);
});

Deno.test("portClassifier: IPv6 flows, and a TCP header cut by the snap length (port 0)", () => {
  const cut = ip4("10.0.0.1", "10.0.0.2", 6, tcp({ sport: 40000, dport: 443 }));
  const out = runCapture({
    input: {
      name: "cut.pcap",
      bytes: pcap([
        ip6(1, 2, 6, tcp({ sport: 40000, dport: 443 })),
        { ...cut, data: cut.data.subarray(0, 14 + 20 + 2) }, // the source port only
      ]),
    },
    plugins: [basicFlow, portClassifier, txtSink],
  });
  assert.deepEqual(flowLines(out.files.get("flows")!), [
    "A 40000 443 6 443 https",
    "A 0 0 6 0 spr-itunes", // no ports (the core's rule), and the table names TCP port 0
  ]);
});

Deno.test("portClassifier: PBC_NUM, PBC_STR and PBC_UNKNOWN", () => {
  const packets = [ip4("10.0.0.1", "10.0.0.2", 17, udp({ sport: 5003, dport: 47002 }))];
  const names = (s: SettingAssignment[]) => parseTable(run(packets, s).files.get("flows")!).columns;
  assert.ok(names([]).includes("dstPortClassN") && names([]).includes("dstPortClass"));
  assert.ok(!names([{ name: "PBC_NUM", value: "0" }]).includes("dstPortClassN"));
  assert.ok(!names([{ name: "PBC_STR", value: "0" }]).includes("dstPortClass"));
  const none = names([{ name: "PBC_NUM", value: "0" }, { name: "PBC_STR", value: "0" }]);
  assert.ok(!none.some((c) => c.startsWith("dstPortClass")));
  const out = run(packets, [{ name: "PBC_UNKNOWN", value: "-" }]);
  assert.deepEqual(flowLines(out.files.get("flows")!), ["A 5003 47002 17 47002 -"]);
});

Deno.test("portClassifier: packet mode — IP packets, later fragments, layer-2 packets", () => {
  const out = run(
    [
      ip4("10.0.0.1", "10.0.0.2", 17, udp({ sport: 40000, dport: 53 }, new Uint8Array(16)), 0x2000),
      ip4("10.0.0.1", "10.0.0.2", 17, new Uint8Array(8), 0x0003), // second fragment, offset 24
      arp(),
      ip4("10.0.0.2", "10.0.0.1", 17, udp({ sport: 53, dport: 40000 })),
    ],
    [],
    true,
  );
  const t = parseTable(out.files.get("packets")!);
  const c = t.col("dstPortClassN");
  assert.equal(t.columns[c + 1], "dstPortClass");
  assert.equal(t.columns[c - 1], "l4Proto"); // right after basicFlow's columns
  assert.deepEqual(t.rows.map((r) => `${r[c]}|${r[c + 1]}`), [
    "53|domain",
    "53|domain",
    "|unknown",
    "53|domain",
  ]);
});

Deno.test("portClassifier: PBC_CLASSFILE names a table file; one that cannot be read stops the run", () => {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-pc-" });
  try {
    const table = `${dir}/ports.txt`;
    Deno.writeTextFileSync(table, "# mine\n47002\tudp\tgame\tA game\n47002\tudp\tother\n");
    const packets = [ip4("10.0.0.1", "10.0.0.2", 17, udp({ sport: 5003, dport: 47002 }))];
    const out = run(packets, [{ name: "PBC_CLASSFILE", value: table }]);
    assert.deepEqual(flowLines(out.files.get("flows")!), ["A 5003 47002 17 47002 game"]);
    assert.equal(out.exitCode, 0);

    const missing = run(packets, [{ name: "PBC_CLASSFILE", value: `${dir}/none.txt` }]);
    assert.equal(missing.exitCode, 1);
    assert.deepEqual(missing.stderr, [
      `[ERR] Failed to open file '${dir}/none.txt': No such file or directory`,
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
