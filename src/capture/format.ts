/**
 * Which capture format a file holds, from its first bytes: the one place that knows the magic
 * numbers (the readers check the rest of their file header themselves).
 *
 * @module
 */

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
