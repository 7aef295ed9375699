import assert from "node:assert/strict";
import * as R from "./records.ts";

/** [first byte, bytes] of every value of a record. */
const FIELDS: [string, number, number][] = [
  ["pkts", R.PKTS * 8, 8],
  ["bytes", R.BYTES * 8, 8],
  ["lstSec", R.LST_SEC * 8, 8],
  ["avgSz", R.AVG_SZ * 4, 4],
  ["varSz", R.VAR_SZ * 4, 4],
  ["minIat", R.MIN_IAT * 4, 4],
  ["maxIat", R.MAX_IAT * 4, 4],
  ["avgIat", R.AVG_IAT * 4, 4],
  ["varIat", R.VAR_IAT * 4, 4],
  ["lstNs", R.LST_NS * 4, 4],
  ["minSz", R.MIN_SZ * 2, 2],
  ["maxSz", R.MAX_SZ * 2, 2],
];

Deno.test("basicStats records: the values of a record do not overlap and fit in it", () => {
  const owner = new Array<string>(R.RECORD_BYTES).fill("");
  for (const [name, at, size] of FIELDS) {
    assert.equal(at % size, 0, `${name} is aligned`);
    for (let b = at; b < at + size; b++) {
      assert.ok(b < R.RECORD_BYTES, `${name} fits`);
      assert.equal(owner[b], "", `${name} overlaps ${owner[b]}`);
      owner[b] = name;
    }
  }
});

Deno.test("basicStats records: a flow's values stay within its own record", () => {
  const r = new R.StatsRecords(3);
  r.f64[1 * R.F64_PER + R.PKTS] = 1;
  r.f64[1 * R.F64_PER + R.LST_SEC] = 2;
  r.f32[1 * R.F32_PER + R.VAR_IAT] = 3;
  r.u32[1 * R.F32_PER + R.LST_NS] = 4;
  r.u16[1 * R.U16_PER + R.MAX_SZ] = 5;
  const bytes = new Uint8Array(r.f64.buffer);
  assert.ok(bytes.subarray(0, R.RECORD_BYTES).every((b) => b === 0), "record 0 untouched");
  assert.ok(bytes.subarray(2 * R.RECORD_BYTES).every((b) => b === 0), "record 2 untouched");
  assert.deepEqual(
    [r.f64[R.F64_PER + R.PKTS], r.f64[R.F64_PER + R.LST_SEC], r.f32[R.F32_PER + R.VAR_IAT]],
    [1, 2, 3],
  );
  assert.deepEqual([r.u32[R.F32_PER + R.LST_NS], r.u16[R.U16_PER + R.MAX_SZ]], [4, 5]);
});
