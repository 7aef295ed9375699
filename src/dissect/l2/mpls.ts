/**
 * MPLS label stacks (T2 ethertype.c, spec/dissection.md §2): one aggregated header for the
 * stack; then IPv4 or IPv6 by the version nibble, or an Ethernet frame (after a pseudowire
 * control word when the nibble is 0) whose EtherType is dispatched again.
 *
 * @module
 */

import { L2_MPLS_MCAST, L2_MPLS_UCAST } from "../../base/flow_status.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { addRepeated, P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { viaEtherType } from "./type_field.ts";
import { skipVlans } from "./vlan.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";

/** Bytes of one label stack entry. */
const LABEL_LEN = 4;
/** Bottom-of-stack bit in the third byte of an entry. */
const BOTTOM = 0x01;

/** MPLS by EtherType; the EtherType is at `off`. */
export function decodeMpls(p: Packet, off: number, w: Walk): number {
  return labels(p, off + 2, w, p.u16(off) === ETHERTYPE.MPLS_MULTICAST);
}

/** A unicast label stack at `off` (PPP link types). */
export function decodeMplsUnicast(p: Packet, off: number, w: Walk): number {
  return labels(p, off, w, false);
}

/** A multicast label stack at `off` (PPP link types). */
export function decodeMplsMulticast(p: Packet, off: number, w: Walk): number {
  return labels(p, off, w, true);
}

function labels(p: Packet, off: number, w: Walk, multicast: boolean): number {
  p.statusLo |= multicast ? L2_MPLS_MCAST : L2_MPLS_UCAST;
  let pos = off;
  const last = p.end - LABEL_LEN;
  let count = 1;
  while (!(p.u8(pos + 2) & BOTTOM) && pos <= last) {
    pos += LABEL_LEN;
    count++;
  }
  pos += LABEL_LEN;
  p.mplsHdrCnt += count;
  addRepeated(p, P.MPLS, count);
  const version = p.u8(pos) & 0xf0;
  if (version === 0x40) return decodeIpv4(p, pos, w);
  if (version === 0x60) return decodeIpv6(p, pos, w);
  if (version === 0) {
    // Probably a pseudowire Ethernet control word (RFC 4448).
    p.addHdr(P.PWETHCW);
    pos += 4;
  }
  p.addHdr(P.ETH_C);
  p.l2Off = pos;
  return viaEtherType(p, skipVlans(p, pos + 12), w);
}
