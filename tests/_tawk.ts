/**
 * Helpers of the tawk and tcol tests: run `t2 tawk` / `t2 tcol` as the deno.json tasks do,
 * run plain gawk and util-linux `column` as oracles, and find the reference files of
 * ../shared (tests that need them skip, saying so, where they are absent).
 *
 * @module
 */

import { taskFlags } from "./_support/t2_task.ts";

/** Root of this repository. */
export const REPO: string = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** `../shared/reference/` with a trailing slash, or null when absent. */
export const REFERENCE: string | null = (() => {
  const dir = new URL("../../shared/reference/", import.meta.url).pathname;
  try {
    return Deno.statSync(dir).isDirectory ? dir : null;
  } catch {
    return null;
  }
})();

/** Whether a command can be run here. */
export function hasCommand(cmd: string, args: string[] = ["--version"]): boolean {
  try {
    new Deno.Command(cmd, { args, stdout: "null", stderr: "null", stdin: "null" }).outputSync();
    return true;
  } catch {
    return false;
  }
}

export const HAS_GAWK: boolean = hasCommand("gawk");
export const HAS_COLUMN: boolean = hasCommand("column", ["-V"]);

/** Output of a finished command. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a command gets its standard input. */
export interface Input {
  /** Text piped in. */
  readonly text?: string;
  /** A file as standard input (`< file`). */
  readonly file?: string;
}

async function run(cmd: string, args: string[], input: Input = {}, cwd = REPO): Promise<Ran> {
  let stdinFile: Deno.FsFile | null = null;
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1", LC_ALL: "C.UTF-8" },
    stdin: input.text !== undefined || input.file ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writing = input.text !== undefined
    ? (async () => {
      const w = child.stdin.getWriter();
      try {
        await w.write(new TextEncoder().encode(input.text));
        await w.close();
      } catch { /* the child stopped reading */ }
    })()
    : input.file
    ? (async () => {
      stdinFile = await Deno.open(input.file!);
      await stdinFile.readable.pipeTo(child.stdin).catch(() => {});
    })()
    : Promise.resolve();
  const out = await child.output();
  await writing;
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

/** `t2 tawk ARGS`, started as `deno task tawk` starts it. */
export function tawk(args: string[], input: Input = {}): Promise<Ran> {
  return run(Deno.execPath(), [...taskFlags("tawk"), `${REPO}/main.ts`, "tawk", ...args], input);
}

/** `t2 tcol ARGS`, started as `deno task tcol` starts it. */
export function tcol(args: string[], input: Input = {}): Promise<Ran> {
  return run(Deno.execPath(), [...taskFlags("tcol"), `${REPO}/main.ts`, "tcol", ...args], input);
}

/** Plain gawk on tab-separated input: the oracle, with field numbers written by hand. */
export function gawk(args: string[], input: Input = {}): Promise<Ran> {
  return run("gawk", ["-F", "\t", "-v", "OFS=\t", ...args], input);
}

/** util-linux `column -t -s TAB` in a UTF-8 locale: the oracle of tcol. */
export function column(args: string[], input: Input = {}): Promise<Ran> {
  return run("column", ["-t", "-s", "\t", ...args], input);
}

/** The first line where two texts differ, for assertion messages. */
export function firstDifference(got: string, want: string): string {
  const g = got.split("\n");
  const w = want.split("\n");
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) {
      let c = 0;
      while (c < (g[i] ?? "").length && g[i]?.[c] === w[i]?.[c]) c++;
      return `line ${i + 1}, column ${c + 1}:\n  got:  ${JSON.stringify(g[i])}\n  want: ${
        JSON.stringify(w[i])
      }`;
    }
  }
  return "identical";
}
