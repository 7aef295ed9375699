/**
 * CAPWAP (UDP 5246 control, 5247 data) and LWAPP (UDP 12222, 12223), on IPv4 only
 * (spec/dissection-wireless.md §6). CAPWAP data carrying IEEE 802.3 frames, and both carrying
 * IEEE 802.11 data frames (frame control bytes swapped), are decapsulated: VLAN tags and
 * LLC/SNAP allowed, then IPv4 or IPv6 makes the packet a packet of the inner flow. DTLS,
 * keep-alives, control messages, later fragments, 802.11 frames without data and other
 * EtherTypes are named, and the packet stays in the outer UDP flow (STPDSCT, the offsets the
 * tunnel moved restored).
 *
 * @module
 */

import { L3_CAPWAP, L7_DTLS_H, STPDSCT_H } from "../../base/flow_status.ts";
import { skipVlans } from "../l2/vlan.ts";
import { wlanHeader } from "../link/ieee80211.ts";
import { ETHERTYPE, MAX_8023_LENGTH } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, Space, STOP, type Walk } from "../walk.ts";
import { decodeTunnelUndo, undoTunnel } from "./give_up.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** The CAPWAP data port. */
const CAPWAP_DATA_PORT = 5247;
/** The LWAPP port whose header has 6 more bytes (the AP identity). */
const LWAPP_LONG_PORT = 12223;
/** Wireless binding: IEEE 802.11. */
const WBID_IEEE80211 = 1;
/** Bytes of the LWAPP header, and of the AP identity in front of it on port 12223. */
const LWAPP_LEN = 6;
const LWAPP_AP_ID_LEN = 6;
/** LWAPP flags: a control message. */
const LWAPP_CONTROL = 0x04;
/** Captured bytes from the layer 2 on that T2 wants before it looks for VLAN tags inside. */
const MIN_FOR_VLANS = 4;

/** CAPWAP at `off` (the UDP payload). */
export function decodeCapwap(p: Packet, off: number, w: Walk): number {
  if (off + 8 > p.end) return DECLINED;
  const b0 = p.u8(off);
  const type = b0 & 0x0f; // 0: CAPWAP header, 1: DTLS
  const b2 = p.u8(off + 2);
  const b3 = p.u8(off + 3);
  const native = (b2 & 0x01) === 1; // the T flag: the payload is in its native format
  const wbid = (b2 >> 1) & 0x1f;
  let pos = off;
  if (type === 0) {
    pos += (p.u8(off + 1) >> 3) << 2;
    if (pos >= p.end) return DECLINED;
  }
  const fragOff = p.u16(off + 6);
  if ((b3 & 0x07) !== 0 || (fragOff & 0x3) !== 0 || (b0 >> 4) !== 0) return DECLINED;
  if (native && wbid !== WBID_IEEE80211) return DECLINED;
  const control = !(p.srcPort === CAPWAP_DATA_PORT || p.dstPort === CAPWAP_DATA_PORT);
  p.addHdr(control ? P.CAPWAP : P.CAPWAP_DATA);
  p.statusLo |= L3_CAPWAP;
  if (type === 1) {
    p.addHdr(P.DTLS);
    p.statusHi |= STPDSCT_H | L7_DTLS_H;
    return DECLINED;
  }
  const keepAlive = (b3 & 0x08) !== 0;
  const fragment = (b3 & 0x80) !== 0 && ((fragOff & 0xfff8) >> 3) !== 0;
  if (keepAlive || control || fragment) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  w.save(p.l2Off, p.l3Off, p.snapL2Len);
  if (native) return ieee80211(p, pos, w);
  return ieee8023(p, pos, w);
}

/** LWAPP at `off` (the UDP payload). */
export function decodeLwapp(p: Packet, off: number, w: Walk): number {
  let pos = off;
  if (p.srcPort === LWAPP_LONG_PORT || p.dstPort === LWAPP_LONG_PORT) pos += LWAPP_AP_ID_LEN;
  if (pos + LWAPP_LEN >= p.end) return DECLINED;
  p.addHdr(P.LWAPP);
  p.statusLo |= L3_CAPWAP;
  if (p.u8(pos) & LWAPP_CONTROL) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  const frame = pos + LWAPP_LEN;
  // T2 quirk: when LWAPP gives up, the layer-2 captured length grows by the bytes up to the
  // 802.11 frame instead of being restored (visible only in packets cut by the snap length).
  w.save(p.l2Off, p.l3Off, p.snapL2Len + ((frame - p.l2Off) & 0xffff));
  return ieee80211(p, frame, w);
}

/** The IEEE 802.11 frame at `frame` (frame control swapped); the layer 2 stays the outer one. */
function ieee80211(p: Packet, frame: number, w: Walk): number {
  const type = wlanHeader(p, frame, true);
  if (type === STOP) {
    undoTunnel(p, w);
    return DECLINED;
  }
  return innerType(p, type, w, w.savedSnapL2Len >= MIN_FOR_VLANS);
}

/** The IEEE 802.3 frame at `eth` inside CAPWAP data: its MACs are the packet's. */
function ieee8023(p: Packet, eth: number, w: Walk): number {
  const skip = (eth - p.l2Off) & 0xffff;
  p.addHdr(P.ETH_C);
  p.snapL2Len -= skip;
  p.l2Off = eth;
  return innerType(p, eth + 12, w, w.savedSnapL2Len - skip >= MIN_FOR_VLANS);
}

/**
 * The EtherType field at `pos` inside the tunnel: VLAN tags (when `vlans`), then IPv4 or IPv6;
 * anything else is named and the tunnel gives up.
 */
function innerType(p: Packet, pos: number, w: Walk, vlans: boolean): number {
  let type = vlans ? skipVlans(p, pos) : pos;
  let ip = pos + 2;
  if (type !== pos) {
    ip = type; // T2 takes the payload to start at the type field after VLAN tags
    const typeLen = p.u16(type);
    if (typeLen <= MAX_8023_LENGTH || typeLen === ETHERTYPE.LLC_JUMBO) {
      p.addHdr(P.LLC);
      p.llcOff = ip;
      ip += 8;
      type = ip;
    }
  }
  const t = p.u16(type);
  if (t === ETHERTYPE.IPV4) return decodeIpv4(p, ip, w);
  if (t === ETHERTYPE.IPV6) return decodeIpv6(p, ip, w);
  return w.name(Space.ETHER_NAME, t, decodeTunnelUndo); // EAPOL and others: named only
}
