/**
 * The 802.3 type/length field (T2: the code after the Ethernet addresses, spec/dissection.md
 * §2): VLAN tags, then either an EtherType or an 802.2 LLC header (with SNAP, an EtherType
 * follows; with the IP SAP, an IP header; otherwise the frame is a layer-2 flow packet named by
 * its DSAP). Link layers that carry such a field hand over to {@linkcode decodeTypeField}.
 *
 * @module
 */

import { L3_IPVX } from "../../base/flow_status.ts";
import { ETHERTYPE, LLC_SAP, MAX_8023_LENGTH } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, type Walk } from "../walk.ts";
import { setPadding, SHORT_FRAME } from "./padding.ts";
import { skipVlans } from "./vlan.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";
import { decodeL2AfterType, decodeL2Flow } from "./l2_flow.ts";

/** The type/length field at `off`. */
export function decodeTypeField(p: Packet, off: number, w: Walk): number {
  const pos = skipVlans(p, off);
  w.l2End = decodeL2AfterType;
  const typeLen = p.u16(pos);
  if (typeLen > MAX_8023_LENGTH && typeLen !== ETHERTYPE.LLC_JUMBO) {
    p.outerEthType = typeLen;
    return viaEtherType(p, pos, w);
  }
  p.addHdr(P.LLC);
  p.llcOff = pos;
  if (p.u8(pos + 2) === LLC_SAP.SNAP && p.u8(pos + 3) === LLC_SAP.SNAP) {
    const type = pos + 8; // the EtherType after the 6-byte LLC/SNAP header
    p.outerEthType = p.u16(type);
    return viaEtherType(p, type, w);
  }
  return llc(p, pos, w);
}

/**
 * Continue with the EtherType at `pos` (the main EtherType table); a type it has no decoder
 * for is named and ends where the walk says frames without IP end.
 */
export function viaEtherType(p: Packet, pos: number, w: Walk): number {
  const type = p.u16(pos);
  p.ethType = type;
  w.typePos = pos;
  return w.via(Space.ETHER, type, pos, w.l2End);
}

/** An 802.2 LLC header without SNAP whose length field is at `pos`. */
function llc(p: Packet, pos: number, w: Walk): number {
  let llcLen = 5; // length field, DSAP, SSAP, control
  if ((p.u8(pos + 4) & 0x03) !== 3) llcLen++; // I and S frames have 2 control bytes
  const payload = pos + llcLen;
  const dsap = p.u8(pos + 2);
  if (dsap === LLC_SAP.IP) {
    const version = p.u8(payload) & 0xf0;
    if (version === 0x40) return decodeIpv4(p, payload, w);
    if (version === 0x60) return decodeIpv6(p, payload, w);
    p.addHdr(P.IPVX);
    p.statusLo |= L3_IPVX;
  }
  // A layer-2 flow packet keyed by the DSAP/SSAP word.
  p.ethType = p.u16(pos + 2);
  p.outerEthType = p.ethType;
  if (p.rawLen <= SHORT_FRAME) setPadding(p, p.rawLen - p.u16(pos) - (pos + 2 - p.start));
  p.l7Off = payload;
  if (dsap === LLC_SAP.IP) return decodeL2Flow(p);
  return w.name(Space.LLC_NAME, dsap, decodeL2Flow);
}
