/**
 * Where the program's own files are: the repository root (or the root of the files a
 * `deno compile` binary embeds), found from this module's URL.
 *
 * This file sits one folder below the root, like the bundle `dist/t2.js` that `deno task
 * bundle` makes of the program: once bundled, `import.meta.url` is the bundle's URL, and `../`
 * still leads to the root. Keep both one level down.
 *
 * @module
 */

/** The root folder, with a trailing slash. */
export const ROOT: URL = new URL("../", import.meta.url);

/** A file or folder of the program, relative to the root (e.g. `data/geo/`). */
export function rootUrl(path: string): URL {
  return new URL(path, ROOT);
}
