/**
 * tcpFlags' packet-file columns (`-s`, spec/plugins/tcpFlags.md §8): 16 IP columns and 25 TCP
 * columns (14 without SEQ_ACK_NUM) per packet, written from the packet's {@linkcode Scratch}
 * and its flow's record.
 *
 * @module
 */

import type { Flows, Packet, PacketFile } from "../../mod.ts";
import type { Scratch } from "./run_state.ts";
import type { Config } from "./settings.ts";
import {
  ACK_BYTES,
  IN_FLIGHT,
  M_LEN,
  MSS,
  type Records,
  SEQ_BYTES,
  SEQ_INIT,
  SEQ_MAX,
  TS_ECR,
  TS_VAL,
} from "./state.ts";

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

/** §5.13: the IP columns; `ipF` is the packet's ipFlags so far. */
export function packetIp(pf: PacketFile, s: Scratch, cfg: Config, p: Packet, ipF: number) {
  tosValue(pf, cfg, s.tos);
  pf.uint(s.ipID);
  pf.int(s.idDiff);
  pf.hex(s.fragWord, 4);
  pf.uint(s.ttl);
  pf.hex(s.ipHdrSum, 4);
  pf.hex(s.ipCalSum, 4);
  pf.hex(s.l4HdrSum, 4);
  pf.hex(s.l4CalSum, 4);
  pf.hex(ipF, 4);
  if (s.v6) {
    pf.int(s.hhLen);
    optionBytes(pf, p, s.hh + 2, s.hhLen);
    pf.int(s.doLen);
    optionBytes(pf, p, s.dOpt + 2, s.doLen);
    pf.text("0");
    pf.empty();
  } else {
    pf.text("0");
    pf.empty();
    pf.text("0");
    pf.empty();
    pf.int(s.optLen);
    optionBytes(pf, p, p.l3Off + 20, s.optLen);
  }
}

/** The TCP columns of a packet that is not parsed as TCP. */
export function packetNoTcp(pf: PacketFile, cfg: Config): void {
  if (cfg.seqAck) pf.empty(11);
  pf.text("0x0000");
  pf.empty(11);
  pf.text("0");
  pf.empty();
}

/** §5.20: the TCP columns, before the flow's state update. */
export function packetTcp(
  pf: PacketFile,
  r: Records,
  s: Scratch,
  cfg: Config,
  flows: Flows,
  p: Packet,
  flow: number,
): void {
  const p64 = flow * r.w64;
  const p32 = flow * r.w32;
  if (cfg.seqAck) {
    seqAckValues(pf, r, cfg, flows, flow, s.seq, s.ack, r.u32[p32 + SEQ_MAX]);
    pf.int(s.sd);
    pf.int(s.ad);
    pf.uint(s.seqLen);
    pf.uint(s.ackLen);
    pf.int(r.d64[p64 + SEQ_BYTES]);
    pf.int(r.d64[p64 + ACK_BYTES]);
    pf.int(r.d64[p64 + M_LEN]);
    pf.uint(r.u32[p32 + IN_FLIGHT]);
  }
  pf.hex(s.fs, 4);
  pf.hex(s.fl, 4);
  pf.hex(s.anom, 4);
  pf.uint(s.win);
  pf.uint(s.ws);
  pf.uint(r.u16[flow * r.w16 + MSS]);
  pf.uint(r.u32[p32 + TS_VAL]);
  pf.uint(r.u32[p32 + TS_ECR]);
  pf.uint(s.mpTyp);
  pf.hex(s.mpF, 2);
  pf.uint(s.mpAID);
  pf.hex(s.mpDSSF, 2);
  pf.int(s.tcpOptLen);
  optionBytes(pf, p, p.l4Off + 20, s.tcpOptLen);
}

/** seq, ack and seqMax as SPKTMD_SEQACKREL and SPKTMD_SEQACKHEX ask. */
function seqAckValues(
  pf: PacketFile,
  r: Records,
  cfg: Config,
  flows: Flows,
  flow: number,
  seq: number,
  ack: number,
  seqMax: number,
): void {
  let a = ack;
  let b = seq;
  let m = seqMax;
  if (cfg.seqAckRel) {
    const init = r.u32[flow * r.w32 + SEQ_INIT];
    const o = flows.opposite[flow];
    b = (seq - init) >>> 0;
    m = (seqMax - init) >>> 0;
    a = o >= 0 ? (ack - r.u32[o * r.w32 + SEQ_INIT]) >>> 0 : ack;
  }
  for (const v of [b, a, m]) {
    if (cfg.seqAckHex) pf.hex(v, 8);
    else pf.uint(v);
  }
}

/** The ToS value in the form IPTOS asks for. */
function tosValue(pf: PacketFile, cfg: Config, tos: number): void {
  if (cfg.ipTos === 0) pf.hex(tos, 2);
  else if (cfg.ipTos === 1) pf.text(`${tos >>> 2}_${tos & 3}`);
  else pf.text(`${tos >>> 5}_${tos & 3}`);
}

/** `n` bytes from `at` as `0x%02x` joined by `;` (bytes past the capture: 0), then a tab. */
function optionBytes(pf: PacketFile, p: Packet, at: number, n: number): void {
  const w = pf.writer;
  for (let i = 0; i < n; i++) {
    if (i) w.byte(59);
    w.byte(48);
    w.byte(120);
    w.hex(p.u8(at + i), 2);
  }
  w.tab();
}
