/**
 * basicStats' report lines on hand-made captures: the biggest talkers.
 */

import assert from "node:assert/strict";
import { basicFlow } from "../basic_flow/mod.ts";
import { txtSink } from "../txt_sink/mod.ts";
import { basicStats } from "./mod.ts";
import { pcap, udpFrame } from "../../tests/_support/capture_builder.ts";
import { runCapture } from "../../tests/_support/run_capture.ts";

function talkers(payload: number): string[] {
  const conv = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 53 };
  const out = runCapture({
    input: {
      name: "talk.pcap",
      bytes: pcap([{ sec: 1, data: udpFrame(conv, new Uint8Array(payload)) }]),
    },
    plugins: [basicFlow, basicStats, txtSink],
  });
  return out.report.split("\n").filter((l) => l.includes("talker"));
}

Deno.test("basicStats: the biggest L3 talkers by packets and by bytes", () => {
  assert.deepStrictEqual(talkers(10), [
    "basicStats: Biggest L3 flow talker: 10.0.0.1: 1 [100.00%] packets",
    "basicStats: Biggest L3 flow talker: 10.0.0.1: 10 [19.23%] bytes", // of the 52 captured
  ]);
});

Deno.test("basicStats: when no flow carried a byte, the byte talker's address is empty (T2)", () => {
  assert.deepStrictEqual(talkers(0), [
    "basicStats: Biggest L3 flow talker: 10.0.0.1: 1 [100.00%] packets",
    "basicStats: Biggest L3 flow talker: : 0 [0.00%] bytes",
  ]);
});
