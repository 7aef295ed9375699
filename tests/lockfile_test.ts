/**
 * The product's lockfile names only the npm packages of deno.json's import map: Deno installs
 * every npm package of a lockfile at a run's first npm import, so a package that only a
 * benchmark or a tool pins inline (`npm:name@version`) would be downloaded by every run on a
 * fresh Deno cache, and fail it without network (issue 16). Such a tool gets its own
 * deno.json and lockfile (tasks/reader_bench/).
 *
 * @module
 */

import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);

Deno.test("deno.lock: every npm package it pins is one of the import map's", () => {
  const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root)));
  const lock = JSON.parse(Deno.readTextFileSync(new URL("deno.lock", root)));
  const mapped = new Set(Object.values(config.imports ?? {}) as string[]);
  const pinned = Object.keys(lock.specifiers ?? {}).filter((s) => s.startsWith("npm:"));
  assert.ok(pinned.length > 0, "deno.lock pins the geo data packages");
  const stray = pinned.filter((s) => !mapped.has(s));
  assert.deepEqual(
    stray,
    [],
    "npm packages pinned outside the import map (give their tool its own config)",
  );
});

Deno.test("deno.lock: the reader benchmark's pcap-parser lives in its own lockfile", () => {
  const own = Deno.readTextFileSync(new URL("tasks/reader_bench/deno.lock", root));
  assert.match(own, /npm:pcap-parser@/);
});
