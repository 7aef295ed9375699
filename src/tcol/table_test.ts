/**
 * The table of `column -t -s TAB` as ../shared/spec/tools/tcol.md §2 describes it, with
 * expectations written by hand from the spec (tests/tcol_test.ts compares with util-linux
 * `column` itself where it is installed).
 */

import assert from "node:assert/strict";
import { columnWidths, formatTable } from "./table.ts";
import { cellWidth, charWidth } from "./width.ts";

const enc = new TextEncoder();

function table(...inputs: string[]): string {
  const parts: Uint8Array[] = [];
  formatTable(inputs.map((t) => enc.encode(t)), (b) => parts.push(b.slice()), 8);
  return new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
}

Deno.test("tcol: the spec's example: empty cells kept, trailing spaces where cells are missing", () => {
  assert.equal(
    table("a\tbb\tccc\nxyz\n\tq\nk\tl\tm\tn\n"),
    "a    bb  ccc  \n" +
      "xyz           \n" +
      "     q        \n" +
      "k    l   m    n\n",
  );
});

Deno.test("tcol: blank lines are dropped, a last line without newline counts", () => {
  assert.equal(table("a\tb\n\n  \n\t\n \r\ncc\td"), "a   b\ncc  d\n");
  assert.equal(table(""), "");
  assert.equal(table("\n\n"), "");
});

Deno.test("tcol: each file is its own lines; a NUL byte ends the line", () => {
  assert.equal(table("a\tb", "cc\td\n"), "a   b\ncc  d\n");
  assert.equal(table("a\u0000b\tc\nd\te\n"), "a  \nd  e\n");
});

Deno.test("tcol: widths by display width: CJK 2, combining 0, controls and colours 0", () => {
  assert.equal(charWidth(0x41), 1);
  assert.equal(charWidth(0x65e5), 2); // 日
  assert.equal(charWidth(0x301), 0); // combining acute
  assert.equal(charWidth(0x85), 0); // C1 control
  assert.equal(charWidth(0x1f600), 2); // an emoji
  assert.equal(cellWidth(enc.encode("é"), 0, 2), 1);
  assert.equal(cellWidth(enc.encode("\x1b[1;31mred\x1b[0m"), 0, 14), 3);
  assert.equal(cellWidth(enc.encode("\x01[12"), 0, 4), 3); // no 'm': only the control is hidden
  assert.equal(table("日本\tx\nab\ty\n"), "日本  x\nab    y\n");
  assert.equal(table("Corporación\tx\nabc\ty\n"), "Corporación  x\nabc          y\n");
});

Deno.test("tcol: bytes that are not UTF-8 are shown as \\xHH and count 4", () => {
  const b = new Uint8Array([0x61, 0xc3, 0x09, 0x78, 0x0a, 0x62, 0x62, 0x09, 0x79, 0x0a]);
  const parts: Uint8Array[] = [];
  formatTable([b], (x) => parts.push(x.slice()));
  assert.equal(
    new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p]))),
    "a\\xc3  x\nbb     y\n",
  );
  assert.deepEqual(columnWidths([b]), [5, 1]);
});

Deno.test("tcol: a T2 flow line: '%dir' is 4 wide, an empty vlanID is width + 2 spaces", () => {
  const out = table("%dir\tvlanID\tsrcIP\nA\t\t10.0.0.1\n").split("\n");
  assert.equal(out[0], "%dir  vlanID  srcIP");
  assert.equal(out[1], "A             10.0.0.1");
});
