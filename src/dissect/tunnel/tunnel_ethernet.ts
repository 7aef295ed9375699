/**
 * The Ethernet frame inside VXLAN and GENEVE: VLAN tags (when at least 4 bytes are captured),
 * then IPv4 or IPv6, or PPPoE (`wiring.ts`, `ETHER_IN_TUNNEL`); any other EtherType is named
 * and the tunnel gives up (its offsets restored).
 *
 * T2 quirk: after VLAN tags, the IP header is taken to start at the EtherType field (the
 * EtherType's two bytes are not skipped).
 *
 * @module
 */

import { skipVlans } from "../l2/vlan.ts";
import { ETHERTYPE } from "../numbers.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { Space, type Walk } from "../walk.ts";
import { decodeIpv4 } from "../ip/ipv4.ts";
import { decodeIpv6 } from "../ip/ipv6.ts";
import { decodeTunnelUndo } from "./give_up.ts";

/**
 * The Ethernet frame at `eth` (the tunnel saved its offsets with `Walk.save`); `vlans`: whether
 * VLAN tags are looked for.
 */
export function tunnelledEthernet(p: Packet, eth: number, w: Walk, vlans: boolean): number {
  p.addHdr(P.ETH_C);
  const pos = eth + 12;
  const type = vlans ? skipVlans(p, pos) : pos;
  const ip = type !== pos ? type : pos + 2; // the quirk of the module comment
  const t = p.u16(type);
  if (t === ETHERTYPE.IPV4) return decodeIpv4(p, ip, w);
  if (t === ETHERTYPE.IPV6) return decodeIpv6(p, ip, w);
  w.l2End = decodeTunnelUndo;
  return w.via(Space.ETHER_IN_TUNNEL, t, type, decodeTunnelUndo);
}
