import assert from "node:assert/strict";
import { FuzzRunner } from "./runner.ts";
import { makeInput, minimize, runRound, shortHash, signatureOf } from "./round.ts";
import type { Seed } from "./corpus.ts";
import { applyOps } from "./ops.ts";
import { smallCapture } from "../../tests/_support/test_packets.ts";

const corpus: Seed[] = [
  { id: "fixtures/a.pcap", bytes: smallCapture(12), shared: false },
  { id: "fixtures/b.pcap", bytes: smallCapture(3), shared: false },
];

Deno.test("makeInput: the same (seed, index) gives the same input", () => {
  for (let i = 0; i < 50; i++) {
    const a = makeInput(5, i, corpus);
    const b = makeInput(5, i, corpus);
    assert.equal(a.source.id, b.source.id);
    assert.deepEqual(a.ops, b.ops);
    assert.deepEqual(a.config, b.config);
    assert.deepEqual(applyOps(a.source.bytes, a.ops), a.bytes);
  }
  assert.notDeepEqual(makeInput(5, 0, corpus).ops, makeInput(6, 0, corpus).ops);
});

Deno.test("signatureOf: numbers and quoted names do not split a cause", () => {
  const a = signatureOf(
    "crash",
    'RangeError: offset 17 out of "x.pcap"',
    "at f (file:///r/src/dissect/ipv4.ts:10:3)",
  );
  const b = signatureOf(
    "crash",
    'RangeError: offset 99 out of "y.pcap"',
    "at f (file:///r/src/dissect/ipv4.ts:12:9)",
  );
  assert.equal(a, b);
  assert.match(a, /src\/dissect\/ipv4\.ts$/);
  assert.equal(shortHash(a), shortHash(b));
  assert.match(shortHash("x"), /^[0-9a-f]{8}$/);
});

Deno.test("FuzzRunner: runs inputs, and a run over the time bound is a hang", async () => {
  const runner = new FuzzRunner(20_000);
  try {
    const o = await runner.run({
      name: "a.pcap",
      bytes: smallCapture(4),
      config: { set: "flow-s", settings: [{ name: "SUBNET_ON", value: "0" }] },
    });
    assert.equal(o.kind, "ok", o.message);
    assert.equal(o.packets, 4);
  } finally {
    await runner.close();
  }
  // A bound no run can meet: the worker is stopped and the next input gets a fresh one.
  const hasty = new FuzzRunner(0);
  try {
    const big = smallCapture(3000);
    const cfg = { set: "flow-s", settings: [{ name: "SUBNET_ON", value: "0" }] };
    const h = await hasty.run({ name: "big.pcap", bytes: big, config: cfg });
    assert.equal(h.kind, "hang");
    assert.equal(hasty.workersStarted, 1);
    await hasty.run({ name: "big.pcap", bytes: big, config: cfg });
    assert.equal(hasty.workersStarted, 2);
  } finally {
    await hasty.close();
  }
});

Deno.test("runRound: a short fixed-seed round over small captures finds nothing", async () => {
  const runner = new FuzzRunner(20_000);
  try {
    const failures: string[] = [];
    const stats = await runRound(runner, {
      seed: 1,
      corpus,
      inputs: 40,
      poisonRate: 0.2,
      onFailure: (f) => {
        failures.push(`${f.kind}: ${f.message}`);
      },
    });
    assert.deepEqual(failures, []);
    assert.equal(stats.inputs, 40);
    assert.equal(stats.ok, 40);
    assert.ok(stats.extraRuns > 0, "the poison oracle ran");
  } finally {
    await runner.close();
  }
});

Deno.test("minimize: drops records while the failure stays", async () => {
  const runner = new FuzzRunner(20_000);
  try {
    // A failure every input shows (an unknown plugin set): minimising keeps one record or none.
    const bytes = smallCapture(16);
    const config = { set: "no-such-set", settings: [] };
    const o = await runner.run({ name: "m", bytes, config });
    const signature = signatureOf("crash", o.message, o.stack);
    const m = await minimize(
      runner,
      { kind: "crash", signature, config, ops: [], bytes },
      bytes,
      "m",
    );
    assert.ok(m.bytes.length <= 24 + 16 + 60, `still ${m.bytes.length} bytes`);
    assert.deepEqual(applyOps(bytes, m.ops), m.bytes);
  } finally {
    await runner.close();
  }
});
