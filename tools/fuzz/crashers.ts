/**
 * Recorded fuzz failures (`tests/crashers/`): one `<id>.json` per case, plus `<id>.pcap` with the
 * mutated, minimised input when it was made from a bundled fixture. A case made from a shared
 * capture (which must not enter the repository) holds only the capture's name, the round seed
 * and input number, and the ops that rebuild the input from the capture.
 *
 * @module
 */

import type { FuzzConfig } from "./target.ts";
import type { Failure, FailureKind } from "./round.ts";
import { shortHash } from "./round.ts";
import type { Op } from "./ops.ts";
import { applyOps } from "./ops.ts";
import { readSeed, REPO_ROOT } from "./corpus.ts";

/** Where the cases live. */
const CRASHERS_DIR: string = `${REPO_ROOT}tests/crashers/`;

/** The JSON of one case. */
export interface CrashCase {
  readonly id: string;
  readonly kind: FailureKind;
  readonly message: string;
  /** What groups failures of one cause (kind, message without numbers, where). */
  readonly signature: string;
  /** Where it was thrown (first frame in src/ or plugins/), if known. */
  readonly where?: string;
  /** Seed capture: `fixtures/...` or `shared:captures/...`. */
  readonly source: string;
  readonly roundSeed: number;
  readonly index: number;
  /** Ops rebuilding the input from the seed capture. */
  readonly ops: Op[];
  readonly config: FuzzConfig;
  /** File beside the JSON holding the input (fixture-derived cases only). */
  readonly file?: string;
  /**
   * Set while the bug is open: the replay test is ignored and this says what fails where.
   * Remove it once fixed.
   */
  readonly ignore?: string;
}

/** Save a failure as a case (does not overwrite an existing case of the same id). */
export function saveCrasher(f: Failure, dir = CRASHERS_DIR): CrashCase {
  const id = `${f.kind}-${shortHash(f.signature)}`;
  Deno.mkdirSync(dir, { recursive: true });
  const shared = f.source.startsWith("shared:");
  const c: CrashCase = {
    id,
    kind: f.kind,
    message: f.message.slice(0, 500),
    signature: f.signature,
    where: f.where,
    source: f.source,
    roundSeed: f.roundSeed,
    index: f.index,
    ops: f.ops,
    config: f.config,
    file: shared ? undefined : `${id}.pcap`,
  };
  const json = `${dir}${id}.json`;
  try {
    Deno.statSync(json);
    return c; // already recorded
  } catch { /* new */ }
  if (!shared) Deno.writeFileSync(`${dir}${id}.pcap`, f.bytes);
  Deno.writeTextFileSync(json, JSON.stringify(c, null, 2) + "\n");
  return c;
}

/** All recorded cases, sorted by id. */
export function loadCrashers(dir = CRASHERS_DIR): CrashCase[] {
  const out: CrashCase[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile && e.name.endsWith(".json")) {
        out.push(JSON.parse(Deno.readTextFileSync(dir + e.name)));
      }
    }
  } catch { /* no directory yet */ }
  return out.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The input bytes of a case, or null when it needs ../shared and that is absent. */
export function crasherBytes(c: CrashCase, dir = CRASHERS_DIR): Uint8Array | null {
  if (c.file) return Deno.readFileSync(dir + c.file);
  const seed = readSeed(c.source);
  return seed === null ? null : applyOps(seed, c.ops);
}
