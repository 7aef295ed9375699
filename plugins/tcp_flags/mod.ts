/**
 * tcpFlags (plugin 130): IP and TCP header facts per flow direction, as T2 0.9.3 writes them
 * (spec/plugins/tcpFlags.md): TTL range, ToS, IP ID deltas, IP options, IP and layer-4
 * checksum checks, fragment checks, the TCP flags and anomalies (retransmissions, duplicate
 * ACKs, keep-alives, scans), window statistics, sequence and ACK accounting, TCP options (MSS,
 * window scale, SACK, timestamps, MPTCP), an up-time and boot-time estimate from the
 * timestamps, round-trip estimates and the JA4T fingerprint. Packet mode (`-s`) adds 41
 * columns per packet. It reads and writes the opposite flow's state (RTT, bytes in flight,
 * window scaling, scans) and may set the flow status bit TIMEJUMP.
 *
 * @module
 */

import {
  type ColumnBuilder,
  type Flows,
  flowStatus,
  formatFixed,
  NO_FLOW,
  type OutputBuffer,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  readableSuffix,
  type ReportWriter,
} from "../../mod.ts";
import { ja4tText, scanDetector, upTimeColumns } from "./flow_end.ts";
import {
  fragments,
  ipChecksum,
  ipHeader,
  l4Checksum,
  RTT_ACK,
  RTT_STOP,
  RTT_SYN_ACK,
  timing,
  trip,
  wantsFragments,
} from "./ip_part.ts";
import { packetColumnNames, packetIp, packetNoTcp, packetTcp } from "./packet_columns.ts";
import { Scratch, Totals } from "./run_state.ts";
import { type Config, readConfig, SETTINGS } from "./settings.ts";
import {
  ACK_BYTES,
  ACK_CNT,
  ACK_FAULT_CNT,
  ACK_LAST,
  ANOMALY,
  FLAGS_AGG,
  IN_FLIGHT_MAX,
  IP6_D_CNT,
  IP6_D_OPTS,
  IP6_HH_CNT,
  IP6_HH_OPTS,
  IP_CP_CL,
  IP_FLAGS,
  IP_ID_LAST,
  IP_ID_MAX,
  IP_ID_MIN,
  IP_OPT_CNT,
  IP_OPTS,
  JA4_CNT,
  LAST_NS,
  LAST_SEC,
  layout,
  MP_AID,
  MP_DSSF,
  MP_F,
  MP_TBF,
  MSS,
  OPT_CNT,
  OPT_PKT_CNT,
  PKT_CNT,
  Records,
  RTT_AVG,
  RTT_JIT,
  RTT_MAX,
  RTT_MIN,
  RTT_STATE,
  RTT_TRIP,
  SEQ_BYTES,
  SEQ_FAULT_CNT,
  SEQ_INIT,
  SEQ_LAST,
  SEQ_MAX,
  SEQ_NEXT,
  SEQ_OK_CNT,
  STAT,
  TCP_OPTS,
  TOS,
  TTL_CHG,
  TTL_LAST,
  TTL_MAX,
  TTL_MIN,
  WIN_AVG,
  WIN_DIR_CHG,
  WIN_DOWN,
  WIN_INIT,
  WIN_MAX,
  WIN_MIN,
  WIN_MIN_CNT,
  WIN_PKTS,
  WIN_UP,
  WS_SHIFT,
} from "./state.ts";
import { seqAck, tcpCommit, tcpFlagsStep, tcpOptions, window, windowStats } from "./tcp_part.ts";

const { L2_IPV6, L2_FLOW, TIMEJUMP_H, IPV4_FRAG_ERR_H } = flowStatus;

/** The tcpFlags plugin. */
export const tcpFlags: PluginDefinition = {
  name: "tcpFlags",
  number: 130,
  version: "0.9.3",
  settings: SETTINGS,
  create: (ctx) => new TcpFlags(ctx),
};

/** One run of the plugin. */
class TcpFlags implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #flows: Flows;
  readonly #cfg: Config;
  /** The flows' state (state.ts). */
  readonly #r: Records;
  /** Report aggregates and counters. */
  readonly #t = new Totals();
  /** The current packet's values. */
  readonly #s = new Scratch();
  /** A timersub result. */
  readonly #diff = new Float64Array(2);
  /** Packet-file columns of this plugin. */
  #packetColumns = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#flows = ctx.flows;
    const cfg = readConfig(ctx);
    this.#cfg = cfg;
    const lay = layout(cfg.flagCount, cfg.ja4t ? cfg.ja4Max : 0);
    this.#r = new Records(ctx.perFlow({ rec: Float64Array }, lay.width).rec, lay);
  }

  // ------------------------------------------------------------------ columns
  columns(c: ColumnBuilder): void {
    const cfg = this.#cfg;
    c.add("tcpFStat", "tcpFlags status", "H16");
    c.add("ipMindIPID", "IP minimum delta IP ID", "U16");
    c.add("ipMaxdIPID", "IP maximum delta IP ID", "U16");
    c.add("ipMinTTL", "IP minimum TTL", "U8");
    c.add("ipMaxTTL", "IP maximum TTL", "U8");
    c.add("ipTTLChg", "IP TTL change count", "U8");
    if (cfg.ipTos === 0) c.add("ipToS", "IP Type of Service hex", "H8");
    else if (cfg.ipTos === 1) c.add("ipToSDscp_ecn", "IP Type of Service DSCP, ECN", ["U8", "U8"]);
    else c.add("ipToSPrec_ecn", "IP Type of Service precedence, ECN", ["U8", "U8"]);
    c.add("ipFlags", "IP aggregated flags", "H16");
    c.add("ipOptCnt", "IP options count", "U16");
    c.add("ipOptCpCl_Num", "IP aggregated options, copy-class and number", ["H8", "H32"]);
    c.add("ip6OptCntHH_D", "IPv6 Hop-by-Hop destination option counts", ["U16", "U16"]);
    c.add("ip6OptHH_D", "IPv6 aggregated Hop-by-Hop destination options", ["H32", "H32"]);
    if (cfg.seqAck) {
      c.add("tcpISeqN", "TCP initial sequence number", "U32");
      c.add("tcpPSeqCnt", "TCP packet seq count", "U16");
      c.add("tcpSeqSntBytes", "TCP sent seq diff bytes", "U64");
      c.add("tcpSeqFaultCnt", "TCP sequence number fault count", "U16");
      c.add("tcpPAckCnt", "TCP packet ACK count", "U16");
      c.add("tcpFlwLssAckRcvdBytes", "TCP flawless ACK received bytes", "U64");
      c.add("tcpAckFaultCnt", "TCP ACK number fault count", "U16");
      c.add("tcpBFlgtMx", "TCP Bytes in Flight MAX", "U32");
    }
    if (cfg.window) {
      c.add("tcpInitWinSz", "TCP initial effective window size", "U32");
      c.add("tcpAvgWinSz", "TCP average effective window size", "F");
      c.add("tcpMinWinSz", "TCP minimum effective window size", "U32");
      c.add("tcpMaxWinSz", "TCP maximum effective window size", "U32");
      c.add("tcpWinSzDwnCnt", "TCP effective window size change down count", "U16");
      c.add("tcpWinSzUpCnt", "TCP effective window size change up count", "U16");
      c.add("tcpWinSzChgDirCnt", "TCP effective window size direction change count", "U16");
      c.add(
        "tcpWinSzThRt",
        `TCP packet count ratio below window size WINMIN threshold`,
        "F",
      );
    }
    c.add(
      "tcpFlags",
      "TCP aggregated protocol flags (FIN-ACK, SYN-ACK, RST-ACK, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN)",
      "H16",
    );
    c.add("tcpAnomaly", "TCP aggregated header anomaly flags", "H16");
    if (cfg.flagCount) {
      c.add(
        "tcpCntF_S_R_P_A_U_E_C_FA_SA_RA_N_SF_SFR_RF_X",
        "TCP packet counts of each flag and flag combination",
        new Array(16).fill("U16"),
      );
    }
    if (cfg.ja4t) c.add("tcpJA4T", "TCP JA4T/JA4TS fingerprint", "SC");
    c.add("tcpOptPktCnt", "TCP options packet count", "U16");
    c.add("tcpOptCnt", "TCP options count", "U16");
    c.add("tcpOptions", "TCP aggregated options", "H32");
    c.add("tcpMSS", "TCP maximum segment size", "U16");
    c.add("tcpWS", "TCP window scale", "U16");
    if (cfg.mptcp) {
      c.add("tcpMPTBF", "TCP MPTCP type bitfield", "H16");
      c.add("tcpMPF", "TCP MPTCP flags", "H8");
      c.add("tcpMPAID", "TCP MPTCP address ID", "U8");
      c.add("tcpMPDSSF", "TCP MPTCP DSS flags", "H8");
    }
    if (cfg.natBt) {
      c.add("tcpTmS", "TCP time stamp", "U32");
      c.add("tcpTmER", "TCP time echo reply", "U32");
      c.add("tcpEcI", "TCP estimated counter increment", "F");
      c.add("tcpUtm", "TCP estimated up time", "D");
      c.add("tcpBtm", "TCP estimated boot time", "TIME");
    }
    if (cfg.rtt) {
      c.add("tcpSSASAATrip", "TCP trip time (A: SYN, SYN-ACK, B: SYN-ACK, ACK)", "F");
      c.add("tcpRTTAckTripMin", "TCP ACK trip min", "F");
      c.add("tcpRTTAckTripMax", "TCP ACK trip max", "F");
      c.add("tcpRTTAckTripAvg", "TCP ACK trip average", "F");
      c.add("tcpRTTAckTripJitAvg", "TCP ACK trip jitter average", "F");
      c.add("tcpRTTSseqAA", "TCP round trip time (A: SYN, SYN-ACK, ACK, B: ACK-ACK)", "F");
      c.add("tcpRTTAckJitAvg", "TCP ACK round trip average jitter", "F");
    }
  }

  init(): void {
    const names = packetColumnNames(this.#cfg);
    this.#packetColumns = names.length;
    this.#ctx.packetFile?.header(...names);
  }

  // ------------------------------------------------------------------ new flow (§4)
  onNewFlow(p: Packet, flow: number): void {
    const r = this.#r;
    r.clear(flow);
    const p32 = flow * r.w32;
    const p16 = flow * r.w16;
    const p8 = flow * r.w8;
    r.d64[flow * r.w64 + LAST_SEC] = p.tsSec;
    r.u32[p32 + LAST_NS] = p.tsNs;
    r.u16[p16 + IP_ID_MIN] = 0xffff;
    r.f32[p32 + RTT_MIN] = 65535;
    if (this.#flows.statusLo[flow] & L2_FLOW) return;
    const ip = p.l3Off;
    let ttl: number;
    if (p.statusLo & L2_IPV6) {
      ttl = p.u8(ip + 7);
    } else {
      ttl = p.u8(ip + 8);
      r.u16[p16 + IP_ID_LAST] = p.u16(ip + 4);
    }
    r.u8[p8 + TTL_LAST] = r.u8[p8 + TTL_MIN] = r.u8[p8 + TTL_MAX] = ttl;
    if (p.l4Proto !== 6) return;
    // T2 reads the TCP header here whatever the packet is (a headless fragment's payload).
    const l4 = p.l4Off;
    p.u32Into(r.u32, p32 + SEQ_INIT, l4 + 4);
    const isn = r.u32[p32 + SEQ_INIT];
    r.u32[p32 + SEQ_LAST] = r.u32[p32 + SEQ_NEXT] = r.u32[p32 + SEQ_MAX] = isn;
    p.u32Into(r.u32, p32 + ACK_LAST, l4 + 8);
    if (p.u8(l4 + 13) === 0x02 && p.snapL7Len > 0) r.u16[p16 + ANOMALY] |= 0x4000;
  }

  onLayer2(_p: Packet, flow: number): void {
    if (flow !== NO_FLOW) this.#ctx.packetFile?.empty(this.#packetColumns);
  }

  // ------------------------------------------------------------------ per packet (§5)
  onLayer4(p: Packet, flow: number): void {
    const r = this.#r;
    const s = this.#s;
    const cfg = this.#cfg;
    const flows = this.#flows;
    const pf = this.#ctx.packetFile;
    const o = flows.opposite[flow];
    const p32 = flow * r.w32;
    const p16 = flow * r.w16;
    const p8 = flow * r.w8;
    s.v6 = (p.statusLo & L2_IPV6) !== 0;
    s.fs = r.u16[p16 + STAT] & 0x8a13; // the sticky bits
    s.anom = 0;
    r.f32[p32 + PKT_CNT] += 1;

    let ipF = ipHeader(r, s, p, flow);
    s.ipHdrSum = s.ipCalSum = 0;
    if (!s.v6 && cfg.checksum > 0) ipF |= ipChecksum(s, p);
    if (cfg.checksum > 1) ipF |= l4Checksum(r, s, p, flow);
    else {
      s.l4HdrSum = s.l4CalSum = 0;
      const first = s.v6 ? (s.offU & 0xff1f) === 0 : s.offU === 0;
      s.l4HdrLenLocal = first && p.l4Proto === 6 ? p.l4HdrLen : 8;
    }
    ipF |= timing(r, s, p, flow);
    if (s.timeJump) this.#ctx.setFlowStatus(flow, 0, TIMEJUMP_H);
    if (wantsFragments(cfg, s)) ipF |= fragments(r, s, p, flow);
    r.u16[p16 + IP_FLAGS] |= ipF;
    r.u16[p16 + IP_ID_LAST] = s.ipID;
    if (o >= 0 && r.u8[p8 + RTT_STATE] !== RTT_STOP) trip(r, p, flow, o);
    if (pf) packetIp(pf, s, cfg, p, ipF);

    // §5.14 not TCP, or a later fragment (T2's test lets offsets of 32 units and multiples
    // through, whose payload is then read as a TCP header).
    const tcpFirst = cfg.frag ? (s.offU & 0x1f1f) === 0 : s.offU === 0;
    if (p.l4Proto !== 6 || !tcpFirst) {
      if (pf) packetNoTcp(pf, cfg);
      if (r.f32[p32 + PKT_CNT] === 1) r.u8[p8 + RTT_STATE] = RTT_SYN_ACK;
      else if (r.u8[p8 + RTT_STATE] === RTT_SYN_ACK) r.u8[p8 + RTT_STATE] = RTT_ACK;
      r.u16[p16 + STAT] |= s.fs | 0x0001;
      return;
    }

    // §5.15 - §5.20
    const t = this.#t;
    tcpFlagsStep(r, t, s, p, flow, o);
    s.tcpOptLen = s.l4HdrLenLocal - 20;
    s.mpTyp =
      s.mpF =
      s.mpAID =
      s.mpDSSF =
        0;
    if (s.tcpOptLen > 0) tcpOptions(r, t, s, cfg, p, flow, o);
    window(r, s, p, flow);
    if (cfg.window) windowStats(r, t, s, cfg, flow);
    s.seq = p.u32(p.l4Off + 4);
    s.ack = p.u32(p.l4Off + 8);
    s.sd =
      s.ad =
      s.seqLen =
      s.ackLen =
        0;
    if (cfg.seqAck) seqAck(r, t, s, p, flow, o);
    if ((s.anom & 0x1000) || (r.u16[p16 + ANOMALY] & 0x1000)) s.anom &= ~0x003f;
    if (pf) packetTcp(pf, r, s, cfg, flows, p, flow);
    tcpCommit(r, s, cfg, flows, p, flow, o);
  }

  // ------------------------------------------------------------------ flow end (§6)
  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const r = this.#r;
    const t = this.#t;
    const cfg = this.#cfg;
    const flows = this.#flows;
    const { d64, u32, f32, u16, u8 } = r;
    const p64 = flow * r.w64;
    const p32 = flow * r.w32;
    const p16 = flow * r.w16;
    const p8 = flow * r.w8;
    const o = flows.opposite[flow];
    t.aggIpFlags |= u16[p16 + IP_FLAGS];
    t.aggIpToS |= u8[p8 + TOS];
    t.aggTcpFStat |= u16[p16 + STAT];
    t.aggTcpFlags |= u16[p16 + FLAGS_AGG];
    t.aggTcpAnomaly |= u16[p16 + ANOMALY];
    t.aggMpTBF |= u16[p16 + MP_TBF];
    t.aggMpF |= u8[p8 + MP_F];
    if (cfg.scan) scanDetector(r, t, flow, o);
    if (flows.statusHi[flow] & IPV4_FRAG_ERR_H) u16[p16 + IP_FLAGS] |= 0x0200;

    // Window scaling is shown once any flow written so far had it (T2 tests its aggregate).
    const wsOn = (t.aggTcpFStat & 0x0200) !== 0;
    out.h16(u16[p16 + STAT]);
    out.u16(u16[p16 + IP_ID_MIN]);
    out.u16(u16[p16 + IP_ID_MAX]);
    out.u8(u8[p8 + TTL_MIN]);
    out.u8(u8[p8 + TTL_MAX]);
    out.u8(u8[p8 + TTL_CHG]);
    const tos = u8[p8 + TOS];
    if (cfg.ipTos === 0) out.h8(tos);
    else {
      out.u8(cfg.ipTos === 1 ? tos >>> 2 : tos >>> 5);
      out.u8(tos & 3);
    }
    out.h16(u16[p16 + IP_FLAGS]);
    out.u16(u16[p16 + IP_OPT_CNT]);
    out.h8(u8[p8 + IP_CP_CL]);
    out.h32(u32[p32 + IP_OPTS]);
    out.u16(u16[p16 + IP6_HH_CNT]);
    out.u16(u16[p16 + IP6_D_CNT]);
    out.h32(u32[p32 + IP6_HH_OPTS]);
    out.h32(u32[p32 + IP6_D_OPTS]);
    if (cfg.seqAck) {
      out.u32(u32[p32 + SEQ_INIT]);
      out.u16(u16[p16 + SEQ_OK_CNT]);
      out.u64(d64[p64 + SEQ_BYTES]);
      out.u16(u16[p16 + SEQ_FAULT_CNT]);
      out.u16(u16[p16 + ACK_CNT]);
      out.u64(d64[p64 + ACK_BYTES]);
      out.u16(u16[p16 + ACK_FAULT_CNT]);
      out.u32(u32[p32 + IN_FLIGHT_MAX]);
    }
    if (cfg.window) {
      out.u32(u32[p32 + WIN_INIT]);
      out.f(f32[p32 + WIN_AVG]);
      out.u32(u32[p32 + WIN_MIN]);
      out.u32(u32[p32 + WIN_MAX]);
      out.u16(u16[p16 + WIN_DOWN]);
      out.u16(u16[p16 + WIN_UP]);
      out.u16(u16[p16 + WIN_DIR_CHG]);
      const pkts = u32[p32 + WIN_PKTS];
      out.f(pkts ? Math.fround(u32[p32 + WIN_MIN_CNT]) / Math.fround(pkts) : 0);
    }
    out.h16(u16[p16 + FLAGS_AGG]);
    out.h16(u16[p16 + ANOMALY]);
    if (cfg.flagCount) {
      const c = p16 + r.flagCounts;
      for (let b = 0; b < 16; b++) out.u16(u16[c + b]);
    }
    if (cfg.ja4t) {
      const ws = wsOn ? String(u8[p8 + WS_SHIFT]) : "00";
      const opts = p8 + r.ja4Opts;
      out.strClass(ja4tText(u32[p32 + WIN_INIT], u8, opts, u16[p16 + JA4_CNT], u16[p16 + MSS], ws));
    }
    out.u16(u16[p16 + OPT_PKT_CNT]);
    out.u16(u16[p16 + OPT_CNT]);
    out.h32(u32[p32 + TCP_OPTS]);
    out.u16(u16[p16 + MSS]);
    out.u16(wsOn ? (1 << u8[p8 + WS_SHIFT]) & 0xffff : 0);
    if (cfg.mptcp) {
      out.h16(u16[p16 + MP_TBF]);
      out.h8(u8[p8 + MP_F]);
      out.u8(u8[p8 + MP_AID]);
      out.h8(u8[p8 + MP_DSSF]);
    }
    if (cfg.natBt) upTimeColumns(r, flow, out, this.#diff);
    if (cfg.rtt) {
      const o32 = o * r.w32;
      out.f(f32[p32 + RTT_TRIP]);
      out.f(f32[p32 + RTT_MIN]);
      out.f(f32[p32 + RTT_MAX]);
      out.f(f32[p32 + RTT_AVG]);
      out.f(Math.sqrt(f32[p32 + RTT_JIT]));
      // The direction bit as finally set (icmpDecode may set it on ICMP flows).
      const reply = flows.isReply(flow);
      if (o < 0) out.f(0);
      else if (reply) out.f(f32[p32 + RTT_AVG] + f32[o32 + RTT_AVG]);
      else out.f(f32[p32 + RTT_TRIP] + f32[o32 + RTT_TRIP]);
      out.f(o >= 0 && reply ? Math.sqrt(Math.fround(f32[p32 + RTT_JIT] + f32[o32 + RTT_JIT])) : 0);
    }
  }

  // ------------------------------------------------------------------ report (§9)
  report(r: ReportWriter): void {
    const name = tcpFlags.name;
    const t = this.#t;
    const hex = (v: number, w: number) => v.toString(16).padStart(w, "0");
    if (t.aggIpFlags) r.plugin(name, `Aggregated ipFlags=0x${hex(t.aggIpFlags, 4)}`);
    if (t.aggTcpFStat) r.plugin(name, `Aggregated tcpFStat=0x${hex(t.aggTcpFStat, 4)}`);
    if (t.aggTcpFlags) r.plugin(name, `Aggregated tcpFlags=0x${hex(t.aggTcpFlags, 4)}`);
    if (t.aggTcpAnomaly) {
      r.plugin(name, `Aggregated tcpAnomaly=0x${hex(t.aggTcpAnomaly, 4)}`);
    }
    if (t.aggIpToS) r.plugin(name, `Aggregated ipToS=0x${hex(t.aggIpToS, 2)}`);
    const scans = t.nScans;
    const succ = t.nSuccScans;
    if (scans || succ) {
      r.plugin(
        name,
        `Number of TCP scans attempted, successful: ${withSuffix(scans)}, ${withSuffix(succ)} ` +
          `[${percentText(succ, scans)}%]`,
      );
    }
    if (t.nSynRetry || t.nSeqRetry) {
      r.plugin(
        name,
        `Number of TCP SYN retries, seq retries: ${withSuffix(t.nSynRetry)}, ` +
          withSuffix(t.nSeqRetry),
      );
    }
    if (t.nLowWin && t.nTcpPkts) {
      r.plugin(
        name,
        `Number WinSz below ${this.#cfg.winMin}: ${withSuffix(t.nLowWin)} ` +
          `[${percentText(t.nLowWin, t.nTcpPkts)}%]`,
      );
    }
    const mp = t.nMptcpOpts;
    if (mp > 0) {
      r.plugin(name, `Aggregated MPTCP subtypes: tcpMPTBF=0x${hex(t.aggMpTBF, 4)}`);
      r.plugin(name, `Aggregated MPTCP flags: tcpMPF=0x${hex(t.aggMpF, 2)}`);
      r.plugin(
        name,
        `Number of MPTCP packets: ${withSuffix(mp)} ` +
          `[${percentText(mp, this.#ctx.counters.numPackets)}%]`,
      );
    }
  }
}

/** A count and T2's human-readable suffix (` (1.22 K)` from 1000 on). */
function withSuffix(n: number): string {
  return `${n}${readableSuffix(n)}`;
}

/** `%.2f` of 100·a/b in double, as C prints it (`inf` when b is 0, `nan` for 0/0). */
function percentText(a: number, b: number): string {
  const v = (100 * a) / b;
  if (Number.isNaN(v)) return "-nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return formatFixed(v, 2);
}
