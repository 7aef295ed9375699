/**
 * `deno task conformance [--update] [--threads N] [FILTER...]`: runs every capture of ../shared
 * with a reference output of the real T2 0.9.3 through the same comparison as the golden tests,
 * prints a table, and with `--update` writes the baseline of matching cases
 * (tests/conformance_baseline.json) that `deno task test` enforces as a ratchet. With
 * `--threads N` every case runs as `t2 --threads N` does (sharded, or one thread where it must).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { allCases, runCase, runCaseThreads, sharedDir } from "../tools/conformance/cases.ts";

const BASELINE = new URL("../tests/conformance_baseline.json", import.meta.url);

const { values, positionals: args } = parseArgs({
  args: Deno.args,
  options: { update: { type: "boolean" }, threads: { type: "string" } },
  allowPositionals: true,
});
const update = values.update ?? false;
const threads = Number(values.threads ?? "1");
if (!Number.isInteger(threads) || threads < 1) {
  console.error(`conformance: --threads needs a whole number from 1 on, got '${values.threads}'`);
  Deno.exit(2);
}
if (update && threads > 1) {
  console.error("conformance: --update records one thread's results (no --threads)");
  Deno.exit(2);
}
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
let oneThread = 0;
for (const c of cases) {
  const t0 = performance.now();
  let line: string;
  try {
    const lists = `${shared}reference/lists/`;
    const r = threads > 1 ? await runCaseThreads(c, lists, threads) : runCase(c, lists);
    const ms = (performance.now() - t0).toFixed(0).padStart(5);
    if (r.ok) passing.push(c.id);
    else failed++;
    if (r.oneThread) oneThread++;
    const how = r.oneThread ? `  (${r.oneThread.slice(6)})` : "";
    line = `${r.ok ? "ok  " : "FAIL"} ${ms} ms  ${c.id}${how}${
      r.ok ? "" : "\n       " + r.message
    }`;
  } catch (e) {
    failed++;
    line = `ERR          ${c.id}\n       ${(e as Error).stack ?? e}`;
  }
  console.log(line);
}
console.log(`\n${passing.length} of ${cases.length} cases identical, ${failed} different`);
if (threads > 1) console.log(`--threads ${threads}: ${oneThread} of them ran on one thread`);

if (update) {
  if (args.length) {
    console.error("conformance: --update needs a full run (no filter)");
    Deno.exit(2);
  }
  Deno.writeTextFileSync(BASELINE, JSON.stringify(passing.sort(), null, 2) + "\n");
  console.log(`baseline written: ${BASELINE.pathname}`);
}
