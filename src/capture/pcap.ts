/**
 * Classic pcap reader (magic `a1b2c3d4` µs and `a1b23c4d` ns, both byte orders), following the
 * libpcap reading rules that T2 users can see:
 *
 * - the link type field loses its reserved high bits (`0x40000000` → NULL, `0x30000001` →
 *   Ethernet) and goes through `linktype_to_dlt` (LINKTYPE_RAW 101 → DLT_RAW 12);
 * - a snapshot length of 0 or above 2^31−1 becomes the maximum for the link type (262144);
 * - versions below 2.3 (and 543.0) store captured and wire length the other way round; version 2.3
 *   files are swapped when the captured length exceeds the wire length;
 * - a captured length above the snapshot length but within the maximum is cut to the snapshot
 *   length (the rest of the record is skipped);
 * - timestamps are read with nanosecond precision: microsecond fractions are multiplied by 1000,
 *   and out-of-range fractions are passed on as they are. (libpcap declares the stored seconds and
 *   fraction as signed 32-bit; values of 2^31 and more are reported here as unsigned, since no
 *   reference output shows what T2 prints for them.)
 *
 * Where libpcap fails (captured length above the maximum for the link type, file cut inside a
 * record) reading stops and {@linkcode PcapReader.damage} carries libpcap's text. Unlike libpcap
 * under T2, the reader never re-synchronises on the bytes after a bad record header. It also
 * stops at a record header that libpcap would accept but that is implausible on two counts at once
 * (fraction out of range and captured length above the wire or snapshot length).
 *
 * @module
 */

import type { CaptureDamage, CaptureReader } from "./types.ts";
import type { ByteSource } from "./_source.ts";
import { CaptureFormatError } from "./capture_error.ts";
import { adjustSnapLen, LINKTYPE_MASK, linkTypeToDlt, maxSnapLenForDlt } from "./_libpcap.ts";
import { PCAP_MAGIC_NS, PCAP_MAGIC_US } from "./format.ts";

const FILE_HEADER_SIZE = 24;
const RECORD_HEADER_SIZE = 16;

const NOT_SWAPPED = 0;
const SWAPPED = 1;
const MAYBE_SWAPPED = 2;

/**
 * Reader of a classic pcap file; see the module doc. Built by `openCapture`/`openCaptureBytes`.
 *
 * The record fields describe the record returned by the last successful {@linkcode next} call;
 * `data` is the reader's own buffer and is only valid until the next call.
 */
export class PcapReader implements CaptureReader {
  /** Buffer holding the current record's bytes (valid until the next call of `next`). */
  data: Uint8Array;
  /** Offset of the current record's first captured byte in `data`. */
  offset = 0;
  /** Captured length of the current record (at most {@linkcode snapLen}). */
  capLen = 0;
  /** Original (wire) length of the current record. */
  wireLen = 0;
  /** Timestamp seconds of the current record. */
  tsSec = 0;
  /** Timestamp nanoseconds of the current record (a fraction field ≥ 1 s is kept as is). */
  tsNs = 0;
  /** Link type (libpcap DLT number); the same for every record of a pcap file. */
  linkType: number;
  /** Snapshot length (adjusted as libpcap does); the same for every record. */
  snapLen: number;
  /** Byte offset in the file of the current record's header. */
  recordOffset = 0;

  /** Link type of the file (what T2 prints as "Link layer type"). */
  readonly firstLinkType: number;
  /** Snapshot length of the file (what T2 prints as "Snapshot length"). */
  readonly firstSnapLen: number;
  /** Always `"pcap"`. */
  readonly format = "pcap" as const;
  /** Size of the file in bytes, or 0 when unknown (stdin). */
  readonly fileSize: number;
  /** Never called for classic pcap (a bad record ends the reading); present for the interface. */
  onSkip?: ((skip: CaptureDamage) => void) | undefined;

  /** File header version, major part. */
  readonly versionMajor: number;
  /** File header version, minor part. */
  readonly versionMinor: number;
  /** `true` for the nanosecond magic `a1b23c4d`. */
  readonly nanosecond: boolean;
  /** `true` when the file is big-endian. */
  readonly bigEndian: boolean;
  /** The link type field as stored in the file header (with any reserved high bits). */
  readonly linkTypeField: number;
  /** The snapshot length field as stored in the file header. */
  readonly snapLenField: number;

  #src: ByteSource;
  #le: boolean;
  #swap: number;
  #maxCapLen: number;
  #fracLimit: number;
  #damage: CaptureDamage | null = null;
  #done = false;
  #onClose: (() => void) | undefined;

  /**
   * Parses the file header; throws {@linkcode CaptureFormatError} when it is unusable.
   *
   * @param source the input, positioned at the start of the file
   * @param name the capture's name for error messages
   * @param onClose called once by {@linkcode close}
   */
  constructor(source: ByteSource, name: string, onClose?: () => void) {
    this.#src = source;
    this.#onClose = onClose;
    this.fileSize = source.size;
    const got = source.fill(FILE_HEADER_SIZE);
    if (got < 4) {
      throw new CaptureFormatError(
        name,
        got === 0 ? "empty file" : `file header truncated (${got} of 24 bytes)`,
        `truncated dump file; tried to read 4 file header bytes, only got ${got}`,
      );
    }
    const view = source.view;
    const p = source.pos;
    const magic = view.getUint32(p, false);
    let le: boolean;
    if (magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_NS) le = false;
    else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = true;
    else {
      const hex = magic.toString(16).padStart(8, "0");
      throw new CaptureFormatError(
        name,
        `unknown file format (magic 0x${hex})`,
        "unknown file format",
      );
    }
    if (got < FILE_HEADER_SIZE) {
      throw new CaptureFormatError(
        name,
        `file header truncated (${got} of 24 bytes)`,
        `truncated dump file; tried to read 24 file header bytes, only got ${got - 4}`,
      );
    }
    this.#le = le;
    this.bigEndian = !le;
    this.nanosecond = magic === PCAP_MAGIC_NS || magic === 0x4d3cb2a1;
    const major = view.getUint16(p + 4, le);
    const minor = view.getUint16(p + 6, le);
    this.versionMajor = major;
    this.versionMinor = minor;
    if (major < 2) {
      throw new CaptureFormatError(
        name,
        `unsupported pcap version ${major}.${minor} (archaic format)`,
        "archaic pcap savefile format",
      );
    }
    if (!((major === 2 && minor <= 4) || (major === 543 && minor === 0))) {
      throw new CaptureFormatError(
        name,
        `unsupported pcap version ${major}.${minor}`,
        `unsupported pcap savefile version ${major}.${minor}`,
      );
    }
    this.#swap = major === 2
      ? (minor < 3 ? SWAPPED : minor === 3 ? MAYBE_SWAPPED : NOT_SWAPPED)
      : major === 543
      ? SWAPPED
      : NOT_SWAPPED;
    this.snapLenField = view.getUint32(p + 16, le);
    this.linkTypeField = view.getUint32(p + 20, le);
    const dlt = linkTypeToDlt(this.linkTypeField & LINKTYPE_MASK);
    this.linkType = this.firstLinkType = dlt;
    this.snapLen = this.firstSnapLen = adjustSnapLen(dlt, this.snapLenField);
    this.#maxCapLen = maxSnapLenForDlt(dlt);
    this.#fracLimit = this.nanosecond ? 1e9 : 1e6;
    source.pos = p + FILE_HEADER_SIZE;
    this.data = source.buf;
  }

  /** Set when reading stopped because of damage; `null` after a clean end of file. */
  get damage(): CaptureDamage | null {
    return this.#damage;
  }

  /** Why the input ended early (a compressed capture's damaged data), or null. */
  get inputError(): string | null {
    return this.#src.inputError;
  }

  /**
   * Advances to the next record. Returns `false` at the end of the file or at the first damaged
   * record; then {@linkcode damage} tells which. Never throws because of the file's contents.
   */
  next(): boolean {
    if (this.#done) return false;
    const src = this.#src;
    let p = src.pos;
    if (src.end - p < RECORD_HEADER_SIZE) {
      const got = src.fill(RECORD_HEADER_SIZE);
      p = src.pos;
      if (got < RECORD_HEADER_SIZE) return this.#endInHeader(got);
    }
    let view = src.view;
    const le = this.#le;
    let capLen = view.getUint32(p + 8, le);
    let wireLen = view.getUint32(p + 12, le);
    if (this.#swap !== NOT_SWAPPED && (this.#swap === SWAPPED || capLen > wireLen)) {
      const t = capLen;
      capLen = wireLen;
      wireLen = t;
    }
    const frac = view.getUint32(p + 4, le);
    if (
      capLen > this.#maxCapLen ||
      (frac >= this.#fracLimit && (capLen > wireLen || capLen > this.snapLen))
    ) {
      return this.#impossible(p, capLen, wireLen, frac);
    }
    const need = RECORD_HEADER_SIZE + capLen;
    if (src.end - p < need) {
      const got = src.fill(need);
      p = src.pos;
      if (got < need) return this.#endInData(p, capLen, wireLen, got - RECORD_HEADER_SIZE);
      view = src.view;
    }
    this.tsSec = view.getUint32(p, le);
    this.tsNs = this.nanosecond ? frac : frac * 1000;
    this.capLen = capLen > this.snapLen ? this.snapLen : capLen;
    this.wireLen = wireLen;
    this.data = src.buf;
    this.offset = p + RECORD_HEADER_SIZE;
    this.recordOffset = src.base + p;
    src.pos = p + need;
    return true;
  }

  /** Releases the file (idempotent). */
  close(): void {
    this.#done = true;
    const onClose = this.#onClose;
    this.#onClose = undefined;
    onClose?.();
  }

  #stop(damage: CaptureDamage | null): false {
    this.#done = true;
    this.#damage = damage;
    return false;
  }

  #endInHeader(got: number): false {
    if (got === 0) return this.#stop(null);
    return this.#stop({
      offset: this.#src.offset,
      message: `truncated record header: the file ends after ${got} of 16 bytes`,
      t2Warning:
        `pcap_dispatch failed: truncated dump file; tried to read 16 header bytes, only got ${got}`,
    });
  }

  #endInData(p: number, capLen: number, wireLen: number, got: number): false {
    // libpcap reads min(caplen, snaplen) bytes, then discards the rest; its message names the
    // snapshot length when the first read fails, else the full captured length.
    const snap = this.snapLen;
    const tried = capLen > snap && got < snap ? snap : capLen;
    return this.#stop({
      offset: this.#src.base + p,
      message:
        `truncated record: the file ends after ${got} of ${capLen} captured bytes (wire length ${wireLen})`,
      t2Warning:
        `pcap_dispatch failed: truncated dump file; tried to read ${tried} captured bytes, only got ${got}`,
    });
  }

  #impossible(p: number, capLen: number, wireLen: number, frac: number): false {
    const unit = this.nanosecond ? "nanosecond" : "microsecond";
    const facts: string[] = [`wire length ${wireLen}`];
    if (frac >= this.#fracLimit) facts.push(`${unit} field ${frac} >= ${this.#fracLimit}`);
    const max = this.#maxCapLen;
    let message: string;
    let t2Warning: string | undefined;
    if (capLen > max) {
      message = `impossible record header: captured length ${capLen} exceeds the maximum of ${max}`;
      t2Warning = capLen > this.snapLen
        ? `pcap_dispatch failed: invalid packet capture length ${capLen}, bigger than snaplen of ${this.snapLen}`
        : `pcap_dispatch failed: invalid packet capture length ${capLen}, bigger than maximum of ${max}`;
    } else {
      const limit = capLen > wireLen ? `wire length ${wireLen}` : `snapshot length ${this.snapLen}`;
      message =
        `implausible record header: ${unit} field ${frac} >= ${this.#fracLimit} and captured length ${capLen} exceeds the ${limit}`;
      t2Warning = undefined; // libpcap accepts such a header; T2 would print nothing here
    }
    return this.#stop({
      offset: this.#src.base + p,
      message: capLen > max ? `${message} (${facts.join(", ")})` : message,
      t2Warning,
    });
  }
}
