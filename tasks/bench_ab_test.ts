import * as assert from "node:assert/strict";
import { pairedText } from "./bench_ab.ts";

const sample = (cpu: number, sec: number) => ({ cpu, sec });

Deno.test("pairedText: median of the rounds' ratios and the rounds with less CPU", () => {
  // The machine slows down in round 3: the medians of the times would hide the change.
  const a = [sample(1.0, 1.0), sample(1.0, 1.0), sample(2.0, 2.0)];
  const b = [sample(0.9, 0.95), sample(1.1, 1.0), sample(1.8, 1.9)];
  assert.equal(
    pairedText(a, b),
    "CPU -10.0 %, wall -5.0 % (median of the rounds' ratios); less CPU in 2 of 3 rounds",
  );
  assert.match(pairedText([sample(1, 1)], [sample(1.2, 1.5)]), /^CPU \+20\.0 %, wall \+50\.0 %/);
});
