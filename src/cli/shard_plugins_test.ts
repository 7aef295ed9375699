import * as assert from "node:assert/strict";
import { BUILTIN_PLUGINS } from "../../plugins/mod.ts";
import { SHARD_PLUGINS } from "./shard_plugins.ts";

Deno.test("shard workers know every built-in plugin but the sinks", () => {
  const sinks = ["txtSink", "jsonSink", "psqlSink"];
  const want = BUILTIN_PLUGINS.filter((p) => !sinks.includes(p.name));
  assert.deepEqual(SHARD_PLUGINS.map((p) => p.name), want.map((p) => p.name));
  for (const p of SHARD_PLUGINS) assert.ok(BUILTIN_PLUGINS.includes(p), p.name);
});
