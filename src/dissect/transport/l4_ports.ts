/**
 * Transport ports: reading them, and SSDP, which T2 recognises by port on TCP and UDP.
 *
 * @module
 */

import { L4_UPNP } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { PORTS } from "../ports.ts";

/** Read the source and destination ports of the TCP/UDP/SCTP header at `l4`. */
export function setPorts(p: Packet, l4: number): void {
  p.srcPort = p.u16(l4);
  p.dstPort = p.u16(l4 + 2);
}

/** Label SSDP traffic (`:ssdp`, L4_UPNP) by its ports; returns whether it is SSDP. */
export function addSsdp(p: Packet): boolean {
  if (!PORTS.SSDP.matches(p.srcPort, p.dstPort)) return false;
  p.addHdr(P.SSDP);
  p.statusLo |= L4_UPNP;
  return true;
}
