/**
 * The `deno run` flags of the `t2` task in deno.json, so that tests and benchmarks start the
 * program exactly as users do (V8 flags, permissions) without repeating the flags.
 *
 * @module
 */

/** The `t2` task's command line (the task is a string or `{ command, dependencies }`). */
function t2Task(): string {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  const task = config.tasks.t2;
  return String(typeof task === "string" ? task : task.command);
}

/** The arguments between `deno` and `main.ts` in the `t2` task (e.g. `run --no-check ...`). */
export function t2TaskFlags(): string[] {
  const words = t2Task().trim().split(/\s+/);
  const main = words.indexOf("main.ts");
  if (words[0] !== "deno" || main < 0) {
    throw new Error(`deno.json: the t2 task is not "deno run ... main.ts": ${words.join(" ")}`);
  }
  return words.slice(1, main);
}
