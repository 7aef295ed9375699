/**
 * The dispatch tables: every internal stage and every decoded number is wired, and the names
 * derived from the tables are T2's (spec/dissection.md §1).
 */

import assert from "node:assert/strict";
import { hdrDescTable } from "./hdr_desc.ts";
import { Space, Stage } from "./walk.ts";
import { hasDecoder, isSupportedLinkType, NAMES } from "./wiring.ts";

/** The text of a space's name for `code` (as appended to a description). */
function nameText(space: number, code: number): string {
  const names = NAMES[space]!;
  const pieces = names.pieces(code) ?? [names.unknown(code)];
  let node = 0;
  for (const piece of pieces) node = hdrDescTable.child(node, piece);
  return hdrDescTable.text(node);
}

Deno.test("wiring: every stage has its decoder", () => {
  for (const [name, stage] of Object.entries(Stage)) {
    assert.ok(hasDecoder(Space.STAGE, stage), name);
  }
});

Deno.test("wiring: every number a table decodes has a name, for the contexts that only name it", () => {
  for (const [name, space] of Object.entries(Space)) {
    const names = NAMES[space];
    if (names === null) continue;
    for (let code = 0; code < 0x10000; code++) {
      if (hasDecoder(space, code)) assert.notEqual(names.pieces(code), null, `${name} ${code}`);
    }
  }
});

Deno.test("wiring: names as T2 writes them, known and unknown", () => {
  assert.equal(nameText(Space.ETHER_NAME, 0x8906), ":fcoe:fc");
  assert.equal(nameText(Space.ETHER_NAME, 0x88cc), ":lldp");
  assert.equal(nameText(Space.ETHER_NAME, 0x1234), ":UNK(0x1234)");
  assert.equal(nameText(Space.IP_NAME, 59), "", "no next header: nothing");
  assert.equal(nameText(Space.IP_NAME, 134), ":rsvp-e2ei");
  assert.equal(nameText(Space.IP_NAME, 200), ":UNK(200)");
  assert.equal(nameText(Space.PPP_NAME, 0x003d), ":ppp:mp");
  assert.equal(nameText(Space.PPP_NAME, 0x1234), ":UNK(0x3412)", "bytes swapped, as T2");
  assert.equal(nameText(Space.LLC_NAME, 0x42), ":stp");
  assert.equal(nameText(Space.LLC_NAME, 0x43), ":UNK(0x43)");
});

Deno.test("isSupportedLinkType(): T2's link types (spec/link-types.md §3), LOOP and SLL2", () => {
  const t2 = [0, 1, 9, 12, 50, 104, 105, 107, 113, 119, 127, 137, 167, 178, 192, 204, 205, 206];
  for (const dlt of [...t2, 228, 229, 274, 108, 276]) {
    assert.ok(isSupportedLinkType(dlt), `${dlt}`);
  }
  // 14 and 101 have no libpcap name (101 is mapped to 12 when read from a file; inside PPI it
  // stays 101, which T2 does not take for raw IP); LAPD is refused in T2's default build.
  for (const dlt of [2, 14, 101, 147, 163, 177, 203, 0x10001]) {
    assert.ok(!isSupportedLinkType(dlt), `${dlt}`);
  }
});
