/**
 * VXLAN and VXLAN-GPE (UDP 4789, 4790, 8472): an 8-byte header, then Ethernet, or with GPE's
 * next-protocol field IPv4, IPv6, Ethernet, NSH (skipped) or MPLS (named only). A header
 * whose reserved fields are not zero is not VXLAN; an unknown next protocol or inner
 * EtherType makes the tunnel give up.
 *
 * @module
 */

import { L2_MPLS_UCAST, L3_VXLAN } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { undoTunnel } from "./give_up.ts";
import { tunnelledEthernet } from "./tunnel_ethernet.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** The VXLAN-GPE port. */
const GPE_PORT = 4790;
const HEADER = 8;
/** GPE flag: the next-protocol field is valid. */
const NEXT_PROTOCOL = 0x04;
/** GPE next protocols. */
const GPE = { IPV4: 1, IPV6: 2, ETHERNET: 3, NSH: 4, MPLS: 5 } as const;

/** VXLAN at `off` (the UDP payload). */
export function decodeVxlan(p: Packet, off: number, w: Walk): number {
  const pos = off + HEADER;
  if (pos >= p.end) return DECLINED;
  const skip = (pos - p.l2Off) & 0xffff;
  w.save(p.l2Off, p.l3Off, p.snapL2Len);
  const gpe = p.srcPort === GPE_PORT || p.dstPort === GPE_PORT;
  if (gpe) {
    if (p.u16(off + 1) !== 0 || p.u8(off + 7) !== 0) return DECLINED;
  } else if (p.u8(off + 1) !== 0 || p.u8(off + 7) !== 0) {
    return DECLINED;
  }
  p.snapL2Len -= skip;
  p.l2Off = pos;
  p.statusLo |= L3_VXLAN;
  p.addHdr(gpe ? P.VXLAN_GPE : P.VXLAN);
  if (gpe && (p.u8(off) & NEXT_PROTOCOL)) return gpeNext(p, p.u8(off + 3), pos, w);
  return tunnelledEthernet(p, pos, w, p.snapL2Len >= 4);
}

/** The GPE next protocol `next` at `pos`. */
function gpeNext(p: Packet, next: number, pos: number, w: Walk): number {
  for (;;) {
    switch (next) {
      case GPE.IPV4:
        return decodeIpv4(p, pos, w);
      case GPE.IPV6:
        return decodeIpv6(p, pos, w);
      case GPE.ETHERNET:
        return tunnelledEthernet(p, pos, w, p.snapL2Len >= 4);
      case GPE.MPLS: // named; T2 neither decodes it nor restores the offsets
        p.addHdr(P.MPLS);
        p.statusLo |= L2_MPLS_UCAST;
        return DECLINED;
      case GPE.NSH: {
        p.addHdr(P.NSH);
        // The length (4-byte words) is the low 6 bits of the second byte (RFC 8300).
        const nshLen = (p.u8(pos + 1) & 0x3f) << 2;
        next = p.u8(pos + 3);
        pos += nshLen;
        continue;
      }
      default:
        undoTunnel(p, w);
        return DECLINED;
    }
  }
}
