/**
 * The decompression worker (see decompress.ts): reads a gzip or zstd capture (a file, or
 * standard input after the bytes the reader already took), decompresses it with node:zlib and
 * hands the bytes to the reader through the shared slots.
 *
 * @module
 */

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import { createGunzip, createZstdDecompress } from "node:zlib";
import { Readable } from "node:stream";
import { type DecompressJob, SlotWriter } from "./decompress_slots.ts";

/** Output chunk size of the decompressor (node:zlib's default of 16 KiB costs more async steps). */
const CHUNK = 256 * 1024;

/** The compressed input: the prefix, then the file or standard input; counts what it gave. */
async function* compressedInput(job: DecompressJob, counted: { bytes: number }) {
  if (job.prefix.length > 0) {
    counted.bytes += job.prefix.length;
    yield job.prefix;
  }
  const file = job.path === null ? null : await Deno.open(job.path, { read: true });
  const buffer = new Uint8Array(CHUNK);
  for (;;) {
    const n = await (file ?? Deno.stdin).read(buffer);
    if (n === null) break;
    counted.bytes += n;
    yield buffer.slice(0, n);
  }
  file?.close();
}

self.onmessage = async (e: MessageEvent<DecompressJob>) => {
  const job = e.data;
  const out = new SlotWriter(job);
  const counted = { bytes: 0 };
  try {
    const options = { chunkSize: CHUNK };
    const zlib = job.compression === "gzip" ? createGunzip(options) : createZstdDecompress(options);
    const decompressed = Readable.from(compressedInput(job, counted)).pipe(zlib);
    for await (const part of decompressed) {
      if (!out.put(part as Uint8Array)) break; // the reader is gone
    }
    out.end(null);
  } catch (err) {
    const what = (err as Error).message.replace(/\.$/, "");
    out.end(`${job.compression} data damaged near compressed byte ${counted.bytes}: ${what}`);
  }
  self.close();
};
