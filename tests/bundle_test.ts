/**
 * `main.ts` runs the bundle `dist/t2.js` when it can and the sources otherwise
 * (src/cli/bundle.ts): both must write the same files, the bundle must find the program's own
 * files (geo data, batch worker) from `dist/`, and it must be rebuilt after a source change.
 */

import assert from "node:assert/strict";
import { makeSandbox, sh } from "./_repo_sandbox.ts";

const RUN = "deno run --no-check --allow-read --allow-write --allow-env";
const ARGS = "-r fixtures/faf-small.pcap -b golden/lists/flow.txt --set SUBNET_ON=0 -s";

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Deno.readDirSync(dir)) {
    const text = Deno.readTextFileSync(`${dir}/${e.name}`);
    // _headers.txt and the log name the run's date and command line.
    if (!e.name.endsWith("_headers.txt") && !e.name.endsWith("_log.txt")) out.set(e.name, text);
  }
  return out;
}

Deno.test("bundle: without --unstable-bundle the sources run, and the bundle writes the same files", () => {
  const box = makeSandbox("t2ts_bundle_");
  try {
    const dist = `${box.root}/dist/t2.js`;
    // dist/ exists, as after any earlier bundled run: a run without the flag must not leave a
    // failure mark there that would keep later runs with the flag from building.
    const src = sh(
      box.root,
      `mkdir -p out/src out/bundle dist && ${RUN} main.ts ${ARGS} -w out/src/`,
    );
    assert.equal(src.code, 0, src.stderr);
    assert.throws(() => Deno.statSync(dist), Deno.errors.NotFound, "no bundle without the flag");

    const bundled = sh(
      box.root,
      `${RUN} --unstable-bundle main.ts ${ARGS} -w out/bundle/`,
    );
    assert.equal(bundled.code, 0, bundled.stderr);
    assert.ok(Deno.statSync(dist).isFile, "the flag builds dist/t2.js");
    assert.equal(bundled.stdout.length > 0, true);

    const a = files(`${box.root}/out/src`);
    const b = files(`${box.root}/out/bundle`);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [name, text] of a) assert.equal(b.get(name), text, name);
  } finally {
    box.remove();
  }
});

Deno.test("bundle: finds the batch worker from dist/, and is rebuilt after a source change", () => {
  const box = makeSandbox("t2ts_bundle_");
  try {
    const batch = sh(
      box.root,
      `mkdir -p out && ${RUN} --unstable-bundle main.ts -b golden/lists/flow.txt ` +
        `--set SUBNET_ON=0 -r fixtures/faf-small.pcap -r fixtures/annoloc-small.pcap ` +
        `--jobs 2 -w out/`,
    );
    assert.equal(batch.code, 0, batch.stderr);
    assert.ok(Deno.statSync(`${box.root}/out/faf-small_flows.txt`).isFile);
    assert.ok(Deno.statSync(`${box.root}/out/annoloc-small_flows.txt`).isFile);

    // A changed source (the version text) shows up in the next run: the bundle was rebuilt.
    const runTs = `${box.root}/src/core/run.ts`;
    const text = Deno.readTextFileSync(runTs);
    Deno.writeTextFileSync(runTs, text.replace('"t2ts 0.1.0', '"t2ts 9.9.9'));
    const later = new Date(Date.now() + 2000);
    Deno.utimeSync(runTs, later, later);
    const v = sh(box.root, `${RUN} --unstable-bundle main.ts -V`);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^t2ts 9\.9\.9/);
  } finally {
    box.remove();
  }
});
