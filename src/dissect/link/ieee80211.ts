/**
 * IEEE 802.11 MAC headers (T2's one 802.11 routine, spec/dissection-wireless.md §1): on the
 * link types 802.11 (DLT 105), radiotap, Prism and PPI, and inside CAPWAP and LWAPP. Only data
 * frames get past the MAC header; the LLC after it is taken to be SNAP, whatever it holds, and
 * its last two bytes are the EtherType.
 *
 * The 12 bytes at the header's start are what T2 reads as the Ethernet addresses (frame
 * control, duration and parts of addresses 1 and 2): the MAC columns and the layer-2 flow key
 * come from them.
 *
 * @module
 */

import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { STOP, type Walk } from "../walk.ts";
import { decodeTypeField } from "../l2/type_field.ts";

/** Frame control flags: protected frame. */
const PROTECTED = 0x40;
/** Frame control flags: to DS and from DS (both: a 4-address frame). */
const DS_BITS = 0x03;
/** Frame type of data frames. */
const TYPE_DATA = 2;
/** Bytes of a data frame's MAC header, and of a QoS data frame's (+ QoS control). */
const DATA_HEADER = 24;
const QOS_DATA_HEADER = 26;
/** Bytes of the fourth address. */
const ADDRESS_LEN = 6;
/** Bytes from the LLC header's start to its EtherType (SNAP with a 1-byte control). */
const LLC_TO_TYPE = 6;

/**
 * The MAC header at `at`; `swapped`: the two frame-control bytes come the other way round
 * (CAPWAP, LWAPP). Returns the offset of the EtherType field after the LLC header, or
 * {@linkcode STOP} for every frame that is not data (and for protected frames).
 */
export function wlanHeader(p: Packet, at: number, swapped: boolean): number {
  // `wlan` opens a description, `:wlan` continues one.
  p.addHdr(p.hdrNode === 0 ? P.WLAN_LINK : P.WLAN);
  const kind = p.u8(swapped ? at + 1 : at); // subtype, type, version
  const flags = p.u8(swapped ? at : at + 1);
  if (flags & PROTECTED) return STOP;
  if (((kind >> 2) & 3) !== TYPE_DATA) return STOP;
  const subtype = kind >> 4;
  let len: number;
  if (subtype <= 3) len = DATA_HEADER; // data, +CF-Ack, +CF-Poll, +CF-Ack+CF-Poll
  else if (subtype >= 8 && subtype <= 11) len = QOS_DATA_HEADER; // the QoS data subtypes
  else return STOP; // no data: null function, QoS null, CF-Poll without data, reserved
  if ((flags & DS_BITS) === DS_BITS) len += ADDRESS_LEN;
  let llc = at + len;
  if (p.u8(llc) === 0 && p.u8(llc + 1) === 0) llc += 2; // T2 skips two zero bytes here
  if ((p.u8(llc + 2) & 3) !== 3) llc++; // an I or S format control field has 2 bytes
  const type = llc + LLC_TO_TYPE;
  p.llcOff = type; // an LLC packet; a short frame's padding estimate then comes out negative
  p.addHdr(P.LLC);
  return type;
}

/** An 802.11 frame at `off` whose EtherType field is handled like Ethernet's. */
export function wlanFrame(p: Packet, off: number, w: Walk): number {
  p.l2Off = off;
  const type = wlanHeader(p, off, false);
  return type === STOP ? STOP : decodeTypeField(p, type, w);
}

/** DLT_IEEE802_11. */
export function decodeIeee80211(p: Packet, off: number, w: Walk): number {
  return wlanFrame(p, off, w);
}
