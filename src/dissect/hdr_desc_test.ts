/**
 * Header descriptions as a trie: the same pieces always lead to the same node, whose text is
 * the pieces joined, cut at 127 characters with `...` (spec/dissection.md §1).
 */

import assert from "node:assert/strict";
import { HdrDescTable } from "./hdr_desc.ts";
import { xorshift32 } from "../../tests/_support/xorshift.ts";

Deno.test("HdrDescTable: a path of pieces always reaches the same node, with the joined text", () => {
  const t = new HdrDescTable();
  const names = Array.from({ length: 40 }, (_, i) => `:p${i}`);
  const pieces = names.map((n) => t.piece(n));
  const next = xorshift32(11);
  const nodes = new Map<string, number>();
  // Many distinct paths, in an order that alternates between them (the edge table grows).
  for (let k = 0; k < 50_000; k++) {
    let node = 0;
    let text = "";
    const depth = 1 + (next() % 5);
    for (let d = 0; d < depth; d++) {
      const i = next() % pieces.length;
      node = t.child(node, pieces[i]);
      text += names[i];
    }
    assert.equal(t.text(node), text);
    assert.equal(nodes.get(text) ?? node, node, text);
    nodes.set(text, node);
  }
  assert.ok(nodes.size > 5000, `distinct descriptions: ${nodes.size}`);
});

Deno.test("HdrDescTable: a description over 127 characters is cut with ... and overflows", () => {
  const t = new HdrDescTable();
  const piece = t.piece(":ipv4:gre"); // 9 characters
  let node = 0;
  for (let i = 0; i < 14; i++) node = t.child(node, piece);
  assert.equal(t.text(node).length, 126);
  assert.ok(!t.overflows(node));
  node = t.child(node, piece);
  assert.equal(t.text(node), ":ipv4:gre".repeat(14).slice(0, 124) + "...");
  assert.ok(t.overflows(node));
});
