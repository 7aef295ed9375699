import assert from "node:assert/strict";
import { openCapture } from "../src/capture/open.ts";
import { FLOOR_VARIANTS, runFloor } from "./bench_floor.ts";

const CAPTURE = new URL("../fixtures/annoloc-small.pcap", import.meta.url).pathname;

function recordsOf(path: string): number {
  const reader = openCapture(path);
  let n = 0;
  while (reader.next()) n++;
  reader.close();
  return n;
}

Deno.test("floor: every variant reads every record and finds the same flows", () => {
  const records = recordsOf(CAPTURE);
  const results = FLOOR_VARIANTS.map((v) => runFloor(v, CAPTURE));
  for (const [i, r] of results.entries()) {
    assert.equal(r.packets, records, FLOOR_VARIANTS[i]);
    assert.equal(r.flows, results[0].flows, FLOOR_VARIANTS[i]);
  }
  assert.ok(results[0].flows > 1, `flows found: ${results[0].flows}`);
});
