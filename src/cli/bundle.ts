/**
 * The program as one bundled file, `dist/t2.js`, made on demand and reused while it is newer
 * than every source file.
 *
 * Why: run from its 60 source modules, a whole run over the benchmark capture takes 10-14%
 * longer (and up to 4 MiB more memory) than the same code bundled into one module
 * (interleaved whole-process runs; see the README's Performance section). Start-up explains
 * 10 ms of it; the rest is probably V8 optimising constants and calls better within one module
 * than across modules.
 *
 * `main.ts` asks {@linkcode bundledProgram} for the bundle and falls back to the sources
 * whenever it cannot have one: no `--unstable-bundle` flag (the bundler is `Deno.bundle`), a
 * read-only checkout, no permission, or a failing build. The fallback runs the same code, so
 * the output never depends on which one ran.
 *
 * @module
 */

import { ROOT } from "../root.ts";

/** Where the bundle goes, from the root (one folder down: see root.ts for why). */
export const BUNDLE_PATH = "dist/t2.js";

/** The module the bundle is made from, from the root. */
export const ENTRY_PATH = "src/cli/entry.ts";

/**
 * Written when a build fails, with the sources' newest modification time: the next runs do
 * not try again (a build may first download the bundler) until a source changes.
 */
export const FAILED_PATH = "dist/t2.js.failed";

/** What the bundle is made of: a change to any of them makes it stale. */
const SOURCES = ["src/", "plugins/", "mod.ts", "deno.json", "deno.lock"];

/** The part of `Deno.bundle` (unstable, behind `--unstable-bundle`) used here. */
type BundleFn = (options: {
  entrypoints: string[];
  outputPath: string;
  platform: "deno";
  sourcemap: "linked";
  write: true;
}) => Promise<{ success: boolean; errors: unknown[] }>;

/** `Deno.bundle` when the runtime offers it. */
function bundler(): BundleFn | undefined {
  const b = (Deno as unknown as { bundle?: BundleFn }).bundle;
  return typeof b === "function" ? b : undefined;
}

/** Modification time in ms, or -1 when the file is missing. */
function mtime(url: URL): number {
  try {
    return Deno.statSync(url).mtime?.getTime() ?? -1;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return -1;
    throw e;
  }
}

/** Newest modification time of a file or, recursively, of the `.ts` files of a folder. */
function newest(url: URL): number {
  if (!url.pathname.endsWith("/")) return mtime(url);
  let t = -1;
  for (const e of Deno.readDirSync(url)) {
    if (e.isDirectory) t = Math.max(t, newest(new URL(e.name + "/", url)));
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
      t = Math.max(t, mtime(new URL(e.name, url)));
    }
  }
  return t;
}

/** Newest modification time of the bundle's sources under `root`. */
function newestSource(root: URL): number {
  let t = -1;
  for (const s of SOURCES) t = Math.max(t, newest(new URL(s, root)));
  return t;
}

/** Whether a bundle dated `built` (-1: none) is current for sources dated up to `sources`. */
function current(built: number, sources: number): boolean {
  return built >= 0 && built >= sources;
}

/** Whether the bundle of the program under `root` exists and is newer than all its sources. */
export function bundleIsFresh(root: URL = ROOT): boolean {
  return current(mtime(new URL(BUNDLE_PATH, root)), newestSource(root));
}

/**
 * Build the bundle and its source map (error stack traces then name the TypeScript files and
 * lines) in a private folder and move them into place, the map first, so that a concurrent run
 * never reads a half-written bundle. Returns false when it cannot be built.
 */
export async function buildBundle(root: URL = ROOT): Promise<boolean> {
  const bundleFn = bundler();
  if (!bundleFn) return false;
  const bundle = new URL(BUNDLE_PATH, root);
  const name = bundle.pathname.slice(bundle.pathname.lastIndexOf("/") + 1);
  const tmpDir = new URL(`.build-${Deno.pid}/`, bundle);
  // The bundle is dated from the start of the build: a source saved while it is being built
  // is newer, and the next run builds again.
  const started = new Date();
  try {
    Deno.mkdirSync(tmpDir, { recursive: true });
    const r = await bundleFn({
      entrypoints: [new URL(ENTRY_PATH, root).href],
      outputPath: new URL(name, tmpDir).pathname,
      platform: "deno",
      sourcemap: "linked",
      write: true,
    });
    if (!r.success) return false;
    Deno.utimeSync(new URL(name, tmpDir), started, started);
    Deno.renameSync(new URL(`${name}.map`, tmpDir), new URL(`${name}.map`, bundle));
    Deno.renameSync(new URL(name, tmpDir), bundle);
    return true;
  } catch {
    return false;
  } finally {
    try {
      Deno.removeSync(tmpDir, { recursive: true });
    } catch { /* nothing was written */ }
  }
}

/**
 * The bundle to run (built first when stale), or null to run the sources: also when a build
 * of these same sources failed before (see {@linkcode FAILED_PATH}).
 */
export async function bundledProgram(root: URL = ROOT): Promise<URL | null> {
  const bundle = new URL(BUNDLE_PATH, root);
  const failed = new URL(FAILED_PATH, root);
  try {
    const sources = newestSource(root);
    if (current(mtime(bundle), sources)) return bundle;
    // Without the bundler (no --unstable-bundle) nothing is tried, so nothing failed either:
    // a later run with the flag must still build.
    if (!bundler()) return null;
    if (readOrEmpty(failed) === String(sources)) return null;
    if (await buildBundle(root)) {
      removeIfThere(failed);
      return bundle;
    }
    try {
      Deno.writeTextFileSync(failed, String(sources));
    } catch { /* read-only: the next run tries again, and fails as fast */ }
    return null;
  } catch {
    return null; // no permission to look at the sources: run them as they are
  }
}

function readOrEmpty(url: URL): string {
  try {
    return Deno.readTextFileSync(url);
  } catch {
    return "";
  }
}

function removeIfThere(url: URL): void {
  try {
    Deno.removeSync(url);
  } catch { /* not there */ }
}
