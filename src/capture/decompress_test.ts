import assert from "node:assert/strict";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { openCapture } from "./open.ts";
import { CaptureFormatError } from "./capture_error.ts";
import type { CaptureReader } from "./types.ts";

const FAF = new URL("../../fixtures/faf-small.pcap", import.meta.url).pathname;
const plain = Deno.readFileSync(FAF);

/** Packets, and a checksum over their times, lengths and bytes. */
function digest(r: CaptureReader): { packets: number; sum: number } {
  let packets = 0;
  let sum = 0;
  try {
    while (r.next()) {
      packets++;
      sum = (sum * 31 + r.tsSec + r.tsNs + r.capLen * 7 + r.wireLen) >>> 0;
      for (let i = r.offset; i < r.offset + r.capLen; i++) sum = (sum * 33 + r.data[i]) >>> 0;
    }
  } finally {
    r.close();
  }
  return { packets, sum };
}

const expected = digest(openCapture(FAF));

/** `bytes` in a temporary file; returns its path. */
function temp(bytes: Uint8Array, suffix: string): string {
  const path = Deno.makeTempFileSync({ suffix });
  Deno.writeFileSync(path, bytes);
  return path;
}

Deno.test("decompress: gzip and zstd captures read as the plain one, told by magic, not name", () => {
  for (const [bytes, suffix] of [[gzipSync(plain), ".gz"], [zstdCompressSync(plain), ".pcap"]]) {
    const path = temp(bytes as Uint8Array, suffix as string);
    try {
      const r = openCapture(path);
      assert.equal(r.format, "pcap");
      assert.equal(r.fileSize, 0, "the decompressed size is unknown");
      assert.deepEqual(digest(r), expected);
      assert.equal(r.inputError, null);
    } finally {
      Deno.removeSync(path);
    }
  }
});

Deno.test("decompress: a multi-member gzip file (bgzip, pigz, cat a.gz b.gz) is read whole", () => {
  const half = 100_000;
  const path = temp(
    new Uint8Array([...gzipSync(plain.subarray(0, half)), ...gzipSync(plain.subarray(half))]),
    ".gz",
  );
  try {
    assert.deepEqual(digest(openCapture(path)), expected);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("decompress: a cut gzip file ends the input with the decompressor's message", () => {
  const gz = gzipSync(plain);
  const cut = temp(gz.subarray(0, gz.length >> 1), ".gz");
  try {
    const r = openCapture(cut);
    const got = digest(r);
    assert.ok(got.packets > 0 && got.packets < expected.packets, `${got.packets} packets`);
    assert.match(r.inputError ?? "", /^gzip data damaged near compressed byte \d+: /);
  } finally {
    Deno.removeSync(cut);
  }
});

Deno.test("decompress: garbled gzip data stops the reading where it shows", () => {
  const garbled = new Uint8Array(gzipSync(plain)); // a copy: a Buffer's slice() is a view
  garbled.fill(0xff, garbled.length >> 2, (garbled.length >> 2) + 64);
  const bad = temp(garbled, ".gz");
  try {
    const r = openCapture(bad);
    const got = digest(r);
    assert.ok(got.packets > 0 && got.packets < expected.packets, `${got.packets} packets`);
    // Either the capture reader meets garbage first, or the decompressor its broken data.
    assert.ok(r.damage !== null || r.inputError !== null);
  } finally {
    Deno.removeSync(bad);
  }
});

Deno.test("decompress: xz, bzip2, lz4 captures: an error saying how to pipe them in", () => {
  const xz = temp(new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]), ".pcap.xz");
  try {
    assert.throws(
      () => openCapture(xz),
      (e: unknown) =>
        e instanceof CaptureFormatError &&
        e.message ===
          `Cannot read capture "${xz}": xz-compressed; decompress it into t2: xz -dc '${xz}' | t2 -r - ...`,
    );
  } finally {
    Deno.removeSync(xz);
  }
});

Deno.test("open: a path naming a pipe is read without seeking back over its first bytes", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const fifo = `${dir}/fifo`;
    new Deno.Command("mkfifo", { args: [fifo] }).outputSync();
    const writer = new Deno.Command("sh", { args: ["-c", `cat "$0" > "$1"`, FAF, fifo] }).spawn();
    assert.deepEqual(digest(openCapture(fifo)), expected);
    await writer.status;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
