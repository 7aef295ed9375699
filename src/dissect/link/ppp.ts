/**
 * PPP link types (DLT_PPP, DLT_PPP_SERIAL, DLT_PPP_WITH_DIR; T2 linktype.c): an optional
 * direction byte, Cisco HDLC framing or PPP with or without address and control bytes, then
 * the PPP protocol: IPv4, IPv6, MPLS, or a name (no flow).
 *
 * T2 quirk: after an MPLS stack, the EtherType of the inner Ethernet frame, once dispatched,
 * is handed back to the type-field code of the link layer, which dispatches it a second time
 * (e.g. `ppp:mpls:eth:arp:arp`).
 *
 * @module
 */

import { L2_NO_ETH, L2_PPP } from "../../base/flow_status.ts";
import { PPP_ADDRESS_CONTROL, PPP_PROTO } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, stop, type Walk } from "../walk.ts";
import { decodeTypeField } from "../l2/type_field.ts";
import { decodeMplsMulticast, decodeMplsUnicast } from "../l2/mpls.ts";

/** Cisco HDLC address and control bytes (unicast, multicast). */
const CHDLC_UNICAST = 0x0f00;
const CHDLC_MULTICAST = 0x8f00;

/** DLT_PPP and DLT_PPP_SERIAL. */
export function decodePppLink(p: Packet, off: number, w: Walk): number {
  return ppp(p, off, off, w);
}

/** DLT_PPP_WITH_DIR: a direction byte first. */
export function decodePppWithDir(p: Packet, off: number, w: Walk): number {
  return ppp(p, off, off + 1, w);
}

function ppp(p: Packet, start: number, off: number, w: Walk): number {
  p.addHdr(P.PPP_LINK);
  p.statusLo |= L2_NO_ETH | L2_PPP;
  p.l2Off = start;
  const addressControl = p.u16(off);
  if (addressControl === CHDLC_UNICAST || addressControl === CHDLC_MULTICAST) {
    p.addHdr(P.CHDLC);
    return decodeTypeField(p, off + 2, w);
  }
  let proto: number;
  if (addressControl === PPP_ADDRESS_CONTROL) {
    proto = p.u16(off + 2);
    off += 4;
  } else {
    proto = addressControl; // address and control bytes omitted
    off += 2;
  }
  if (proto === PPP_PROTO.MPLS_UNICAST || proto === PPP_PROTO.MPLS_MULTICAST) {
    w.l2End = etherTypeAgain; // the quirk of the module comment
    if (proto === PPP_PROTO.MPLS_UNICAST) return decodeMplsUnicast(p, off, w);
    return decodeMplsMulticast(p, off, w);
  }
  return w.via(Space.PPP, proto, off, stop);
}

/** T2's second pass: the EtherType field a frame ended at goes to the type-field code again. */
function etherTypeAgain(p: Packet, _off: number, w: Walk): number {
  return decodeTypeField(p, w.typePos, w);
}
