/**
 * The per-packet view: one instance is reused for every packet (no allocation per packet).
 * The dissector fills it from the capture record; plugins read it in their callbacks.
 *
 * Offsets are absolute positions in {@linkcode Packet.data}; `-1` means "no such header".
 * Reads through {@linkcode Packet.u8} and friends are bounded by the captured bytes: a field
 * past them reads as 0 (T2 would read leftovers of other packets there).
 *
 * @module
 */

import { HDOVRN_H } from "../base/flow_status.ts";
import { hdrDescTable } from "./hdr_desc.ts";

/** Numbers per notice in {@linkcode Packet.notices}: the kind, then three values. */
export const NOTICE_WORDS = 4;
/** Most notices kept per packet (see notices.ts); further ones are dropped. */
export const MAX_NOTICES = 4;

/** What the engine must do with a dissected packet. */
export const PacketKind = {
  /** No flow: counted, no plugin callbacks. */
  NONE: 0,
  /** IPv4 flow packet. */
  IPV4: 4,
  /** IPv6 flow packet. */
  IPV6: 6,
  /** Pure layer-2 flow packet. */
  L2: 2,
} as const;

/** One of {@linkcode PacketKind}'s values. */
export type PacketKind = typeof PacketKind[keyof typeof PacketKind];

/**
 * The reusable packet view.
 *
 * @example Named header fields (a plugin gets the packet filled in by the dissector; here the
 * header offsets are set by hand)
 * ```ts
 * import { Packet, PacketKind } from "./packet.ts";
 * import assert from "node:assert/strict";
 *
 * // IPv4 (TTL 64, DF) and the first 16 bytes of a TCP header (seq 1, SYN, window 8192): the
 * // capture cut off the checksum and the rest.
 * const bytes = new Uint8Array(36);
 * bytes.set([0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6], 0);
 * bytes.set([0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0x00], 20);
 * const p = new Packet();
 * p.reset(bytes, 0, bytes.length, 60);
 * p.kind = PacketKind.IPV4;
 * p.l3Off = 0;
 * p.l4Off = 20;
 * assert.equal(p.ipTTL(), 64);
 * assert.equal(p.ipFragWord(), 0x4000);
 * assert.equal(p.tcpSeq(), 1);
 * assert.equal(p.tcpFlags(), 0x02);
 * assert.equal(p.tcpWindow(), 8192);
 * assert.ok(p.tcpWindowCaptured());
 * assert.equal(p.tcpChecksum(), 0); // not captured: reads 0
 * ```
 */
export class Packet {
  /** Buffer holding the packet (shared with other records; valid during the callbacks). */
  data: Uint8Array = new Uint8Array(0);
  /** Offset of the first captured byte. */
  start = 0;
  /** Offset after the last captured byte. */
  end = 0;

  /** Packet number in the input (1-based, counts every record). */
  pktNo = 0;
  /** Timestamp seconds. */
  tsSec = 0;
  /** Timestamp nanoseconds. */
  tsNs = 0;
  /** Captured length (T2 snapLen). */
  snapLen = 0;
  /** Wire length (T2 rawLen). */
  rawLen = 0;
  /** Link type of this packet's interface. */
  linkType = 0;

  /** Status bits 0-31 (see base/flow_status.ts). */
  statusLo = 0;
  /** Status bits 32-63. */
  statusHi = 0;

  /** Header description node (see hdr_desc.ts) and its header count. */
  hdrNode = 0;
  /** Number of headers (T2 numHdrDesc), counted even past the description's length cap. */
  numHdrs = 0;

  /** Kind of flow this packet belongs to. */
  kind: PacketKind = PacketKind.NONE;

  /** Layer-2 header (Ethernet or the link header), -1 if none. */
  l2Off: number = -1;
  /** Innermost layer-3 header, -1 if none. */
  l3Off: number = -1;
  /** Layer-4 header, -1 if none. */
  l4Off: number = -1;
  /** Layer-7 payload, -1 if none. */
  l7Off: number = -1;
  /** Layer-3 header length (IPv4 IHL*4, IPv6 40 + extension headers). */
  l3HdrLen = 0;
  /** Layer-4 header length used for the payload offset. */
  l4HdrLen = 0;
  /** Bytes from the L2 header to the L3 header. */
  l2HdrLen = 0;

  /** Captured bytes from the L2 header on (trimmed to the IP length when padded). */
  snapL2Len = 0;
  /** Captured bytes from the L3 header on. */
  snapL3Len = 0;
  /** Captured bytes from the L4 header on. */
  snapL4Len = 0;
  /** Captured bytes of the payload. */
  snapL7Len = 0;
  /** L2 length (IP length + L2 header). */
  l2Len = 0;
  /** L3 (IP) length used. */
  l3Len = 0;
  /** Payload length (16-bit). */
  l7Len = 0;
  /** Length used by statistics (PACKETLENGTH=3: layer 7). */
  len = 0;
  /** Ethernet padding of this packet. */
  padLen = 0;

  /** EtherType of the innermost L3 (host order). */
  ethType = 0;
  /** First EtherType seen (T2 outerEthType). */
  outerEthType = 0;
  /** Innermost VLAN ID (12 bits). */
  vlanId = 0;
  /** Offset of the first VLAN tag's TCI of the last tag stack walked, -1 if none. */
  vlanHdrOff: number = -1;
  /** VLAN tags seen. */
  vlanHdrCnt = 0;
  /** MPLS labels seen. */
  mplsHdrCnt = 0;
  /** Offset of an 802.2 LLC header (the type/length field), -1 if none. */
  llcOff: number = -1;

  /** Source port (0 when the protocol has none). */
  srcPort = 0;
  /** Destination port. */
  dstPort = 0;
  /** Layer-4 protocol number of the innermost IP header. */
  l4Proto = 0;
  /** Source and destination address words: [src0..3, dst0..3]; IPv4 uses word 0. */
  readonly addr: Uint32Array = new Uint32Array(8);
  /** False for a second or later IP fragment. */
  firstFragment = true;
  /** IPv4 identification / IPv6 fragment identification of the innermost header. */
  ipId = 0;
  /** IPv4 fragment-offset field (flags + offset) of the innermost IPv4 header. */
  ipOff = 0;
  /** Offset of the IPv6 fragment header, -1 if none. */
  ip6FragOff: number = -1;
  /** Offset of the IPv6 hop-by-hop options header, -1 if none. */
  ip6HopOptsOff: number = -1;
  /** Offset of the (last) IPv6 destination options header, -1 if none. */
  ip6DstOptsOff: number = -1;

  // What the core needs besides the fields above: the dissector reports these facts here and
  // never calls into the core (see notices.ts and tally.ts).
  /** Notices recorded (T2's in-run warnings, an unsupported link type), see notices.ts. */
  noticeCount = 0;
  /** Per notice: its kind, then three numbers ({@linkcode NOTICE_WORDS} each). */
  readonly notices: Float64Array = new Float64Array(MAX_NOTICES * NOTICE_WORDS);
  /**
   * Kinds of notices (bit per kind) the run has no use for any more, such as a once-per-run
   * warning already printed: not recorded. Kept across packets.
   */
  mutedNotices = 0;
  /** Σ estimated L2+IP length of the IP headers whose lengths were computed (T2 bytesOnWire). */
  ipBytesOnWire = 0;
  /** DTLS records seen. */
  dtlsRecords = 0;
  /** IPv6 fragment headers walked. */
  ip6FragHeaders = 0;
  /** IP EtherTypes (or SLL2 protocols) whose header had another IP version. */
  ipvxByType = 0;

  /** Reset for a new record. */
  reset(data: Uint8Array, start: number, capLen: number, wireLen: number): void {
    this.data = data;
    this.start = start;
    this.end = start + capLen;
    this.snapLen = capLen;
    this.rawLen = wireLen;
    this.snapL2Len = capLen;
    this.statusLo = 0;
    this.statusHi = 0;
    this.hdrNode = 0;
    this.numHdrs = 0;
    this.kind = PacketKind.NONE;
    this.l2Off = -1;
    this.l3Off = -1;
    this.l4Off = -1;
    this.l7Off = -1;
    this.l3HdrLen = 0;
    this.l4HdrLen = 0;
    this.l2HdrLen = 0;
    this.snapL3Len = 0;
    this.snapL4Len = 0;
    this.snapL7Len = 0;
    this.l2Len = 0;
    this.l3Len = 0;
    this.l7Len = 0;
    this.len = 0;
    this.padLen = 0;
    this.ethType = 0;
    this.outerEthType = 0;
    this.vlanId = 0;
    this.vlanHdrOff = -1;
    this.vlanHdrCnt = 0;
    this.mplsHdrCnt = 0;
    this.llcOff = -1;
    this.srcPort = 0;
    this.dstPort = 0;
    this.l4Proto = 0;
    const a = this.addr; // a plain loop: cheaper than fill() once per packet
    for (let i = 0; i < 8; i++) a[i] = 0;
    this.firstFragment = true;
    this.ipId = 0;
    this.ipOff = 0;
    this.ip6FragOff = -1;
    this.ip6HopOptsOff = -1;
    this.ip6DstOptsOff = -1;
    this.noticeCount = 0; // the numbers past the count are stale, never read
    this.ipBytesOnWire = 0;
    this.dtlsRecords = 0;
    this.ip6FragHeaders = 0;
    this.ipvxByType = 0;
  }

  /** Byte at `off`, 0 past the captured bytes. */
  u8(off: number): number {
    return off < this.end && off >= 0 ? this.data[off] : 0;
  }

  /** Big-endian 16-bit value at `off` (missing bytes read as 0). */
  u16(off: number): number {
    if (off >= 0 && off + 2 <= this.end) {
      const d = this.data; // one bounds check for both bytes
      return (d[off] << 8) | d[off + 1];
    }
    return this.#u16Cut(off);
  }

  // The slow paths of u16/u32/u32Into are separate methods, to keep the fast paths small
  // (V8 inlines small functions more readily).
  #u16Cut(off: number): number {
    return (this.u8(off) << 8) | this.u8(off + 1);
  }

  #u32Cut(off: number): number {
    return (this.u8(off) << 24) | (this.u8(off + 1) << 16) | (this.u8(off + 2) << 8) |
      this.u8(off + 3);
  }

  /** Big-endian 32-bit value at `off` as an unsigned number (missing bytes read as 0). */
  u32(off: number): number {
    if (off >= 0 && off + 4 <= this.end) {
      const d = this.data;
      return ((d[off] << 24) | (d[off + 1] << 16) | (d[off + 2] << 8) | d[off + 3]) >>> 0;
    }
    return this.#u32Cut(off) >>> 0;
  }

  /**
   * Store the 32-bit value at `off` into `target[index]`. Hot paths use this instead of
   * {@linkcode Packet.u32}: a returned value above 2^30 is not a small integer and costs an
   * allocation whenever the call is not inlined.
   */
  u32Into(target: Uint32Array, index: number, off: number): void {
    if (off >= 0 && off + 4 <= this.end) {
      const d = this.data;
      target[index] = (d[off] << 24) | (d[off + 1] << 16) | (d[off + 2] << 8) | d[off + 3];
    } else {
      target[index] = this.#u32Cut(off);
    }
  }

  /** Append a header description piece (see hdr_desc.ts). */
  addHdr(piece: number): void {
    this.numHdrs++;
    if (this.statusHi & HDOVRN_H) return;
    const next = hdrDescTable.child(this.hdrNode, piece);
    if (hdrDescTable.overflows(next)) this.statusHi |= HDOVRN_H;
    this.hdrNode = next;
  }

  /** Append several pieces. */
  addHdrs(pieces: readonly number[]): void {
    for (let i = 0; i < pieces.length; i++) this.addHdr(pieces[i]);
  }

  /** The header description text (e.g. `eth:ipv4:tcp`). */
  get hdrDesc(): string {
    return hdrDescTable.text(this.hdrNode);
  }

  /** IP version of the flow key (6 when the packet is an IPv6 flow packet, else 4). */
  get ipVersion(): 4 | 6 {
    return this.kind === PacketKind.IPV6 ? 6 : 4;
  }

  // ==================================================================== named header fields
  // For plugins: the fields of the headers the dissector found, by name. Each reads through
  // the bounded u8/u16/u32 above, so a field past the captured bytes reads as 0 (the
  // `...Captured()` methods tell a cut field from a real 0). Call the IP methods for IPv4/IPv6
  // flow packets (`onNewFlow`, `onLayer4`), the TCP/UDP/ICMP ones when the flow's protocol is
  // that one; a second or later fragment (`firstFragment` false) has no layer-4 header, so its
  // layer-4 fields read bytes of its payload.
  //
  // Already plain fields above: `srcPort`, `dstPort`, `l4Proto` (innermost IP header),
  // `ipId`, `ethType`, `vlanId`, `firstFragment`, the lengths (`rawLen`, `snapLen`, `l3Len`,
  // `l3HdrLen`, `l4HdrLen`, `l7Len`, `len`, `snapL3Len`, `snapL4Len`, `snapL7Len`, `padLen`)
  // and the header offsets (`l2Off`, `l3Off`, `l4Off`, `l7Off`, IPv6 `ip6FragOff`,
  // `ip6HopOptsOff`, `ip6DstOptsOff`).

  /** IPv4 TTL or IPv6 hop limit of the innermost IP header. */
  ipTTL(): number {
    return this.u8(this.l3Off + (this.kind === PacketKind.IPV6 ? 7 : 8));
  }

  /** IPv4 type of service or IPv6 traffic class of the innermost IP header. */
  ipToS(): number {
    return this.kind === PacketKind.IPV6
      ? (this.u16(this.l3Off) >>> 4) & 0xff
      : this.u8(this.l3Off + 1);
  }

  /**
   * The fragment word of the innermost IP header: IPv4 flags and offset (bytes 6-7: reserved,
   * DF `0x4000`, MF `0x2000`, offset in 8-byte units); IPv6 the fragment header's offset and M
   * flag (`offset << 3 | M`), 0 without a fragment header.
   */
  ipFragWord(): number {
    if (this.kind !== PacketKind.IPV6) return this.u16(this.l3Off + 6);
    return this.ip6FragOff >= 0 ? this.u16(this.ip6FragOff + 2) : 0;
  }

  /** Fragment offset of the innermost IP header, in 8-byte units (0: first or no fragment). */
  ipFragOffset(): number {
    const w = this.ipFragWord();
    return this.kind === PacketKind.IPV6 ? w >>> 3 : w & 0x1fff;
  }

  /** Whether the innermost IP header says more fragments follow (IPv4 MF, IPv6 M flag). */
  ipMoreFragments(): boolean {
    const w = this.ipFragWord();
    return (this.kind === PacketKind.IPV6 ? w & 0x0001 : w & 0x2000) !== 0;
  }

  /** IPv4 header checksum field (0 for IPv6, which has none). */
  ipChecksum(): number {
    return this.kind === PacketKind.IPV6 ? 0 : this.u16(this.l3Off + 10);
  }

  /**
   * The protocol field of the innermost IP header as written: IPv4 protocol, IPv6 first Next
   * Header (an extension header's number when there is one; `l4Proto` is the protocol after
   * the extension headers).
   */
  ipNextHeader(): number {
    return this.u8(this.l3Off + (this.kind === PacketKind.IPV6 ? 6 : 9));
  }

  /** TCP sequence number. */
  tcpSeq(): number {
    return this.u32(this.l4Off + 4);
  }

  /** TCP acknowledgement number. */
  tcpAck(): number {
    return this.u32(this.l4Off + 8);
  }

  /** TCP header length from the data-offset field, in bytes (20 without options). */
  tcpDataOffset(): number {
    return (this.u8(this.l4Off + 12) >>> 4) * 4;
  }

  /** TCP flags byte: FIN `0x01`, SYN `0x02`, RST `0x04`, PSH `0x08`, ACK `0x10`, ... */
  tcpFlags(): number {
    return this.u8(this.l4Off + 13);
  }

  /** Whether the TCP flags byte was captured. */
  tcpFlagsCaptured(): boolean {
    return this.l4Off >= 0 && this.l4Off + 14 <= this.end;
  }

  /** TCP window as sent (not scaled). */
  tcpWindow(): number {
    return this.u16(this.l4Off + 14);
  }

  /** Whether the TCP window was captured (a cut one reads 0 but says nothing). */
  tcpWindowCaptured(): boolean {
    return this.l4Off >= 0 && this.l4Off + 16 <= this.end;
  }

  /** TCP checksum field. */
  tcpChecksum(): number {
    return this.u16(this.l4Off + 16);
  }

  /** UDP (or UDP-Lite) length field. */
  udpLength(): number {
    return this.u16(this.l4Off + 4);
  }

  /** ICMP or ICMPv6 type. */
  icmpType(): number {
    return this.u8(this.l4Off);
  }

  /** ICMP or ICMPv6 code. */
  icmpCode(): number {
    return this.u8(this.l4Off + 1);
  }

  /** ICMP or ICMPv6 echo identifier (bytes 4-5 of the header). */
  icmpId(): number {
    return this.u16(this.l4Off + 4);
  }

  /** ICMP or ICMPv6 echo sequence number (bytes 6-7 of the header). */
  icmpSeq(): number {
    return this.u16(this.l4Off + 6);
  }

  /**
   * Tag `i` (0 = outermost) of the VLAN tag stack of the packet's flow header: the tag's TCI
   * (priority, DEI, VLAN ID) in the high 16 bits, the EtherType after it in the low 16; 0
   * without VLAN tags (`vlanHdrCnt` tags were seen).
   */
  vlanTag(i: number): number {
    return this.vlanHdrOff >= 0 ? this.u32(this.vlanHdrOff + 4 * i) : 0;
  }

  /**
   * Whether the link-layer header's two MAC addresses were captured: then the 12 bytes
   * `data[l2Off ..]` are the destination MAC and the source MAC, for a hot path that reads
   * them directly.
   */
  macsCaptured(): boolean {
    return this.l2Off >= 0 && this.l2Off + 12 <= this.end;
  }

  /** 16-bit word `i` (0-2) of the source MAC: `srcMacWord(0)` is its first two bytes. */
  srcMacWord(i: number): number {
    return this.u16(this.l2Off + 6 + 2 * i);
  }

  /** 16-bit word `i` (0-2) of the destination MAC. */
  dstMacWord(i: number): number {
    return this.u16(this.l2Off + 2 * i);
  }

  /**
   * Copy the source MAC (bytes 6-11 of the link-layer header: the innermost Ethernet header,
   * or the link header of a capture without Ethernet) into `target[at .. at+6)`.
   */
  srcMacInto(target: Uint8Array, at: number): void {
    for (let i = 0; i < 6; i++) target[at + i] = this.u8(this.l2Off + 6 + i);
  }

  /** Copy the destination MAC (bytes 0-5 of the link-layer header) into `target[at ..)`. */
  dstMacInto(target: Uint8Array, at: number): void {
    for (let i = 0; i < 6; i++) target[at + i] = this.u8(this.l2Off + i);
  }
}

/**
 * The text of a header description number (a packet's {@linkcode Packet.hdrNode}), e.g.
 * `eth:ipv4:tcp`: keep the number per flow, make the text when the flow is written.
 */
export function hdrDescText(node: number): string {
  return hdrDescTable.text(node);
}
