/**
 * `deno task --config REPO/deno.json t2|tawk|tcol ...` typed in another directory: every path
 * of the command line is the caller's (Deno's INIT_CWD), not the repository's (issue 16). The
 * tasks run the program in INIT_CWD, so each path option is covered; the runs below name
 * every kind (-r, -R and its entries, -D, -w, -W, -b, --config, -p, tawk's and tcol's files).
 */

import assert from "node:assert/strict";
import { FAF, LISTS, REPO } from "./_cli.ts";

/** The environment of a user's shell: no INIT_CWD, so `deno task` sets it to `cwd`. */
function userEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "NPM_CONFIG_REGISTRY"]) {
    const v = Deno.env.get(name);
    if (v !== undefined) env[name] = v;
  }
  return env;
}

/** `deno task -q --config REPO/deno.json TASK ARGS` in `cwd`. */
function task(cwd: string, name: string, args: string[]) {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", `${REPO}/deno.json`, name, ...args],
    cwd,
    clearEnv: true,
    env: userEnv(),
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

Deno.test("deno task t2, tawk, tcol: relative paths are the caller's directory's", () => {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_cwd_" });
  try {
    Deno.mkdirSync(`${dir}/caps`);
    Deno.mkdirSync(`${dir}/conf`);
    Deno.mkdirSync(`${dir}/pdir`);
    Deno.copyFileSync(FAF, `${dir}/caps/x.pcap`);
    Deno.copyFileSync(FAF, `${dir}/caps/dump.pcap00`);
    Deno.copyFileSync(FAF, `${dir}/caps/dump.pcap01`);
    Deno.copyFileSync(`${LISTS}/base.txt`, `${dir}/conf/base.txt`);
    Deno.writeTextFileSync(`${dir}/conf/t2.conf`, "SUBNET_ON=0\n");
    Deno.writeTextFileSync(`${dir}/caps/list.txt`, "caps/x.pcap\n");
    Deno.writeTextFileSync(`${dir}/pdir/plugins.txt`, "basicFlow\ntxtSink\n");

    // -r, -w (a new directory), -b, --config
    const one = task(dir, "t2", [
      "-r",
      "caps/x.pcap",
      "-w",
      "out/",
      "-b",
      "conf/base.txt",
      "--config",
      "conf/t2.conf",
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stderr, "", "no Task line, no diagnostics");
    const flows = Deno.readTextFileSync(`${dir}/out/x_flows.txt`);
    assert.match(flows.split("\n")[0], /\tpktsSnt\t/, "-b conf/base.txt: basicStats ran");
    assert.doesNotMatch(flows.split("\n")[0], /srcIPCC/, "--config conf/t2.conf: SUBNET_ON=0");

    // -R with a relative entry, -W
    const list = task(dir, "t2", [
      "-R",
      "caps/list.txt",
      "-W",
      "outR/r:1Kf",
      "-b",
      "conf/base.txt",
    ]);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(isFile(`${dir}/outR/r_flows.txt0`), "-W outR/r");

    // -D
    const numbered = task(dir, "t2", [
      "-D",
      "caps/dump.pcap00,1",
      "-w",
      "outD/",
      "-b",
      "conf/base.txt",
    ]);
    assert.equal(numbered.code, 0, numbered.stderr);
    assert.ok(isFile(`${dir}/outD/dump_flows.txt`), "-D caps/dump.pcap00");

    // -p: the folder's plugins.txt is the plugin list (basicFlow and txtSink only)
    const folder = task(dir, "t2", ["-p", "pdir", "-r", "caps/x.pcap", "-w", "outP/"]);
    assert.equal(folder.code, 0, folder.stderr);
    assert.doesNotMatch(Deno.readTextFileSync(`${dir}/outP/x_flows.txt`), /pktsSnt/);

    // t2 tawk and t2 tcol read the caller's files too
    const tawk = task(dir, "tawk", ["-l", "out/x_flows.txt"]);
    assert.equal(tawk.code, 0, tawk.stderr);
    assert.match(tawk.stdout, /pktsSnt/);
    const tcol = task(dir, "tcol", ["out/x_flows.txt"]);
    assert.equal(tcol.code, 0, tcol.stderr);
    assert.match(tcol.stdout, /^%dir\s+flowInd/);

    assert.ok(!isFile(`${REPO}/out/x_flows.txt`), "nothing written in the repository");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
