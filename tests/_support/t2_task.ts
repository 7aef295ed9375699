/**
 * The `deno run` flags of the `t2` task in deno.json, so that tests and benchmarks start the
 * program exactly as users do (bundle, V8 flags, permissions) without repeating the flags.
 *
 * @module
 */

/** The arguments between `deno` and `main.ts` in the `t2` task (e.g. `run --no-check ...`). */
export function t2TaskFlags(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  const words = String(config.tasks.t2).trim().split(/\s+/);
  const main = words.indexOf("main.ts");
  if (words[0] !== "deno" || main < 0) {
    throw new Error(`deno.json: the t2 task is not "deno run ... main.ts": ${words.join(" ")}`);
  }
  return words.slice(1, main);
}
