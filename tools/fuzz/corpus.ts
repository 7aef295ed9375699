/**
 * Seed captures of the fuzzer: the bundled fixtures (`fixtures/*.pcap`) and, when present, the
 * shared public captures (`../shared/captures/**`, read in place — never copied into the
 * repository; a failure found on one is recorded by name, seed and ops).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** One seed capture. */
export interface Seed {
  /** `fixtures/<name>` or `shared:captures/<path>`. */
  readonly id: string;
  readonly bytes: Uint8Array;
  /** Whether the capture comes from ../shared (and must not enter the repository). */
  readonly shared: boolean;
}

/** The repository root (ends with `/`). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** `../shared/` beside the repository, or null when absent. */
export function sharedRoot(): string | null {
  const dir = fileURLToPath(new URL("../../../shared/", import.meta.url));
  try {
    return Deno.statSync(dir + "captures").isDirectory ? dir : null;
  } catch {
    return null;
  }
}

function captureFiles(dir: string, rel: string): string[] {
  const out: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) {
    if (e.isDirectory) out.push(...captureFiles(`${dir}${e.name}/`, `${rel}${e.name}/`));
    else if (/\.(pcap|pcapng|cap)$/.test(e.name)) out.push(rel + e.name);
  }
  return out;
}

/** Which seeds to use. */
export type CorpusChoice = "fixtures" | "shared" | "all";

/** Load the seeds (sorted by id, so a seed number always means the same inputs). */
export function loadCorpus(choice: CorpusChoice = "all"): Seed[] {
  const seeds: Seed[] = [];
  if (choice !== "shared") {
    for (const f of captureFiles(`${REPO_ROOT}fixtures/`, "")) {
      seeds.push({
        id: `fixtures/${f}`,
        bytes: Deno.readFileSync(`${REPO_ROOT}fixtures/${f}`),
        shared: false,
      });
    }
  }
  const shared = choice !== "fixtures" ? sharedRoot() : null;
  if (shared) {
    for (const f of captureFiles(`${shared}captures/`, "")) {
      seeds.push({
        id: `shared:captures/${f}`,
        bytes: Deno.readFileSync(`${shared}captures/${f}`),
        shared: true,
      });
    }
  }
  return seeds;
}

/** Read a seed by id (null when it is a shared capture and ../shared is absent). */
export function readSeed(id: string): Uint8Array | null {
  if (id.startsWith("shared:")) {
    const shared = sharedRoot();
    if (!shared) return null;
    return Deno.readFileSync(shared + id.slice("shared:".length));
  }
  return Deno.readFileSync(REPO_ROOT + id);
}
