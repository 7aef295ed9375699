import assert from "node:assert/strict";
import { hasReference, referenceFiles } from "../../tests/_support/reference_files.ts";
import { readableSuffix } from "./readable.ts";

Deno.test("readableSuffix()", async (t) => {
  await t.step("is empty below 1024", () => {
    assert.equal(readableSuffix(0), "");
    assert.equal(readableSuffix(1000), "");
    assert.equal(readableSuffix(1023), "");
    assert.equal(readableSuffix(1023.9), "");
    assert.equal(readableSuffix(-5000), "");
    assert.equal(readableSuffix(NaN), "");
  });

  await t.step("uses a binary threshold and a decimal divisor", () => {
    assert.equal(readableSuffix(1024), " (1.02 K)");
    assert.equal(readableSuffix(1000000), " (1000.00 K)");
    assert.equal(readableSuffix(1048575), " (1048.58 K)");
    assert.equal(readableSuffix(1048576), " (1.05 M)");
    assert.equal(readableSuffix(564228), " (564.23 K)");
    assert.equal(readableSuffix(1219015), " (1.22 M)");
    assert.equal(readableSuffix(8591685635), " (8.59 G)");
    assert.equal(readableSuffix(262144), " (262.14 K)");
    assert.equal(readableSuffix(2 ** 40 - 1), " (1099.51 G)");
    assert.equal(readableSuffix(2 ** 40), " (1.10 T)");
    assert.equal(readableSuffix(2 ** 50), " (1.13 P)");
    assert.equal(readableSuffix(2 ** 60), " (1.15 E)");
    assert.equal(readableSuffix(2 ** 64 - 2048), " (18.45 E)");
    assert.equal(readableSuffix(2 ** 70), " (18.45 E)"); // clamped to 2^64
  });

  await t.step("rounds the exact double, ties to even", () => {
    assert.equal(readableSuffix(65535), " (65.53 K)"); // 65.535 is 65.5349999…
    assert.equal(readableSuffix(1125), " (1.12 K)"); // 1.125 exactly: tie to even
    assert.equal(readableSuffix(1135), " (1.14 K)"); // 1.135 is 1.13500000000000000888…
    assert.equal(readableSuffix(2375), " (2.38 K)"); // 2.375 exactly: tie to even
  });

  await t.step("truncates fractions and appends the unit", () => {
    assert.equal(readableSuffix(1024.99), " (1.02 K)");
    assert.equal(readableSuffix(270842000, "b/s"), " (270.84 Mb/s)");
    assert.equal(readableSuffix(306023, "b/s"), " (306.02 Kb/s)");
    assert.equal(readableSuffix(89505.6, "b/s"), " (89.50 Kb/s)"); // printed as `89506 b/s`
  });
});

Deno.test({
  name: "readableSuffix() reproduces every suffix of the reference reports",
  ignore: !hasReference(),
  fn() {
    const files = referenceFiles("_report.txt");
    let checked = 0;
    // "N (x.xx K)", "N b/s (x.xx Kb/s)", and doubles: "26539.81 (26.54 K)"
    const re = /(?<![\d.])(\d+(?:\.\d+)?)(?: [a-z/]+)? (\(\d+\.\d\d [KMGTPEZY]([^)]*)\))/g;
    for (const f of files) {
      for (const m of Deno.readTextFileSync(f).matchAll(re)) {
        const n = Number(m[1]);
        const expected = " " + m[2];
        // `<Bandwidth>: %.0f b/s` rounds the double x while H() truncates it: the suffix is that
        // of n (x >= n) or of n - 1 (x < n), e.g. 89505.6 prints `89506 b/s (89.50 Kb/s)`.
        const rounded = m[3] === "b/s" && Number.isInteger(n) && m[0].startsWith(m[1] + " b/s") &&
          readableSuffix(n - 1, m[3]) === expected;
        if (!rounded) assert.equal(readableSuffix(n, m[3]), expected, `${f}: ${m[0]}`);
        checked++;
      }
      // numbers >= 1024 in "label: N" lines without a suffix must not exist where H() is used
      for (
        const m of Deno.readTextFileSync(f).matchAll(/^Number of [^:]*: (\d+)(?:\.\d+)?(.*)$/gm)
      ) {
        if (m[1].length < 4 || +m[1] < 1024) continue;
        assert.match(m[2], /^ \(/, `${f}: ${m[0]}`);
      }
    }
    assert.ok(checked > 1000, `only ${checked} suffixes checked`);
  },
});
