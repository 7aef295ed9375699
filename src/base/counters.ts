/**
 * The run-wide counters T2 keeps in globals: filled by the core (per dissected packet from the
 * facts the dissector leaves in it, dissect/tally.ts; per record, flow and flow packet by the
 * engine, from what the flow table reports), read by the end report and by plugins (e.g.
 * `numPackets`).
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

  /** Packets that became pure layer-2 flow packets. */
  numL2Packets = 0;
  /** Packets with the L2_IPV4 status bit. */
  numV4Packets = 0;
  /** Packets with the L2_IPV6 status bit (and not L2_IPV4). */
  numV6Packets = 0;
  /** Packets with a bogus IP version nibble (L3_IPVX). */
  numVxPackets = 0;
  /** Flow packets of flows without L3FLOWINVERT (A direction). */
  numAPackets = 0;
  /** Flow packets of flows with L3FLOWINVERT (B direction). */
  numBPackets = 0;
  /** Σ captured length of A-flow packets, in bytes. */
  numABytes = 0;
  /** Σ captured length of B-flow packets, in bytes. */
  numBBytes = 0;
  /** Packets with an 802.2 LLC header. */
  numLLCPackets = 0;
  /** Packets with the L2_GRE status bit. */
  numGREPackets = 0;
  /** Packets with the L3_TRDO (Teredo) status bit. */
  numTeredoPackets = 0;
  /** Packets with the L3_AYIYA status bit. */
  numAYIYAPackets = 0;
  /** DTLS records seen (one count per record, as T2). */
  numDTLSPackets = 0;
  /** IPv4 fragments: first fragments, headless ones, and later ones matched to a head. */
  numFragV4Packets = 0;
  /** IPv6 fragment count; as in T2, a fragment can count twice (header walk + flow lookup). */
  numFragV6Packets = 0;

  /** Flow packets per innermost EtherType. */
  readonly numPacketsL2: Float64Array = new Float64Array(65536);
  /** Σ captured bytes of flow packets per innermost EtherType. */
  readonly numBytesL2: Float64Array = new Float64Array(65536);
  /** IP flow packets per layer-4 protocol number. */
  readonly numPacketsL3: Float64Array = new Float64Array(256);
  /** Σ captured bytes of IP flow packets per layer-4 protocol number. */
  readonly numBytesL3: Float64Array = new Float64Array(256);

  /** Fewest headers in one packet's description (65535 until a packet is seen). */
  minHdrDesc = 65535;
  /** Most headers in one packet's description. */
  maxHdrDesc = 0;
  /** Running mean of header counts (float32, as T2). */
  avgHdrDesc = 0;
  /** Most VLAN tags in one packet. */
  vlanHdrCntMx = 0;
  /** Most MPLS labels in one packet. */
  mplsHdrCntMx = 0;

  /** Last findex handed out. */
  totalfIndex = 0;
  /** Flows created with no reverse flow in memory (each gets a new findex). */
  totalAFlows = 0;
  /** Flows created while their reverse flow was in memory (sharing its findex). */
  totalBFlows = 0;
  /** IPv4 flows created. */
  totalIPv4Flows = 0;
  /** IPv6 flows created. */
  totalIPv6Flows = 0;
  /** Pure layer-2 flows created. */
  totalL2Flows = 0;
  /** Lone flows printed with bit 0 set (request/reply correction). */
  corrReplFlws = 0;
  /** Flows in memory now. */
  maxNumFlows = 0;
  /** Highest {@linkcode maxNumFlows} reached. */
  maxNumFlowsPeak = 0;
  /** Autopilot removals. */
  totalRmFlows = 0;

  /** Aggregated flowStat (T2 globalWarn), bits 0-31. */
  globalWarnLo = 0;
  /** Aggregated flowStat, bits 32-63 (shifted down by 32). */
  globalWarnHi = 0;

  /** First packet's timestamp: whole seconds. */
  firstSec = 0;
  /** First packet's timestamp: nanoseconds within the second. */
  firstNs = 0;
  /** Latest packet's timestamp: whole seconds. */
  lastSec = 0;
  /** Latest packet's timestamp: nanoseconds within the second. */
  lastNs = 0;
}
