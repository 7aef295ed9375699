/**
 * The program itself: run the command line and exit with T2's exit code. `main.ts` starts
 * it from the bundle `dist/t2.js` when that is up to date (see bundle.ts), and `deno compile`
 * builds the binary from it.
 *
 * @module
 */

import { main } from "./main.ts";
import { tawkMain } from "../tawk/main.ts";
import { tcolMain } from "../tcol/main.ts";

// `t2 tawk ...` and `t2 tcol ...` are T2's analysis tools, not runs: chosen before T2's options.
const tools: Record<string, (args: string[]) => Promise<number>> = {
  tawk: tawkMain,
  tcol: tcolMain,
};
const tool = tools[Deno.args[0]];
Deno.exit(await (tool ? tool(Deno.args.slice(1)) : main(Deno.args)));
