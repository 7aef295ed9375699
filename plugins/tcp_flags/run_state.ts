/**
 * tcpFlags' run-wide values: the aggregates and counters of the end report (spec §3 "Global
 * aggregates") and the values of the packet being processed, handed from one step of the
 * per-packet analysis to the next (and to the packet-file columns).
 *
 * @module
 */

/** Aggregates and counters of the whole run. */
export class Totals {
  aggIpFlags = 0;
  aggTcpFStat = 0;
  aggTcpFlags = 0;
  aggTcpAnomaly = 0;
  aggIpToS = 0;
  aggMpTBF = 0;
  aggMpF = 0;
  nScans = 0;
  nSuccScans = 0;
  nSynRetry = 0;
  nSeqRetry = 0;
  nLowWin = 0;
  nTcpPkts = 0;
  nMptcpOpts = 0;
}

/** The current packet's values (one instance, overwritten for every packet). */
export class Scratch {
  /** tcpFStat bits of this packet (starts as the flow's sticky bits). */
  fs = 0;
  /** tcpAnomaly bits of this packet. */
  anom = 0;
  /** IPv6: the flow is IPv6 (packet status L2_IPV6). */
  v6 = false;
  /** IPv4 flags and offset word, or the IPv6 fragment header's offset word (0 without). */
  fragWord = 0;
  /** Fragment offset in 8-byte units. */
  offU = 0;
  /** More fragments follow. */
  mf = false;
  ttl = 0;
  tos = 0;
  ipID = 0;
  idDiff = 0;
  /** IPv6 hop-by-hop and destination options: header offsets and option lengths. */
  hh = -1;
  hhLen = 0;
  dOpt = -1;
  doLen = 0;
  /** IPv4 options length. */
  optLen = 0;
  ipHdrSum = 0;
  ipCalSum = 0;
  l4HdrSum = 0;
  l4CalSum = 0;
  /** TCP header length used for the options (8 unless a first fragment's TCP header). */
  l4HdrLenLocal = 8;
  /** Seconds since the flow's previous packet (float32). */
  d = 0;
  /** The timestamp went back within a second: TIMEJUMP. */
  timeJump = false;
  // TCP
  fl = 0;
  win = 0;
  ws = 0;
  seq = 0;
  ack = 0;
  sd = 0;
  ad = 0;
  seqLen = 0;
  ackLen = 0;
  tcpOptLen = 0;
  mpTyp = 0;
  mpF = 0;
  mpAID = 0;
  mpDSSF = 0;
}
