/**
 * Every capture of the wide corpus (../shared/captures/wide: real test captures of six
 * projects, fuzzer reproducers included, with or without a reference of T2's) runs through the
 * whole program without an exception, within a time bound, and with the output invariants of
 * the fuzzer (tools/fuzz/target.ts): with T2's default set (as far as it is built in), and with
 * the sets of the reference where T2's output is no reference (the conformance ratchet runs
 * the others). Skipped, saying so, where ../shared is absent.
 */

import { unusableReferences } from "../tools/conformance/cases.ts";
import { sharedRoot } from "../tools/fuzz/corpus.ts";
import { check } from "../tools/fuzz/round.ts";
import { FuzzRunner } from "../tools/fuzz/runner.ts";

/** A capture that takes longer hangs (the largest takes well under a second). */
const TIME_BOUND_MS = 20_000;
/** Sets every capture runs with. */
const ALWAYS = ["dflt-s"];
/** Sets of the reference (reference/README.md), for captures without a usable reference. */
const REFERENCE_SETS = ["base", "flow-s", "tmt-s"];

const shared = sharedRoot();
const dir = shared === null ? null : `${shared}captures/wide/`;
const files = dir === null
  ? []
  : [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /\.(pcap|pcapng|cap)$/.test(n))
    .sort();
if (dir === null) console.warn("wide_captures_test: ../shared/captures/wide absent, skipped");
const unusable = shared === null ? new Set<string>() : unusableReferences(
  `${shared}reference/wide/`,
);

/** The sets `name` runs with: the default set, and those the ratchet cannot cover. */
function setsOf(name: string): string[] {
  const stem = name.replace(/\.[a-z]+$/, "");
  const covered = (set: string) => {
    try {
      return Deno.statSync(`${shared}reference/wide/${stem}/${set}`).isDirectory &&
        !unusable.has(`${stem}/${set}`);
    } catch {
      return false;
    }
  };
  return [...ALWAYS, ...REFERENCE_SETS.filter((s) => !covered(s))];
}

Deno.test({
  name: `wide corpus: all ${files.length} captures run cleanly`,
  ignore: dir === null,
  async fn(t) {
    const runner = new FuzzRunner(TIME_BOUND_MS);
    const failures: string[] = [];
    try {
      for (const name of files) {
        const bytes = Deno.readFileSync(dir + name);
        for (const set of setsOf(name)) {
          const f = await check(runner, "crash", name, bytes, { set, settings: [] });
          if (f !== null) failures.push(`${name} (${set}): ${f.outcome.kind}: ${f.message}`);
        }
      }
    } finally {
      await runner.close();
    }
    await t.step(`${files.length} captures`, () => {
      if (failures.length) throw new Error(failures.join("\n"));
    });
  },
});
