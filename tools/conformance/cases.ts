/**
 * The conformance cases: every capture with reference outputs of the real T2 0.9.3, per
 * plugin set, and running one case in process.
 *
 * @module
 */

import { run, runAsync } from "../../src/core/run.ts";
import type { RunOptions } from "../../src/core/run_options.ts";
import { rootUrl } from "../../src/root.ts";
import { BUILTIN_PLUGINS } from "../../plugins/mod.ts";
import { parsePluginList, selectPlugins } from "../../src/plugin/registry.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import { describe, type Difference, firstDifference, kindOf } from "./compare.ts";

/** Plugin list and packet mode of each reference set (reference/README.md). */
export const SETS: Readonly<Record<string, { list: string; packetMode: boolean }>> = {
  "base": { list: "base", packetMode: false },
  "base-stop-at-damage": { list: "base", packetMode: false },
  "flow": { list: "flow", packetMode: false },
  "flow-s": { list: "flow", packetMode: true },
  "pkt-s": { list: "pkt", packetMode: true },
  "tmt-s": { list: "tmt", packetMode: true },
  "dflt": { list: "dflt", packetMode: false },
  "dflt-s": { list: "dflt", packetMode: true },
  // basicFlow, basicStats, jsonSink: compares `_flows.json`, `_report.txt` and rc.
  "json": { list: "json", packetMode: false },
};

/** The plugin names of a reference set's list file in `listsDir`. */
export function setPlugins(set: string, listsDir: string): string[] {
  return parsePluginList(Deno.readTextFileSync(`${listsDir}${SETS[set].list}.txt`));
}

/**
 * The plugins a set needs that are not built in (`[]` when the set can run): the golden and
 * conformance cases of such a set wait for them.
 */
export function missingPlugins(set: string, listsDir: string): string[] {
  const have = new Set(BUILTIN_PLUGINS.map((p) => p.name));
  return setPlugins(set, listsDir).filter((n) => !have.has(n));
}

/** One capture × reference set. */
export interface Case {
  /** `capture/set`, e.g. `faf-small/flow-s` or `malformed/x/base`. */
  readonly id: string;
  readonly capture: string;
  readonly set: string;
  readonly refDir: string;
  readonly stem: string;
}

/** Where the shared material is (../shared from the repository root), or null. */
export function sharedDir(): string | null {
  const dir = new URL("../../../shared/", import.meta.url).pathname;
  try {
    return Deno.statSync(dir + "reference").isDirectory ? dir : null;
  } catch {
    return null;
  }
}

function listDir(path: string): string[] {
  try {
    return [...Deno.readDirSync(path)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function captureFor(shared: string, rel: string, stem: string): string | null {
  for (const dir of [`${shared}captures/${rel}`, `${shared}fixtures/`]) {
    for (const ext of [".pcap", ".pcapng", ".cap"]) {
      try {
        const p = dir + stem + ext;
        Deno.statSync(p);
        return p;
      } catch { /* next */ }
    }
  }
  return null;
}

/** Cases of the bundled fixtures against the copies of their references in golden/. */
export function goldenCases(): Case[] {
  const root = new URL("../../", import.meta.url).pathname;
  const out: Case[] = [];
  for (const stem of listDir(`${root}golden`)) {
    if (stem === "lists") continue;
    for (const set of listDir(`${root}golden/${stem}`)) {
      out.push({
        id: `${stem}/${set}`,
        capture: `${root}fixtures/${stem}.pcap`,
        set,
        refDir: `${root}golden/${stem}/${set}/`,
        stem,
      });
    }
  }
  return out;
}

/** Folder of the plugin list files copied from the reference (golden/lists/). */
export const GOLDEN_LISTS: string = new URL("../../golden/lists/", import.meta.url).pathname;

/**
 * The cases of a corpus folder whose reference is not usable, from its `reference-status.tsv`
 * (`stem set status ...`; `nondet`: T2's runs differed, `crash`: T2 crashed), as `stem/set`.
 */
export function unusableReferences(refDir: string): Set<string> {
  const out = new Set<string>();
  const text = readOr(`${refDir}reference-status.tsv`, "");
  for (const line of text.split("\n").slice(1)) {
    const [stem, set, status] = line.split("\t");
    if (status === "nondet" || status === "crash") out.add(`${stem}/${set}`);
  }
  return out;
}

/** All cases with a reference and a capture (the wide corpus without its unusable references). */
export function allCases(shared: string): Case[] {
  const out: Case[] = [];
  const refRoot = `${shared}reference/`;
  const skip = unusableReferences(`${refRoot}wide/`);
  const add = (rel: string, stem: string) => {
    const capture = captureFor(shared, rel, stem);
    if (!capture) return;
    for (const set of listDir(`${refRoot}${rel}${stem}`)) {
      if (!(set in SETS)) continue;
      if (rel === "wide/" && skip.has(`${stem}/${set}`)) continue;
      out.push({
        id: `${rel}${stem}/${set}`,
        capture,
        set,
        refDir: `${refRoot}${rel}${stem}/${set}/`,
        stem,
      });
    }
  };
  for (const name of listDir(refRoot)) {
    if (name === "lists" || name === "list-R" || name === "malformed" || name === "wide") continue;
    add("", name);
  }
  for (const name of listDir(`${refRoot}malformed`)) add("malformed/", name);
  for (const name of listDir(`${refRoot}wide`)) add("wide/", name);
  return out;
}

/** Outcome of one case. */
export interface CaseResult {
  readonly id: string;
  readonly ok: boolean;
  /** Per compared file: null when equal. */
  readonly files: Record<string, Difference | null>;
  readonly exitCode: number;
  readonly expectedExitCode: number;
  /** Human-readable first failure. */
  readonly message: string;
  /** With `--threads`: the `[INF] --threads` line of a run that used one thread. */
  readonly oneThread?: string;
}

/**
 * Run a case into a fresh temporary directory and compare with its reference.
 *
 * @param listsDir Folder of the plugin list files (`base.txt`, `flow.txt`, ...).
 */
export function runCase(c: Case, listsDir: string): CaseResult {
  const prepared = prepareCase(c, listsDir);
  if ("message" in prepared) return prepared;
  try {
    return compareCase(c, prepared, run(prepared.opts).exitCode);
  } finally {
    Deno.removeSync(prepared.out, { recursive: true });
  }
}

/**
 * {@linkcode runCase} through `runAsync` with `--threads threads`: a sharded run (or its
 * fallback to one thread) against the same reference.
 */
export async function runCaseThreads(
  c: Case,
  listsDir: string,
  threads: number,
): Promise<CaseResult> {
  const prepared = prepareCase(c, listsDir);
  if ("message" in prepared) return prepared;
  let oneThread: string | undefined;
  const stderr = (l: string) => {
    if (l.startsWith("[INF] --threads")) oneThread = l;
  };
  try {
    const shardWorker = rootUrl("src/cli/shard_worker.ts");
    const r = await runAsync({ ...prepared.opts, threads, stderr, shardWorker });
    return { ...compareCase(c, prepared, r.exitCode), oneThread };
  } finally {
    Deno.removeSync(prepared.out, { recursive: true });
  }
}

/** A case's run: its options, its output folder (made here) and its report. */
interface PreparedCase {
  readonly opts: RunOptions;
  readonly out: string;
  readonly report: MemorySink;
}

/** The run of case `c`, or its result when the set needs plugins that are not built in. */
function prepareCase(c: Case, listsDir: string): PreparedCase | CaseResult {
  const missing = missingPlugins(c.set, listsDir);
  if (missing.length) {
    const message = `set ${c.set} needs plugins that are not built in: ${missing.join(", ")}`;
    return { id: c.id, ok: false, files: {}, exitCode: -1, expectedExitCode: 0, message };
  }
  const out = Deno.makeTempDirSync({ prefix: "t2ts-conf-" });
  const report = new MemorySink();
  const opts: RunOptions = {
    inputs: [c.capture],
    inputName: c.capture,
    outputPrefix: out + "/",
    plugins: selectPlugins(BUILTIN_PLUGINS, setPlugins(c.set, listsDir)),
    settings: [{ name: "SUBNET_ON", value: "0" }],
    packetMode: SETS[c.set].packetMode,
    commandLine: "t2",
    reportSink: report,
    color: false,
    stderr: () => {},
  };
  return { opts, out, report };
}

/** Every reference file of case `c` against what the run wrote into `out`, and the exit code. */
function compareCase(c: Case, run: PreparedCase, exitCode: number): CaseResult {
  const { out, report } = run;
  const files: Record<string, Difference | null> = {};
  let message = "";
  const expectedExitCode = Number(readOr(`${c.refDir}rc`, "0").trim());
  for (const entry of Deno.readDirSync(c.refDir)) {
    const f = entry.name;
    if (f === "rc" || f === "stderr.txt") continue;
    const expected = Deno.readTextFileSync(c.refDir + f);
    const actual = f.endsWith("_report.txt") ? report.takeText() : readOr(`${out}/${f}`, null);
    const d = actual === null
      ? { line: 0, column: "(file missing)", expected: "", actual: "" }
      : firstDifference(kindOf(f), expected, actual);
    files[f] = d;
    if (d && !message) message = describe(f, d);
  }
  if (!message && exitCode !== expectedExitCode) {
    message = `exit code ${exitCode}, expected ${expectedExitCode}`;
  }
  return { id: c.id, ok: !message, files, exitCode, expectedExitCode, message };
}

function readOr<T>(path: string, fallback: T): string | T {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return fallback;
  }
}
