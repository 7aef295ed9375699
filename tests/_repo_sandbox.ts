/**
 * A scratch copy of the repository for tests that change it (plugin:new edits
 * plugins/mod.ts and adds plugins): the code is copied, the large read-only folders
 * (fixtures, golden) are linked.
 *
 * @module
 */

import { cpSync, symlinkSync } from "node:fs";

/** Root of this repository. */
export const REPO: string = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

const COPIED = ["deno.json", "deno.lock", "main.ts", "mod.ts", "src", "plugins", "tasks", "docs"];
const LINKED = ["fixtures", "golden"];

/** A scratch repository; `remove()` deletes it. */
export interface Sandbox {
  readonly root: string;
  remove(): void;
}

/** Make a scratch copy of the repository. */
export function makeSandbox(prefix = "t2ts_sandbox_"): Sandbox {
  const root = Deno.makeTempDirSync({ prefix });
  for (const name of COPIED) {
    cpSync(`${REPO}/${name}`, `${root}/${name}`, {
      recursive: true,
      filter: (src) => !/\/(out|node_modules)(\/|$)/.test(src.slice(REPO.length)),
    });
  }
  for (const name of LINKED) symlinkSync(`${REPO}/${name}`, `${root}/${name}`);
  return { root, remove: () => Deno.removeSync(root, { recursive: true }) };
}

/** Output of a finished command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a shell command line in `cwd` (no colours). The Deno running the tests comes first on
 * PATH, so `deno ...` in the line is the same Deno (also when started by `npx deno`). INIT_CWD
 * is `cwd`, as for a user who types the line there: `deno task` keeps an INIT_CWD it inherits
 * (the test run's own, when the tests run as `deno task test`), and the program's tasks run in it.
 */
export function sh(cwd: string, line: string): CommandResult {
  const denoDir = Deno.execPath().replace(/\/[^/]*$/, "");
  const out = new Deno.Command("sh", {
    args: ["-c", line],
    cwd,
    env: { NO_COLOR: "1", INIT_CWD: cwd, PATH: `${denoDir}:${Deno.env.get("PATH") ?? ""}` },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}
