import assert from "node:assert/strict";
import {
  awkName,
  columnsOf,
  type HeaderRule,
  isHeaderLine,
  namesBlock,
  rawNames,
} from "./names.ts";

const T2: HeaderRule = { row: null, prefix: "%", fs: "\t" };

Deno.test("tawk names: T2's mapping of column names to awk variables (spec §3)", () => {
  assert.equal(
    awkName('a!b"c#d$e%f&g*h+i,j(k)l{m}n[o]p q-r.s/t:u@v'),
    "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t:u@v",
  );
  assert.equal(awkName("1x"), "_1x");
  assert.equal(awkName("L2/3 Protocol"), "L2_3_Protocol");
  assert.equal(awkName("pktsSnt"), "pktsSnt");
});

Deno.test("tawk names: the header line: prefix, blanks, then a letter, '\\' or '('", () => {
  assert.ok(isHeaderLine(T2, 1, "%dir\tflowInd"));
  assert.ok(isHeaderLine(T2, 5, "% dir"));
  assert.ok(!isHeaderLine(T2, 1, "%1\t2"));
  assert.ok(!isHeaderLine(T2, 1, "A\t1"));
  assert.ok(isHeaderLine({ ...T2, prefix: "#" }, 1, "# IP\tpktTcpCnt"));
  assert.ok(isHeaderLine({ ...T2, prefix: "" }, 1, "anything"));
  assert.ok(!isHeaderLine({ ...T2, prefix: "" }, 2, "anything"));
  assert.ok(isHeaderLine({ ...T2, row: 3 }, 3, "x"));
  assert.ok(!isHeaderLine({ ...T2, row: 3 }, 1, "%dir"));
});

Deno.test("tawk names: prefix removed, names split on FS and stripped", () => {
  const rule = { ...T2, prefix: "#" };
  assert.deepEqual(rawNames("# L2/3 Protocol\t   Packets\t  Bytes\tDescription", rule), [
    "L2/3 Protocol",
    "Packets",
    "Bytes",
    "Description",
  ]);
  assert.deepEqual(rawNames("%dir\tflowInd", T2), ["dir", "flowInd"]);
  assert.deepEqual(rawNames("a,b", { ...T2, prefix: "", fs: "," }), ["a", "b"]);
});

Deno.test("tawk names: clashing, empty and non-identifier names get no variable", () => {
  const cols = columnsOf("%dir\tlength\ttcp\tNR\ta:b\t\tok", T2, new Set(["tcp"]));
  assert.deepEqual(cols.map((c) => c.variable), [true, false, false, false, false, false, true]);
  const block = namesBlock(cols);
  assert.match(block, /^ {2}dir = 1$/m);
  assert.match(block, /^ {2}ok = 7$/m);
  assert.ok(!/^ {2}length =/m.test(block));
  assert.match(block, /COL\["length"\] = 2; COL\[2\] = "length"/);
  assert.match(block, /COL\["a:b"\] = 5/);
});
