/**
 * The embedded tables are T2 0.9.3's files byte for byte: their hashes match the provenance
 * note, and (where ../shared is present) their text equals the shared copies.
 */

import assert from "node:assert/strict";
import { sha256Hex, TABLES } from "../../tasks/tables.ts";
import { ETHERTYPES_TXT, ETHERTYPES_TXT_SHA256 } from "./ethertypes.ts";
import { PORTMAP_TXT, PORTMAP_TXT_SHA256 } from "./portmap.ts";
import { PROTO_TXT, PROTO_TXT_SHA256 } from "./proto.ts";

const EMBEDDED: Record<string, [string, string]> = {
  "portmap.txt": [PORTMAP_TXT, PORTMAP_TXT_SHA256],
  "proto.txt": [PROTO_TXT, PROTO_TXT_SHA256],
  "ethertypes.txt": [ETHERTYPES_TXT, ETHERTYPES_TXT_SHA256],
};
const README = Deno.readTextFileSync(new URL("./README.md", import.meta.url));
const SHARED = new URL("../../../shared/spec/data/", import.meta.url);
const hasShared = (() => {
  try {
    return Deno.statSync(SHARED).isDirectory;
  } catch {
    return false;
  }
})();

for (const { file } of TABLES) {
  const [text, sha] = EMBEDDED[file];
  Deno.test(`tables: ${file} has the hash the README names`, async () => {
    assert.equal(await sha256Hex(text), sha);
    assert.ok(README.includes(`\`${file}\`: \`${sha}\``), `README lacks the hash of ${file}`);
  });
  Deno.test({
    name: `tables: ${file} equals ../shared/spec/data/${file}` +
      (hasShared ? "" : " (ignored: ../shared is absent)"),
    ignore: !hasShared,
    fn() {
      assert.ok(text === Deno.readTextFileSync(new URL(file, SHARED)), `${file} differs`);
    },
  });
}

Deno.test("tables: line counts of the provenance note", () => {
  const lines = (t: string) => t.split("\n").length - 1;
  assert.equal(lines(PORTMAP_TXT), 11225);
  assert.equal(lines(PROTO_TXT), 256);
  assert.equal(lines(ETHERTYPES_TXT), 273);
  assert.equal(new TextEncoder().encode(PORTMAP_TXT).length, 409901);
});
