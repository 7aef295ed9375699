/**
 * The run counters one dissected packet adds to: every counter that comes from dissection is
 * bumped here, once per packet, from the facts the dissector left in the packet. (Counters of
 * flows, fragments matched to their flow and A/B directions are the engine's, from the flow
 * table's facts.)
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import * as S from "../base/flow_status.ts";
import type { Packet } from "./packet.ts";

/** Status bits (0-31) that some counter counts, besides IPv4 and IPv6. */
const COUNTED_LO = S.L3_IPVX | S.L3_TRDO | S.L3_AYIYA | S.L2_GRE | S.L2_FLOW;

/** Add packet `p`, just dissected (and its notices reported), to the run counters `c`. */
export function countPacket(c: Counters, p: Packet): void {
  const lo = p.statusLo;
  c.globalWarnLo |= lo;
  c.globalWarnHi |= p.statusHi;
  if (p.llcOff >= 0) c.numLLCPackets++;
  if (lo & S.L2_IPV4) c.numV4Packets++;
  else if (lo & S.L2_IPV6) c.numV6Packets++;
  if (lo & COUNTED_LO) countByStatus(c, lo);
  // Facts of headers most packets do not have.
  if ((p.ipvxByType | p.dtlsRecords | p.ip6FragHeaders | p.vlanHdrCnt | p.mplsHdrCnt) !== 0) {
    countRare(c, p);
  }
  c.bytesOnWire += p.ipBytesOnWire;
  if (p.padLen !== 0) c.padBytesOnWire += p.padLen;

  const n = p.numHdrs & 0xffff;
  if (n > c.maxHdrDesc) c.maxHdrDesc = n;
  if (n < c.minHdrDesc) c.minHdrDesc = n;
  const t = Math.fround(1.0 / c.numPackets);
  c.avgHdrDesc = Math.fround((1.0 - t) * c.avgHdrDesc + t * Math.fround(n));
}

function countByStatus(c: Counters, lo: number): void {
  if (lo & S.L3_IPVX) c.numVxPackets++;
  if (lo & S.L3_TRDO) c.numTeredoPackets++;
  if (lo & S.L3_AYIYA) c.numAYIYAPackets++;
  if (lo & S.L2_GRE) c.numGREPackets++;
  if (lo & S.L2_FLOW) c.numL2Packets++; // the dissector sets L2_FLOW on L2 flow packets only
}

function countRare(c: Counters, p: Packet): void {
  // T2 counts an IP EtherType with another IP version twice: where it meets it, and by status.
  c.numVxPackets += p.ipvxByType;
  c.numDTLSPackets += p.dtlsRecords;
  c.numFragV6Packets += p.ip6FragHeaders;
  // T2 keeps these maxima in 8-bit fields.
  if (p.vlanHdrCnt > c.vlanHdrCntMx) c.vlanHdrCntMx = p.vlanHdrCnt & 0xff;
  if (p.mplsHdrCnt > c.mplsHdrCntMx) c.mplsHdrCntMx = p.mplsHdrCnt & 0xff;
}
