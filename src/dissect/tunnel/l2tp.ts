/**
 * L2TP. Over UDP (port 1701, version 2 or 3): the header, then PPP (HDLC framing, optionally
 * multilink) whose protocol is dispatched; a control message or an unknown protocol ends the
 * tunnel with STPDSCT. As IP protocol 115 (L2TPv3): only named.
 *
 * @module
 */

import { L2_L2TP, L2_PPP, STPDSCT_H } from "../../base/flow_status.ts";
import { decodeIpv4Flow } from "../ip/ipv4.ts";
import { decodeIpv6End } from "../ip/ipv6.ts";
import { PPP_PROTO } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, Space, type Walk } from "../walk.ts";
import { decodeTunnelGiveUp } from "./give_up.ts";

/** Flags of the first byte. */
const CONTROL = 0x80;
const HAS_LENGTH = 0x40;
const HAS_SEQUENCE = 0x08;
const HAS_OFFSET = 0x02;
/** Cisco HDLC addresses (unicast, multicast) in front of PPP. */
const CHDLC = [0x0f, 0x8f];

/** L2TP over UDP at `off`. */
export function decodeL2tp(p: Packet, off: number, w: Walk): number {
  const b0 = p.u8(off);
  const b1 = p.u8(off + 1);
  if (b1 & 0xf0) return DECLINED; // reserved bits must be zero
  const version = b1 & 0x0f;
  if (version !== 2 && version !== 3) return DECLINED;
  p.addHdr(P.L2TP);
  p.statusLo |= L2_L2TP;
  if (b0 & CONTROL) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  let pos = off + 2;
  if (version === 3) {
    pos += 4;
  } else {
    if (b0 & HAS_LENGTH) pos += 2;
    pos += 4; // tunnel and session IDs
    if (b0 & HAS_SEQUENCE) pos += 4;
    if (b0 & HAS_OFFSET) pos += p.u16(pos) + 2;
  }
  if (pos >= p.end) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  p.addHdr(CHDLC.includes(p.u8(pos)) ? P.CHDLC : P.PPP);
  p.statusLo |= L2_PPP;
  pos += 2; // address and control
  if (p.u16(pos) === PPP_PROTO.MULTILINK) {
    p.addHdr(P.MP);
    pos += 6;
  }
  const proto = p.u16(pos);
  pos += 2;
  if (pos >= p.end) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  return w.via(Space.PPP, proto, pos, decodeTunnelGiveUp);
}

/** L2TPv3 as the protocol after the innermost IPv4 header. */
export function decodeL2tpv3AfterIpv4(p: Packet): number {
  p.addHdr(P.L2TP);
  p.statusLo |= L2_L2TP;
  return decodeIpv4Flow(p);
}

/** L2TPv3 in the IPv6 walk. */
export function decodeL2tpv3InIpv6(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.L2TP);
  p.statusLo |= L2_L2TP;
  return decodeIpv6End(p, off, w);
}
