/**
 * The run counters one dissected packet adds to: every counter that comes from dissection is
 * bumped here, once per packet, from the facts the dissector left in the packet. (Counters of
 * flows, fragments matched to their flow and A/B directions belong to the flow table.)
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import * as S from "../base/flow_status.ts";
import { type Packet, PacketKind } from "./packet.ts";

/** Add packet `p`, just dissected (and its notices reported), to the run counters `c`. */
export function countPacket(c: Counters, p: Packet): void {
  c.globalWarnLo |= p.statusLo;
  c.globalWarnHi |= p.statusHi;
  const lo = p.statusLo;
  if (p.llcOff >= 0) c.numLLCPackets++;
  if (lo & S.L2_IPV4) c.numV4Packets++;
  else if (lo & S.L2_IPV6) c.numV6Packets++;
  if (lo & S.L3_IPVX) c.numVxPackets++;
  if (lo & S.L3_TRDO) c.numTeredoPackets++;
  if (lo & S.L3_AYIYA) c.numAYIYAPackets++;
  if (lo & S.L2_GRE) c.numGREPackets++;
  if (p.kind === PacketKind.L2) c.numL2Packets++;
  if ((p.ipvxByType | p.dtlsRecords | p.ip6FragHeaders) !== 0) { // rare
    // T2 counts an IP EtherType with another IP version twice: where it meets it, and by status.
    c.numVxPackets += p.ipvxByType;
    c.numDTLSPackets += p.dtlsRecords;
    c.numFragV6Packets += p.ip6FragHeaders;
  }
  c.bytesOnWire += p.ipBytesOnWire;
  if (p.padLen !== 0) c.padBytesOnWire += p.padLen;
  // T2 keeps these maxima in 8-bit fields.
  if (p.vlanHdrCnt > c.vlanHdrCntMx) c.vlanHdrCntMx = p.vlanHdrCnt & 0xff;
  if (p.mplsHdrCnt > c.mplsHdrCntMx) c.mplsHdrCntMx = p.mplsHdrCnt & 0xff;

  const n = p.numHdrs & 0xffff;
  if (n > c.maxHdrDesc) c.maxHdrDesc = n;
  if (n < c.minHdrDesc) c.minHdrDesc = n;
  const t = Math.fround(1.0 / c.numPackets);
  c.avgHdrDesc = Math.fround((1.0 - t) * c.avgHdrDesc + t * Math.fround(n));
}
