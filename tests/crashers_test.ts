/**
 * Replays every recorded fuzz failure (tests/crashers/*.json, written by `deno task fuzz`):
 * each must now run cleanly — no exception, the output invariants hold, within the time bound,
 * and (for `oob` cases) the outputs do not depend on the bytes after each packet.
 *
 * A case with an `ignore` field is an open bug: its replay is ignored and, instead, a test
 * checks that it still fails as recorded — when that one fails, the bug is fixed: delete the
 * `ignore` field. Cases made from ../shared captures are skipped, saying so, when it is absent.
 */

import assert from "node:assert/strict";
import { type CrashCase, crasherBytes, loadCrashers } from "../tools/fuzz/crashers.ts";
import { sharedRoot } from "../tools/fuzz/corpus.ts";
import { FuzzRunner } from "../tools/fuzz/runner.ts";
import { check } from "../tools/fuzz/round.ts";

/** Generous bound: a replay that takes longer hangs. */
const TIME_BOUND_MS = 30_000;

const cases = loadCrashers();
const shared = sharedRoot();

Deno.test("crashers: every case file is complete", () => {
  for (const c of cases) {
    assert.match(c.id, /^(crash|invariant|hang|oob)-[0-9a-f]{8}$/, `id of ${c.id}`);
    assert.ok(c.source.startsWith("fixtures/") || c.source.startsWith("shared:captures/"));
    assert.ok(Array.isArray(c.ops) && c.config && typeof c.config.set === "string", c.id);
    // Captures from ../shared must never enter the repository: only their name and the ops.
    if (c.source.startsWith("shared:")) assert.equal(c.file, undefined, c.id);
    else assert.ok(c.file, `${c.id}: a fixture-based case keeps its input file`);
  }
});

async function replay(c: CrashCase): Promise<{ signature: string; message: string } | null> {
  const bytes = crasherBytes(c);
  if (bytes === null) throw new Error(`${c.id}: its capture ${c.source} is missing`);
  const runner = new FuzzRunner(TIME_BOUND_MS);
  try {
    const name = c.source.slice(c.source.lastIndexOf("/") + 1);
    return await check(runner, c.kind, name, bytes, c.config);
  } finally {
    await runner.close();
  }
}

for (const c of cases) {
  const needsShared = c.source.startsWith("shared:");
  const missing = needsShared && shared === null;
  if (missing) console.warn(`crashers_test: ${c.id} needs ../shared, skipped`);
  Deno.test({
    name: `crashers: ${c.id} (${c.kind} from ${c.source}) runs cleanly`,
    ignore: missing || c.ignore !== undefined,
    async fn() {
      const r = await replay(c);
      assert.equal(r, null, `${c.id} still fails: ${r?.message}`);
    },
  });
  if (c.ignore !== undefined) {
    Deno.test({
      name: `crashers: ${c.id} is an open bug and still fails as recorded`,
      ignore: missing,
      async fn() {
        const r = await replay(c);
        assert.ok(
          r !== null,
          `${c.id} no longer fails: the bug is fixed, delete the "ignore" field of ` +
            `tests/crashers/${c.id}.json`,
        );
        assert.equal(r.signature, c.signature, `${c.id} fails differently now: ${r.message}`);
      },
    });
  }
}
