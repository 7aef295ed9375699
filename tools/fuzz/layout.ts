/**
 * Where the records of a capture lie, for structure-aware mutation: a tolerant walk over a
 * classic pcap or pcapng file that never throws and stops at the first record it cannot frame.
 * (The real readers in `src/capture/` decide what is valid; this only finds byte ranges.)
 *
 * @module
 */

/** One record (pcap) or block (pcapng) of a capture. */
export interface RecordSpan {
  /** Offset of the record header / block start. */
  readonly start: number;
  /** Offset after the record / block. */
  readonly end: number;
  /** Whether the record carries a packet (every pcap record; EPB, SPB and PB blocks). */
  readonly packet: boolean;
  /** Offset of the first packet byte (packet records only, else -1). */
  readonly dataStart: number;
  /** Number of packet bytes stored (packet records only). */
  readonly dataLen: number;
  /** Offset of the captured-length field (pcap, EPB, PB), or -1. */
  readonly capLenAt: number;
  /** Offset of the wire-length field, or -1. */
  readonly wireLenAt: number;
  /** Offset of the timestamp (seconds for pcap; high word for pcapng), or -1. */
  readonly tsAt: number;
  /** pcapng block type (0 for pcap records). */
  readonly blockType: number;
  /** Byte order of the record's fields. */
  readonly le: boolean;
}

/** The parsed framing of a capture. */
export interface Layout {
  readonly format: "pcap" | "pcapng" | "unknown";
  /** pcap: byte order of the file; pcapng: of the first section. */
  readonly le: boolean;
  /** End of the pcap file header (24), or 0. */
  readonly headerEnd: number;
  /** Link type of the file (pcap) or of the first interface (pcapng), or -1. */
  readonly linkType: number;
  /** Snapshot length field of the file (pcap) or of the first interface (pcapng), or 0. */
  readonly snapLen: number;
  /** Records / blocks in file order, up to the first that cannot be framed. */
  readonly records: RecordSpan[];
  /** Offset where framing stopped (the file length when everything was framed). */
  readonly parsedEnd: number;
}

const SHB = 0x0a0d0d0a;

/** Walk a capture's records; never throws. */
export function parseLayout(b: Uint8Array): Layout {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 4) return unknown(b.length);
  const magic = v.getUint32(0, false);
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) return pcapLayout(b, v, false);
  if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) return pcapLayout(b, v, true);
  if (magic === SHB) return pcapngLayout(b, v);
  return unknown(0);
}

function unknown(parsedEnd: number): Layout {
  return {
    format: "unknown",
    le: true,
    headerEnd: 0,
    linkType: -1,
    snapLen: 0,
    records: [],
    parsedEnd,
  };
}

function pcapLayout(b: Uint8Array, v: DataView, le: boolean): Layout {
  const records: RecordSpan[] = [];
  if (b.length < 24) {
    return { format: "pcap", le, headerEnd: 0, linkType: -1, snapLen: 0, records, parsedEnd: 0 };
  }
  const snapLen = v.getUint32(16, le);
  const linkType = v.getUint32(20, le);
  let p = 24;
  while (p + 16 <= b.length) {
    const cap = v.getUint32(p + 8, le);
    const end = p + 16 + cap;
    if (end > b.length) break;
    records.push({
      start: p,
      end,
      packet: true,
      dataStart: p + 16,
      dataLen: cap,
      capLenAt: p + 8,
      wireLenAt: p + 12,
      tsAt: p,
      blockType: 0,
      le,
    });
    p = end;
  }
  return { format: "pcap", le, headerEnd: 24, linkType, snapLen, records, parsedEnd: p };
}

function pcapngLayout(b: Uint8Array, v: DataView): Layout {
  const records: RecordSpan[] = [];
  let le = true;
  let firstLe: boolean | null = null;
  let linkType = -1;
  let snapLen = 0;
  let p = 0;
  while (p + 12 <= b.length) {
    const typeBe = v.getUint32(p, false);
    if (typeBe === SHB) {
      if (p + 12 > b.length) break;
      const bom = v.getUint32(p + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else break;
      if (firstLe === null) firstLe = le;
    }
    const type = v.getUint32(p, le);
    const len = v.getUint32(p + 4, le);
    if (len < 12 || len % 4 !== 0 || p + len > b.length) break;
    let packet = false;
    let dataStart = -1;
    let dataLen = 0;
    let capLenAt = -1;
    let wireLenAt = -1;
    let tsAt = -1;
    if ((type === 6 || type === 2) && len >= 32) {
      capLenAt = p + 20;
      wireLenAt = p + 24;
      tsAt = p + 12;
      dataStart = p + 28;
      dataLen = Math.min(v.getUint32(capLenAt, le), len - 32);
      packet = true;
    } else if (type === 3 && len >= 16) {
      wireLenAt = p + 8;
      dataStart = p + 12;
      dataLen = Math.min(v.getUint32(wireLenAt, le), len - 16);
      packet = true;
    } else if (type === 1 && linkType < 0 && len >= 20) {
      linkType = v.getUint16(p + 8, le);
      snapLen = v.getUint32(p + 12, le);
    }
    records.push({
      start: p,
      end: p + len,
      packet,
      dataStart,
      dataLen,
      capLenAt,
      wireLenAt,
      tsAt,
      blockType: type,
      le,
    });
    p += len;
  }
  return {
    format: "pcapng",
    le: firstLe ?? true,
    headerEnd: 0,
    linkType,
    snapLen,
    records,
    parsedEnd: p,
  };
}

/** Indices of the packet records of a layout. */
export function packetIndices(layout: Layout): number[] {
  const out: number[] = [];
  layout.records.forEach((r, i) => {
    if (r.packet) out.push(i);
  });
  return out;
}
