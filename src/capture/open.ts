/**
 * Opening a capture: tells the compression and the format by their magic (format.ts) and
 * returns its reader; gzip and zstd captures are decompressed on the way (decompress.ts).
 *
 * @module
 */

import type { CaptureReader } from "./types.ts";
import { ByteSource, DEFAULT_BUFFER_SIZE, type SyncReadable } from "./_source.ts";
import { CaptureFormatError } from "./capture_error.ts";
import { decompressedInput } from "./decompress.ts";
import {
  type Compression,
  COMPRESSION_MAGIC_BYTES,
  compressionOf,
  decompressCommand,
  formatOfWord,
  readsCompressed,
} from "./format.ts";
import { PcapReader } from "./pcap.ts";
import { PcapngReader } from "./pcapng.ts";

/** Options for {@linkcode openCapture}. */
export interface OpenCaptureOptions {
  /**
   * Size in bytes of the reader's reusable buffer (it grows only for a single larger record).
   *
   * @default {4194304}
   */
  bufferSize?: number;
}

/**
 * Opens a capture file (`-` = standard input) for synchronous, zero-copy reading. A gzip or
 * zstd capture (told by its magic bytes, not its name) is decompressed by a worker as it is
 * read; another compression is a {@linkcode CaptureFormatError} saying how to pipe it in.
 *
 * The file is read in large chunks into one reusable buffer; each record is a view into it that
 * stays valid until the next call of `next()`. Memory use is bounded whatever the file size.
 *
 * @param path file path, or `-` for standard input
 * @param options buffer size
 * @returns a classic pcap or pcapng reader positioned before the first record
 * @throws {CaptureFormatError} (a `SyntaxError`) when the file is empty, too short, of an unknown
 * format or has an unusable file header; a `Deno.errors.NotFound` (etc.) when it cannot be opened
 *
 * @example Counting packets
 * ```ts ignore
 * import { openCapture } from "./open.ts";
 *
 * const reader = openCapture("trace.pcap");
 * let packets = 0;
 * try {
 *   while (reader.next()) packets++;
 *   if (reader.damage) console.warn(`stopped at offset ${reader.damage.offset}: ${reader.damage.message}`);
 * } finally {
 *   reader.close();
 * }
 * ```
 */
export function openCapture(path: string, options: OpenCaptureOptions = {}): CaptureReader {
  const bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
  if (!(bufferSize >= 64)) {
    throw new RangeError(`Cannot open capture "${path}": buffer size ${bufferSize} is below 64`);
  }
  if (path === "-") {
    const head = readHead(Deno.stdin);
    const compression = compressionOf(head);
    // The worker reads standard input on, after the head.
    if (compression !== null) return openCompressed(null, head, compression, path, bufferSize);
    return openSource(new ByteSource(prefixed(head, Deno.stdin), 0, bufferSize), path);
  }
  const file = Deno.openSync(path, { read: true });
  let compression: Compression | null;
  try {
    const head = readHead(file);
    compression = compressionOf(head);
    if (compression === null) {
      // Read through the head again rather than seek: the path may name a pipe.
      const source = new ByteSource(prefixed(head, file), file.statSync().size, bufferSize);
      return openSource(source, path, () => file.close());
    }
  } catch (e) {
    file.close();
    throw e;
  }
  // The worker reads the file itself, from its start.
  file.close();
  return openCompressed(path, new Uint8Array(0), compression, path, bufferSize);
}

/** The first bytes of `input` (fewer only at its end). */
function readHead(input: SyncReadable): Uint8Array {
  const head = new Uint8Array(COMPRESSION_MAGIC_BYTES);
  let got = 0;
  while (got < head.length) {
    const n = input.readSync(head.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return head.subarray(0, got);
}

/** `head`, then the rest of `input`. */
function prefixed(head: Uint8Array, input: SyncReadable): SyncReadable {
  let pending: Uint8Array | null = head.length > 0 ? head : null;
  return {
    readSync(p: Uint8Array): number | null {
      if (pending === null) return input.readSync(p);
      const n = Math.min(p.length, pending.length);
      p.set(pending.subarray(0, n));
      pending = n < pending.length ? pending.subarray(n) : null;
      return n;
    },
  };
}

/** A compressed capture: decompressed by a worker, or an error saying how to pipe it in. */
function openCompressed(
  path: string | null,
  prefix: Uint8Array,
  compression: Compression,
  name: string,
  bufferSize: number,
): CaptureReader {
  if (!readsCompressed(compression)) {
    const source = path === null ? "(standard input)" : `'${path.replaceAll("'", `'\\''`)}'`;
    throw new CaptureFormatError(
      name,
      `${compression}-compressed; decompress it into t2: ${
        decompressCommand(compression)
      } ${source} | t2 -r - ...`,
      "unknown file format",
    );
  }
  const input = decompressedInput(path, prefix, compression);
  try {
    return openSource(new ByteSource(input, 0, bufferSize), name, () => input.close());
  } catch (e) {
    input.close();
    throw e;
  }
}

/**
 * Opens a capture held in memory (for tests and fuzzing). The bytes are read in place, not
 * copied; records are views into `bytes`.
 *
 * @param bytes the whole capture file
 * @param name the name used in error messages
 * @returns a classic pcap or pcapng reader positioned before the first record
 * @throws {CaptureFormatError} when the file header is unusable
 *
 * @example Reading a one-packet capture built in memory
 * ```ts
 * import { openCaptureBytes } from "./open.ts";
 *
 * const file = new Uint8Array(24 + 16 + 4);
 * const v = new DataView(file.buffer);
 * v.setUint32(0, 0xa1b2c3d4, true); // little-endian, microseconds
 * v.setUint16(4, 2, true);
 * v.setUint16(6, 4, true);
 * v.setUint32(16, 65535, true); // snaplen
 * v.setUint32(20, 1, true); // Ethernet
 * v.setUint32(24, 1000, true); // seconds
 * v.setUint32(28, 5, true); // microseconds
 * v.setUint32(32, 4, true); // captured length
 * v.setUint32(36, 60, true); // wire length
 * const reader = openCaptureBytes(file, "mem.pcap");
 * reader.next(); // true
 * console.log(reader.tsSec, reader.tsNs, reader.capLen, reader.wireLen); // 1000 5000 4 60
 * reader.next(); // false, reader.damage === null
 * ```
 */
export function openCaptureBytes(bytes: Uint8Array, name = "<memory>"): CaptureReader {
  return openSource(new ByteSource(bytes, bytes.length), name);
}

function openSource(source: ByteSource, name: string, onClose?: () => void): CaptureReader {
  const got = source.fill(4);
  if (got < 4) {
    throw new CaptureFormatError(
      name,
      got === 0 ? "empty file" : `file header truncated (${got} bytes)`,
      `truncated dump file; tried to read 4 file header bytes, only got ${got}`,
    );
  }
  const magic = source.view.getUint32(source.pos, false);
  switch (formatOfWord(magic)) {
    case "pcap":
      return new PcapReader(source, name, onClose);
    case "pcapng":
      return new PcapngReader(source, name, onClose);
    default:
      throw new CaptureFormatError(
        name,
        `unknown file format (magic 0x${magic.toString(16).padStart(8, "0")})`,
        "unknown file format",
      );
  }
}
