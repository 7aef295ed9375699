import assert from "node:assert/strict";
import {
  compressionOf,
  decompressCommand,
  formatOfHead,
  formatOfMagic,
  formatOfWord,
  readsCompressed,
} from "./format.ts";

const bytes = (...words: number[]) => {
  const b = new Uint8Array(4 * words.length);
  const v = new DataView(b.buffer);
  words.forEach((w, i) => v.setUint32(4 * i, w, false));
  return b;
};

Deno.test("formatOfWord: the four pcap magics and the pcapng section header; nothing else", () => {
  for (const w of [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]) {
    assert.equal(formatOfWord(w), "pcap", w.toString(16));
  }
  assert.equal(formatOfWord(0x0a0d0d0a), "pcapng");
  assert.equal(formatOfWord(0x1f8b0808), null); // gzip
  assert.equal(formatOfWord(0), null);
});

Deno.test("formatOfHead: pcapng only with a byte-order magic in either order (T2's list check)", () => {
  assert.equal(formatOfHead(bytes(0x0a0d0d0a, 28, 0x4d3c2b1a)), "pcapng"); // little-endian
  assert.equal(formatOfHead(bytes(0x0a0d0d0a, 28, 0x1a2b3c4d)), "pcapng"); // big-endian
  assert.equal(formatOfHead(bytes(0x0a0d0d0a, 28, 0x12345678)), null);
  assert.equal(formatOfHead(bytes(0x0a0d0d0a)), null); // too short for the byte-order magic
  assert.equal(formatOfMagic(bytes(0x0a0d0d0a)), "pcapng"); // the magic alone claims pcapng
  assert.equal(formatOfHead(bytes(0xa1b2c3d4)), "pcap");
  assert.equal(formatOfHead(new Uint8Array([0xa1, 0xb2, 0xc3])), null);
});

Deno.test("compressionOf: gzip, zstd, xz, bzip2 and lz4 by their magic bytes; captures are none", () => {
  const b = (...x: number[]) => new Uint8Array(x);
  assert.equal(compressionOf(b(0x1f, 0x8b, 0x08, 0x00)), "gzip");
  assert.equal(compressionOf(b(0x28, 0xb5, 0x2f, 0xfd, 0x24)), "zstd");
  assert.equal(compressionOf(b(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)), "xz");
  assert.equal(compressionOf(b(0xfd, 0x37, 0x7a, 0x58, 0x5a)), null); // xz's magic cut short
  assert.equal(compressionOf(b(0x42, 0x5a, 0x68, 0x39)), "bzip2");
  assert.equal(compressionOf(b(0x04, 0x22, 0x4d, 0x18)), "lz4");
  assert.equal(compressionOf(bytes(0xa1b2c3d4)), null);
  assert.equal(compressionOf(bytes(0x0a0d0d0a)), null);
  assert.equal(compressionOf(b(0x1f)), null);
  assert.ok(readsCompressed("gzip") && readsCompressed("zstd"));
  assert.ok(!readsCompressed("xz") && !readsCompressed("bzip2") && !readsCompressed("lz4"));
  assert.equal(decompressCommand("xz"), "xz -dc");
});
