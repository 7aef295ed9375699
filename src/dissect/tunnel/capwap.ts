/**
 * CAPWAP (UDP 5246 control, 5247 data) and LWAPP (UDP 12222, 12223). Only CAPWAP data carrying
 * IEEE 802.3 frames is decapsulated (VLAN tags and LLC/SNAP allowed, then IPv4 or IPv6); DTLS,
 * keep-alives, control, fragments and IEEE 802.11 payloads are labelled and dissection stops
 * there (the offsets the tunnel moved are restored).
 *
 * @module
 */

import { L3_CAPWAP, L7_DTLS_H, STPDSCT_H } from "../../base/flow_status.ts";
import { skipVlans } from "../l2/vlan.ts";
import { ETHERTYPE, MAX_8023_LENGTH } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, Space, type Walk } from "../walk.ts";
import { decodeTunnelUndo, undoTunnel } from "./give_up.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** The CAPWAP data port. */
const CAPWAP_DATA_PORT = 5247;
/** The LWAPP port whose header has 6 more bytes. */
const LWAPP_LONG_PORT = 12223;
/** Wireless binding: IEEE 802.11. */
const WBID_IEEE80211 = 1;

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
  if (native) { // IEEE 802.11: not dissected
    undoTunnel(p, w);
    return DECLINED;
  }
  return ieee8023(p, pos, w);
}

/** The IEEE 802.3 frame at `eth` inside CAPWAP data. */
function ieee8023(p: Packet, eth: number, w: Walk): number {
  const skip = (eth - p.l2Off) & 0xffff;
  p.addHdr(P.ETH_C);
  p.snapL2Len -= skip;
  p.l2Off = eth;
  let pos = eth + 12;
  let type = pos;
  if (w.savedSnapL2Len - skip >= 4) type = skipVlans(p, pos);
  if (pos === type) {
    pos += 2;
  } else {
    pos = type; // T2 takes the payload to start at the type field after VLAN tags
    const typeLen = p.u16(type);
    if (typeLen <= MAX_8023_LENGTH || typeLen === ETHERTYPE.LLC_JUMBO) {
      p.addHdr(P.LLC);
      p.llcOff = pos;
      pos += 8;
      type = pos;
    }
  }
  const t = p.u16(type);
  if (t === ETHERTYPE.IPV4) return decodeIpv4(p, pos, w);
  if (t === ETHERTYPE.IPV6) return decodeIpv6(p, pos, w);
  return w.name(Space.ETHER_NAME, t, decodeTunnelUndo); // EAPOL and others: named only
}

/** LWAPP at `off` (the UDP payload): labelled; its IEEE 802.11 payload is not dissected. */
export function decodeLwapp(p: Packet, off: number): number {
  let pos = off;
  if (p.srcPort === LWAPP_LONG_PORT || p.dstPort === LWAPP_LONG_PORT) pos += 6;
  pos += 6;
  if (pos >= p.end) return DECLINED;
  p.addHdr(P.LWAPP);
  p.statusLo |= L3_CAPWAP;
  p.statusHi |= STPDSCT_H;
  return DECLINED;
}
