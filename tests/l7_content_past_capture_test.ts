/**
 * `l7Content` where T2's lengths run past the captured bytes (spec/dissection-wireless.md §1.3,
 * §5; reference/README.md: a byte past the capture reads as 0): the packet file prints `.` for
 * each such byte, `snapL7Len` characters in all, as T2 printed for zeros there.
 */

import assert from "node:assert/strict";
import { concat, hex, pcap } from "./_support/capture_builder.ts";
import { parseTable, runCapture } from "./_support/run_capture.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { selectPlugins } from "../src/plugin/registry.ts";

const PLUGINS = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "txtSink"]);

function packetRow(bytes: Uint8Array) {
  const out = runCapture({ input: { name: "l7.pcap", bytes }, plugins: PLUGINS, packetMode: true });
  assert.equal(out.exitCode, 0);
  const t = parseTable(out.files.get("packets")!);
  assert.equal(t.rows.length, 1);
  const r = t.rows[0];
  return {
    hdrDesc: r[t.col("hdrDesc")],
    snapL7Len: Number(r[t.col("snapL7Len")]),
    content: r[t.col("l7Content")],
  };
}

Deno.test("l7Content: a layer-2 packet whose many MPLS labels run past the capture prints snapL7Len dots", () => {
  // 40 labels without bottom of stack fill the frame: the Ethernet frame T2 then expects after a
  // control word lies wholly past the capture.
  const frame = concat(hex("00 19 e3 e7 5d 23 | 00 0b db 4f 6b 10 | 88 47"), new Uint8Array(160));
  const r = packetRow(pcap([{ sec: 1, data: frame }]));
  assert.equal(r.hdrDesc, "eth:mpls{41}:pwethcw:eth:wlccp");
  assert.equal(r.snapL7Len, 160);
  assert.equal(r.content, ".".repeat(160));
});

Deno.test("l7Content: Juniper keeps its header in the layer-2 length: the bytes past the capture print as dots", () => {
  const eth = hex("09 00 2b 00 00 05 | 00 05 86 18 ae 00 | 00 2e | fe fe 03");
  const payload = new TextEncoder().encode("ABCDEFGHIJ");
  const frame = concat(hex("4d 47 43 01"), eth, payload);
  const r = packetRow(pcap([{ sec: 1, data: frame }], { linkType: 178 }));
  assert.equal(r.hdrDesc, "juniper:eth:llc:osi");
  assert.equal(r.snapL7Len, payload.length + 4, "too large by the 4-byte Juniper header");
  assert.equal(r.content, "ABCDEFGHIJ....");
});
