import assert from "node:assert/strict";
import { batchPrefixes, summaryLine } from "./batch.ts";

Deno.test("batchPrefixes() gives each capture DIR/<name without extension>", () => {
  assert.deepEqual(batchPrefixes(["/x/a.pcap", "b.pcapng", "c"], "out/"), [
    "out/a",
    "out/b",
    "out/c",
  ]);
  assert.deepEqual(batchPrefixes(["/x/a.pcap", "y/a.b.pcap"], undefined), ["/x/a", "y/a.b"]);
});

Deno.test("batchPrefixes() refuses clashes, stdin and a -w that is no directory", () => {
  assert.equal(
    batchPrefixes(["a/x.pcap", "b/x.pcapng"], "out/"),
    "Cannot process captures in parallel: 'a/x.pcap' and 'b/x.pcapng' would both write out/x_*",
  );
  assert.match(batchPrefixes(["a.pcap", "-"], "out/") as string, /'-' \(stdin\)/);
  assert.match(batchPrefixes(["a.pcap"], "/nonexistent/prefix") as string, /is not a directory/);
  assert.match(batchPrefixes(["a.pcap"], "-") as string, /-w - \(flows to stdout\)/);
});

Deno.test("summaryLine() says how a capture went", () => {
  const o = {
    id: 0,
    capture: "a.pcap",
    exitCode: 0,
    prefix: "out/a",
    packets: 10,
    flows: 2,
    seconds: 0.123,
    stopped: false,
  };
  assert.equal(summaryLine(o), "a.pcap: exit 0, 10 packets, 2 flows, 0.12 s, out/a_*");
  assert.equal(
    summaryLine({ ...o, stopped: true }),
    "a.pcap: exit 0, 10 packets, 2 flows, 0.12 s (stopped), out/a_*",
  );
  assert.equal(summaryLine({ ...o, exitCode: 1, error: "boom" }), "a.pcap: exit 1, error: boom");
});
