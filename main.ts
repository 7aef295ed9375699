/**
 * Command-line entry: `t2 -r CAPTURE -w OUTDIR/ [-b LIST] [-s] [--set NAME=VALUE ...]`, and T2's
 * analysis tools `t2 tawk ...` and `t2 tcol ...`.
 *
 * Runs the command (src/cli/main.ts) and exits with T2's exit code. `deno task t2` runs this
 * file from the sources; `deno task bundle` makes one file of it (`dist/t2.js`, what
 * `deno task compile` turns into a binary); see docs/startup.md.
 *
 * @module
 */

import { main } from "./src/cli/main.ts";
import { tawkMain } from "./src/tawk/main.ts";
import { tcolMain } from "./src/tcol/main.ts";

// `t2 tawk ...` and `t2 tcol ...` are T2's analysis tools, not runs: chosen before T2's options.
const tools: Record<string, (args: string[]) => Promise<number>> = {
  tawk: tawkMain,
  tcol: tcolMain,
};

if (import.meta.main) {
  const tool = tools[Deno.args[0]];
  Deno.exit(await (tool ? tool(Deno.args.slice(1)) : main(Deno.args)));
}
