/**
 * The `deno run` flags of the tasks in deno.json that start the program (`t2`, `tawk`, `tcol`),
 * so that tests and benchmarks start it exactly as users do (V8 flags, permissions, config)
 * without repeating the flags.
 *
 * The tasks read `T2TS="$(pwd)" && cd "$INIT_CWD" && deno run FLAGS "$T2TS/main.ts" [TOOL]`:
 * they run in the caller's directory, so the repository's files are named through `$T2TS`,
 * which stands for the repository here.
 *
 * @module
 */

const REPO = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** A task's command line (a task is a string or `{ command, dependencies }`). */
export function taskCommand(name: string): string {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  const task = config.tasks[name];
  return String(typeof task === "string" ? task : task.command);
}

/**
 * The words of a task's `deno run` command after `deno`, up to and without its `main.ts`, with
 * `$T2TS` replaced by the repository's path and the shell's quotes removed.
 */
export function taskFlags(name: string): string[] {
  const words = taskCommand(name).trim().split(/\s+/)
    .map((w) => w.replaceAll('"', "").replaceAll("$T2TS", REPO));
  const deno = words.indexOf("deno");
  const main = words.indexOf(`${REPO}/main.ts`);
  if (deno < 0 || words[deno + 1] !== "run" || main < deno) {
    throw new Error(
      `deno.json: the ${name} task has no "deno run ... main.ts": ${words.join(" ")}`,
    );
  }
  return words.slice(deno + 1, main);
}

/** The arguments between `deno` and `main.ts` in the `t2` task (e.g. `run --no-check ...`). */
export function t2TaskFlags(): string[] {
  return taskFlags("t2");
}
