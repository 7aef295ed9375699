/**
 * Golden tests: the bundled fixtures through every plugin set, compared whole-file with the
 * outputs of the real T2 0.9.3 (golden/, copied from ../shared/reference), after dropping
 * only the run-specific lines. A failure names the file, line and column.
 */

import { GOLDEN_LISTS, goldenCases, runCase } from "../tools/conformance/cases.ts";

const cases = goldenCases();

Deno.test("golden: both fixtures have all six reference sets", () => {
  const ids = cases.map((c) => c.id).sort();
  const want = ["annoloc-small", "faf-small"].flatMap((f) =>
    ["base", "flow", "flow-s", "pkt-s", "tmt-s", "json"].map((s) => `${f}/${s}`)
  );
  for (const w of want) {
    if (!ids.includes(w)) throw new Error(`missing golden case ${w}`);
  }
});

for (const c of cases) {
  Deno.test(`golden: ${c.id} equals T2 0.9.3`, () => {
    const r = runCase(c, GOLDEN_LISTS);
    if (!r.ok) throw new Error(r.message);
  });
}
