/**
 * tcpFlags' run-wide values: the aggregates and counters of the end report (spec §3 "Global
 * aggregates").
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
