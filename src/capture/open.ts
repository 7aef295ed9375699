/**
 * Opening a capture: tells the format by its magic (format.ts) and returns its reader.
 *
 * @module
 */

import type { CaptureReader } from "./types.ts";
import { ByteSource, DEFAULT_BUFFER_SIZE } from "./_source.ts";
import { CaptureFormatError } from "./capture_error.ts";
import { formatOfWord } from "./format.ts";
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
 * Opens a capture file (`-` = standard input) for synchronous, zero-copy reading.
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
  if (path === "-") return openSource(new ByteSource(Deno.stdin, 0, bufferSize), path);
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    return openSource(new ByteSource(file, size, bufferSize), path, () => file.close());
  } catch (e) {
    file.close();
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
