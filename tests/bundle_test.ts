/**
 * `deno task bundle` makes one module of the program, `dist/t2.js` (what `deno task compile`
 * turns into a binary): it must write the same files as the sources (`main.ts`) and find the
 * program's own files (the batch worker, the geo data, the plugins' tables) from `dist/`.
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

Deno.test("bundle: dist/t2.js writes the same files as the sources, and runs a batch from dist/", () => {
  const box = makeSandbox("t2ts_bundle_");
  try {
    const built = sh(box.root, "deno task -q bundle");
    assert.equal(built.code, 0, built.stderr);
    assert.ok(Deno.statSync(`${box.root}/dist/t2.js`).isFile, "deno task bundle makes dist/t2.js");

    const src = sh(box.root, `mkdir -p out/src out/bundle && ${RUN} main.ts ${ARGS} -w out/src/`);
    assert.equal(src.code, 0, src.stderr);
    const bundled = sh(box.root, `${RUN} dist/t2.js ${ARGS} -w out/bundle/`);
    assert.equal(bundled.code, 0, bundled.stderr);
    assert.equal(bundled.stdout.length > 0, true);
    const a = files(`${box.root}/out/src`);
    const b = files(`${box.root}/out/bundle`);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [name, text] of a) assert.equal(b.get(name), text, name);

    // The plugins with data tables built in (protoStats, portClassifier) work from dist/ too.
    Deno.writeTextFileSync(
      `${box.root}/out/tables.txt`,
      "protoStats\nbasicFlow\nmacRecorder\nportClassifier\ntxtSink\n",
    );
    const TABLES = "-r fixtures/annoloc-small.pcap -b out/tables.txt --set SUBNET_ON=0 -s";
    const tSrc = sh(
      box.root,
      `mkdir -p out/tsrc out/tbundle && ${RUN} main.ts ${TABLES} -w out/tsrc/`,
    );
    assert.equal(tSrc.code, 0, tSrc.stderr);
    const tBundle = sh(box.root, `${RUN} dist/t2.js ${TABLES} -w out/tbundle/`);
    assert.equal(tBundle.code, 0, tBundle.stderr);
    const ta = files(`${box.root}/out/tsrc`);
    const tb = files(`${box.root}/out/tbundle`);
    assert.ok(ta.get("annoloc-small_protocols.txt")?.includes("\tWorld Wide Web HTTP\n"));
    assert.match(ta.get("annoloc-small_flows.txt") ?? "", /\t80\thttp$/m);
    assert.deepEqual([...tb.keys()].sort(), [...ta.keys()].sort());
    for (const [name, text] of ta) assert.equal(tb.get(name), text, name);

    const batch = sh(
      box.root,
      `mkdir -p out/batch && ${RUN} dist/t2.js -b golden/lists/flow.txt --set SUBNET_ON=0 ` +
        `-r fixtures/faf-small.pcap -r fixtures/annoloc-small.pcap --jobs 2 -w out/batch/`,
    );
    assert.equal(batch.code, 0, batch.stderr);
    assert.ok(Deno.statSync(`${box.root}/out/batch/faf-small_flows.txt`).isFile);
    assert.ok(Deno.statSync(`${box.root}/out/batch/annoloc-small_flows.txt`).isFile);
  } finally {
    box.remove();
  }
});
