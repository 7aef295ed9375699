/**
 * tcpFlags' packet-file columns (`-s`, spec/plugins/tcpFlags.md §8): 16 IP columns and 25 TCP
 * columns (14 without SEQ_ACK_NUM) per packet; mod.ts writes them.
 *
 * @module
 */

import type { Config } from "./settings.ts";

/** The column names, in order (`tos` is the ToS column's name for the IPTOS setting). */
export function packetColumnNames(cfg: Config): string[] {
  const tos = ["ipToS", "ipToSDscp_ecn", "ipToSPrec_ecn"][cfg.ipTos];
  const ip = [tos, "ipID", "ipIDDiff", "ipFrag", "ipTTL", "ipHdrChkSum", "ipCalChkSum"]
    .concat(["l4HdrChkSum", "l4CalChkSum", "ipFlags", "ip6HHOptLen", "ip6HHOpts"])
    .concat(["ip6DOptLen", "ip6DOpts", "ipOptLen", "ipOpts"]);
  const seq = cfg.seqAck
    ? ["seq", "ack", "seqMax", "seqDiff", "ackDiff", "seqLen", "ackLen", "seqFlowLen"]
      .concat(["ackFlowLen", "tcpMLen", "tcpBFlgt"])
    : [];
  const tcp = ["tcpFStat", "tcpFlags", "tcpAnomaly", "tcpWin", "tcpWS", "tcpMSS", "tcpTmS"]
    .concat(["tcpTmER", "tcpMPTyp", "tcpMPF", "tcpMPAID", "tcpMPDSSF", "tcpOptLen", "tcpOpts"]);
  return [...ip, ...seq, ...tcp];
}
