/**
 * Compressed captures (gzip, zstd) read as they are: a worker decompresses the file (or
 * standard input) with node:zlib while the reader takes the bytes synchronously from shared
 * slots (decompress_slots.ts), so decompressing runs beside the analysis, streaming, with
 * bounded memory. tasks/bench_decompress.ts has the figures behind the choice of node:zlib
 * (DecompressionStream is faster for gzip but stops after the first member of a multi-member
 * file, as bgzip and pigz write them).
 *
 * @module
 */

import { rootUrl } from "../root.ts";
import type { SyncReadable } from "./_source.ts";
import { sharedMemory, SlotReader } from "./decompress_slots.ts";
import type { ReadCompression } from "./format.ts";

/** Decompressed bytes of a capture, read synchronously. */
export interface DecompressedInput extends SyncReadable {
  /** Why decompressing stopped early (damaged data), or null. */
  readonly error: string | null;
  /** Stop the worker. */
  close(): void;
}

/**
 * Start decompressing `path` (null: standard input, of which `prefix` was read already).
 *
 * @param path the compressed file, or null for standard input
 * @param prefix bytes already read from standard input (empty for a file)
 * @param compression gzip or zstd
 */
export function decompressedInput(
  path: string | null,
  prefix: Uint8Array,
  compression: ReadCompression,
): DecompressedInput {
  const memory = sharedMemory();
  const worker = new Worker(rootUrl("src/capture/decompress_worker.ts").href, { type: "module" });
  const slots = new SlotReader(memory);
  // A worker that cannot even load never marks itself started: the reader gives up after a
  // while (its error event could not be seen: the reader blocks this thread while it waits).
  worker.onerror = (e) => e.preventDefault();
  worker.postMessage({ path, prefix, compression, ...memory });
  return {
    readSync: (p) => slots.readSync(p),
    get error() {
      return slots.error;
    },
    close() {
      slots.cancel();
      worker.terminate();
    },
  };
}
