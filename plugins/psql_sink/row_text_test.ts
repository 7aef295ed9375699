import assert from "node:assert/strict";
import { OutputBuffer } from "../../mod.ts";
import { copyEscape, floatText, timestampText, valueText } from "./row_text.ts";

Deno.test("psqlSink row text: T2's literals (psqlSink.md §5)", () => {
  const out = new OutputBuffer();
  out.h64(0x8001, 0x08000000);
  out.h16(0x86dd);
  out.ipx(0, new Uint32Array(4), 0);
  out.dir(1);
  out.duration(1, 991979000);
  out.str("a\"b\\c\nd'e\x1b");
  assert.equal(valueText(out, 0, out.tags[0]), "576460752303456257");
  assert.equal(valueText(out, 2, out.tags[2]), "34525");
  assert.equal(valueText(out, 3, out.tags[3]), "0.0.0.0");
  assert.equal(valueText(out, 8, out.tags[8]), "B");
  assert.equal(valueText(out, 9, out.tags[9]), "1.991979000");
  // The 19 characters T2 stores for this string (§5.1).
  assert.equal(valueText(out, 11, out.tags[11]), "a\\\"b\\\\c\\nd'e\\\\u001B");
  assert.equal(timestampText(921159929, 611369000), "1999-03-11T13:45:29.611369000+0000");
  assert.equal(timestampText(0, 0), "1970-01-01T00:00:00.000000000+0000");
});

Deno.test("psqlSink row text: floats exactly, COPY escapes", () => {
  const f = Math.fround(0.01052966620773077);
  assert.equal(Math.fround(Number(floatText(f))), f);
  assert.equal(floatText(NaN), "NaN");
  assert.equal(floatText(-Infinity), "-Infinity");
  assert.equal(copyEscape("a\\b\tc\nd\re"), "a\\\\b\\tc\\nd\\re");
  assert.equal(copyEscape("plain"), "plain");
});
