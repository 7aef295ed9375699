/**
 * The program itself: run the command line and exit with T2's exit code. `main.ts` starts
 * it from the bundle `dist/t2.js` when that is up to date (see bundle.ts), and `deno compile`
 * builds the binary from it.
 *
 * @module
 */

import { main } from "./main.ts";

Deno.exit(await main(Deno.args));
