/**
 * The plain IPv6 path (plain_ipv6.ts) against the dissector for all cases, field by field: on
 * the fixtures, on every shared capture and on random variations of plain IPv6 frames.
 */

import assert from "node:assert/strict";
import { openCaptureBytes } from "../capture/open.ts";
import { loadCorpus, sharedRoot } from "../../tools/fuzz/corpus.ts";
import { DissectRun } from "../../tests/_support/dissect_frame.ts";
import { xorshift32 } from "../../tests/_support/xorshift.ts";
import { dissectAllCases } from "./dissect.ts";
import { Packet } from "./packet.ts";
import { dissectPlainIpv6 } from "./plain_ipv6.ts";

/** One side of the comparison: a packet view and what a run keeps of it. */
class Side {
  readonly p = new Packet();
  readonly run = new DissectRun();
}

/** Every field of a packet view, typed arrays as plain arrays, plus its description text. */
function fields(p: Packet): Record<string, unknown> {
  const out: Record<string, unknown> = { hdrDesc: p.hdrDesc };
  for (const [k, v] of Object.entries(p)) {
    if (k !== "data") out[k] = ArrayBuffer.isView(v) ? [...(v as Uint32Array)] : v;
  }
  return out;
}

/** Counters as plain values (the per-EtherType arrays as text). */
function counters(s: Side): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.run.counters)) {
    out[k] = ArrayBuffer.isView(v) ? [...(v as Float64Array)].join(",") : v;
  }
  return out;
}

/** Dissect one record both ways and compare; returns whether the plain path took it. */
function compare(all: Side, mixed: Side, data: Uint8Array, capLen: number, wireLen: number) {
  all.p.reset(data, 0, capLen, wireLen);
  all.p.linkType = 1;
  all.run.dissect(all.p, dissectAllCases);
  mixed.p.reset(data, 0, capLen, wireLen);
  mixed.p.linkType = 1;
  const untouched = fields(mixed.p);
  let plain = false;
  mixed.run.dissect(mixed.p, (p) => {
    plain = dissectPlainIpv6(p);
    if (!plain) {
      assert.deepEqual(fields(p), untouched, "declined but changed the packet");
      dissectAllCases(p);
    }
  });
  assert.deepEqual(fields(mixed.p), fields(all.p));
  return plain;
}

function compareCapture(bytes: Uint8Array, name: string): number {
  const all = new Side();
  const mixed = new Side();
  const reader = openCaptureBytes(bytes, name);
  let plain = 0;
  while (reader.next()) {
    if (reader.linkType !== 1) continue;
    const data = reader.data.slice(reader.offset, reader.offset + reader.capLen);
    if (compare(all, mixed, data, reader.capLen, reader.wireLen)) plain++;
  }
  assert.deepEqual(counters(mixed), counters(all), `${name}: counters`);
  assert.deepEqual(mixed.run.warnings, all.run.warnings, `${name}: warnings`);
  return plain;
}

Deno.test("plain IPv6 path: same fields as the general dissector on the fixtures", () => {
  for (const seed of loadCorpus("fixtures")) compareCapture(seed.bytes, seed.id);
});

Deno.test({
  name: "plain IPv6 path: same fields as the general dissector on every shared capture",
  ignore: sharedRoot() === null,
  fn() {
    let plain = 0;
    for (const seed of loadCorpus("shared")) plain += compareCapture(seed.bytes, seed.id);
    assert.ok(plain > 300, `records taken by the plain path: ${plain}`);
  },
});

/** A random Ethernet/IPv6 frame near the plain path's conditions. */
function randomFrame(next: () => number): { frame: Uint8Array; capLen: number; wireLen: number } {
  const pick = <T>(xs: readonly T[]) => xs[next() % xs.length];
  const chance = (n: number) => next() % n === 0;
  const tags = chance(3) ? pick([[0x8100], [0x8100, 0x8100], [0x88a8]]) : [];
  const l2 = 14 + 4 * tags.length;
  const frame = new Uint8Array(l2 + 40 + 20 + 64);
  for (let i = 0; i < frame.length; i++) frame[i] = next() & 0xff;
  if (!chance(20)) frame[0] = pick([0x00, 0x33, 0x01, 0x03]);
  tags.forEach((tpid, i) => {
    frame[12 + 4 * i] = tpid >> 8;
    frame[13 + 4 * i] = tpid & 0xff;
    if (chance(3)) frame[14 + 4 * i] = frame[15 + 4 * i] = 0; // VLAN ID 0
  });
  const type = chance(12) ? pick([0x0800, 0x8100, 0x0000]) : 0x86dd;
  frame[l2 - 2] = type >> 8;
  frame[l2 - 1] = type & 0xff;
  const ip = l2;
  frame[ip] = chance(12) ? pick([0x40, 0x00, 0x70]) : 0x60;
  const payload = chance(6) ? pick([0, 1, 8, 19, 20, 40, 200]) : 20 + (next() % 120);
  frame[ip + 4] = payload >> 8;
  frame[ip + 5] = payload & 0xff;
  frame[ip + 6] = chance(8) ? pick([0, 44, 58, 41, 43, 60, 132]) : pick([6, 17]);
  const l4 = ip + 40;
  const port = () => chance(4) ? pick([1701, 1900, 4500, 53, 443, 1024, 1025, 0]) : next() & 0xffff;
  const sport = port();
  const dport = port();
  frame.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff], l4);
  frame[l4 + 12] = (next() % 16) << 4;
  if (chance(4)) frame[l4 + 8] = pick([0x14, 0x16, 0x3f, 0x40]); // DTLS content types and not
  if (chance(4)) frame.set([0xfe, 0xfd], l4 + 9);
  const capLen = chance(3) ? 14 + (next() % (frame.length - 13)) : frame.length;
  const wireLen = chance(5) ? next() % (frame.length + 40) : capLen + (next() % 1500);
  return { frame, capLen, wireLen };
}

Deno.test("plain IPv6 path: same fields as the general dissector on 50 000 random frames", () => {
  const next = xorshift32(0x6e6e6e6e);
  const all = new Side();
  const mixed = new Side();
  let plain = 0;
  for (let i = 0; i < 50_000; i++) {
    const { frame, capLen, wireLen } = randomFrame(next);
    if (compare(all, mixed, frame, capLen, wireLen)) plain++;
  }
  assert.deepEqual(counters(mixed), counters(all), "counters");
  assert.deepEqual(mixed.run.warnings, all.run.warnings, "warnings");
  // Both ways must be exercised often, or the comparison proves little.
  assert.ok(plain > 5_000 && plain < 40_000, `records taken by the plain path: ${plain}`);
});
