import assert from "node:assert/strict";
import { openCaptureBytes } from "../capture/open.ts";
import type { Counters } from "../base/counters.ts";
import { loadCorpus, sharedRoot } from "../../tools/fuzz/corpus.ts";
import { DissectRun } from "../../tests/_support/dissect_frame.ts";
import { xorshift32 } from "../../tests/_support/xorshift.ts";
import { dissectAllCases, dissectPacket } from "./dissect.ts";
import { Packet } from "./packet.ts";
import { dissectPlainIpv4 } from "./plain_ipv4.ts";
import { isSpecialPort } from "./ports.ts";

/** One side of the comparison: a packet view, its counters and the warnings it printed. */
class Side {
  readonly p = new Packet();
  readonly run = new DissectRun();
  readonly counters = this.run.counters;
  readonly warnings: string[] = this.run.warnings;

  reset(data: Uint8Array, start: number, capLen: number, wireLen: number, linkType: number) {
    this.p.reset(data, start, capLen, wireLen);
    this.p.linkType = linkType;
  }
}

/** Every field of a packet view, typed arrays as plain arrays, plus its description text. */
function fields(p: Packet): Record<string, unknown> {
  const out: Record<string, unknown> = { hdrDesc: p.hdrDesc };
  for (const [k, v] of Object.entries(p)) {
    if (k === "data") continue;
    out[k] = v instanceof Uint32Array ? [...v] : v;
  }
  return out;
}

function counterFields(c: Counters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    out[k] = ArrayBuffer.isView(v) ? [...(v as Float64Array)].join(",") : v;
  }
  return out;
}

/**
 * Dissect one record both ways (all cases; plain path first) and compare; returns whether
 * the plain path took it. A record the plain path declines must leave the view as reset.
 */
function compareRecord(
  all: Side,
  mixed: Side,
  record: { data: Uint8Array; start: number; capLen: number; wireLen: number; link: number },
  where: string,
): boolean {
  const { data, start, capLen, wireLen, link } = record;
  all.reset(data, start, capLen, wireLen, link);
  all.run.dissect(all.p, dissectAllCases);

  mixed.reset(data, start, capLen, wireLen, link);
  const untouched = fields(mixed.p);
  let plain = false;
  mixed.run.dissect(mixed.p, (p) => {
    plain = dissectPlainIpv4(p);
    if (!plain) {
      assert.deepEqual(fields(p), untouched, `${where}: declined but changed the packet`);
      dissectAllCases(p);
    }
  });
  assert.deepEqual(fields(mixed.p), fields(all.p), `${where}: packet fields`);
  return plain;
}

function compareCapture(bytes: Uint8Array, name: string): { records: number; plain: number } {
  const all = new Side();
  const mixed = new Side();
  const reader = openCaptureBytes(bytes, name);
  let records = 0;
  let plain = 0;
  while (reader.next()) {
    records++;
    const record = {
      data: reader.data,
      start: reader.offset,
      capLen: reader.capLen,
      wireLen: reader.wireLen,
      link: reader.linkType,
    };
    if (compareRecord(all, mixed, record, `${name} record ${records}`)) plain++;
  }
  assert.deepEqual(counterFields(mixed.counters), counterFields(all.counters), `${name}: counters`);
  assert.deepEqual(mixed.warnings, all.warnings, `${name}: warnings`);
  return { records, plain };
}

Deno.test("plain IPv4 path: same fields as the general dissector on the fixtures", () => {
  let plain = 0;
  for (const seed of loadCorpus("fixtures")) plain += compareCapture(seed.bytes, seed.id).plain;
  // The fixtures imitate captures of mostly TCP and UDP: the plain path must be taken.
  assert.ok(plain > 1000, `records taken by the plain path: ${plain}`);
});

Deno.test({
  name: "plain IPv4 path: same fields as the general dissector on every shared capture",
  ignore: sharedRoot() === null,
  fn() {
    let plain = 0;
    for (const seed of loadCorpus("shared")) plain += compareCapture(seed.bytes, seed.id).plain;
    assert.ok(plain > 1000, `records taken by the plain path: ${plain}`);
  },
});

const hex = (text: string) => Uint8Array.from(text.split(/\s+/), (b) => parseInt(b, 16));
const INNER_ETH = "02 00 00 00 00 02 02 00 00 00 00 01 08 00";
const INNER_IPV4_UDP =
  "45 00 00 20 00 01 00 00 40 11 00 00 ac 10 00 01 ac 10 00 02 14 e9 00 35 00 0c 00 00 de ad";
/**
 * UDP payloads that the tunnel checks accept, each with a first byte that alone does not turn
 * the plain path away: only the ports can.
 */
const TUNNEL_PAYLOADS = [
  hex(`08 00 00 00 00 00 64 00 ${INNER_ETH} ${INNER_IPV4_UDP}`), // VXLAN
  hex(`0c 00 00 01 00 00 64 00 ${INNER_IPV4_UDP}`), // VXLAN-GPE, next protocol IPv4
  hex(`01 00 65 58 00 00 64 00 00 00 00 00 ${INNER_ETH} ${INNER_IPV4_UDP}`), // GENEVE
  hex(`01 10 00 00 00 00 00 00 ${INNER_ETH}`), // CAPWAP, DTLS
  hex("c8 02 00 0c 00 01 00 00 00 00 00 00"), // L2TP control
  hex("48 ff 00 08 00 00 00 01 00 00 00 00"), // GTPv2
  hex( // Teredo: IPv6 from a Teredo address (2001:0::/32), UDP
    "60 00 00 00 00 0c 11 40 20 01 00 00 4d 4d 00 00 00 00 00 00 00 00 00 01 " +
      "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02 14 e9 14 e9 00 0c 00 00",
  ),
  hex("14 fe fd 00 00 00 00 00 00 00 00 00 01 01"), // DTLS records of the lowest and highest
  hex("3f fe ff 00 00 00 00 00 00 00 00 00 01 01"), // content types T2 recognises
];

/**
 * A random Ethernet/IPv4 TCP or UDP frame near the plain path's conditions; with `tags`, often
 * with VLAN tags (one 802.1Q tag is for the plain path, other tags are not).
 */
function randomFrame(
  next: () => number,
  tags = false,
): { frame: Uint8Array; capLen: number; wireLen: number } {
  const pick = <T>(xs: readonly T[]) => xs[next() % xs.length];
  const chance = (n: number) => next() % n === 0;
  const ihl = chance(8) ? next() % 16 : 5 + (chance(4) ? next() % 3 : 0);
  const proto = chance(10) ? pick([1, 4, 41, 47, 50, 132]) : pick([6, 17]);
  const frame = new Uint8Array(14 + 60 + 8 + 96);
  for (let i = 0; i < frame.length; i++) frame[i] = next() & 0xff;
  if (!chance(20)) frame[0] = pick([0x00, 0x02, 0xff, 0x01, 0x03]);
  if (chance(4)) frame.set([0x00, 0x0c, 0x00, 0x00], 1); // completes a Cisco ISL signature
  const ethType = chance(12) ? pick([0x8100, 0x86dd, 0x0806, 0x0000]) : 0x0800;
  frame[12] = ethType >> 8;
  frame[13] = ethType & 0xff;
  const ip = 14;
  frame[ip] = (chance(12) ? pick([0x00, 0x60, 0x50]) : 0x40) | ihl;
  const hl = ihl * 4;
  const total = chance(6) ? pick([0, 1, 19, 20, 27, 28, 39, 40, 41]) : 20 + (next() % 200);
  frame[ip + 2] = total >> 8;
  frame[ip + 3] = total & 0xff;
  const fragment = chance(6) ? pick([0x2000, 0x0001, 0x1000, 0x20b9, 0x1fff]) : 0x4000;
  frame[ip + 6] = fragment >> 8;
  frame[ip + 7] = fragment & 0xff;
  frame[ip + 9] = proto;
  const l4 = ip + Math.max(hl, 20);
  const special = [1701, 1900, 2123, 2152, 3386, 3544, 4500, 4789, 4790, 5072, 5246, 5247, 6081];
  const port = () =>
    chance(3) ? pick([...special, 8472, 12222, 12223, 0, 53, 80, 1024, 1025]) : next() & 0xffff;
  const sport = port();
  const dport = port();
  frame[l4] = sport >> 8;
  frame[l4 + 1] = sport & 0xff;
  frame[l4 + 2] = dport >> 8;
  frame[l4 + 3] = dport & 0xff;
  if (proto === 6) frame[l4 + 12] = (next() % 16) << 4;
  const payload = l4 + (proto === 6 ? Math.max(20, frame[l4 + 12] >> 2) : 8);
  if (proto === 17 && chance(2)) frame.set(pick(TUNNEL_PAYLOADS), payload);
  else if (payload < frame.length && chance(3)) {
    frame[payload] = pick([0x00, 0x60, 0x14, 0x16, 0x3f, 0x40, 0x13, 0xff, 0x01]);
  }
  const tagged = tags && chance(3) ? withTags(frame, next) : frame;
  const capLen = chance(3) ? 14 + (next() % (tagged.length - 13)) : tagged.length;
  const wireLen = chance(5) ? next() % (tagged.length + 40) : capLen + (next() % 1500);
  return { frame: tagged, capLen, wireLen };
}

/** `frame` with one or two VLAN tags (802.1Q mostly, VLAN ID 0 sometimes) after the MACs. */
function withTags(frame: Uint8Array, next: () => number): Uint8Array {
  const count = next() % 6 === 0 ? 2 : 1;
  const out = new Uint8Array(frame.length + 4 * count);
  out.set(frame.subarray(0, 12));
  for (let i = 0; i < count; i++) {
    const tpid = next() % 8 === 0 ? 0x88a8 : 0x8100;
    const tci = next() % 4 === 0 ? 0x2000 : next() & 0xffff; // VLAN ID 0, or any
    out.set([tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff], 12 + 4 * i);
  }
  out.set(frame.subarray(12), 12 + 4 * count);
  return out;
}

Deno.test("plain IPv4 path: same fields as the general dissector on 50 000 random frames", () => {
  const next = xorshift32(0x1f2e3d4c);
  const all = new Side();
  const mixed = new Side();
  let plain = 0;
  for (let i = 0; i < 50_000; i++) {
    const { frame, capLen, wireLen } = randomFrame(next, true);
    const record = { data: frame, start: 0, capLen, wireLen, link: i % 50 === 0 ? 101 : 1 };
    if (compareRecord(all, mixed, record, `random frame ${i}`)) plain++;
  }
  assert.deepEqual(counterFields(mixed.counters), counterFields(all.counters), "counters");
  assert.deepEqual(mixed.warnings, all.warnings, "warnings");
  // Both ways must be exercised often, or the comparison proves little.
  assert.ok(plain > 5_000 && plain < 40_000, `records taken by the plain path: ${plain}`);
});

Deno.test("dissectPacket takes the plain path for a plain TCP frame and declines special ports", () => {
  assert.ok(isSpecialPort(4789) && isSpecialPort(1900) && !isSpecialPort(443));
  const next = xorshift32(7);
  for (let i = 0; i < 200; i++) {
    const { frame } = randomFrame(next);
    frame[0] = 0x00;
    frame[12] = 0x08;
    frame[13] = 0x00;
    frame[14] = 0x45;
    frame[20] = frame[21] = 0; // not a fragment
    frame[23] = 6;
    frame[34] = 0x01; // source port 443
    frame[35] = 0xbb;
    frame[36] = 0x01;
    frame[37] = 0xbb;
    frame[46] = 0x50;
    const side = new Side();
    side.reset(frame, 0, frame.length, frame.length, 1);
    assert.ok(dissectPlainIpv4(side.p), `frame ${i}`);
    const full = new Side();
    full.reset(frame, 0, frame.length, frame.length, 1);
    dissectPacket(full.p);
    assert.equal(full.p.hdrDesc, "eth:ipv4:tcp");
    frame[34] = 0x07; // source port 1900 (SSDP)
    frame[35] = 0x6c;
    side.reset(frame, 0, frame.length, frame.length, 1);
    assert.ok(!dissectPlainIpv4(side.p), `frame ${i} with port 1900`);
  }
});

Deno.test("plain IPv4 path: one 802.1Q tag is taken (same fields), two tags or an 802.1ad tag are not", () => {
  const next = xorshift32(5);
  const taken: Record<string, number> = { one: 0, two: 0, qinq: 0 };
  for (let i = 0; i < 300; i++) {
    const { frame } = randomFrame(next);
    frame[0] = 0x00;
    frame.set([0x08, 0x00, 0x45, 0x00, 0x00, 0x60, 0, 0, 0, 0, 0, 6], 12); // IPv4, 96 bytes, TCP
    frame.set([0x01, 0xbb, 0x01, 0xbb], 34); // ports 443
    frame[46] = 0x50;
    for (const [kind, tags] of [["one", [0x8100]], ["two", [0x8100, 0x8100]], ["qinq", [0x88a8]]]) {
      const tagged = new Uint8Array(frame.length + 4 * tags.length);
      tagged.set(frame.subarray(0, 12));
      (tags as number[]).forEach((tpid, t) =>
        tagged.set([tpid >> 8, tpid & 0xff, i & 0x0f, i], 12 + 4 * t)
      );
      tagged.set(frame.subarray(12), 12 + 4 * tags.length);
      const record = {
        data: tagged,
        start: 0,
        capLen: tagged.length,
        wireLen: tagged.length,
        link: 1,
      };
      if (compareRecord(new Side(), new Side(), record, `${kind} frame ${i}`)) {
        taken[kind as string]++;
      }
    }
  }
  assert.deepEqual(taken, { one: 300, two: 0, qinq: 0 });
});
