/**
 * The checksum sums of tcpFlags (spec/plugins/tcpFlags.md §5.6, §5.8): words read
 * little-endian, the skipped word subtracted, bytes past the capture as 0, the pseudo header.
 */

import assert from "node:assert/strict";
import { checksumOf, csum, pseudoSum } from "./checksum.ts";
import { concat, hex } from "../../tests/_support/capture_builder.ts";
import { internetChecksum } from "../../tests/_support/ip_frames.ts";
import { xorshift32 } from "../../tests/_support/xorshift.ts";

Deno.test("csum: the checksum sum reads words little-endian and subtracts the skipped word", () => {
  const h = hex("4500 0028 0001 4000 4006 b9c6 0a00 0001 0a00 0002");
  // ~sum byte-swapped is the ordinary checksum; the field itself is skipped (word 5).
  const sum = csum(h, 0, 20, 20, 0, 5);
  const v = ~sum & 0xffff;
  assert.equal(
    ((v & 0xff) << 8) | (v >> 8),
    internetChecksum(h.map((x, i) => i === 10 || i === 11 ? 0 : x)),
  );
  // A length reaching past the captured bytes reads zeros there.
  assert.equal(
    csum(h, 16, 8, 20, 0, 0),
    csum(concat(h.subarray(16), new Uint8Array(4)), 0, 8, 8, 0, 0),
  );
});

Deno.test("csum: a skipped word outside the summed range is still subtracted (wraps below 0)", () => {
  const b = hex("0001 0002 ffff");
  // Sum of the first 4 bytes (LE words 0x0100 + 0x0200), minus word 2 (0xffff), in 32 bits.
  assert.equal(csum(b, 0, 4, 6, 0, 2), foldRef((0x0300 - 0xffff) >>> 0));
  assert.equal(checksumOf(0xfffe), 0x0100);
});

Deno.test("pseudoSum equals the sum over the pseudo header's bytes (IPv4, IPv6)", () => {
  const rnd = xorshift32(7);
  for (let n = 0; n < 200; n++) {
    const v6 = n % 2 === 1;
    const addr = new Uint32Array(8).map(() => rnd() >>> 0);
    if (!v6) addr.fill(0, 1, 4).fill(0, 5, 8);
    const proto = rnd() & 0xff;
    const len = rnd() & 0xffff;
    const init = rnd() & 0xffff;
    const bytes = (w: number) => [w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff];
    const pseudo = v6
      ? new Uint8Array([...[...addr].flatMap(bytes), 0, 0, len >> 8, len & 0xff, 0, 0, 0, proto])
      : new Uint8Array([...bytes(addr[0]), ...bytes(addr[4]), 0, proto, len >> 8, len & 0xff]);
    assert.equal(
      pseudoSum(addr, v6, proto, len, init),
      csum(pseudo, 0, pseudo.length, pseudo.length, init, 0),
    );
  }
});

function foldRef(x: number): number {
  while (x > 0xffff) x = (x & 0xffff) + Math.floor(x / 65536);
  return x;
}

Deno.test("csum equals the spec's word-by-word algorithm for any start, length, end and skipped word", () => {
  const rnd = xorshift32(11);
  const data = new Uint8Array(300).map(() => rnd() & 0xff);
  for (let n = 0; n < 2000; n++) {
    const start = rnd() % 40;
    const len = rnd() % 200;
    const end = start + (rnd() % 220);
    const skip = rnd() % 12;
    const init = rnd() & 0xffff;
    assert.equal(
      csum(data, start, len, end, init, skip),
      reference(data, start, len, end, init, skip),
    );
  }
});

/** spec/plugins/tcpFlags.md §5.6, literally: 32-bit unsigned arithmetic, LE16 words. */
function reference(
  d: Uint8Array,
  start: number,
  len: number,
  end: number,
  init: number,
  skip: number,
) {
  const at = (i: number) => (i < end ? d[i] : 0);
  const le16 = (i: number) => at(i) | (at(i + 1) << 8);
  let acc = init >>> 0;
  if (skip > 0) acc = (acc - le16(start + 2 * skip)) >>> 0;
  let k = 0;
  for (; k + 1 < len; k += 2) acc = (acc + le16(start + k)) >>> 0;
  if (len % 2) acc = (acc + at(start + len - 1)) >>> 0;
  return foldRef(acc);
}
