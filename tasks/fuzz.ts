/**
 * `deno task fuzz [--minutes N | --inputs N] [--seed S] [--corpus fixtures|shared|all]
 * [--timeout SEC] [--poison-rate P] [--no-save] [--no-minimize] [--quiet]`
 *
 * Mutation fuzzing of the whole pipeline, in process (one worker isolate, so that a run over the
 * time bound can be stopped). Without arguments: the fixed CI round (seed 1, 3000 inputs, about a
 * minute on a 2-core machine). New failures are written to tests/crashers/ (replayed by
 * tests/crashers_test.ts) and the exit code is 1.
 *
 * @module
 */

import { type CorpusChoice, loadCorpus } from "../tools/fuzz/corpus.ts";
import { FuzzRunner } from "../tools/fuzz/runner.ts";
import { type Failure, runRound } from "../tools/fuzz/round.ts";
import { loadCrashers, saveCrasher } from "../tools/fuzz/crashers.ts";

const CI_SEED = 1;
const CI_INPUTS = 3000;

function usage(msg: string): never {
  console.error(`fuzz: ${msg}`);
  console.error(
    "usage: deno task fuzz [--minutes N | --inputs N] [--seed S] [--corpus fixtures|shared|all]\n" +
      "                      [--timeout SEC] [--poison-rate P] [--no-save] [--no-minimize] [--quiet]",
  );
  Deno.exit(2);
}

const args = [...Deno.args];
const opt = new Map<string, string>();
const flags = new Set<string>();
while (args.length) {
  const a = args.shift()!;
  if (a === "--no-save" || a === "--no-minimize" || a === "--quiet") flags.add(a);
  else if (/^--(minutes|inputs|seed|corpus|timeout|poison-rate)$/.test(a)) {
    const v = args.shift();
    if (v === undefined) usage(`${a} needs a value`);
    opt.set(a.slice(2), v);
  } else usage(`unknown argument '${a}'`);
}
const num = (k: string, d: number) => {
  const v = opt.get(k);
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) usage(`--${k} needs a non-negative number`);
  return n;
};

const minutes = opt.has("minutes") ? num("minutes", 1) : undefined;
const inputs = minutes === undefined
  ? num("inputs", CI_INPUTS)
  : opt.has("inputs")
  ? num("inputs", 0)
  : undefined;
const seed = opt.has("seed")
  ? num("seed", CI_SEED)
  : minutes === undefined
  ? CI_SEED
  : Date.now() % 1e9;
const corpusChoice = (opt.get("corpus") ?? "all") as CorpusChoice;
if (!["fixtures", "shared", "all"].includes(corpusChoice)) {
  usage("--corpus is fixtures, shared or all");
}
const timeoutMs = num("timeout", 10) * 1000;

const corpus = loadCorpus(corpusChoice);
const sharedCount = corpus.filter((s) => s.shared).length;
console.log(
  `fuzz: seed ${seed}, ${
    minutes !== undefined ? `${minutes} min` : `${inputs} inputs`
  }, ${corpus.length} seed captures (${
    corpus.length - sharedCount
  } fixtures, ${sharedCount} shared${
    sharedCount === 0 && corpusChoice !== "fixtures" ? ": ../shared/captures absent" : ""
  }), time bound ${timeoutMs / 1000} s per input`,
);

// Open bugs already recorded (crash cases with an "ignore" field) do not fail the round again.
const open = loadCrashers().filter((c) => c.ignore !== undefined);
const known = new Set(open.map((c) => c.signature));
if (open.length) console.log(`fuzz: known open bugs: ${open.map((c) => c.id).join(" ")}`);

const saved: string[] = [];
const runner = new FuzzRunner(timeoutMs);
// Ctrl-C ends the round after the current input (the figures are still printed).
let interrupted = false;
Deno.addSignalListener("SIGINT", () => {
  if (interrupted) Deno.exit(130);
  interrupted = true;
  console.log("\nfuzz: interrupted, finishing the current input (Ctrl-C again to quit)");
});
const stats = await runRound(runner, {
  seed,
  corpus,
  inputs,
  budgetMs: minutes !== undefined ? minutes * 60_000 : undefined,
  poisonRate: num("poison-rate", 0.1),
  minimize: !flags.has("--no-minimize"),
  known,
  stop: () => interrupted,
  log: flags.has("--quiet") ? undefined : (l) => console.log(`  ${l}`),
  progress: (s, ms) => {
    const bad = s.failures.crash + s.failures.invariant + s.failures.hang + s.failures.oob;
    console.log(
      `  ${s.inputs} inputs, ${(s.inputs / (ms / 1000)).toFixed(0)}/s, ${bad} failing, ` +
        `${s.known} known`,
    );
  },
  onFailure: (f: Failure) => {
    console.log(`  NEW ${f.kind}: ${f.message.slice(0, 300)}${f.where ? ` at ${f.where}` : ""}`);
    if (!flags.has("--no-save")) {
      const c = saveCrasher(f);
      saved.push(c.id);
      console.log(`  saved tests/crashers/${c.id}.json${c.file ? ` + ${c.file}` : ""}`);
    }
  },
});
await runner.close();

const fail = stats.failures.crash + stats.failures.invariant + stats.failures.hang +
  stats.failures.oob;
const sec = stats.ms / 1000;
console.log(
  [
    "",
    `inputs:        ${stats.inputs} in ${sec.toFixed(1)} s (${
      (stats.inputs / sec).toFixed(0)
    }/s), ` +
    `plus ${stats.extraRuns} oracle/minimisation runs`,
    `packets:       ${stats.packets} processed`,
    `outcomes:      ${stats.ok} ok (${stats.exit1} with exit code 1: unusable header or link type), ` +
    `${stats.failures.crash} crash, ${stats.failures.invariant} invariant, ` +
    `${stats.failures.hang} hang, ${stats.failures.oob} read past captured bytes; ` +
    `${stats.known} known (recorded open bugs)`,
    `signatures:    ${stats.signatures} distinct failure(s)${
      saved.length ? `, saved: ${saved.join(" ")}` : ""
    }`,
    `slowest input: ${stats.slowestMs.toFixed(0)} ms (bound ${timeoutMs} ms)`,
    `mutations:     ${Object.entries(stats.families).map(([k, v]) => `${k} ${v}`).join(", ")}`,
    `plugin sets:   ${Object.entries(stats.bySet).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  ].join("\n"),
);
Deno.exit(fail ? 1 : 0);
