/**
 * The examples in the plugin API's documentation (`@example` blocks of mod.ts and the modules
 * it re-exports for plugin authors) type-check and run: `deno test --doc` on those modules, in
 * a child process. An example that no longer matches the API fails here.
 */

import assert from "node:assert/strict";

const REPO = new URL("../", import.meta.url).pathname;

/** Modules whose examples show the plugin API. */
const DOCUMENTED = [
  "mod.ts",
  "src/plugin/api.ts",
  "src/plugin/protocols.ts",
  "src/dissect/packet.ts",
  "src/flow/flows.ts",
  "src/output/summary_file.ts",
];

Deno.test("plugin API: the documentation's examples type-check and run", () => {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["test", "--doc", "--allow-read", "--allow-write", "--allow-env", ...DOCUMENTED],
    cwd: REPO,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  // Every module contributes at least one example (a module without any would pass silently).
  for (const file of DOCUMENTED) {
    const escaped = file.replaceAll(".", "\\.");
    assert.match(text, new RegExp(`running \\d+ tests? from \\./${escaped}#`), file);
  }
});
