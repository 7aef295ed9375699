/**
 * pcapng reader: section header blocks in either byte order (each new section resets the
 * interfaces), interface description blocks (link type, snapshot length, `if_tsresol` as a power
 * of 10 or of 2, `if_tsoffset`), enhanced, simple and obsolete packet blocks; other blocks are
 * skipped by their length.
 *
 * Unlike libpcap (which T2 0.9.3 uses, and which gives up at the first interface whose link type
 * or snapshot length differs from the first one), every interface is read with its own link type,
 * snapshot length and timestamp resolution; {@linkcode PcapngReader.linkType} and
 * {@linkcode PcapngReader.snapLen} follow the interface of the current record. Timestamps are
 * converted exactly as libpcap does for nanosecond precision (`t / tsresol + tsoffset` seconds, the
 * remainder scaled to ns), in double arithmetic where that is exact and with BigInt otherwise.
 *
 * Damage: a block whose framing is broken (cut short by the end of the file, length below 12 or
 * not a multiple of 4, trailer length different from the header's, too large) ends the reading
 * with {@linkcode PcapngReader.damage}. A packet block that is well framed but unusable (unknown
 * interface, captured length above the snapshot length or beyond the block) is skipped, as libpcap
 * does for one `pcap_dispatch` call, and reported through `onSkip`.
 *
 * @module
 */

import type { CaptureDamage, CaptureReader } from "./types.ts";
import type { ByteSource } from "./_source.ts";
import { CaptureFormatError } from "./capture_error.ts";
import { adjustSnapLen, linkTypeToDlt, maxSnapLenForDlt } from "./_libpcap.ts";
import { BT_SHB, BYTE_ORDER_MAGIC, BYTE_ORDER_MAGIC_SWAPPED } from "./format.ts";

const BT_IDB = 1;
const BT_PB = 2;
const BT_SPB = 3;
const BT_EPB = 6;

/** libpcap's initial limit on a block's size (16 MiB). */
const INITIAL_MAX_BLOCK = 16 * 1024 * 1024;
/** libpcap's limit on the first section header block (1 MiB). */
const SHB_MAX = 1024 * 1024;

/** How an interface's tick remainder becomes nanoseconds. */
const PASS = 0;
const SCALE_UP_DEC = 1;
const SCALE_DOWN_DEC = 2;
const SCALE_BIN = 3;

const MASK64 = (1n << 64n) - 1n;

/** T2 prints libpcap's error after this prefix. */
const WARNING_PREFIX = "pcap_dispatch failed: ";

/** One interface description, with its timestamp conversion precomputed. */
interface Iface {
  /** `false` for an IDB whose options libpcap rejects: packets on it are skipped. */
  valid: boolean;
  /** DLT number (after `linktype_to_dlt`). */
  linkType: number;
  /** Snapshot length after libpcap's adjustment (0 → maximum for the link type). */
  snapLen: number;
  /** Ticks per second (exact: powers of 10 up to 1e19 and of 2 are exact doubles). */
  res: number;
  resBig: bigint;
  /** One of PASS, SCALE_UP_DEC, SCALE_DOWN_DEC, SCALE_BIN. */
  mode: number;
  /** Multiplier (SCALE_UP_DEC) or divisor (SCALE_DOWN_DEC). */
  factor: number;
  factorBig: bigint;
  /** `if_tsoffset` in seconds. */
  offset: number;
  offsetBig: bigint;
  /**
   * Use BigInt for every packet: huge offset, resolution of 1 s or 1/2 s (where `t / res` can reach 2^63 and
   * libpcap's time_t turns negative), resolution finer than 2^-34 s (10^-11 and beyond), or a
   * binary resolution finer than 2^-23 s (where `frac * 1e9` would exceed 2^53).
   */
  slow: boolean;
}

/** Outcome of parsing an IDB: the interface, or libpcap's complaint. */
type IdbResult = Iface | string;

/**
 * Reader of a pcapng file; see the module doc. Built by `openCapture`/`openCaptureBytes`.
 *
 * The record fields describe the record returned by the last successful {@linkcode next} call;
 * `data` is the reader's own buffer and is only valid until the next call.
 */
export class PcapngReader implements CaptureReader {
  /** Buffer holding the current record's bytes (valid until the next call of `next`). */
  data: Uint8Array;
  /** Offset of the current record's first captured byte in `data`. */
  offset = 0;
  /** Captured length of the current record. */
  capLen = 0;
  /** Original (wire) length of the current record. */
  wireLen = 0;
  /** Timestamp seconds of the current record (may exceed 2^32). */
  tsSec = 0;
  /** Timestamp nanoseconds of the current record. */
  tsNs = 0;
  /** Link type (DLT) of the current record's interface. */
  linkType: number;
  /** Snapshot length of the current record's interface (0 in the file means the maximum). */
  snapLen: number;
  /** Byte offset in the file of the current record's block. */
  recordOffset = 0;
  /** Interface index (within its section) of the current record. */
  interfaceId = 0;

  /** Link type of the first interface (what T2 prints as "Link layer type"). */
  readonly firstLinkType: number;
  /** Snapshot length of the first interface (what T2 prints as "Snapshot length"). */
  readonly firstSnapLen: number;
  /** Always `"pcapng"`. */
  readonly format = "pcapng" as const;
  /** Size of the file in bytes, or 0 when unknown (stdin). */
  readonly fileSize: number;
  /** Called for each packet block that is skipped while reading goes on. */
  onSkip?: ((skip: CaptureDamage) => void) | undefined;
  /** Number of packet blocks skipped so far (see `onSkip`). */
  skipped = 0;

  #src: ByteSource;
  #le = true;
  #ifaces: Iface[] = [];
  #maxBlock = INITIAL_MAX_BLOCK;
  #damage: CaptureDamage | null = null;
  #done = false;
  #onClose: (() => void) | undefined;
  /** Block being looked at: start in the buffer and total length. */
  #bp = 0;
  #blen = 0;

  /**
   * Parses the first section header and reads up to the first interface description; throws
   * {@linkcode CaptureFormatError} when libpcap would refuse to open the file.
   *
   * @param source the input, positioned at the start of the file
   * @param name the capture's name for error messages
   * @param onClose called once by {@linkcode close}
   */
  constructor(source: ByteSource, name: string, onClose?: () => void) {
    this.#src = source;
    this.#onClose = onClose;
    this.fileSize = source.size;
    const got = source.fill(12);
    const view = source.view;
    const p = source.pos;
    if (got < 12) {
      throw new CaptureFormatError(
        name,
        `section header truncated (${got} of 28 bytes)`,
        "unknown file format",
      );
    }
    const bom = view.getUint32(p + 8, true);
    if (bom === BYTE_ORDER_MAGIC) this.#le = true;
    else if (bom === BYTE_ORDER_MAGIC_SWAPPED) this.#le = false;
    else {
      throw new CaptureFormatError(
        name,
        `unknown file format (pcapng block type but byte-order magic 0x${
          view.getUint32(p + 8, false).toString(16).padStart(8, "0")
        })`,
        "unknown file format",
      );
    }
    const len = view.getUint32(p + 4, this.#le);
    if (len < 28 || len > SHB_MAX) {
      throw new CaptureFormatError(
        name,
        `section header block length ${len} is out of range (28 to ${SHB_MAX})`,
        `Section Header Block in pcapng dump file has invalid length 28 < _${len}_ < ${SHB_MAX} (BT_SHB_INSANE_MAX)`,
      );
    }
    let type = this.#readBlock();
    if (type === -1) {
      throw new CaptureFormatError(name, "section header truncated");
    }
    if (type === -2) {
      const d = this.#damage!;
      throw new CaptureFormatError(name, d.message, d.t2Warning?.slice(WARNING_PREFIX.length));
    }
    const major = source.view.getUint16(this.#bp + 12, this.#le);
    const minor = source.view.getUint16(this.#bp + 14, this.#le);
    if (!(major === 1 && (minor === 0 || minor === 2))) {
      throw new CaptureFormatError(
        name,
        `unsupported pcapng version ${major}.${minor}`,
        `unsupported pcapng savefile version ${major}.${minor}`,
      );
    }
    // libpcap needs an interface description before the first packet.
    for (;;) {
      type = this.#readBlock();
      if (type === -1) {
        throw new CaptureFormatError(
          name,
          "no interface description block",
          "the capture file has no Interface Description Blocks",
        );
      }
      if (type === -2) {
        const d = this.#damage!;
        throw new CaptureFormatError(name, d.message, d.t2Warning?.slice(WARNING_PREFIX.length));
      }
      if (type === BT_EPB || type === BT_SPB || type === BT_PB) {
        throw new CaptureFormatError(
          name,
          "packet block before the first interface description block",
          "the capture file has a packet block before any Interface Description Blocks",
        );
      }
      if (type === BT_SHB) {
        const d = this.#section();
        if (d !== null) throw new CaptureFormatError(name, d.message);
      } else if (type === BT_IDB) {
        const r = this.#parseIdb();
        if (typeof r === "string") throw new CaptureFormatError(name, r, r);
        this.#ifaces.push(r);
        break;
      }
    }
    const first = this.#ifaces[0];
    this.linkType = this.firstLinkType = first.linkType;
    this.snapLen = this.firstSnapLen = first.snapLen;
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
   * Advances to the next packet. Returns `false` at the end of the file or at the first block
   * whose framing is broken; then {@linkcode damage} tells which. Never throws because of the
   * file's contents.
   */
  next(): boolean {
    if (this.#done) return false;
    for (;;) {
      const type = this.#readBlock();
      if (type < 0) {
        this.#done = true;
        return false;
      }
      switch (type) {
        case BT_EPB:
          if (this.#packet(20, true)) return true;
          break;
        case BT_SPB:
          if (this.#simplePacket()) return true;
          break;
        case BT_PB:
          if (this.#packet(20, false)) return true;
          break;
        case BT_IDB: {
          const r = this.#parseIdb();
          if (typeof r === "string") {
            // libpcap rejects this IDB; keep the numbering and skip its packets.
            this.#skip(r);
            this.#ifaces.push(invalidIface());
          } else this.#ifaces.push(r);
          break;
        }
        case BT_SHB: {
          const d = this.#section();
          if (d !== null) {
            this.#damage = d;
            this.#done = true;
            return false;
          }
          break;
        }
        default:
          break; // unknown or uninteresting block: skipped by its length
      }
    }
  }

  /** Releases the file (idempotent). */
  close(): void {
    this.#done = true;
    const onClose = this.#onClose;
    this.#onClose = undefined;
    onClose?.();
  }

  /**
   * Makes the next whole block available at `#bp` (length `#blen`) and consumes it. Returns its
   * type, -1 at a clean end of file, or -2 with `#damage` set.
   */
  #readBlock(): number {
    const src = this.#src;
    let p = src.pos;
    if (src.end - p < 12) {
      const got = src.fill(12);
      p = src.pos;
      if (got === 0) return -1;
      if (got < 8) {
        return this.#fail(
          src.base + p,
          `truncated block header: the file ends after ${got} of 8 bytes`,
          `truncated pcapng dump file; tried to read 8 bytes, only got ${got}`,
        );
      }
    }
    let view = src.view;
    const type = view.getUint32(p, this.#le);
    if (type === BT_SHB && src.end - p >= 12) {
      // A new section may switch the byte order.
      const bom = view.getUint32(p + 8, true);
      if (bom === BYTE_ORDER_MAGIC) this.#le = true;
      else if (bom === BYTE_ORDER_MAGIC_SWAPPED) this.#le = false;
      else {
        return this.#fail(
          src.base + p,
          `section header block with a bad byte-order magic 0x${
            view.getUint32(p + 8, false).toString(16).padStart(8, "0")
          }`,
          "the file has a section with a bad byte order magic field",
        );
      }
    }
    const len = view.getUint32(p + 4, this.#le);
    if (len < 12) {
      return this.#fail(
        src.base + p,
        `block of type ${type} has a length of ${len} (less than 12)`,
        `block in pcapng dump file has a length of ${len} < 12`,
      );
    }
    if (len % 4 !== 0) {
      return this.#fail(
        src.base + p,
        `block of type ${type} has a length of ${len} (not a multiple of 4)`,
        `block in pcapng dump file has a length of ${len} that is not a multiple of 4`,
      );
    }
    if (len > this.#maxBlock) {
      return this.#fail(
        src.base + p,
        `block of type ${type} has a length of ${len} (more than the maximum of ${this.#maxBlock})`,
        `pcapng block size ${len} > maximum ${this.#maxBlock}`,
      );
    }
    if (src.end - p < len) {
      const got = src.fill(len);
      p = src.pos;
      if (got < len) {
        return this.#fail(
          src.base + p,
          `truncated block of type ${type}: the file ends after ${got} of ${len} bytes`,
          `truncated pcapng dump file; tried to read ${len - 8} bytes, only got ${got - 8}`,
        );
      }
      view = src.view;
    }
    const trailer = view.getUint32(p + len - 4, this.#le);
    if (trailer !== len) {
      return this.#fail(
        src.base + p,
        `block of type ${type} has a length of ${len} in its header but ${trailer} in its trailer`,
        "block total length in header and trailer don't match",
      );
    }
    this.#bp = p;
    this.#blen = len;
    src.pos = p + len;
    return type;
  }

  #fail(offset: number, message: string, pcapError: string): -2 {
    this.#damage = { offset, message, t2Warning: WARNING_PREFIX + pcapError };
    return -2;
  }

  /** Reports a skipped block (libpcap: one failed `pcap_dispatch` call, then it reads on). */
  #skip(pcapError: string): void {
    this.skipped++;
    this.onSkip?.({
      offset: this.#src.base + this.#bp,
      message: pcapError,
      t2Warning: WARNING_PREFIX + pcapError,
    });
  }

  /** Handles a section header block after the first: checks it and resets the interfaces. */
  #section(): CaptureDamage | null {
    const p = this.#bp;
    const offset = this.#src.base + p;
    if (this.#blen < 28) {
      return {
        offset,
        message: `section header block too short (${this.#blen} bytes)`,
        t2Warning: `${WARNING_PREFIX}block of type ${BT_SHB} in pcapng dump file is too short`,
      };
    }
    const major = this.#src.view.getUint16(p + 12, this.#le);
    if (major !== 1) {
      return {
        offset,
        message: `section with unsupported pcapng major version ${major}`,
        t2Warning: `${WARNING_PREFIX}unknown pcapng savefile major version number ${major}`,
      };
    }
    this.#ifaces.length = 0;
    return null;
  }

  /** Parses the IDB at `#bp`; returns the interface or libpcap's error text. */
  #parseIdb(): IdbResult {
    const view = this.#src.view;
    const le = this.#le;
    const p = this.#bp;
    const end = p + this.#blen - 4;
    if (end - (p + 8) < 8) return `block of type ${BT_IDB} in pcapng dump file is too short`;
    const dlt = linkTypeToDlt(view.getUint16(p + 8, le));
    const snapLen = adjustSnapLen(dlt, view.getUint32(p + 12, le));
    let tsresol = -1;
    let offsetBig: bigint | null = null;
    let q = p + 16;
    while (q < end) {
      if (end - q < 4) return `block of type ${BT_IDB} in pcapng dump file is too short`;
      const code = view.getUint16(q, le);
      const olen = view.getUint16(q + 2, le);
      const padded = (olen + 3) & ~3;
      if (end - q - 4 < padded) return `block of type ${BT_IDB} in pcapng dump file is too short`;
      const v = q + 4;
      q = v + padded;
      if (code === 0) {
        if (olen !== 0) {
          return `Interface Description Block has opt_endofopt option with length ${olen} != 0`;
        }
        break;
      } else if (code === 9) {
        if (olen !== 1) {
          return `Interface Description Block has if_tsresol option with length ${olen} != 1`;
        }
        if (tsresol !== -1) {
          return "Interface Description Block has more than one if_tsresol option";
        }
        tsresol = view.getUint8(v);
        if (tsresol & 0x80) {
          if ((tsresol & 0x7f) > 63) {
            return `Interface Description Block if_tsresol option resolution 2^-${
              tsresol & 0x7f
            } is too high`;
          }
        } else if (tsresol > 19) {
          return `Interface Description Block if_tsresol option resolution 10^-${tsresol} is too high`;
        }
      } else if (code === 14) {
        if (olen !== 8) {
          return `Interface Description Block has if_tsoffset option with length ${olen} != 8`;
        }
        if (offsetBig !== null) {
          return "Interface Description Block has more than one if_tsoffset option";
        }
        offsetBig = view.getBigInt64(v, le);
      }
    }
    const iface = makeIface(dlt, snapLen, tsresol === -1 ? 6 : tsresol, offsetBig ?? 0n);
    const maxBlock = 8 + 20 + maxSnapLenForDlt(dlt) + 131072 + 4;
    if (maxBlock > this.#maxBlock) this.#maxBlock = maxBlock;
    return iface;
  }

  /** Handles an enhanced (`epb`) or obsolete packet block at `#bp`; `false` when skipped. */
  #packet(fixed: number, epb: boolean): boolean {
    const view = this.#src.view;
    const le = this.#le;
    const p = this.#bp;
    const body = this.#blen - 12;
    const type = epb ? BT_EPB : BT_PB;
    if (body < fixed) {
      this.#skip(`block of type ${type} in pcapng dump file is too short`);
      return false;
    }
    const id = epb ? view.getUint32(p + 8, le) : view.getUint16(p + 8, le);
    const ifaces = this.#ifaces;
    if (id >= ifaces.length || !ifaces[id].valid) {
      this.#skip(
        `a packet arrived on interface ${id}, but there's no Interface Description Block for that interface`,
      );
      return false;
    }
    const iface = ifaces[id];
    const capLen = view.getUint32(p + 20, le);
    if (capLen > iface.snapLen) {
      this.#skip(
        `invalid packet capture length ${capLen}, bigger than snaplen of ${iface.snapLen}`,
      );
      return false;
    }
    if (capLen > body - fixed) {
      this.#skip(`block of type ${type} in pcapng dump file is too short`);
      return false;
    }
    this.#time(iface, view.getUint32(p + 12, le), view.getUint32(p + 16, le));
    this.capLen = capLen;
    this.wireLen = view.getUint32(p + 24, le);
    this.#set(iface, id, p + 8 + fixed);
    return true;
  }

  /** Handles a simple packet block at `#bp` (interface 0, no timestamp); `false` when skipped. */
  #simplePacket(): boolean {
    const p = this.#bp;
    const body = this.#blen - 12;
    if (body < 4) {
      this.#skip(`block of type ${BT_SPB} in pcapng dump file is too short`);
      return false;
    }
    const ifaces = this.#ifaces;
    if (ifaces.length === 0 || !ifaces[0].valid) {
      this.#skip(
        "a packet arrived on interface 0, but there's no Interface Description Block for that interface",
      );
      return false;
    }
    const iface = ifaces[0];
    const wireLen = this.#src.view.getUint32(p + 8, this.#le);
    const capLen = wireLen > iface.snapLen ? iface.snapLen : wireLen;
    if (capLen > body - 4) {
      this.#skip(`block of type ${BT_SPB} in pcapng dump file is too short`);
      return false;
    }
    this.#time(iface, 0, 0);
    this.capLen = capLen;
    this.wireLen = wireLen;
    this.#set(iface, 0, p + 12);
    return true;
  }

  #set(iface: Iface, id: number, dataOffset: number): void {
    const src = this.#src;
    this.data = src.buf;
    this.offset = dataOffset;
    this.linkType = iface.linkType;
    this.snapLen = iface.snapLen;
    this.interfaceId = id;
    this.recordOffset = src.base + this.#bp;
  }

  /** Converts a 64-bit tick count (two 32-bit halves) into `tsSec`/`tsNs` as libpcap does. */
  #time(iface: Iface, hi: number, lo: number): void {
    if (!iface.slow) {
      const res = iface.res;
      let sec: number;
      let frac: number;
      if (hi < 0x200000) {
        // t < 2^53 (e.g. microsecond ticks until the year 2255): exact in doubles.
        const t = hi * 4294967296 + lo;
        sec = Math.floor(t / res);
        frac = t - sec * res;
        if (frac < 0) {
          // The quotient rounded up (possible only just below 2^53).
          sec--;
          frac += res;
        }
      } else {
        // Long division by 16-bit digits: every intermediate value stays below 2^53 because
        // res <= 2^34 (e.g. nanosecond ticks, which exceed 2^53 since 1970-04-15).
        let cur = hi >>> 16;
        let q = Math.floor(cur / res);
        let r = cur - q * res;
        sec = q;
        cur = r * 65536 + (hi & 0xffff);
        q = Math.floor(cur / res);
        r = cur - q * res;
        sec = sec * 65536 + q;
        cur = r * 65536 + (lo >>> 16);
        q = Math.floor(cur / res);
        r = cur - q * res;
        sec = sec * 65536 + q;
        cur = r * 65536 + (lo & 0xffff);
        q = Math.floor(cur / res);
        frac = cur - q * res;
        sec = sec * 65536 + q;
      }
      switch (iface.mode) {
        case SCALE_UP_DEC:
          frac *= iface.factor;
          break;
        case SCALE_DOWN_DEC:
          frac = Math.floor(frac / iface.factor);
          break;
        case SCALE_BIN:
          frac = Math.floor(frac * 1e9 / res);
          break;
      }
      this.tsSec = sec + iface.offset;
      this.tsNs = frac;
      return;
    }
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    const sec = t / iface.resBig;
    let frac = t % iface.resBig;
    switch (iface.mode) {
      case SCALE_UP_DEC:
        frac *= iface.factorBig;
        break;
      case SCALE_DOWN_DEC:
        frac /= iface.factorBig;
        break;
      case SCALE_BIN:
        // libpcap multiplies in 64 bits (wrapping) before dividing.
        frac = ((frac * 1000000000n) & MASK64) / iface.resBig;
        break;
    }
    this.tsSec = Number(BigInt.asIntN(64, sec + iface.offsetBig));
    this.tsNs = Number(frac);
  }
}

/** Builds an interface with its timestamp conversion precomputed. */
function makeIface(linkType: number, snapLen: number, tsresol: number, offsetBig: bigint): Iface {
  const binary = (tsresol & 0x80) !== 0;
  const exp = tsresol & 0x7f;
  const resBig = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  const res = Number(resBig);
  let mode: number;
  let factorBig = 1n;
  if (resBig === 1000000000n) mode = PASS;
  else if (binary) mode = SCALE_BIN;
  else if (resBig < 1000000000n) {
    mode = SCALE_UP_DEC;
    factorBig = 1000000000n / resBig;
  } else {
    mode = SCALE_DOWN_DEC;
    factorBig = resBig / 1000000000n;
  }
  const offset = Number(offsetBig);
  return {
    valid: true,
    linkType,
    snapLen,
    res,
    resBig,
    mode,
    factor: Number(factorBig),
    factorBig,
    offset,
    offsetBig,
    slow: !Number.isSafeInteger(offset) || res <= 2 || res > 2 ** 34 || (binary && exp > 23),
  };
}

function invalidIface(): Iface {
  const iface = makeIface(0, 0, 6, 0n);
  iface.valid = false;
  return iface;
}
