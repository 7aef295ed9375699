/**
 * The run-wide counters T2 keeps in globals: filled by the dissector and the engine, read by
 * the end report and by plugins (e.g. `numPackets`).
 *
 * @module
 */

/** Run-wide counters (one instance per run). */
export class Counters {
  /** Records read (T2 numPackets). */
  numPackets = 0;
  /** Σ wire length. */
  rawBytesOnWire = 0;
  /** Σ captured length. */
  bytesProcessed = 0;
  /** Σ Ethernet padding. */
  padBytesOnWire = 0;
  /** Σ estimated L2+IP bytes of IP packets. */
  bytesOnWire = 0;

  numL2Packets = 0;
  numV4Packets = 0;
  numV6Packets = 0;
  numVxPackets = 0;
  numAPackets = 0;
  numBPackets = 0;
  numABytes = 0;
  numBBytes = 0;
  numLLCPackets = 0;
  numGREPackets = 0;
  numTeredoPackets = 0;
  numAYIYAPackets = 0;
  numDTLSPackets = 0;
  numFragV4Packets = 0;
  numFragV6Packets = 0;

  /** Packets and captured bytes per EtherType. */
  readonly numPacketsL2: Float64Array = new Float64Array(65536);
  readonly numBytesL2: Float64Array = new Float64Array(65536);
  /** Packets and captured bytes per IP protocol. */
  readonly numPacketsL3: Float64Array = new Float64Array(256);
  readonly numBytesL3: Float64Array = new Float64Array(256);

  minHdrDesc = 65535;
  maxHdrDesc = 0;
  /** Running mean of header counts (float32, as T2). */
  avgHdrDesc = 0;
  vlanHdrCntMx = 0;
  mplsHdrCntMx = 0;

  /** Last findex handed out. */
  totalfIndex = 0;
  totalAFlows = 0;
  totalBFlows = 0;
  totalIPv4Flows = 0;
  totalIPv6Flows = 0;
  totalL2Flows = 0;
  /** Lone flows printed with bit 0 set (request/reply correction). */
  corrReplFlws = 0;
  /** Flows in memory now, and its peak. */
  maxNumFlows = 0;
  maxNumFlowsPeak = 0;
  /** Autopilot removals. */
  totalRmFlows = 0;

  /** Aggregated flowStat (T2 globalWarn), low and high words. */
  globalWarnLo = 0;
  globalWarnHi = 0;

  /** First and last packet times. */
  firstSec = 0;
  firstNs = 0;
  lastSec = 0;
  lastNs = 0;
}
