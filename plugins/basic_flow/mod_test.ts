import assert from "node:assert/strict";
import { ethernet, hex, ipv4, pcap } from "../../tests/_support/capture_builder.ts";
import { runCapture } from "../../tests/_support/run_capture.ts";
import { BUILTIN_PLUGINS } from "../mod.ts";
import { selectPlugins } from "../../src/plugin/registry.ts";

/** The flow lines of a run with basicFlow and txtSink, as column maps. */
function flowRows(bytes: Uint8Array): Map<string, string>[] {
  const out = runCapture({
    input: { name: "t.pcap", bytes },
    plugins: selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "txtSink"]),
  });
  const [head, ...lines] = out.files.get("flows")!.trimEnd().split("\n");
  const names = head.slice(1).split("\t");
  return lines.map((l) => new Map(l.split("\t").map((v, i) => [names[i], v])));
}

Deno.test("basicFlow: MACs of a frame cut inside them read the missing bytes as 0", () => {
  // EtherIP (IP protocol 97, header 0x3000) carrying an inner Ethernet frame of which only
  // the destination MAC and two bytes of the source MAC were captured.
  const inner = hex("0a0b0c0d0e0f", "1122");
  const ip = ipv4(
    { src: "10.0.0.1", dst: "10.0.0.2", proto: 97, totalLength: 20 + 2 + 60 },
    Uint8Array.from([0x30, 0x00, ...inner]),
  );
  const rows = flowRows(pcap([{ sec: 1, data: ethernet({ type: 0x0800 }, ip), wireLen: 96 }]));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].get("dstMac"), "0a:0b:0c:0d:0e:0f");
  assert.equal(rows[0].get("srcMac"), "11:22:00:00:00:00");
});

Deno.test("basicFlow: distinct MACs of a flow are listed once each, first seen first", () => {
  const frame = (src: string) =>
    ethernet(
      { src, dst: "00:00:00:00:00:aa", type: 0x0800 },
      ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 253 }, new Uint8Array(8)),
    );
  const macs = ["02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:01"];
  const rows = flowRows(pcap(macs.map((m, i) => ({ sec: 1 + i, data: frame(m) }))));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].get("srcMac"), "02:00:00:00:00:01;02:00:00:00:00:02");
  assert.equal(rows[0].get("dstMac"), "00:00:00:00:00:aa");
});
