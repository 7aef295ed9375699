/**
 * Juniper link types (DLT_JUNIPER_ETHER, _PPPOE and _ATM1; T2's "experimental" routine,
 * spec/dissection-wireless.md §5): the `MGC` cookie, a flags byte, optional extensions, then
 * either a protocol number (no layer-2 header) or the frame itself, IP or Ethernet by its first
 * nibble. T2 checks no captured length here, and does not reduce the layer-2 captured length
 * by the Juniper header.
 *
 * @module
 */

import { L2_NO_ETH } from "../../base/flow_status.ts";
import { decodeTypeField } from "../l2/type_field.ts";
import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { STOP, type Walk } from "../walk.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** The magic cookie `MGC`. */
const MAGIC = 0x4d4743;
/** Flags: extensions (TLVs after a 2-byte length) follow the fixed header. */
const FLAG_EXTENSIONS = 0x80;
/** Flags: no layer-2 header, a protocol number instead. */
const FLAG_NO_L2 = 0x02;
/** Bytes of the fixed header (cookie and flags), and of the extension length. */
const FIXED_LEN = 4;
const EXT_LEN_LEN = 2;
/** Bytes of the ATM1 cookie in front of the frame. */
const ATM1_COOKIE_LEN = 4;
/** Protocol numbers (little-endian) after a header without layer 2. */
const PROTO_IPV4 = 2;
const PROTO_IPV6 = 6;
const PROTO_ETHERNET = 204;

/** DLT_JUNIPER_ETHER and DLT_JUNIPER_PPPOE. */
export function decodeJuniperEther(p: Packet, off: number, w: Walk): number {
  return juniper(p, off, w, false);
}

/** DLT_JUNIPER_ATM1: a 4-byte cookie in front of a frame with layer 2. */
export function decodeJuniperAtm1(p: Packet, off: number, w: Walk): number {
  return juniper(p, off, w, true);
}

function juniper(p: Packet, off: number, w: Walk, atm1: boolean): number {
  p.addHdr(P.JUNIPER);
  if (((p.u16(off) << 8) | p.u8(off + 2)) !== MAGIC) {
    addNotice(p, Notice.JUNIPER_NO_MAGIC);
    return STOP;
  }
  const flags = p.u8(off + 3);
  let pos = off + FIXED_LEN;
  if (flags & FLAG_EXTENSIONS) pos += EXT_LEN_LEN + p.u16(pos);
  if (flags & FLAG_NO_L2) {
    const proto = (p.u8(pos) | (p.u8(pos + 1) << 8) | (p.u8(pos + 2) << 16) |
      (p.u8(pos + 3) << 24)) >>> 0;
    pos += 4;
    p.l3Off = pos;
    if (proto === PROTO_IPV4) return ip(p, off, pos, w, true);
    if (proto === PROTO_IPV6) return ip(p, off, pos, w, false);
    if (proto === PROTO_ETHERNET) return ethernet(p, pos, w);
    addNotice(p, Notice.JUNIPER_PROTOCOL, proto);
    return STOP;
  }
  if (atm1) pos += ATM1_COOKIE_LEN;
  // T2 points its layer-3 header here whatever follows: a layer-2 flow after `:eth` then
  // prints protocol 0 in the packet file.
  p.l3Off = pos;
  const nibble = p.u8(pos) >> 4; // the first byte of a would-be destination MAC
  if (nibble === 4) return ip(p, off, pos, w, true);
  if (nibble === 6) return ip(p, off, pos, w, false);
  return ethernet(p, pos, w);
}

/** IP right after the Juniper header; the layer 2 starts at the record (`start`). */
function ip(p: Packet, start: number, pos: number, w: Walk, v4: boolean): number {
  p.statusLo |= L2_NO_ETH;
  p.l2Off = start;
  return v4 ? decodeIpv4(p, pos, w) : decodeIpv6(p, pos, w);
}

/** An Ethernet frame at `eth` (no ISL test, no minimum length). */
function ethernet(p: Packet, eth: number, w: Walk): number {
  p.addHdr(P.ETH_C);
  p.l2Off = eth;
  return decodeTypeField(p, eth + 12, w);
}
