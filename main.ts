/**
 * Command-line entry: `t2 -r CAPTURE -w OUTDIR/ [-b LIST] [-s] [--set NAME=VALUE ...]`.
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
