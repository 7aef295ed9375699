/**
 * Command-line entry: `t2 -r CAPTURE -w OUTDIR/ [-b LIST] [-s] [--set NAME=VALUE ...]`.
 *
 * Starts the program from its bundle `dist/t2.js` when it can (faster and lighter, see
 * src/cli/bundle.ts), else from the sources; both run src/cli/entry.ts.
 *
 * @module
 */

import { bundledProgram } from "./src/cli/bundle.ts";

if (import.meta.main) {
  const bundle = await bundledProgram();
  if (bundle) await import(bundle.href);
  // A computed specifier: a literal one would make Deno load the whole source graph up front
  // even when the bundle runs (2 MiB more at the peak).
  else await import(new URL("./src/cli/entry.ts", import.meta.url).href);
}
