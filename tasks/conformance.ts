/**
 * `deno task conformance [--update] [FILTER...]`: runs every capture of ../shared with a
 * reference output of the real T2 0.9.3 through the same comparison as the golden tests,
 * prints a table, and with `--update` writes the baseline of matching cases
 * (tests/conformance_baseline.json) that `deno task test` enforces as a ratchet.
 *
 * @module
 */

import { allCases, runCase, sharedDir } from "../tools/conformance/cases.ts";

const BASELINE = new URL("../tests/conformance_baseline.json", import.meta.url);

const args = Deno.args.filter((a) => !a.startsWith("--"));
const update = Deno.args.includes("--update");
const shared = sharedDir();
if (!shared) {
  console.error("conformance: ../shared/reference not found; nothing to compare");
  Deno.exit(0);
}

const cases = allCases(shared).filter((c) =>
  args.length === 0 || args.some((a) => c.id.includes(a))
);
const passing: string[] = [];
let failed = 0;
for (const c of cases) {
  const t0 = performance.now();
  let line: string;
  try {
    const r = runCase(c, `${shared}reference/lists/`);
    const ms = (performance.now() - t0).toFixed(0).padStart(5);
    if (r.ok) passing.push(c.id);
    else failed++;
    line = `${r.ok ? "ok  " : "FAIL"} ${ms} ms  ${c.id}${r.ok ? "" : "\n       " + r.message}`;
  } catch (e) {
    failed++;
    line = `ERR          ${c.id}\n       ${(e as Error).stack ?? e}`;
  }
  console.log(line);
}
console.log(`\n${passing.length} of ${cases.length} cases identical, ${failed} different`);

if (update) {
  if (args.length) {
    console.error("conformance: --update needs a full run (no filter)");
    Deno.exit(2);
  }
  Deno.writeTextFileSync(BASELINE, JSON.stringify(passing.sort(), null, 2) + "\n");
  console.log(`baseline written: ${BASELINE.pathname}`);
}
