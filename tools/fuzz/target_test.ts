import assert from "node:assert/strict";
import { compareOutputs, poisonVariants, runTarget } from "./target.ts";
import { openCaptureBytes } from "../../src/capture/open.ts";
import { readAll } from "../../tests/_support/capture_files.ts";
import { applyOps } from "./ops.ts";
import { smallCapture } from "../../tests/_support/test_packets.ts";

const OFF = [{ name: "SUBNET_ON", value: "0" }];

function withDir(fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-fuzz-test-" });
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("runTarget: a clean capture in every plugin set is ok", () => {
  withDir((outDir) => {
    for (const set of ["base", "flow", "flow-s", "pkt-s", "tmt-s"]) {
      const o = runTarget(
        { name: "s.pcap", bytes: smallCapture(), config: { set, settings: OFF } },
        { outDir, keepOutputs: true },
      );
      assert.equal(o.kind, "ok", `${set}: ${o.message}`);
      assert.equal(o.exitCode, 0);
      assert.equal(o.packets, 6);
      assert.ok(o.flows >= 3);
      assert.ok(o.outputs?.flows?.startsWith("%dir\tflowInd\t"));
      assert.equal(o.outputs?.packets !== undefined, set.endsWith("-s"));
    }
  });
});

Deno.test("runTarget: an exception from the run is a crash, not a throw", () => {
  withDir((outDir) => {
    const o = runTarget(
      { name: "s.pcap", bytes: smallCapture(), config: { set: "no-such-set", settings: OFF } },
      { outDir },
    );
    assert.equal(o.kind, "crash");
    assert.match(o.message, /^RangeError: Cannot run fuzz input: unknown plugin set/);
    assert.ok(o.stack);
  });
});

Deno.test("runTarget: an unusable file header ends with exit code 1 and is ok", () => {
  withDir((outDir) => {
    const o = runTarget(
      {
        name: "junk",
        bytes: new Uint8Array([1, 2, 3, 4, 5]),
        config: { set: "base", settings: OFF },
      },
      { outDir },
    );
    assert.equal(o.kind, "ok", o.message);
    assert.equal(o.exitCode, 1);
  });
});

Deno.test("poisonVariants: same packets, different bytes after each packet", () => {
  const src = applyOps(smallCapture(3), [{ op: "snap", len: 30 }]);
  const pv = poisonVariants(src);
  assert.ok(pv);
  const [a, b] = pv;
  assert.equal(a.length, b.length);
  const ra = readAll(openCaptureBytes(a, "a"));
  const rb = readAll(openCaptureBytes(b, "b"));
  const rs = readAll(openCaptureBytes(src, "s"));
  assert.deepEqual(
    ra.map((r) => [r.tsSec, r.tsNs, r.capLen, r.wireLen, [...r.bytes]]),
    rs.map((r) => [r.tsSec, r.tsNs, r.capLen, r.wireLen, [...r.bytes]]),
  );
  assert.deepEqual(rb.map((r) => [...r.bytes]), rs.map((r) => [...r.bytes]));
  assert.notDeepEqual(a, b);
  assert.equal(poisonVariants(new Uint8Array(3)), null);
});

Deno.test("poison oracle: identical outputs for a truncated clean capture", () => {
  withDir((outDir) => {
    const pv = poisonVariants(applyOps(smallCapture(4), [{ op: "snap", len: 40 }]))!;
    const run = (bytes: Uint8Array) =>
      runTarget({ name: "p", bytes, config: { set: "flow-s", settings: OFF } }, {
        outDir,
        keepOutputs: true,
      });
    const a = run(pv[0]);
    const b = run(pv[1]);
    assert.equal(a.kind, "ok", a.message);
    assert.equal(compareOutputs(a.outputs, b.outputs), null);
  });
});

Deno.test("compareOutputs: names the file, line and column", () => {
  const head = "%dir\tflowInd\tsrcMac";
  assert.equal(compareOutputs({ flows: `${head}\nA\t1\tx` }, { flows: `${head}\nA\t1\tx` }), null);
  assert.deepEqual(
    compareOutputs({ flows: `${head}\nA\t1\tx` }, { flows: `${head}\nA\t1\ty` }),
    { file: "flows", line: 2, column: "srcMac", a: "x", b: "y" },
  );
  assert.deepEqual(compareOutputs({ report: "a\nb" }, { report: "a\nc" }), {
    file: "report",
    line: 2,
    column: "text",
    a: "b",
    b: "c",
  });
});
