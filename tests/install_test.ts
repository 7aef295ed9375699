/**
 * `deno task install` (issue 16): a `t2` command in `$DENO_INSTALL_ROOT/bin` that afterwards
 * works with no network at all, a fresh Deno cache and no `deno` on PATH: help, a run with geo
 * labels, a gzip capture and a batch (their workers start from the sources), `t2 tawk` and
 * `t2 tcol`.
 *
 * The npm registry is made unreachable (NPM_CONFIG_REGISTRY on a closed loopback port) and
 * DENO_DIR is an empty directory, so anything the command would fetch fails loudly.
 */

import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ANNOLOC, FAF, LISTS, REPO } from "./_cli.ts";
import { launcher } from "../tasks/install.ts";

const dec = new TextDecoder();

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>) {
  const out = new Deno.Command(cmd, {
    args,
    cwd,
    clearEnv: true,
    env,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("install: the t2 command starts this Deno by its path on the bundle, offline", () => {
  const text = launcher("/opt/deno it's/deno", "/src/t2ts", ["run", "--allow-read"]);
  const lines = text.split("\n");
  assert.equal(lines[0], "#!/bin/sh");
  assert.equal(
    lines.at(-2),
    `DENO_NO_UPDATE_CHECK=1 exec '/opt/deno it'\\''s/deno' run --allow-read ` +
      `--node-modules-dir=auto --cached-only /src/t2ts/dist/t2.js "$@"`,
  );
});

Deno.test("install: t2 works with no deno on PATH, no registry and a fresh Deno cache", () => {
  const root = Deno.makeTempDirSync({ prefix: "t2ts_install_" });
  const home = Deno.makeTempDirSync({ prefix: "t2ts_home_" });
  try {
    const env = { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? home };
    const denoDir = Deno.env.get("DENO_DIR");
    const installed = run(
      Deno.execPath(),
      ["task", "-q", "install"],
      REPO,
      { ...env, ...(denoDir ? { DENO_DIR: denoDir } : {}), DENO_INSTALL_ROOT: root },
    );
    assert.equal(installed.code, 0, installed.stderr);
    const t2 = `${root}/bin/t2`;
    assert.match(Deno.readTextFileSync(t2), new RegExp(`exec ${Deno.execPath()} run `));

    const offline = {
      PATH: "/usr/bin:/bin",
      HOME: home,
      DENO_DIR: Deno.makeTempDirSync({ dir: home }),
      NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
      NO_COLOR: "1",
    };
    assert.notEqual(run("sh", ["-c", "command -v deno"], home, offline).code, 0, "deno on PATH");
    const t2run = (...args: string[]) => {
      const r = run(t2, args, home, offline);
      assert.equal(r.code, 0, `t2 ${args.join(" ")}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Download|error/i, `t2 ${args.join(" ")}`);
      return r;
    };

    const help = t2run("-h");
    assert.match(help.stdout, /t2 tawk/);
    assert.match(help.stdout, /t2 tcol/);

    // Geo labels: the data built by the install (a public address gets a country code).
    t2run("-r", FAF, "-w", "out/", "-b", `${LISTS}/flow.txt`);
    const flows = Deno.readTextFileSync(`${home}/out/faf-small_flows.txt`).split("\n");
    const cc = flows[0].split("\t").indexOf("dstIPCC");
    assert.ok(cc > 0, "geo columns");
    assert.ok(flows.some((l) => /^[a-z]{2}$/.test(l.split("\t")[cc] ?? "")), "a country code");

    // A gzip capture: its decompressing worker starts from the repository's sources.
    Deno.writeFileSync(`${home}/faf.pcap.gz`, gzipSync(Deno.readFileSync(FAF)));
    t2run("-r", "faf.pcap.gz", "-w", "gz/", "-b", `${LISTS}/flow.txt`);
    assert.equal(
      Deno.readTextFileSync(`${home}/gz/faf_flows.txt`),
      Deno.readTextFileSync(`${home}/out/faf-small_flows.txt`),
    );

    t2run("--jobs", "2", "-r", FAF, "-r", ANNOLOC, "-w", "jobs/", "-b", `${LISTS}/flow.txt`);
    assert.ok(Deno.statSync(`${home}/jobs/annoloc-small_flows.txt`).isFile);

    assert.match(t2run("tawk", "-l", "out/faf-small_flows.txt").stdout, /dstIPCC/);
    assert.match(t2run("tcol", "out/faf-small_flows.txt").stdout, /^%dir\s+flowInd/);
  } finally {
    Deno.removeSync(root, { recursive: true });
    Deno.removeSync(home, { recursive: true });
  }
});
