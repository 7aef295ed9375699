/**
 * `deno task compile`: the task's flags, and — wherever Deno's compile runtime (denort) is
 * available (`DENORT_BIN`, or cached by an earlier `deno compile`) — the compiled binary,
 * copied alone into an empty directory, run on both fixtures through all five plugin sets and
 * compared with the golden files; it must also label addresses (embedded geo data) and run a
 * batch (embedded worker). Without denort the binary test is skipped, saying so.
 */

import assert from "node:assert/strict";
import { ANNOLOC, FAF, inTemp, LISTS, readOrNull, REPO, t2 } from "./_cli.ts";
import { describe, firstDifference, kindOf } from "../tools/conformance/compare.ts";
import { missingPlugins, SETS } from "../tools/conformance/cases.ts";

interface Task {
  readonly command: string;
  readonly dependencies?: string[];
}

const tasks = JSON.parse(Deno.readTextFileSync(`${REPO}/deno.json`)).tasks as Record<string, Task>;
const task = tasks.compile;

Deno.test("compile: the task embeds the geo data and the workers, with narrow permissions", () => {
  const words = task.command.split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ["deno", "compile"]);
  // It compiles the bundle that `deno task bundle` makes of main.ts (built first).
  assert.equal(words.at(-1), "dist/t2.js");
  const bundle = tasks.bundle.command.split(/\s+/);
  assert.deepEqual(bundle.slice(0, 2), ["deno", "bundle"]);
  assert.equal(bundle[bundle.indexOf("--output") + 1], "dist/t2.js");
  assert.equal(bundle.at(-1), "main.ts");
  assert.equal(words[words.indexOf("--output") + 1], "dist/t2");
  const includes = words.flatMap((w, i) => w === "--include" ? [words[i + 1]] : []);
  assert.deepEqual(includes.sort(), [
    "data/geo",
    "dist/shard_worker.js",
    "plugins/psql_sink/worker.ts",
    "src/capture/decompress_worker.ts",
    "src/cli/batch_worker.ts",
    "src/cli/shard_worker.ts",
  ]);
  // The batch module, the shards, the decompressing reader and psqlSink start exactly the worker files
  // that are included.
  assert.ok(
    Deno.readTextFileSync(`${REPO}/src/capture/decompress.ts`).includes(
      'rootUrl("src/capture/decompress_worker.ts")',
    ),
  );
  assert.ok(
    Deno.readTextFileSync(`${REPO}/src/cli/batch.ts`).includes(
      'rootUrl("src/cli/batch_worker.ts")',
    ),
  );
  assert.ok(
    Deno.readTextFileSync(`${REPO}/src/cli/main.ts`).includes(
      'rootUrl("src/cli/shard_worker.ts")',
    ) && Deno.readTextFileSync(`${REPO}/src/cli/main.ts`).includes(
      'rootUrl("dist/shard_worker.js")',
    ),
  );
  assert.ok(
    Deno.readTextFileSync(`${REPO}/plugins/psql_sink/mod.ts`).includes(
      'WORKER_PATH = "plugins/psql_sink/worker.ts"',
    ),
  );
  assert.deepEqual(task.dependencies, ["geo", "bundle"]);
  // The binary gets the V8 flags the t2 task runs with (memory figures of the README).
  const v8 = (ws: string[]) => ws.filter((w) => w.startsWith("--v8-flags"));
  assert.deepEqual(v8(words), v8(tasks.t2.command.split(/\s+/)));
  assert.notDeepEqual(v8(words), []);
  const perms = words.filter((w) => w.startsWith("--allow") || w === "-A");
  // psqlSink: T2's PSQL_* variables, the PG* variables the pg client reads whatever it is
  // given, and the network (the database host is chosen at run time; docs/psql.md).
  assert.deepEqual(perms, [
    "--allow-read",
    "--allow-write",
    "--allow-env=NO_COLOR,HOSTNAME,PSQL_HOST,PSQL_PORT,PSQL_USER,PSQL_PASS,PSQL_DBNAME," +
    "PSQL_TABLE_NAME,PSQL_SELECT_FILE,PGBINARY,PGOPTIONS,PGSSLNEGOTIATION,PGREPLICATION",
    "--allow-net",
    "--allow-sys=systemMemoryInfo",
    // t2 tawk runs gawk (which runs sort for t2sort/aggr), t2 tcol pages through less
    "--allow-run=gawk,sort,less",
  ]);
});

/** Where a denort for this Deno is, or null. */
function findDenort(): string | null {
  const env = Deno.env.get("DENORT_BIN");
  if (env) return exists(env) ? env : null;
  const home = Deno.env.get("HOME") ?? "";
  const dir = Deno.env.get("DENO_DIR") ??
    (Deno.build.os === "darwin" ? `${home}/Library/Caches/deno` : `${home}/.cache/deno`);
  const zip = `${dir}/dl/release/v${Deno.version.deno}/denort-${Deno.build.target}.zip`;
  return exists(zip) ? zip : null;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

const denort = findDenort();

Deno.test({
  name: denort
    ? "compile: dist/t2 alone equals T2 on both fixtures x five sets, with geo and batch"
    : "compile: dist/t2 vs golden SKIPPED: Deno's compile runtime (denort) is not available " +
      "here (set DENORT_BIN or run `deno compile` once with network access)",
  ignore: denort === null,
  async fn() {
    await inTemp(async (dir) => {
      for (const dependency of task.dependencies ?? []) {
        const done = await new Deno.Command(Deno.execPath(), {
          args: ["task", dependency],
          cwd: REPO,
          stdout: "null",
          stderr: "piped",
        }).output();
        assert.equal(done.code, 0, new TextDecoder().decode(done.stderr));
      }
      const words = task.command.split(/\s+/).slice(1);
      words[words.indexOf("--output") + 1] = `${dir}/build/t2`;
      const built = await new Deno.Command(Deno.execPath(), {
        args: words,
        cwd: REPO,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(built.code, 0, new TextDecoder().decode(built.stderr));
      // The binary alone, far from the repository.
      Deno.mkdirSync(`${dir}/alone`);
      const binary = `${dir}/alone/t2`;
      Deno.copyFileSync(`${dir}/build/t2`, binary);
      Deno.chmodSync(binary, 0o755);
      Deno.removeSync(`${dir}/build`, { recursive: true });

      for (const capture of [ANNOLOC, FAF]) {
        const stem = capture.slice(capture.lastIndexOf("/") + 1, -".pcap".length);
        const sets = ["base", "flow", "flow-s", "pkt-s", "tmt-s", "dflt"]
          .filter((s) => missingPlugins(s, `${LISTS}/`).length === 0); // dflt: all of its plugins
        for (const set of sets) {
          const out = `${dir}/alone/out-${stem}-${set}`;
          const args = ["-r", capture, "-w", `${out}/`, "-b", `${LISTS}/${SETS[set].list}.txt`];
          if (SETS[set].packetMode) args.push("-s");
          const r = await t2([...args, "--set", "SUBNET_ON=0"], { binary, cwd: `${dir}/alone` });
          assert.equal(r.code, 0, r.stderr);
          const ref = `${REPO}/golden/${stem}/${set}/`;
          for (const e of Deno.readDirSync(ref)) {
            if (e.name === "rc") continue;
            const actual = e.name.endsWith("_report.txt")
              ? r.stdout
              : readOrNull(`${out}/${e.name}`);
            const d = firstDifference(
              kindOf(e.name),
              Deno.readTextFileSync(ref + e.name),
              actual ?? "",
            );
            assert.equal(d, null, d ? `${stem}/${set}: ${describe(e.name, d)}` : "");
          }
        }
      }

      // Geo labels from the embedded data (no network, no files beside the binary).
      const labelled = await t2(["-r", FAF, "-w", `${dir}/alone/geo/`, "-b", `${LISTS}/flow.txt`], {
        binary,
        cwd: `${dir}/alone`,
      });
      assert.equal(labelled.code, 0, labelled.stderr);
      assert.match(labelled.stdout, /^\[INF\] IPv4 Ver: 5, Rev: /m);
      assert.ok(readOrNull(`${dir}/alone/geo/faf-small_flows.txt`)!.startsWith("%dir\t"));
      assert.match(
        readOrNull(`${dir}/alone/geo/faf-small_flows.txt`)!.split("\n")[0],
        /\tsrcIPCC\t/,
      );

      // The batch worker is inside too.
      const batch = await t2(
        [
          "--jobs",
          "2",
          "-r",
          ANNOLOC,
          "-r",
          FAF,
          "-w",
          `${dir}/alone/batch/`,
          "--set",
          "SUBNET_ON=0",
        ],
        { binary, cwd: `${dir}/alone` },
      );
      assert.equal(batch.code, 0, batch.stderr);
      assert.equal(batch.stdout.trimEnd().split("\n").length, 2);
    });
  },
});
