/**
 * IPv6 as T2 0.9.3 dissects it (dissembleIPv6Packet, spec/dissection.md §4): the outer header's
 * lengths first, then a walk over at most {@linkcode MAX_HDR_CNT} next headers (extension
 * headers, encapsulations, the transport header: `wiring.ts`, the IPv6 column of
 * `IP_PROTOCOLS`), then the lengths of the innermost IPv6 header ({@linkcode decodeIpv6End}).
 * Headers that T2 continues "in place" (IPv6 in IPv6, in GRE, in EtherIP, in PIM) restart the
 * header length but not the walk's count.
 *
 * @module
 */

import * as S from "../../base/flow_status.ts";
import { setIpPadding } from "../l2/padding.ts";
import { ETHERTYPE } from "../numbers.ts";
import { addNotice, Notice } from "../notices.ts";
import { type Packet, PacketKind } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, STOP, type Walk } from "../walk.ts";
import { minL4Header } from "./ipv4_lengths.ts";

/** Next headers walked after the IPv6 header at most (T2 MAXHDRCNT). */
const MAX_HDR_CNT = 5;
/** Bytes of the fixed IPv6 header. */
const IPV6_HEADER = 40;
/** Fewer bytes left than this end the walk. */
const MIN_NEXT_HEADER = 8;

/** An IPv6 header at `off`. */
export function decodeIpv6(p: Packet, off: number, w: Walk): number {
  p.l3Off = off;
  p.ethType = ETHERTYPE.IPV6;
  p.statusHi |= S.FS_IPV6_PKT_H;
  p.addHdr(P.IPV6);
  setOuterLengths(p, off);
  w.ip6Next = p.u8(off + 6);
  p.l4Proto = w.ip6Next;
  w.ip6HdrLen = IPV6_HEADER;
  w.ip6Walked = 0;
  w.ip6L4HdrLen = 0;
  w.ip6FragHdr = -1;
  return decodeIpv6Next(p, off, w);
}

/** Lengths of the outer IPv6 header at `ip` (`p.l3Off`), with T2's snap-length warning. */
export function setOuterLengths(p: Packet, ip: number): void {
  const l2HdrLen = (p.l3Off - p.l2Off) & 0xffff;
  p.snapL3Len = (p.snapL2Len - l2HdrLen) & 0xffff;
  const l3Len = ipv6Length(p, ip);
  p.l2HdrLen = l2HdrLen;
  const l2Len = p.rawLen & 0xffff;
  p.ipBytesOnWire += l2Len;
  p.l2Len = l2Len;
  p.l3Len = l3Len;
  if (p.snapL3Len < l3Len) {
    p.statusHi |= S.L3SNAPLENGTH_H;
    addNotice(p, Notice.L3_SNAPPED_IPV6, p.snapL2Len, p.snapL3Len, l3Len);
  } else if (p.snapL3Len > l3Len) {
    p.snapL2Len = l2Len;
    p.snapL3Len = l3Len;
  }
}

/**
 * The IPv6 length used: payload length + 40, or the frame's when the payload length is 0
 * (then IP_PL_MSMTCH if the frame has bytes) or too large.
 */
function ipv6Length(p: Packet, ip: number): number {
  const calcL3Len = (p.rawLen - (p.l3Off - p.start)) & 0xffff;
  const payloadLen = p.u16(ip + 4);
  if (payloadLen === 0 && calcL3Len !== 0) p.statusHi |= S.IP_PL_MSMTCH_H;
  return (payloadLen === 0 || payloadLen + IPV6_HEADER > calcL3Len)
    ? calcL3Len
    : payloadLen + IPV6_HEADER;
}

/** The next header after the current IPv6 header (or the end of the walk). */
export function decodeIpv6Next(p: Packet, _off: number, w: Walk): number {
  if (w.ip6Walked === MAX_HDR_CNT) return decodeIpv6End(p, 0, w);
  w.ip6Walked++;
  p.srcPort = 0;
  p.dstPort = 0;
  const l4 = p.l3Off + w.ip6HdrLen;
  p.l4Off = l4;
  w.ip6L4HdrLen = 0;
  if ((p.end - l4) >>> 0 < MIN_NEXT_HEADER) return decodeIpv6End(p, 0, w);
  return w.via(Space.IPV6_NEXT, w.ip6Next, l4, decodeIpv6End);
}

/** Continue the walk with an IPv6 header at `ip`, in place (`nextHeader`: its next header). */
export function restartIpv6(p: Packet, w: Walk, ip: number, nextHeader: number): number {
  p.l3Off = ip;
  w.ip6Next = nextHeader;
  w.ip6HdrLen = IPV6_HEADER;
  return decodeIpv6Next(p, ip, w);
}

/** IPv6 in IPv6 (next header 41): continued in place. */
export function decodeIpv6InIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.IPV6);
  p.statusLo |= S.L3_IPIP;
  if ((p.end - off) >>> 0 < IPV6_HEADER) {
    p.statusHi |= S.STPDSCT_H;
    return decodeIpv6End(p, off, w);
  }
  return restartIpv6(p, w, off, p.u8(off + 6));
}

/** Lengths of the innermost IPv6 header; an IPv6 flow packet. */
export function decodeIpv6End(p: Packet, _off: number, w: Walk): number {
  finishIpv6(p, w.ip6Next, w.ip6HdrLen, w.ip6L4HdrLen, w.ip6FragHdr);
  return STOP;
}

/**
 * The lengths, addresses and fragment fields of the innermost IPv6 header `p.l3Off`, whose
 * next header `nxt` (a layer-4 header of `l4HdrLen` bytes at `p.l4Off`) comes `hdrLen` bytes
 * after it; `fragHdr`: the fragment header's offset, -1 if none. An IPv6 flow packet.
 */
export function finishIpv6(
  p: Packet,
  nxt: number,
  hdrLen: number,
  walkedL4HdrLen: number,
  fragHdr: number,
): void {
  p.l4Proto = nxt;
  p.l3HdrLen = hdrLen;
  // Not cut to 16 bits: T2 prints the captured bytes of a frame over 64 KiB whole (issue 18).
  const snapL3Len = p.end - p.l3Off;
  p.snapL3Len = snapL3Len >= 0 ? snapL3Len : snapL3Len & 0xffff;
  const l3Len = ipv6Length(p, p.l3Off);
  p.l3Len = l3Len;
  const l4ToEnd = p.end - p.l4Off;
  const later = fragHdr >= 0 && fragmentOffset(p, fragHdr) !== 0;
  // A transport header the capture cut (spec/dissection.md §9); a datagram that simply has no
  // transport bytes gets no bit, as in T2.
  if (!later && (p.statusHi & S.L3SNAPLENGTH_H) && l4ToEnd < minL4Header(nxt)) {
    p.statusHi |= S.L4HDRSHRTLEN_H;
  }
  const l4HdrLen = later ? 0 : walkedL4HdrLen;
  p.l4HdrLen = l4HdrLen;
  p.l7Len = (l3Len - hdrLen - l4HdrLen) & 0xffff;
  p.l7Off = p.l4Off + l4HdrLen;
  if (p.snapL3Len >= l3Len) {
    p.snapL4Len = p.snapL3Len < hdrLen ? 0 : l4ToEnd & 0xffff;
    p.snapL7Len = l4HdrLen < p.snapL4Len ? p.snapL4Len - l4HdrLen : 0;
  } else {
    p.snapL4Len = p.snapL3Len < hdrLen ? 0 : l4ToEnd & 0xffff;
    const toL7 = (p.l7Off - p.l3Off) & 0xffff;
    p.snapL7Len = p.snapL3Len < toL7 ? 0 : (p.end - p.l7Off) & 0xffff;
  }
  p.len = p.l7Len;

  const a = p.addr;
  const ip = p.l3Off;
  for (let i = 0; i < 4; i++) {
    p.u32Into(a, i, ip + 8 + 4 * i);
    p.u32Into(a, 4 + i, ip + 24 + 4 * i);
  }
  p.ip6FragOff = fragHdr;
  p.firstFragment = !later;
  if (fragHdr >= 0) {
    p.ipId = p.u32(fragHdr + 4);
    p.ipOff = p.u16(fragHdr + 2);
  }
  p.statusLo |= S.L2_IPV6;
  p.kind = PacketKind.IPV6;
  setIpPadding(p);
}

/** Fragment offset field (in 8-byte units) of the IPv6 fragment header at `frag`. */
export function fragmentOffset(p: Packet, frag: number): number {
  return p.u16(frag + 2) >> 3;
}
