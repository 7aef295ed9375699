/**
 * The contract between capture readers (classic pcap, pcapng) and the rest of the pipeline.
 *
 * A reader owns one large buffer and hands out the current record as a view into it: the
 * fields below describe the record returned by the last successful {@linkcode CaptureReader.next}
 * call and are overwritten by the next call (zero copy, as gopacket's ZeroCopyReadPacketData).
 *
 * @module
 */

/** Why reading stopped before the end of the file. */
export interface CaptureDamage {
  /** Byte offset in the file where the damage was found. */
  readonly offset: number;
  /** What was wrong, in words (no file name; the caller adds it). */
  readonly message: string;
  /**
   * The warning T2 0.9.3 (libpcap) prints on stdout for this condition, e.g.
   * `pcap_dispatch failed: truncated dump file; tried to read 16 header bytes, only got 1`,
   * or `undefined` when T2 would print nothing.
   */
  readonly t2Warning?: string;
}

/** One reusable record view plus the reader state; see the module doc. */
export interface CaptureReader {
  /** Buffer holding the current record's bytes (valid until the next call of `next`). */
  data: Uint8Array;
  /** Offset of the current record's first captured byte in `data`. */
  offset: number;
  /** Captured length of the current record. */
  capLen: number;
  /** Original (wire) length of the current record. */
  wireLen: number;
  /** Timestamp seconds of the current record (integer, may exceed 2^32 for pcapng). */
  tsSec: number;
  /** Timestamp nanoseconds of the current record (integer; T2 prints it as is, even >= 1e9). */
  tsNs: number;
  /**
   * Link type of the interface of the current record, as libpcap's `pcap_datalink` reports it:
   * reserved high bits masked off and mapped to the DLT number (LINKTYPE_RAW 101 → 12).
   */
  linkType: number;
  /** Snap length of the interface of the current record (0 in the file means 262144). */
  snapLen: number;
  /** Byte offset in the file of the current record's header. */
  recordOffset: number;

  /** Link type of the first interface (what T2 prints as "Link layer type"). */
  readonly firstLinkType: number;
  /** Snap length of the first interface (what T2 prints as "Snapshot length"). */
  readonly firstSnapLen: number;
  /** `"pcap"` or `"pcapng"`. */
  readonly format: "pcap" | "pcapng";
  /** Size of the file in bytes, or 0 when unknown (stdin). */
  readonly fileSize: number;

  /**
   * Advance to the next record. Returns `false` at the end of the input or when the input is
   * damaged beyond recovery; then {@linkcode damage} tells which.
   */
  next(): boolean;
  /** Set when reading stopped because of damage; `null` after a clean end of file. */
  readonly damage: CaptureDamage | null;
  /**
   * Why the input itself ended early, below the capture format (a compressed capture's damaged
   * data: the decompressor's message and compressed byte offset), or null.
   */
  readonly inputError: string | null;
  /**
   * Optional listener for records that are skipped while reading goes on (pcapng packet blocks
   * that are well framed but unusable, which libpcap rejects one `pcap_dispatch` call at a time:
   * T2 prints each `t2Warning` and reads on). Classic pcap never skips: damage ends the reading.
   */
  onSkip?: ((skip: CaptureDamage) => void) | undefined;
  /** Release the file. */
  close(): void;
}
