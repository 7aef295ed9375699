/**
 * Command-line entry: `t2 -r CAPTURE -w OUTDIR/ [-b LIST] [-s] [--set NAME=VALUE ...]`.
 *
 * Runs the command (src/cli/main.ts) and exits with T2's exit code. `deno task t2` runs this
 * file from the sources; `deno task bundle` makes one file of it (`dist/t2.js`, what
 * `deno task compile` turns into a binary); see docs/startup.md.
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
