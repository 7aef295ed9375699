import * as assert from "node:assert/strict";
import type { PluginDefinition } from "../../plugin/api.ts";
import type { RunOptions } from "../run_options.ts";
import { shardBlocker } from "./attempt.ts";

const plain: PluginDefinition = { name: "plain", number: 1, version: "0", create: () => ({}) };
const lonely: PluginDefinition = { ...plain, name: "lonely", oneThread: "needs every flow" };

function opts(o: Partial<RunOptions>): RunOptions {
  return {
    inputs: ["a.pcap"],
    inputName: "a.pcap",
    plugins: [plain],
    settings: [],
    packetMode: false,
    commandLine: "t2",
    shardWorker: new URL("file:///w.js"),
    ...o,
  };
}

Deno.test("shardBlocker: the runs that use one thread whatever --threads says, and why", () => {
  assert.equal(shardBlocker(opts({})), null);
  assert.equal(shardBlocker(opts({ inputs: ["-"] })), "standard input is read once");
  assert.equal(
    shardBlocker(opts({ inputs: ["a", "b"], listFile: "l.txt" })),
    "a list of captures (-R)",
  );
  assert.equal(shardBlocker(opts({ plugins: [plain, lonely] })), "lonely needs every flow");
  const other = { ...lonely, name: "other", oneThread: "prints other flows' values" };
  assert.equal(
    shardBlocker(opts({ plugins: [lonely, plain, other] })),
    "lonely needs every flow; other prints other flows' values",
  );
  assert.equal(
    shardBlocker(opts({ shardWorker: undefined })),
    "plugins that are not built in (-p)",
  );
});
