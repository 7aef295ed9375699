import assert from "node:assert/strict";
import { applyOps, fromHex, type Op, toHex } from "./ops.ts";
import { packetIndices, parseLayout } from "./layout.ts";
import { openCaptureBytes } from "../../src/capture/open.ts";
import { concat, epb, idb, readAll, shb } from "../../tests/_support/capture_files.ts";
import { ipv4Packet, smallCapture } from "../../tests/_support/test_packets.ts";

function read(b: Uint8Array) {
  const r = openCaptureBytes(b, "t");
  const recs = readAll(r);
  return { recs, damage: r.damage };
}

Deno.test("layout: pcap records and pcapng blocks", () => {
  const L = parseLayout(smallCapture(3));
  assert.equal(L.format, "pcap");
  assert.equal(L.records.length, 3);
  assert.equal(L.records[0].start, 24);
  assert.equal(L.records[0].dataStart, 40);
  assert.equal(L.parsedEnd, smallCapture(3).length);

  const ng = concat(shb(), idb({ linkType: 1 }), epb({ data: ipv4Packet() }), epb({ data: 7 }));
  const N = parseLayout(ng);
  assert.equal(N.format, "pcapng");
  assert.deepEqual(N.records.map((r) => r.blockType), [0x0a0d0d0a, 1, 6, 6]);
  assert.deepEqual(packetIndices(N), [2, 3]);
  assert.equal(N.records[3].dataLen, 7);
  assert.equal(N.linkType, 1);
});

Deno.test("layout: never throws on garbage, stops where framing stops", () => {
  assert.equal(parseLayout(new Uint8Array([1, 2])).format, "unknown");
  const cut = smallCapture(3).slice(0, 24 + 16 + 5);
  const L = parseLayout(cut);
  assert.equal(L.records.length, 0);
  assert.equal(L.parsedEnd, 24);
});

Deno.test("ops: the input is never modified and the same ops give the same bytes", () => {
  const src = smallCapture(5);
  const copy = src.slice();
  const ops: Op[] = [
    { op: "flip", at: 60, bit: 3 },
    { op: "set", at: 44, size: 2, value: 0xbeef, le: false },
    { op: "swap", a: 0, b: 3 },
  ];
  const a = applyOps(src, ops);
  assert.deepEqual(src, copy);
  assert.deepEqual(applyOps(src, ops), a);
  assert.notDeepEqual(a, src);
});

Deno.test("ops: window keeps the file header and the chosen packets", () => {
  const src = smallCapture(6);
  const w = applyOps(src, [{ op: "window", first: 2, count: 3 }]);
  const { recs } = read(w);
  assert.deepEqual(recs.map((r) => r.tsSec), [1_000_002, 1_000_003, 1_000_004]);
  // pcapng: the section and interface blocks stay.
  const ng = concat(shb(), idb(), epb({ data: 20, ticks: 1n }), epb({ data: 30, ticks: 2n }));
  const wn = applyOps(ng, [{ op: "window", first: 1, count: 1 }]);
  assert.deepEqual(read(wn).recs.map((r) => r.capLen), [30]);
});

Deno.test("ops: edit re-frames a pcap record (captured and wire length follow)", () => {
  const src = smallCapture(2);
  const out = applyOps(src, [{ op: "edit", index: 0, at: 12, del: 0, hex: "81000001", repeat: 3 }]);
  const { recs, damage } = read(out);
  assert.equal(damage, null);
  assert.equal(recs[0].capLen, read(src).recs[0].capLen + 12);
  assert.equal(recs[0].wireLen, read(src).recs[0].wireLen + 12);
  assert.equal(toHex(recs[0].bytes.subarray(12, 24)), "810000018100000181000001");
  assert.equal(recs[0].bytes[24], 0x08);
});

Deno.test("ops: edit re-frames a pcapng block (padding, options, trailer)", () => {
  const ng = concat(
    shb(),
    idb(),
    epb({ data: 21, opts: [[1, new TextEncoder().encode("hi")]] }),
    epb({ data: 5 }),
  );
  const out = applyOps(ng, [{ op: "edit", index: 2, at: 0, del: 2, hex: "aabbccdd" }]);
  const { recs, damage } = read(out);
  assert.equal(damage, null);
  assert.deepEqual(recs.map((r) => r.capLen), [23, 5]);
  assert.equal(toHex(recs[0].bytes.subarray(0, 4)), "aabbccdd");
});

Deno.test("ops: snap cuts every packet, keeps wire lengths", () => {
  const src = smallCapture(4);
  const before = read(src).recs;
  const { recs, damage } = read(applyOps(src, [{ op: "snap", len: 20 }]));
  assert.equal(damage, null);
  assert.deepEqual(recs.map((r) => r.capLen), [20, 20, 20, 20]);
  assert.deepEqual(recs.map((r) => r.wireLen), before.map((r) => r.wireLen));
});

Deno.test("ops: drop, dup, swap, truncate, insert", () => {
  const src = smallCapture(4);
  const secs = (b: Uint8Array) => read(b).recs.map((r) => r.tsSec - 1_000_000);
  assert.deepEqual(secs(applyOps(src, [{ op: "drop", index: 1, count: 2 }])), [0, 3]);
  assert.deepEqual(secs(applyOps(src, [{ op: "dup", index: 0 }])), [0, 0, 1, 2, 3]);
  assert.deepEqual(secs(applyOps(src, [{ op: "swap", a: 3, b: 1 }])), [0, 3, 2, 1]);
  const cut = applyOps(src, [{ op: "truncate", at: 30 }]);
  assert.equal(cut.length, 30);
  assert.notEqual(read(cut).damage, null);
  const ins = applyOps(src, [{ op: "insert", at: 24, hex: "00ff" }]);
  assert.equal(ins.length, src.length + 2);
});

Deno.test("ops: positions and indices past the end are no-ops", () => {
  const src = smallCapture(2);
  const ops: Op[] = [
    { op: "flip", at: 1e6, bit: 0 },
    { op: "set", at: src.length - 1, size: 4, value: 1, le: true },
    { op: "drop", index: 99 },
    { op: "swap", a: 0, b: 99 },
    { op: "edit", index: 99, at: 0, del: 0, hex: "00" },
    { op: "window", first: 99, count: 1 },
    { op: "truncate", at: 1e6 },
    { op: "insert", at: 1e6, hex: "00" },
  ];
  assert.deepEqual(applyOps(src, ops), src);
});

Deno.test("ops: hex round trip", () => {
  const b = new Uint8Array([0, 1, 0x7f, 0x80, 0xff]);
  assert.equal(toHex(b), "00017f80ff");
  assert.deepEqual(fromHex("00017f80ff"), b);
});
