/**
 * The conformance ratchet: every case listed in tests/conformance_baseline.json (written by
 * `deno task conformance --update`) must still be identical to the real T2 0.9.3's output.
 * Skips, saying so, when ../shared (captures and references) is absent.
 */

import { allCases, runCase, sharedDir } from "../tools/conformance/cases.ts";

const shared = sharedDir();
const baseline: string[] = JSON.parse(
  Deno.readTextFileSync(new URL("./conformance_baseline.json", import.meta.url)),
);

Deno.test({
  name: "conformance: ../shared is present (otherwise the ratchet below is skipped)",
  ignore: shared === null,
  fn() {},
});
if (shared === null) {
  console.warn("conformance_test: ../shared not found, skipping the conformance ratchet");
}

const cases = shared ? allCases(shared) : [];
const byId = new Map(cases.map((c) => [c.id, c]));

for (const id of baseline) {
  Deno.test({
    name: `conformance: ${id} still equals T2 0.9.3`,
    ignore: shared === null,
    fn() {
      const c = byId.get(id);
      if (!c) throw new Error(`baseline case ${id} has no capture/reference in ../shared`);
      const r = runCase(c, `${shared}reference/lists/`);
      if (!r.ok) throw new Error(r.message);
    },
  });
}
