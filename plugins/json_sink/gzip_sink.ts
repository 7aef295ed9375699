/**
 * Gzip output for `JSON_GZ_COMPRESS=1`, written synchronously as the flows come: each chunk
 * of lines becomes one gzip member. A file of several members is one valid gzip stream
 * (RFC 1952 §2.2): `gzip -d`, `zcat` and zlib's readers return the concatenated text.
 *
 * @module
 */

import type * as Zlib from "node:zlib";

/**
 * node:zlib, loaded on the first gzip sink: a static import would start Deno's Node layer in
 * every run (about 11 MiB of RSS), gzip or not. `process.getBuiltinModule` loads it synchronously.
 */
function zlib(): typeof Zlib {
  return process.getBuiltinModule("node:zlib") as typeof Zlib;
}

/** Where a sink's bytes go, chunk by chunk. */
export interface ChunkSink {
  write(p: Uint8Array): void;
  close(): void;
}

/** Members smaller than this are collected first (a member costs ~20 bytes and a reset). */
const MEMBER_BYTES = 1 << 20;

/**
 * A {@linkcode ChunkSink} that gzips what it is given into `target`.
 *
 * @example
 * ```ts
 * import { gzipSink } from "./gzip_sink.ts";
 * import { gunzipSync } from "node:zlib";
 * import assert from "node:assert/strict";
 *
 * const parts: Uint8Array[] = [];
 * const sink = gzipSink({ writeSync: (p) => (parts.push(p.slice()), p.length) });
 * sink.write(new TextEncoder().encode("{}\n"));
 * sink.close();
 * assert.equal(new TextDecoder().decode(gunzipSync(parts[0])), "{}\n");
 * ```
 */
export function gzipSink(
  target: { writeSync(p: Uint8Array): number; close?(): void },
): ChunkSink {
  const { constants, gzipSync } = zlib();
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  const emit = () => {
    if (heldBytes === 0) return;
    const all = new Uint8Array(heldBytes);
    let off = 0;
    for (const p of held) {
      all.set(p, off);
      off += p.length;
    }
    held = [];
    heldBytes = 0;
    const z = gzipSync(all, { level: constants.Z_DEFAULT_COMPRESSION });
    const bytes = new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
    let done = 0;
    while (done < bytes.length) done += target.writeSync(bytes.subarray(done));
  };
  return {
    write(p: Uint8Array): void {
      held.push(p);
      heldBytes += p.length;
      if (heldBytes >= MEMBER_BYTES) emit();
    },
    close(): void {
      emit();
      target.close?.();
    },
  };
}
