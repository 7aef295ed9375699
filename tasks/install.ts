/**
 * `deno task install [--root DIR]`: a `t2` command in `$DENO_INSTALL_ROOT/bin` (Deno's
 * convention; default `~/.deno/bin`) that works from then on without network.
 *
 * The task's dependencies build the geo data (`deno task geo`) and the bundle (`deno task
 * bundle`, `dist/t2.js`); this script then installs the import map's npm packages into the
 * repository's `node_modules/` (from Deno's cache, downloading what is missing) and writes the
 * command. The command is a shell script that starts the Deno executable that ran this script,
 * by its absolute path (so `npx -y deno@2.9.6 task install` gives a working `t2` where `deno`
 * is not on PATH), on the repository's `dist/t2.js` with the `t2` task's flags, plus
 * `--node-modules-dir=auto --cached-only`: npm packages come from `node_modules/`, so neither
 * the registry nor Deno's cache (`DENO_DIR`, which may be fresh) is needed when it runs.
 *
 * The installed program's files stay in the repository (`dist/`, `data/geo/`, `node_modules/`,
 * and the sources the workers start from): run `deno task install` again after updating it.
 *
 * @module
 */

import { taskFlags } from "../tests/_support/t2_task.ts";

const repo = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const deno = Deno.execPath();

/** The install root: `--root DIR`, else `$DENO_INSTALL_ROOT`, else `~/.deno`. */
function installRoot(args: string[]): string {
  const i = args.indexOf("--root");
  if (i >= 0 && args[i + 1]) return args[i + 1];
  const env = Deno.env.get("DENO_INSTALL_ROOT");
  if (env) return env;
  const home = Deno.env.get("HOME");
  if (!home) throw new Error("HOME is not set: give the install root with --root DIR");
  return `${home}/.deno`;
}

/** A word for `sh`, in single quotes. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

/** The `t2` command: a shell script starting this Deno on the bundle. */
export function launcher(denoPath: string, repoPath: string, flags: readonly string[]): string {
  const words = [
    denoPath,
    ...flags,
    "--node-modules-dir=auto",
    "--cached-only",
    `${repoPath}/dist/t2.js`,
  ];
  return [
    "#!/bin/sh",
    `# t2, installed by \`deno task install\` from ${repoPath}`,
    "# (run it again there after updating the repository). No network needed: npm packages",
    "# come from the repository's node_modules/, the geo data from its data/geo/.",
    "DENO_NO_UPDATE_CHECK=1 exec " + words.map(shellWord).join(" ") + ' "$@"',
    "",
  ].join("\n");
}

/** Run this Deno with `args` in the repository; throws with its stderr when it fails. */
function denoRun(args: string[]): void {
  const out = new Deno.Command(deno, { args, cwd: repo, stdout: "inherit", stderr: "piped" })
    .outputSync();
  if (out.code !== 0) {
    throw new Error(`deno ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

function main(args: string[]): number {
  const bin = `${installRoot(args)}/bin`;
  for (const [file, what] of [["dist/t2.js", "deno task bundle"], ["data/geo", "deno task geo"]]) {
    try {
      Deno.statSync(`${repo}/${file}`);
    } catch {
      console.error(`install: ${repo}/${file} is missing (${what} builds it)`);
      return 1;
    }
  }
  // Every npm package of the import map, installed into node_modules/ as the lockfile says.
  denoRun(["install", "--quiet", "--frozen", "--node-modules-dir=auto", "--config", "deno.json"]);

  Deno.mkdirSync(bin, { recursive: true });
  const target = `${bin}/t2`;
  const tmp = `${target}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(tmp, launcher(deno, repo, taskFlags("t2")), { mode: 0o755 });
  Deno.chmodSync(tmp, 0o755);
  Deno.renameSync(tmp, target);

  const check = new Deno.Command(target, { args: ["-V"], stdout: "piped", stderr: "piped" })
    .outputSync();
  if (check.code !== 0) {
    console.error(`install: ${target} -V failed:\n${new TextDecoder().decode(check.stderr)}`);
    return 1;
  }
  console.log(`installed ${target} (runs ${repo}/dist/t2.js with ${deno})`);
  const onPath = (Deno.env.get("PATH") ?? "").split(":").includes(bin);
  if (!onPath) console.log(`add ${bin} to PATH, e.g.: export PATH="${bin}:$PATH"`);
  return 0;
}

if (import.meta.main) Deno.exit(main(Deno.args));
