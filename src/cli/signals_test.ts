import assert from "node:assert/strict";
import { StopSignals } from "./signals.ts";

Deno.test("StopSignals: the first signal raises the flag, the second calls onSecond", () => {
  const events: string[] = [];
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const s = new StopSignals({
    shared,
    onFirst: (sig) => events.push(`first ${sig}`),
    onSecond: (sig) => events.push(`second ${sig}`),
  });
  assert.equal(s.stopRequested(), false);
  s.signal("SIGTERM");
  assert.equal(s.stopRequested(), true);
  assert.equal(Atomics.load(shared, 0), 1);
  s.signal("SIGINT");
  assert.deepEqual(events, ["first SIGTERM", "second SIGINT"]);
});

Deno.test("StopSignals installs and removes its listeners", () => {
  const s = new StopSignals({ onSecond: () => {} });
  s.install();
  s.uninstall();
  s.uninstall();
  assert.equal(s.stopRequested(), false);
});
