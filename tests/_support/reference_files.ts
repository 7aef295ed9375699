/**
 * Test helper: the real T2 0.9.3 outputs in `../shared/reference` (absent on machines without
 * the shared data; tests that need them are ignored there, saying so in their names).
 *
 * @module
 */

/** The reference folder. */
const REFERENCE: URL = new URL("../../../shared/reference/", import.meta.url);

/** Whether the reference folder exists. */
export function hasReference(): boolean {
  try {
    return Deno.statSync(REFERENCE).isDirectory;
  } catch {
    return false;
  }
}

/** Paths of every reference file whose name ends with `suffix`, sorted. */
export function referenceFiles(suffix: string): string[] {
  const out: string[] = [];
  const walk = (dir: URL) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) walk(new URL(e.name + "/", dir));
      else if (e.name.endsWith(suffix)) out.push(new URL(e.name, dir).pathname);
    }
  };
  walk(REFERENCE);
  return out.sort();
}
