/**
 * POSIX path helpers without `node:path`/`node:url`: importing those loads Deno's Node
 * compatibility layer, which costs every run about 5 MiB of memory and some start-up time
 * (measured with `Deno.memoryUsage()` around the import).
 *
 * @module
 */

/**
 * `dir` and `name` joined by one slash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(joinPath("plugins/", "a.ts"), "plugins/a.ts");
 * assert.equal(joinPath("plugins", "a.ts"), "plugins/a.ts");
 * ```
 */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * The `file:` URL of a path; a relative path is taken from the current directory. Every
 * character a URL would read differently (`%`, `#`, `?`, spaces, ...) is percent-encoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(fileUrl("/tmp/a b#1.ts").href, "file:///tmp/a%20b%231.ts");
 * ```
 */
export function fileUrl(path: string): URL {
  const absolute = path.startsWith("/") ? path : joinPath(Deno.cwd(), path);
  return new URL("file://" + absolute.split("/").map(encodeURIComponent).join("/"));
}
