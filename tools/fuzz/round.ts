/**
 * A fuzz round: inputs derived deterministically from (round seed, input number), each a seed
 * capture plus generated ops and a run configuration, run with a time bound; failures are
 * grouped by signature, minimised (records dropped while the failure stays the same) and
 * handed to the caller to be recorded as crash cases.
 *
 * @module
 */

import { inputSeed, Prng } from "./prng.ts";
import { FAMILIES, type Family, mutate } from "./mutators.ts";
import { applyOps, type Op } from "./ops.ts";
import { parseLayout } from "./layout.ts";
import type { Seed } from "./corpus.ts";
import { compareOutputs, type FuzzConfig, PLUGIN_SETS, poisonVariants } from "./target.ts";
import type { FuzzRunner, TimedOutcome } from "./runner.ts";

/** A failure kind: the target's, plus `oob` (output depends on bytes past the captured ones). */
export type FailureKind = "crash" | "invariant" | "hang" | "oob";

/** Everything needed to rebuild and re-run a failing input. */
export interface Failure {
  readonly kind: FailureKind;
  readonly message: string;
  /** First stack frame inside the repository (crash only). */
  readonly where?: string;
  readonly stack?: string;
  /** Groups failures with the same cause. */
  readonly signature: string;
  /** Seed capture id (`fixtures/...` or `shared:captures/...`). */
  readonly source: string;
  readonly roundSeed: number;
  readonly index: number;
  readonly ops: Op[];
  readonly config: FuzzConfig;
  /** The (minimised) input bytes. */
  readonly bytes: Uint8Array;
}

/** Figures of a round. */
export interface RoundStats {
  inputs: number;
  /** Extra runs for the poison oracle and minimisation. */
  extraRuns: number;
  ok: number;
  /** Runs that ended with exit code 1 (unusable header, unsupported link type): fine. */
  exit1: number;
  failures: Record<FailureKind, number>;
  /** Failures with the signature of a recorded open bug (not counted in `failures`). */
  known: number;
  /** Distinct signatures seen. */
  signatures: number;
  families: Record<Family, number>;
  bySet: Record<string, number>;
  packets: number;
  ms: number;
  slowestMs: number;
}

/** Options of {@linkcode runRound}. */
export interface RoundOptions {
  readonly seed: number;
  readonly corpus: readonly Seed[];
  /** Stop after this many inputs. */
  readonly inputs?: number;
  /** Stop after this many milliseconds (checked between inputs). */
  readonly budgetMs?: number;
  /** Stop when this says so (checked between inputs), e.g. after Ctrl-C. */
  readonly stop?: () => boolean;
  /** Share of inputs also run through the poison oracle (default 0.1). */
  readonly poisonRate?: number;
  /** Minimise failing inputs (default true). */
  readonly minimize?: boolean;
  /** Called once per new failure signature. */
  readonly onFailure?: (f: Failure) => void | Promise<void>;
  /**
   * Signatures of recorded open bugs (crash cases with an `ignore` field): counted as `known`,
   * neither reported again nor a failure of the round.
   */
  readonly known?: ReadonlySet<string>;
  /** One line per failing input. */
  readonly log?: (line: string) => void;
  /** Called every 1000 inputs with the figures so far. */
  readonly progress?: (stats: Readonly<RoundStats>, elapsedMs: number) => void;
}

/** Choose how an input is run. */
function chooseConfig(prng: Prng): FuzzConfig {
  const set = prng.pick(Object.keys(PLUGIN_SETS));
  const settings = [{ name: "SUBNET_ON", value: prng.chance(0.1) ? "1" : "0" }];
  if (prng.chance(0.25)) {
    settings.push({ name: "FLOW_TIMEOUT", value: String(prng.pick([0, 0.001, 1, 30])) });
  }
  return { set, settings };
}

/** The input number `index` of a round: seed capture, ops and configuration. */
export function makeInput(
  roundSeed: number,
  index: number,
  corpus: readonly Seed[],
): { source: Seed; ops: Op[]; bytes: Uint8Array; config: FuzzConfig; families: Family[] } {
  const prng = new Prng(inputSeed(roundSeed, index));
  // The bundled fixtures get a quarter of the inputs when shared captures are present too.
  const fixtures = corpus.filter((s) => !s.shared);
  const shared = corpus.filter((s) => s.shared);
  const pool = fixtures.length && shared.length ? (prng.chance(0.25) ? fixtures : shared) : corpus;
  const source = pool[prng.int(pool.length)];
  const m = mutate(prng, source.bytes);
  const config = chooseConfig(prng);
  return { source, ops: m.ops, bytes: m.bytes, config, families: m.families };
}

/** A short stable hash (FNV-1a, 32 bits) as 8 hex digits. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** First stack frame in src/ or plugins/, as `path:line` (null when none). */
function repoFrame(stack: string | undefined): string | null {
  if (!stack) return null;
  const m = stack.match(/\/((?:src|plugins)\/[^\s:)]+):(\d+):\d+/);
  return m ? `${m[1]}:${m[2]}` : null;
}

/** The signature of an outcome: kind, message without numbers, and where it was thrown. */
export function signatureOf(kind: FailureKind, message: string, stack?: string): string {
  const frame = repoFrame(stack)?.replace(/:\d+$/, "") ?? "";
  const text = message.replace(/\d+/g, "N").replace(/"[^"]*"/g, '""');
  return `${kind}|${text}|${frame}`;
}

/** Re-run an input the way a failure of `kind` was found; returns its signature or null if ok. */
export async function check(
  runner: FuzzRunner,
  kind: FailureKind,
  name: string,
  bytes: Uint8Array,
  config: FuzzConfig,
): Promise<{ signature: string; outcome: TimedOutcome; message: string } | null> {
  if (kind === "oob") {
    const m = await poisonCheck(runner, name, bytes, config);
    return m === null ? null : { signature: m.signature, outcome: m.outcome, message: m.message };
  }
  const o = await runner.run({ name, bytes, config });
  if (o.kind === "ok") return null;
  return { signature: signatureOf(o.kind, o.message, o.stack), outcome: o, message: o.message };
}

/** Run the two poisoned variants; a message when their outputs differ, else null. */
async function poisonCheck(
  runner: FuzzRunner,
  name: string,
  bytes: Uint8Array,
  config: FuzzConfig,
): Promise<{ message: string; signature: string; outcome: TimedOutcome } | null> {
  const pv = poisonVariants(bytes);
  if (!pv) return null;
  const a = await runner.run({ name, bytes: pv[0], config }, true);
  if (a.kind !== "ok") return null; // a crash shows up on the plain run as well
  const b = await runner.run({ name, bytes: pv[1], config }, true);
  if (b.kind !== "ok") return null;
  const d = compareOutputs(a.outputs, b.outputs);
  if (d === null) return null;
  return {
    message: `output depends on bytes past the captured ones: ${d.file} line ${d.line} ` +
      `column ${d.column}: ${JSON.stringify(d.a.slice(0, 120))} with 0x00 after the packet, ` +
      `${JSON.stringify(d.b.slice(0, 120))} with 0xff`,
    signature: `oob|${d.file}|${d.column}`,
    outcome: a,
  };
}

/**
 * Make a failing input smaller while it fails with the same signature: first lower the repeat
 * counts of structural edits, then drop records (halves, quarters, ... single ones). Returns the
 * ops (rebuilding the result from `source`) and the bytes. Hangs are not minimised.
 */
export async function minimize(
  runner: FuzzRunner,
  f: { kind: FailureKind; signature: string; config: FuzzConfig; ops: Op[]; bytes: Uint8Array },
  source: Uint8Array,
  name: string,
  maxRuns = 400,
): Promise<{ ops: Op[]; bytes: Uint8Array; runs: number }> {
  let ops = f.ops;
  let bytes = f.bytes;
  let runs = 0;
  if (f.kind === "hang") return { ops, bytes, runs };
  const still = async (b: Uint8Array) => {
    runs++;
    const r = await check(runner, f.kind, name, b, f.config);
    return r !== null && r.signature === f.signature;
  };
  for (let i = 0; i < ops.length && runs < maxRuns; i++) {
    const op = ops[i];
    if (op.op !== "edit" || (op.repeat ?? 1) <= 1) continue;
    for (let k = 1; k < op.repeat! && runs < maxRuns; k *= 2) {
      const tryOps = ops.map((o, j) => j === i ? { ...op, repeat: k } : o);
      const tryBytes = applyOps(source, tryOps);
      if (await still(tryBytes)) {
        ops = tryOps;
        bytes = tryBytes;
        break;
      }
    }
  }
  let n = parseLayout(bytes).records.length;
  for (let chunk = Math.max(1, n >> 1); chunk >= 1 && runs < maxRuns; chunk >>= 1) {
    for (let i = 0; i < n && runs < maxRuns;) {
      const tryOps: Op[] = [...ops, { op: "drop", index: i, count: chunk }];
      const tryBytes = applyOps(bytes, [tryOps[tryOps.length - 1]]);
      if (await still(tryBytes)) {
        ops = tryOps;
        bytes = tryBytes;
        n = parseLayout(bytes).records.length;
      } else i += chunk;
    }
    if (chunk === 1) break;
  }
  return { ops, bytes, runs };
}

/** Run a round; returns its figures. */
export async function runRound(runner: FuzzRunner, o: RoundOptions): Promise<RoundStats> {
  const stats: RoundStats = {
    inputs: 0,
    extraRuns: 0,
    ok: 0,
    exit1: 0,
    failures: { crash: 0, invariant: 0, hang: 0, oob: 0 },
    known: 0,
    signatures: 0,
    families: Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>,
    bySet: {},
    packets: 0,
    ms: 0,
    slowestMs: 0,
  };
  if (o.corpus.length === 0) throw new Error("Cannot fuzz: no seed captures");
  const seen = new Set<string>();
  const started = performance.now();
  const poisonRate = o.poisonRate ?? 0.1;
  for (let index = 0;; index++) {
    if (o.inputs !== undefined && index >= o.inputs) break;
    if (o.budgetMs !== undefined && performance.now() - started >= o.budgetMs) break;
    if (o.stop?.()) break;
    if (index > 0 && index % 1000 === 0) o.progress?.(stats, performance.now() - started);
    const inp = makeInput(o.seed, index, o.corpus);
    const name = inp.source.id.slice(inp.source.id.lastIndexOf("/") + 1);
    stats.inputs++;
    for (const f of inp.families) stats.families[f]++;
    stats.bySet[inp.config.set] = (stats.bySet[inp.config.set] ?? 0) + 1;
    const out = await runner.run({ name, bytes: inp.bytes, config: inp.config });
    stats.slowestMs = Math.max(stats.slowestMs, out.ms);
    stats.packets += out.packets;
    let kind: FailureKind | null = out.kind === "ok" ? null : out.kind;
    let message = out.message;
    let stack = out.stack;
    let signature = kind ? signatureOf(kind, message, stack) : "";
    // The poison oracle on a share of the inputs (decided by the input's own seed).
    if (!kind && new Prng(inputSeed(o.seed, index) ^ 0x5bd1e995).chance(poisonRate)) {
      stats.extraRuns += 2;
      const p = await poisonCheck(runner, name, inp.bytes, inp.config);
      if (p) {
        kind = "oob";
        message = p.message;
        stack = undefined;
        signature = p.signature;
      }
    }
    if (!kind) {
      stats.ok++;
      if (out.exitCode === 1) stats.exit1++;
      continue;
    }
    if (o.known?.has(signature)) {
      stats.known++;
      continue;
    }
    stats.failures[kind]++;
    o.log?.(`input ${index}: ${kind}: ${message.slice(0, 200)} (${inp.source.id})`);
    if (seen.has(signature)) continue;
    seen.add(signature);
    stats.signatures++;
    let ops = inp.ops;
    let bytes = inp.bytes;
    if (o.minimize ?? true) {
      const m = await minimize(
        runner,
        { kind, signature, config: inp.config, ops, bytes },
        inp.source.bytes,
        name,
      );
      stats.extraRuns += m.runs;
      ops = m.ops;
      bytes = m.bytes;
    }
    await o.onFailure?.({
      kind,
      message,
      where: repoFrame(stack) ?? undefined,
      stack,
      signature,
      source: inp.source.id,
      roundSeed: o.seed,
      index,
      ops,
      config: inp.config,
      bytes,
    });
  }
  stats.ms = performance.now() - started;
  return stats;
}
