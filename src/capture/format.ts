/**
 * Which capture format a file holds, from its first bytes: the one place that knows the magic
 * numbers, of the capture formats and of the compressions a capture may come in (the readers
 * check the rest of their file header themselves).
 *
 * @module
 */

/** Compressions told by their magic bytes. */
export type Compression = "gzip" | "zstd" | "xz" | "bzip2" | "lz4";

/** Compressions the reader decompresses itself (decompress.ts); others are piped in. */
export type ReadCompression = "gzip" | "zstd";

/** Whether the reader decompresses `c` itself. */
export function readsCompressed(c: Compression): c is ReadCompression {
  return c === "gzip" || c === "zstd";
}

/** Bytes needed to tell any compression (xz has the longest magic). */
export const COMPRESSION_MAGIC_BYTES = 6;

const COMPRESSION_MAGICS: readonly [Compression, readonly number[]][] = [
  ["gzip", [0x1f, 0x8b]],
  ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["bzip2", [0x42, 0x5a, 0x68]], // "BZh"
  ["lz4", [0x04, 0x22, 0x4d, 0x18]],
];

/** The compression a file starting with `head` is in, or null (not compressed, or unknown). */
export function compressionOf(head: Uint8Array): Compression | null {
  for (const [name, magic] of COMPRESSION_MAGICS) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return name;
  }
  return null;
}

/** The tool that decompresses `c` to standard output (for the hint to pipe a capture in). */
export function decompressCommand(c: Compression): string {
  return {
    gzip: "gzip -dc",
    zstd: "zstd -dc",
    xz: "xz -dc",
    bzip2: "bzip2 -dc",
    lz4: "lz4 -dc",
  }[c];
}

/** The formats the readers take. */
export type CaptureFormat = "pcap" | "pcapng";

/** Magic of a microsecond pcap file, as a big-endian read of its first four bytes. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** Magic of a nanosecond pcap file, as a big-endian read of its first four bytes. */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** The two magics of a pcap file written in the other byte order. */
const PCAP_MAGIC_US_SWAPPED = 0xd4c3b2a1;
const PCAP_MAGIC_NS_SWAPPED = 0x4d3cb2a1;
/** Block type of a pcapng section header block (the same bytes in both byte orders). */
export const BT_SHB = 0x0a0d0d0a;
/** The byte-order magic of a section header block, read in the section's own byte order. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The byte-order magic read in the other byte order. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** The format a file starting with `word` (its first four bytes, big-endian) holds, or null. */
export function formatOfWord(word: number): CaptureFormat | null {
  switch (word) {
    case PCAP_MAGIC_US:
    case PCAP_MAGIC_NS:
    case PCAP_MAGIC_US_SWAPPED:
    case PCAP_MAGIC_NS_SWAPPED:
      return "pcap";
    case BT_SHB:
      return "pcapng";
    default:
      return null;
  }
}

/**
 * The format of a file by its first 12 bytes (fewer if the file is shorter), as T2 checks the
 * captures of a `-R` list (ckpcaphdr): a pcap magic, or a pcapng section header with a
 * byte-order magic in either order. Null when it is neither.
 */
export function formatOfHead(head: Uint8Array): CaptureFormat | null {
  const format = formatOfMagic(head);
  if (format !== "pcapng") return format;
  const v = new DataView(head.buffer, head.byteOffset, head.length);
  const bom = head.length >= 12 ? v.getUint32(8, false) : 0;
  return bom === BYTE_ORDER_MAGIC || bom === BYTE_ORDER_MAGIC_SWAPPED ? format : null;
}

/** The format a file starting with `head` claims by its magic alone (first four bytes). */
export function formatOfMagic(head: Uint8Array): CaptureFormat | null {
  if (head.length < 4) return null;
  return formatOfWord(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false));
}
