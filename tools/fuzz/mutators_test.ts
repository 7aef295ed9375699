import assert from "node:assert/strict";
import { FAMILIES, locateFields, mutate } from "./mutators.ts";
import { applyOps } from "./ops.ts";
import { Prng } from "./prng.ts";
import { ipv4Packet, smallCapture } from "../../tests/_support/test_packets.ts";

Deno.test("mutate: deterministic per seed, and the ops rebuild the bytes", () => {
  const src = smallCapture(20);
  for (let seed = 0; seed < 200; seed++) {
    const a = mutate(new Prng(seed), src);
    const b = mutate(new Prng(seed), src);
    assert.deepEqual(a.ops, b.ops);
    assert.deepEqual(a.bytes, b.bytes);
    assert.deepEqual(applyOps(src, a.ops), a.bytes, `seed ${seed}: ops do not rebuild the input`);
    assert.ok(a.ops.length >= 1);
  }
});

Deno.test("mutate: every family is used and inputs differ from the seed", () => {
  const src = smallCapture(20);
  const used = new Set<string>();
  let changed = 0;
  for (let seed = 0; seed < 400; seed++) {
    const m = mutate(new Prng(seed), src);
    for (const f of m.families) used.add(f);
    if (m.bytes.length !== src.length || m.bytes.some((x, i) => x !== src[i])) changed++;
  }
  assert.deepEqual([...used].sort(), [...FAMILIES].sort());
  assert.ok(changed > 390, `only ${changed} of 400 inputs changed`);
});

Deno.test("mutate: a window never exceeds maxWindow packets", () => {
  const src = smallCapture(50);
  for (let seed = 0; seed < 100; seed++) {
    const m = mutate(new Prng(seed), src, { maxWindow: 8, maxSteps: 1 });
    const w = m.ops.find((o) => o.op === "window");
    if (w && w.op === "window") assert.ok(w.count >= 1 && w.count <= 8);
  }
});

Deno.test("locateFields: Ethernet/IPv4/TCP and UDP length and type fields", () => {
  const tcp = locateFields(ipv4Packet(), 1);
  const at = (kind: string) => tcp.filter((t) => t.kind === kind).map((t) => t.at);
  assert.deepEqual(at("etype"), [12]);
  assert.deepEqual(at("ihl"), [14]);
  assert.ok(at("len").includes(16)); // IPv4 total length
  assert.deepEqual(at("ipproto"), [23]);
  assert.deepEqual(at("tcpoff"), [46]);
  const udp = locateFields(ipv4Packet({ udp: true, dport: 4789 }), 1);
  assert.ok(udp.some((t) => t.kind === "len" && t.at === 38)); // UDP length
  assert.ok(udp.some((t) => t.kind === "port" && t.at === 36));
  // Nothing past the packet.
  const short = ipv4Packet().subarray(0, 20);
  for (const t of locateFields(short, 1)) assert.ok(t.at + t.size <= 20);
});
