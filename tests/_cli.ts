/**
 * Helpers of the command-line tests: run `main.ts` (or a compiled binary) as a child process,
 * temporary directories, and the fixtures and golden files of the repository.
 *
 * @module
 */

import { t2TaskFlags } from "./_support/t2_task.ts";

/** Root of this repository. */
export const REPO: string = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
/** The bundled captures. */
export const FAF = `${REPO}/fixtures/faf-small.pcap`;
export const ANNOLOC = `${REPO}/fixtures/annoloc-small.pcap`;
/** Plugin lists of the reference sets. */
export const LISTS = `${REPO}/golden/lists`;

/** Output of a finished command. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * How to start the program: as the `t2` task does (same flags, `main.ts` from the sources)
 * unless a binary is given.
 */
export interface RunHow {
  readonly cwd?: string;
  readonly stdin?: string;
  readonly binary?: string;
  readonly env?: Record<string, string>;
}

/** The command and arguments that start t2 with `args`. */
export function t2Command(args: readonly string[], how: RunHow = {}): [string, string[]] {
  if (how.binary) return [how.binary, [...args]];
  return [Deno.execPath(), [...t2TaskFlags(), `${REPO}/main.ts`, ...args]];
}

/** Run t2 to its end. */
export async function t2(args: readonly string[], how: RunHow = {}): Promise<Ran> {
  const [cmd, argv] = t2Command(args, how);
  const child = new Deno.Command(cmd, {
    args: argv,
    cwd: how.cwd,
    env: { NO_COLOR: "1", ...how.env },
    stdin: how.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (how.stdin) {
    const file = await Deno.open(how.stdin, { read: true });
    await file.readable.pipeTo(child.stdin);
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A temporary directory removed after `fn`. */
export async function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_cli_" });
  try {
    await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** A file's text, or null when it does not exist. */
export function readOrNull(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/** Flow lines without the header and without flowInd (column 2), sorted. */
export function flowsWithoutIndex(text: string): string[] {
  return text.trimEnd().split("\n").filter((l) => !l.startsWith("%"))
    .map((l) => l.replace(/^([^\t]*)\t[^\t]*\t/, "$1\t")).sort();
}
