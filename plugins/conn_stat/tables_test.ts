/**
 * ConnTables on their own (spec/plugins/connStat.md §3-§7, §11): full maps, the value read
 * for a sender missing from `ipS` at another hash factor, and CS_HSDRM / CS_SDIPMAX.
 */

import assert from "node:assert/strict";
import { ConnTables, type FlowCounts } from "./tables.ts";

/** Address words: host `n` as an IPv4 address at `w[4n]`. */
function hosts(n: number): Uint32Array {
  const w = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) w[4 * i] = 0x0a000000 + i;
  return w;
}

const full = (map: string): never => {
  throw new Error(`full: ${map}`);
};

function counts(): FlowCounts {
  return { sip: 0, dip: 0, sipDip: 0, sipDprt: 0, pkts: 0, bytes: 0 };
}

Deno.test("ConnTables: a full map stops with its T2 name (ipP, ipS, ipD, port)", () => {
  const w = hosts(4);
  const t = new ConnTables({ capacity: 2, flows: 16, removeEnded: true, pairMax: true });
  t.flowStarts(0, 4, w, 0, 4, 80, 0, 0, full);
  t.flowStarts(1, 4, w, 8, 12, 80, 0, 0, full); // two pairs, two sources, two destinations
  assert.throws(() => t.flowStarts(2, 4, w, 0, 8, 80, 0, 0, full), /full: ipP/);
  const s = new ConnTables({ capacity: 2, flows: 16, removeEnded: true, pairMax: true });
  s.packet(0, 4, w, 0, 1, full);
  s.packet(1, 4, w, 4, 1, full);
  assert.throws(() => s.packet(2, 4, w, 8, 1, full), /full: ipS/);
  const p = new ConnTables({ capacity: 2, flows: 16, removeEnded: true, pairMax: true });
  p.flowStarts(0, 4, w, 0, 4, 1, 0, 0, full);
  p.flowStarts(1, 4, w, 0, 4, 2, 0, 0, full);
  assert.throws(() => p.flowStarts(2, 4, w, 0, 4, 3, 0, 0, full), /full: port/);
});

Deno.test("ConnTables: a sender missing from ipS reads 0 packets and the block header bytes (hash factor 1 and 2)", () => {
  for (const [capacity, bytes] of [[262144, 4198402], [524288, 8392706]]) {
    const w = hosts(3);
    const t = new ConnTables({ capacity, flows: 16, removeEnded: true, pairMax: true });
    assert.equal(t.missingBytes, bytes);
    // C (0) → S (4): S answers (bit 0 row), then S's own pair to T (8) ends and takes S out of ipS.
    // Flows: 0 (C → S), 1 (S → C, a reply), 2 (S → T).
    t.flowStarts(0, 4, w, 0, 4, 53, 0, 0, full);
    t.packet(0, 4, w, 0, 10, full);
    t.flowStarts(1, 4, w, 0, 4, 53, 0, 0, full);
    t.packet(1, 4, w, 4, 20, full);
    t.flowStarts(2, 4, w, 4, 8, 99, 0, 0, full);
    assert.ok(!t.packetOfKnownSender(2, 5)); // flow 2's first packet
    t.packet(2, 4, w, 4, 5, full);
    const c = counts();
    t.flowEnds(2, 4, w, 4, 8, 99, false, 4, 0, c);
    assert.deepStrictEqual(c, { sip: 1, dip: 1, sipDip: 1, sipDprt: 1, pkts: 2, bytes: 25 });
    assert.equal(t.flowEnds(0, 4, w, 0, 4, 53, false, 0, 0, c), null);
    assert.deepStrictEqual(c, { sip: 1, dip: 1, sipDip: 2, sipDprt: 2, pkts: 1, bytes: 10 });
    assert.ok(!t.packetOfKnownSender(1, 1)); // S's slot is free now
    t.flowEnds(1, 4, w, 0, 4, 53, true, 4, 0, c);
    assert.deepStrictEqual(c, { sip: 1, dip: 1, sipDip: 1, sipDprt: 1, pkts: 0, bytes: bytes });
    assert.equal(t.byteTop.count, bytes);
    assert.equal(t.byteTop.addr[0], 0x0a000001);
  }
});

Deno.test("ConnTables: CS_HSDRM=0 keeps every count; CS_SDIPMAX=0 reports the number of IP flows", () => {
  const w = hosts(2);
  const t = new ConnTables({ capacity: 16, flows: 16, removeEnded: false, pairMax: false });
  const c = counts();
  for (let i = 0; i < 3; i++) t.flowStarts(i, 4, w, 0, 4, 80, 0, 0, full);
  for (let i = 0; i < 3; i++) {
    t.flowEnds(i, 4, w, 0, 4, 80, false, 0, 0, c);
    assert.equal(c.sipDip, 3);
    assert.equal(c.sipDprt, 3);
  }
  t.flowStarts(3, 4, w, 0, 4, 80, 0, 0, full);
  t.flowEnds(3, 4, w, 0, 4, 80, false, 0, 0, c);
  assert.equal(c.sipDip, 4);
  assert.equal(t.numSDIP, 4); // IP flows, not the pair maximum
  assert.equal(t.numSIP, 1);
  assert.equal(t.numPort, 4);
});

Deno.test("ConnTables: a failed lookup at a flow's end is reported and counts 0 (no bookkeeping to undo)", () => {
  const w = hosts(2);
  const t = new ConnTables({ capacity: 16, flows: 16, removeEnded: true, pairMax: true });
  const c = counts();
  assert.deepStrictEqual(t.flowEnds(5, 4, w, 0, 4, 80, false, 0, 0, c), [
    "pair",
    "port",
    "src",
    "dst",
  ]);
  assert.deepStrictEqual(c, { sip: 0, dip: 0, sipDip: 0, sipDprt: 0, pkts: 0, bytes: 0 });
});
