/**
 * Lengths of an IPv4 packet as T2 computes them (spec/dissection.md §3, steps 8-11): the IP
 * length used (the header's, or the frame's when the header's is 0 or too large), snap
 * lengths, the layer-4 header length per protocol, and the payload lengths.
 *
 * @module
 */

import * as S from "../../base/flow_status.ts";
import { IPPROTO } from "../numbers.ts";
import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";

/** Bytes of an IPv4 header without options. */
export const IPV4_MIN_HEADER = 20;

/** IHL of the IPv4 header at `ip`, in bytes. */
export function ihl(p: Packet, ip: number): number {
  return (p.u8(ip) & 0x0f) << 2;
}

/**
 * Layer-2 and layer-3 lengths of the IPv4 header at `ip`, with T2's checks and its snap-length
 * warning; returns the IP length used (l3Len).
 */
export function setIpv4Lengths(p: Packet, ip: number): number {
  const l2HdrLen = (p.l3Off - p.l2Off) & 0xffff;
  p.snapL3Len = (p.snapL2Len - l2HdrLen) & 0xffff;
  const calcL3Len = (p.rawLen - (p.l3Off - p.start)) & 0xffff;
  const ipLen = p.u16(ip + 2);
  const l3Len = (ipLen === 0 || ipLen > calcL3Len) ? calcL3Len : ipLen;
  if (ipLen === 0 && calcL3Len !== 0) p.statusHi |= S.IP_PL_MSMTCH_H;
  p.l2HdrLen = l2HdrLen;
  const l2Len = (l3Len + l2HdrLen) & 0xffff;
  p.l2Len = l2Len;
  p.l3Len = l3Len;
  p.ipBytesOnWire += l2Len;

  if (p.snapL3Len < l3Len) {
    p.statusHi |= S.L3SNAPLENGTH_H;
    addNotice(p, Notice.L3_SNAPPED_IPV4, p.snapL2Len, p.snapL3Len, l3Len);
  } else if (p.snapL3Len > l3Len) {
    p.snapL2Len = l2Len;
    p.snapL3Len = l3Len;
  }
  if (l3Len < IPV4_MIN_HEADER) p.statusHi |= S.L3HDRSHRTLEN_H;
  return l3Len;
}

/**
 * T2's layer-4 header length of protocol `proto` at `l4` after the IPv4 header at `ip`
 * (`greLen`: the GRE header length of the outer header), marking a header cut short.
 */
export function l4HeaderLen(
  p: Packet,
  ip: number,
  l4: number,
  proto: number,
  greLen: number,
): number {
  const l4ToEnd = p.end - l4; // negative when even the IP header was cut
  const snapped = (p.statusHi & S.L3SNAPLENGTH_H) !== 0;
  let len: number;
  switch (proto) {
    case IPPROTO.IPV4:
      len = ihl(p, ip); // T2 takes the IHL of the outer header here
      break;
    case IPPROTO.ICMP:
      len = 8;
      break;
    case IPPROTO.TCP:
      len = snapped && l4ToEnd < 20 ? 20 : (p.u8(l4 + 12) >> 4) << 2;
      break;
    case IPPROTO.GRE:
      len = greLen;
      break;
    case IPPROTO.OSPF:
      len = ospfHeaderLen(p, l4);
      break;
    case IPPROTO.SCTP:
      len = 12;
      break;
    default:
      len = 8;
  }
  if (snapped && l4ToEnd < len) p.statusHi |= S.L4HDRSHRTLEN_H;
  // T2 reads a TCP/UDP header cut short by the capture from past the captured bytes; we
  // read those fields as 0 and say so.
  if (l4ToEnd < minL4Header(proto)) p.statusHi |= S.L4HDRSHRTLEN_H;
  return len;
}

/** OSPF header length by version (v2: 24 bytes, v3: 16). */
export function ospfHeaderLen(p: Packet, l4: number): number {
  return p.u8(l4) === 2 ? 24 : 16;
}

/**
 * Payload lengths and offsets (len, l7Len, l7Off, snapL4Len, snapL7Len) once the layer-4
 * header length `l4HdrLen` of the packet whose innermost IPv4 header is at `ip` is known.
 */
export function setPayloadLengths(p: Packet, ip: number, l3Len: number, l4HdrLen: number): void {
  const packetLen = l3Len - ihl(p, ip) - l4HdrLen;
  if (packetLen >= 0) p.len = packetLen;
  else {
    p.len = 0;
    p.statusHi |= S.L4HDRSHRTLEN_H;
  }
  p.l7Len = (l3Len - p.l3HdrLen - l4HdrLen) & 0xffff;
  p.l7Off = p.l4Off + l4HdrLen;
  if (p.snapL3Len >= l3Len) {
    p.snapL4Len = p.snapL3Len < p.l3HdrLen ? 0 : (l3Len - p.l3HdrLen) & 0xffff;
    p.snapL7Len = l4HdrLen < p.snapL4Len ? p.snapL4Len - l4HdrLen : 0;
  } else {
    p.snapL4Len = p.snapL3Len < p.l3HdrLen ? 0 : (p.snapL3Len - p.l3HdrLen) & 0xffff;
    const toL7 = (p.l7Off - p.l3Off) & 0xffff;
    p.snapL7Len = p.snapL3Len < toL7 ? 0 : p.snapL3Len - toL7;
  }
}

/** Bytes of the fixed TCP/UDP/SCTP header (0: no such check for other protocols). */
export function minL4Header(proto: number): number {
  switch (proto) {
    case IPPROTO.TCP:
      return 20;
    case IPPROTO.UDP:
    case IPPROTO.UDPLITE:
      return 8;
    case IPPROTO.SCTP:
      return 12;
    default:
      return 0;
  }
}
