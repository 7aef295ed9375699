/**
 * protoStats on hand-made captures (spec/plugins/protoStats.md §3, §5): `_protocols.txt`
 * written out by hand from the spec's format for a small capture, the empty capture (`-nan`),
 * the settings, fragments and packets cut by the snap length (captured bytes count), and
 * table files that cannot be read.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { protoStats } from "./mod.ts";
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
import { runCapture } from "../../tests/_support/run_capture.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";

let clock = 0;
function at(data: Uint8Array): PcapPacket {
  clock++;
  return { sec: 8000, ns: clock * 1_000_000, data };
}

const v4 = (src: string, dst: string, proto: number, payload: Uint8Array, fragment = 0) =>
  at(ethernet({ type: 0x0800 }, ipv4({ src, dst, proto, fragment, id: 3 }, payload)));

function v6udp(sport: number, dport: number): PcapPacket {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h[5] = 8;
  h[6] = 17;
  h[7] = 64;
  h[23] = 1;
  h[39] = 2;
  return at(ethernet({ type: 0x86dd }, concat(h, udp({ sport, dport }))));
}

const arp = () =>
  at(ethernet(
    { type: 0x0806, dst: "ff:ff:ff:ff:ff:ff" },
    hex("0001 0800 0604 0001 000000000001 0a000001 000000000000 0a000002"),
  ));

/** A small capture: 3 TCP (one a reply), 2 UDP, ARP, IPv6 UDP: 7 packets, 350 bytes. */
function small(): PcapPacket[] {
  clock = 0;
  return [
    v4("10.0.0.1", "10.0.0.2", 6, tcp({ sport: 40000, dport: 80 })), // 54 bytes
    v4("10.0.0.2", "10.0.0.1", 6, tcp({ sport: 80, dport: 40000 })), // 54
    v4("10.0.0.1", "10.0.0.2", 6, tcp({ sport: 40000, dport: 80 })), // 54
    v4("10.0.0.1", "10.0.0.3", 17, udp({ sport: 40001, dport: 53 })), // 42
    v4("10.0.0.1", "10.0.0.3", 17, udp({ sport: 40002, dport: 47002 })), // 42
    arp(), // 42
    v6udp(40003, 53), // 62
  ];
}

function protocols(packets: PcapPacket[], settings: SettingAssignment[] = []) {
  const out = runCapture({
    input: { name: "ps.pcap", bytes: pcap(packets) },
    plugins: [protoStats, basicFlow, txtSink],
    settings,
  });
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  return out;
}

const T = "\t";
const head = (what: string) =>
  `# ${what}${T}${"Packets".padStart(30)}${T}${"Bytes".padStart(30)}${T}Description`;
/** One table row as the spec gives it: key, packets [pct], bytes [pct], description. */
const row = (key: string, p: number, pp: string, b: number, bp: string, d: string) =>
  `${key}${T}${String(p).padStart(20)} [${pp}%]${T}${String(b).padStart(20)} [${bp}%]${T}${d}`;

Deno.test("protoStats: _protocols.txt of a small capture, written out from the spec", () => {
  const out = protocols(small());
  // P = 7, Bt = 350: percentages of 100/P and 100/Bt; port sections of their own totals.
  const want = [
    "# Total packets: 7",
    "# Total bytes: 350",
    head("L2/3 Protocol"),
    row("0x0800", 5, " 71.43", 246, " 70.29", "Internet Protocol version 4 (IPv4)"),
    row("0x0806", 1, " 14.29", 42, " 12.00", "Address Resolution Protocol (ARP)"),
    row("0x86dd", 1, " 14.29", 62, " 17.71", "Internet Protocol version 6 (IPv6)"),
    "",
    "",
    "# Total IPv4 packets: 5 [71.43%]",
    "# Total IPv6 packets: 1 [14.29%]",
    head("L4 Protocol"),
    row("  6", 3, " 42.86", 162, " 46.29", "Transmission Control Protocol (TCP)"),
    row(" 17", 3, " 42.86", 146, " 41.71", "User Datagram Protocol (UDP)"),
    "",
    "",
    "# Total TCP packets: 3 [42.86%]",
    "# Total TCP bytes: 162 [46.29%]",
    head("TCP Port"),
    row("   80", 3, "100.00", 162, "100.00", "World Wide Web HTTP"), // the reply counts at 80
    "",
    "",
    "# Total UDP packets: 3 [42.86%]",
    "# Total UDP bytes: 146 [41.71%]",
    head("UDP Port"),
    row("   53", 2, " 66.67", 104, " 71.23", "Domain Name Server (DNS)"),
    row("47002", 1, " 33.33", 42, " 28.77", ""), // no description: the line ends with a tab
  ];
  assert.equal(out.files.get("protocols"), want.join("\n") + "\n");
  assert.doesNotMatch(out.report, /protoStats:/); // no report lines
  assert.ok(!out.files.get("flows")!.includes("proto")); // no columns
});

Deno.test("protoStats: an empty capture gives -nan percentages (x86's negative NaN)", () => {
  const out = protocols([]);
  assert.equal(
    out.files.get("protocols"),
    [
      "# Total packets: 0",
      "# Total bytes: 0",
      head("L2/3 Protocol"),
      "",
      "",
      "# Total IPv4 packets: 0 [-nan%]",
      "# Total IPv6 packets: 0 [-nan%]",
      head("L4 Protocol"),
      "",
      "",
      "# Total TCP packets: 0 [-nan%]",
      "# Total TCP bytes: 0 [-nan%]",
      "",
      "",
      "# Total UDP packets: 0 [-nan%]",
      "# Total UDP bytes: 0 [-nan%]",
    ].join("\n") + "\n",
  );
});

Deno.test("protoStats: PST_ETH_STAT=0, PST_UDPLITE_STAT and PST_SCTP_STAT sections, PST_SUFFIX", () => {
  clock = 0;
  const packets = [
    v4("10.0.0.1", "10.0.0.2", 136, hex("9c41 0035 0008 0000")), // UDP-Lite to 53: 42 bytes
    // SCTP to 22, a chunk: 62 bytes
    v4("10.0.0.1", "10.0.0.2", 132, hex("c350 0016 00000000 00000000 00000010", "0".repeat(24))),
  ];
  const out = protocols(packets, [
    { name: "PST_ETH_STAT", value: "0" },
    { name: "PST_UDPLITE_STAT", value: "1" },
    { name: "PST_SCTP_STAT", value: "1" },
    { name: "PST_SUFFIX", value: "_p.txt" },
  ]);
  assert.equal(out.files.get("protocols"), undefined);
  const text = out.files.get("p")!;
  assert.ok(text.startsWith("# Total IPv4 packets: 2 [100.00%]\n"), text);
  assert.ok(
    text.endsWith(
      [
        "# Total UDP-Lite packets: 1 [50.00%]",
        "# Total UDP-Lite bytes: 42 [40.38%]",
        head("UDP-Lite Port"),
        row("   53", 1, "100.00", 42, "100.00", "Domain Name Server (DNS)"),
        "",
        "",
        "# Total SCTP packets: 1 [50.00%]",
        "# Total SCTP bytes: 62 [59.62%]",
        head("SCTP Port"),
        row("   22", 1, "100.00", 62, "100.00", "The Secure Shell (SSH) Protocol"),
      ].join("\n") + "\n",
    ),
    text,
  );
});

Deno.test("protoStats: later fragments count at their flow's port; bytes are the captured bytes", () => {
  clock = 0;
  const first = v4(
    "10.0.0.1",
    "10.0.0.2",
    17,
    udp({ sport: 5000, dport: 53 }, new Uint8Array(16)),
    0x2000,
  );
  const later = v4("10.0.0.1", "10.0.0.2", 17, new Uint8Array(8), 0x0003);
  const cut = v4("10.0.0.1", "10.0.0.2", 17, udp({ sport: 5000, dport: 53 }, new Uint8Array(100)));
  const out = protocols([first, later, { ...cut, data: cut.data.subarray(0, 60), wireLen: 142 }]);
  const text = out.files.get("protocols")!;
  // 58 + 42 + 60 captured bytes, all at port 53
  assert.match(text, /^# Total bytes: 160$/m);
  assert.ok(text.includes(row("   53", 3, "100.00", 160, "100.00", "Domain Name Server (DNS)")));
});

Deno.test("protoStats: a table file that cannot be read is an [ERR] line; the run goes on", () => {
  const out = protocols(small(), [
    { name: "PST_PORTFILE", value: "/nonexistent/ports.txt" },
    { name: "PST_PROTOFILE", value: "/nonexistent/proto.txt" },
  ]);
  assert.deepEqual(out.stderr, [
    "[ERR] Failed to open file '/nonexistent/proto.txt': No such file or directory",
    "[ERR] Failed to open file '/nonexistent/ports.txt': No such file or directory",
  ]);
  const text = out.files.get("protocols")!;
  assert.ok(text.includes(row("  6", 3, " 42.86", 162, " 46.29", "")));
  assert.ok(text.includes(row("   80", 3, "100.00", 162, "100.00", "")));
  assert.ok(text.includes("Internet Protocol version 4 (IPv4)")); // the EtherType table is read
});

Deno.test("protoStats: a port table of one's own (the last description of a port wins)", () => {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-ps-" });
  try {
    Deno.writeTextFileSync(`${dir}/ports.txt`, "80\ttcp\ta\tFirst\n80\ttcp\tb\t  Web\n");
    const out = protocols(small(), [{ name: "PST_PORTFILE", value: `${dir}/ports.txt` }]);
    assert.ok(
      out.files.get("protocols")!.includes(row("   80", 3, "100.00", 162, "100.00", "Web")),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
