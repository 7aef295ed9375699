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
  type PacketFile,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  readableSuffix,
  type ReportWriter,
} from "../../mod.ts";
import { checksumOf, csum, pseudoSum } from "./checksum.ts";
import { ja4tText, scanDetector, upTimeColumns } from "./flow_end.ts";
import { packetColumnNames } from "./packet_columns.ts";
import { warmUpPackets } from "./warm_up.ts";
import { Totals } from "./run_state.ts";
import { type Config, readConfig, SETTINGS } from "./settings.ts";
import {
  ACK_BYTES,
  ACK_CNT,
  ACK_FAULT_CNT,
  ACK_LAST,
  ANOMALY,
  ANOMALY_LAST,
  FLAGS_AGG,
  FRAG_NEXT,
  IN_FLIGHT,
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
  L4_HDR_SUM,
  L4_SUM,
  LAST_FLAGS,
  LAST_NS,
  LAST_SEC,
  layout,
  M_LEN,
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
  SCAN_PKTS,
  SEQ_BYTES,
  SEQ_FAULT_CNT,
  SEQ_INIT,
  SEQ_LAST,
  SEQ_MAX,
  SEQ_NEXT,
  SEQ_OK_CNT,
  STAT,
  STAT_LAST,
  TCP_OPTS,
  TOS,
  TOT_L4_LEN,
  TS_ECR,
  TS_FIRST_NS,
  TS_FIRST_SEC,
  TS_LAST_NS,
  TS_LAST_SEC,
  TS_VAL,
  TS_VAL_INIT,
  TS_VAL_MAX,
  TTL_CHG,
  TTL_LAST,
  TTL_MAX,
  TTL_MIN,
  WIN_AVG,
  WIN_DIR_CHG,
  WIN_DOWN,
  WIN_INIT,
  WIN_LAST,
  WIN_MAX,
  WIN_MIN,
  WIN_MIN_CNT,
  WIN_PKTS,
  WIN_UP,
  WS_SHIFT,
} from "./state.ts";

const { L2_IPV6, L2_FLOW, TIMEJUMP_H, IPV4_FRAG_ERR_H, IPV4_FRAG_PENDING_H } = flowStatus;

/** rttState values. */
const RTT_SYN = 0x01;
const RTT_SYN_ACK = 0x02; // also: the first packet of a non-TCP flow
const RTT_ACK = 0x04;
const RTT_STOP = 0x80;

/** The tcpFlags plugin. */
export const tcpFlags: PluginDefinition = {
  name: "tcpFlags",
  number: 130,
  version: "0.9.3",
  settings: SETTINGS,
  // tcpWS and tcpJA4T test the window-scale bit of every flow written before (spec §6.2).
  oneThread: "prints window-scale columns that depend on the flows written before",
  create: (ctx) => new TcpFlags(ctx),
};

/** One run of the plugin. */
class TcpFlags implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #flows: Flows;
  readonly #cfg: Config;
  /** The flows' state (state.ts), and its views and strides for the per-packet code. */
  readonly #r: Records;
  readonly #d64: Float64Array;
  readonly #u32: Uint32Array;
  readonly #f32: Float32Array;
  readonly #u16: Uint16Array;
  readonly #u8: Uint8Array;
  readonly #w64: number;
  readonly #w32: number;
  readonly #w16: number;
  readonly #w8: number;
  /** Report aggregates and counters. */
  #t = new Totals();
  /** A timersub result. */
  readonly #diff = new Float64Array(2);
  /**
   * The packet's inter-packet distance, from #packet to #tcp: a fractional number passed as an
   * argument to a call that is not inlined is boxed (a heap allocation per TCP packet).
   */
  readonly #gap = new Float64Array(1);
  /** The TCP packet's sequence and acknowledgement numbers. */
  readonly #seqAck = new Uint32Array(2);
  /** Packet-file columns of this plugin. */
  #packetColumns = 0;
  /** Where #packet puts what it reads to bring a flow's lines into the cache (unused). */
  #touched = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#flows = ctx.flows;
    const cfg = readConfig(ctx);
    this.#cfg = cfg;
    const lay = layout(cfg.flagCount, cfg.ja4t ? cfg.ja4Max : 0);
    const r = new Records(ctx.perFlow({ rec: Float64Array }, lay.width).rec, lay);
    this.#r = r;
    this.#d64 = r.d64;
    this.#u32 = r.u32;
    this.#f32 = r.f32;
    this.#u16 = r.u16;
    this.#u8 = r.u8;
    this.#w64 = r.w64;
    this.#w32 = r.w32;
    this.#w16 = r.w16;
    this.#w8 = r.w8;
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
    this.#warmUp();
  }

  /**
   * Run the per-packet analysis through its branches on flow slots 0 and 1 before any flow
   * exists (warm_up.ts says why), then forget what it did.
   */
  #warmUp(): void {
    // V8 records what a function sees only from its first few calls on: three rounds.
    const packets = warmUpPackets();
    for (let round = 0; round < 3; round++) {
      for (const w of packets) {
        if (w.first) this.onNewFlow(w.p, w.flow);
        this.#packet(w.p, w.flow, w.flow ^ 1, null);
      }
    }
    // The two slots are cleared when real flows take them (onNewFlow); the totals now.
    this.#t = new Totals();
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
    this.#packet(p, flow, this.#flows.opposite[flow], this.#ctx.packetFile);
  }

  /** The analysis of one packet of `flow`, whose opposite flow is `o` (-1: none). */
  #packet(p: Packet, flow: number, o: number, pf: PacketFile | null): void {
    const d64 = this.#d64;
    const u32 = this.#u32;
    const f32 = this.#f32;
    const u16 = this.#u16;
    const u8 = this.#u8;
    const p64 = flow * this.#w64;
    const p32 = flow * this.#w32;
    const p16 = flow * this.#w16;
    const p8 = flow * this.#w8;
    const cfg = this.#cfg;
    const v6 = (p.statusLo & L2_IPV6) !== 0;
    const ip = p.l3Off;
    const l4 = p.l4Off;
    const l3Len = p.l3Len;
    const l3HdrLen = p.l3HdrLen;
    const l4Len = (l3Len - l3HdrLen) & 0xffff;
    // The three record lines a packet uses and the opposite flow's first, read together first:
    // their cache misses then overlap instead of stalling one after another (docs/default-plugins.md).
    this.#touched = u8[p8 + 64] + u8[p8 + 128] + u8[p8] + (o >= 0 ? u8[o * this.#w8] : 0);
    let fs = u16[p16 + STAT] & 0x8a13;
    const anom = 0;
    let ipF = 0;

    // §5.1
    f32[p32 + PKT_CNT] += 1;

    // §5.2 IP header basics
    let fragWord: number;
    let offU: number;
    let mf: boolean;
    let ttl: number;
    let hh = -1;
    let hhLen = 0;
    let dOpt = -1;
    let doLen = 0;
    let optLen = 0;
    if (v6) {
      const fh = p.ip6FragOff;
      if (fh >= 0) {
        ipF = (p.u8(fh + 2) << 1) & 0xe0;
        fragWord = p.u16(fh + 2);
        offU = fragWord >>> 3;
        mf = (fragWord & 1) !== 0;
      } else {
        fragWord = offU = 0;
        mf = false;
      }
      ttl = p.u8(ip + 7);
      hh = p.ip6HopOptsOff;
      if (hh >= 0) hhLen = ((((p.u8(hh + 1) + 1) << 3) - 2) << 16) >> 16;
      dOpt = p.ip6DstOptsOff;
      if (dOpt >= 0) doLen = ((((p.u8(dOpt + 1) + 1) << 3) - 2) << 16) >> 16;
    } else {
      fragWord = p.u16(ip + 6);
      ipF = (fragWord >>> 8) & 0xe0;
      offU = fragWord & 0x1fff;
      mf = (fragWord & 0x2000) !== 0;
      ttl = p.u8(ip + 8);
      optLen = l3HdrLen - 20;
    }

    // §5.3 IP options
    if (!v6) {
      if (optLen > 0) {
        if (p.snapL3Len < l3HdrLen || l3Len < l3HdrLen) ipF |= 0x0001;
        else ipF |= this.#ipv4Options(p, flow, ip + 20, optLen);
      }
    } else if (hhLen > 0 || doLen > 0) {
      if (p.snapL3Len < l3HdrLen || l3Len < l3HdrLen) ipF |= 0x0001;
      else {
        if (hhLen > 0) this.#ipv6Options(p, hh + 2, hhLen, p32 + IP6_HH_OPTS, p16 + IP6_HH_CNT);
        if (doLen > 0) this.#ipv6Options(p, dOpt + 2, doLen, p32 + IP6_D_OPTS, p16 + IP6_D_CNT);
      }
    }

    // §5.4 TTL
    if (ttl !== u8[p8 + TTL_LAST]) u8[p8 + TTL_CHG]++;
    u8[p8 + TTL_LAST] = ttl;
    if (ttl < u8[p8 + TTL_MIN]) u8[p8 + TTL_MIN] = ttl;
    if (ttl > u8[p8 + TTL_MAX]) u8[p8 + TTL_MAX] = ttl;

    // §5.5 ToS and IP ID
    let tos: number;
    let ipID = 0;
    let idDiff = 0;
    if (v6) {
      tos = (p.u16(ip) >>> 4) & 0xff;
    } else {
      tos = p.u8(ip + 1);
      ipID = p.u16(ip + 4);
      if (fs & 0x0001) {
        const last = u16[p16 + IP_ID_LAST];
        idDiff = ipID - last;
        if (ipID < last) ipF |= 0x0004;
        const min = u16[p16 + IP_ID_MIN];
        u16[p16 + IP_ID_MIN] = idDiff < min ? idDiff : min;
        const max = u16[p16 + IP_ID_MAX];
        u16[p16 + IP_ID_MAX] = idDiff > max ? idDiff : max;
      }
    }
    u8[p8 + TOS] |= tos;

    // §5.6 IPv4 header checksum
    let ipHdrSum = 0;
    let ipCalSum = 0;
    if (!v6 && cfg.checksum > 0) {
      ipHdrSum = p.u16(ip + 10);
      if (p.snapL3Len < l3HdrLen) ipF |= 0x1400;
      else {
        ipCalSum = checksumOf(csum(p.data, ip, l3HdrLen, p.end, 0, 5));
        if (ipCalSum !== ipHdrSum) ipF |= 0x0400;
      }
    }

    // §5.7, §5.8 layer-4 checksum
    let l4HdrSum = 0;
    let l4CalSum = 0;
    let l4HdrLenLocal = 8;
    const chkFirst = v6 ? (offU & 0xff1f) === 0 : offU === 0;
    if (cfg.checksum > 1) {
      let chkLen = l4Len;
      let useP = true;
      let sumWord = 0;
      let skip = false;
      const proto = p.l4Proto;
      if (chkFirst) {
        fs |= 0x1000;
        switch (proto) {
          case 1:
          case 2:
            sumWord = 1;
            useP = false;
            break;
          case 58:
            sumWord = 1;
            l4HdrLenLocal = 4;
            break;
          case 6:
            sumWord = 8;
            l4HdrLenLocal = p.l4HdrLen;
            break;
          case 136: {
            sumWord = 3;
            const ulen = p.u16(l4 + 4);
            if (ulen >= 8 && ulen <= l4Len) chkLen = ulen;
            else ipF |= 0x2000;
            if (p.snapL4Len !== ulen) ipF |= 0x2000;
            break;
          }
          case 17:
            sumWord = 3;
            if (p.snapL4Len !== p.u16(l4 + 4)) ipF |= 0x2000;
            break;
          case 47:
            if (p.u8(l4) & 0x80) sumWord = 2;
            else l4HdrLenLocal = 4;
            break;
          case 89:
            sumWord = 6;
            if (p.u8(l4) === 2) {
              l4HdrLenLocal = 24;
              useP = false;
            } else {
              l4HdrLenLocal = 16;
            }
            break;
          default:
            if (p.snapL3Len < l3Len) ipF |= 0x1800;
            fs &= ~0x1000;
            skip = true;
        }
        if (!skip) {
          l4HdrSum = p.u16(l4 + 2 * sumWord);
          u16[p16 + L4_HDR_SUM] = l4HdrSum;
          u32[p32 + TOT_L4_LEN] = 0;
          if (p.snapL3Len < l3Len || p.snapL4Len < l4Len) ipF |= 0x1800;
          else if (sumWord !== 0) u16[p16 + L4_SUM] = csum(p.data, l4, chkLen, p.end, 0, sumWord);
        }
      }
      if (!skip) {
        u32[p32 + TOT_L4_LEN] += l4Len;
        if (!mf) {
          if (useP) {
            const len = chkFirst ? l4Len : u32[p32 + TOT_L4_LEN] & 0xffff;
            u16[p16 + L4_SUM] = pseudoSum(p.addr, v6, proto, len, u16[p16 + L4_SUM]);
          }
          l4HdrSum = u16[p16 + L4_HDR_SUM];
          const sum = u16[p16 + L4_SUM];
          l4CalSum = sum !== 0xffff ? checksumOf(sum) : 0xffff;
          if (l4HdrSum !== l4CalSum) ipF |= 0x0800;
          fs &= ~0x1000;
        }
      }
    } else if (chkFirst && p.l4Proto === 6) {
      l4HdrLenLocal = p.l4HdrLen;
    }

    // §5.9 inter-packet distance (seconds as unsigned 32-bit: a step back in seconds is huge)
    const nowSec = p.tsSec;
    const nowNs = p.tsNs;
    const d = Math.fround(
      ((nowSec - d64[p64 + LAST_SEC]) >>> 0) + (nowNs - u32[p32 + LAST_NS]) / 1e9,
    );
    if (fs & 0x0001) {
      if (d === 0) ipF |= 0x4000;
      else if (d < 0) {
        ipF |= 0x8000;
        this.#ctx.setFlowStatus(flow, 0, TIMEJUMP_H);
      }
    }
    d64[p64 + LAST_SEC] = nowSec;
    u32[p32 + LAST_NS] = nowNs;

    // §5.10 fragments
    if (cfg.frag && (v6 ? offU !== 0 : mf || offU !== 0)) {
      const pos = v6 ? (((offU & 0xff) << 8) | (offU >>> 8)) & 0x1fff : offU;
      if (mf && l3Len < 48) ipF |= 0x0008;
      if (pos - u16[p16 + FRAG_NEXT] > 1) ipF |= 0x0100;
      u16[p16 + FRAG_NEXT] = pos + (l4Len >>> 3);
      if (u16[p16 + FRAG_NEXT] > 0x1fff) ipF |= 0x0010;
    }

    // §5.11
    u16[p16 + IP_FLAGS] |= ipF;
    u16[p16 + IP_ID_LAST] = ipID;

    // §5.12 trip and round-trip times, measured on the opposite flow
    if (o >= 0 && u8[p8 + RTT_STATE] !== RTT_STOP) this.#trip(p, flow, o);

    // §5.13 packet mode: the IP part
    if (pf) {
      this.#tosValue(pf, tos);
      pf.uint(ipID);
      pf.int(idDiff);
      pf.hex(fragWord, 4);
      pf.uint(ttl);
      pf.hex(ipHdrSum, 4);
      pf.hex(ipCalSum, 4);
      pf.hex(l4HdrSum, 4);
      pf.hex(l4CalSum, 4);
      pf.hex(ipF, 4);
      if (v6) {
        pf.int(hhLen);
        optionBytes(pf, p, hh + 2, hhLen);
        pf.int(doLen);
        optionBytes(pf, p, dOpt + 2, doLen);
        pf.text("0");
        pf.empty();
      } else {
        pf.text("0");
        pf.empty();
        pf.text("0");
        pf.empty();
        pf.int(optLen);
        optionBytes(pf, p, ip + 20, optLen);
      }
    }

    // §5.14 not TCP, or a later fragment
    const tcpFirst = cfg.frag ? (offU & 0x1f1f) === 0 : offU === 0;
    if (p.l4Proto !== 6 || !tcpFirst) {
      if (pf) this.#emptyTcpPart(pf);
      if (f32[p32 + PKT_CNT] === 1) u8[p8 + RTT_STATE] = RTT_SYN_ACK;
      else if (u8[p8 + RTT_STATE] === RTT_SYN_ACK) u8[p8 + RTT_STATE] = RTT_ACK;
      u16[p16 + STAT] |= fs | 0x0001;
      return;
    }
    this.#gap[0] = d;
    this.#tcp(p, flow, o, fs, anom, l4HdrLenLocal, l4Len, pf);
  }

  /** IPv4 options (§5.3): returns the ipFlags bits. */
  #ipv4Options(p: Packet, flow: number, opt: number, optLen: number): number {
    const u32 = this.#u32;
    const u16 = this.#u16;
    const u8 = this.#u8;
    const p32 = flow * this.#w32;
    const p16 = flow * this.#w16;
    const p8 = flow * this.#w8;
    let i = 0;
    while (i < optLen) {
      const kind = p.u8(opt + i);
      if (kind === 0) break;
      u8[p8 + IP_CP_CL] |= kind & 0xe0;
      u32[p32 + IP_OPTS] |= 1 << (kind & 0x1f);
      u16[p16 + IP_OPT_CNT]++;
      if (kind > 1) {
        const len = p.u8(opt + i + 1);
        if (len === 0) return 0x0001;
        i += len;
      } else {
        i++;
      }
    }
    return 0;
  }

  /**
   * IPv6 options of a hop-by-hop or destination options area (§5.3): the bitmap at 32-bit
   * index `bitmap`, the count at 16-bit index `count` of the records.
   */
  #ipv6Options(p: Packet, opt: number, len: number, bitmap: number, count: number): void {
    let i = 0;
    while (i < len) {
      const type = p.u8(opt + i);
      if (type === 0) break;
      this.#u32[bitmap] |= 1 << (type & 0x1f);
      this.#u16[count]++;
      i += p.u8(opt + i + 1) + 2;
    }
  }

  /**
   * §5.12: this packet ends a trip of the opposite flow's last packet. Takes the packet, not its
   * time: seconds above 2^30 passed to a call that is not inlined are boxed (a heap number).
   */
  #trip(p: Packet, flow: number, o: number): void {
    const nowSec = p.tsSec;
    const nowNs = p.tsNs;
    const f32 = this.#f32;
    const u8 = this.#u8;
    const p32 = flow * this.#w32;
    const o32 = o * this.#w32;
    const o8 = o * this.#w8;
    // The opposite flow's last packet time, kept in its record too (equal to the core's
    // lastSeen of an IP flow, and in the cache lines read below anyway).
    const nsDiff = Math.fround(Math.fround(nowNs) - Math.fround(this.#u32[o32 + LAST_NS]));
    const t = Math.fround(Math.abs((nowSec - this.#d64[o * this.#w64 + LAST_SEC]) + nsDiff / 1e9));
    if (t < f32[o32 + RTT_MIN]) f32[o32 + RTT_MIN] = t;
    if (t > f32[o32 + RTT_MAX]) f32[o32 + RTT_MAX] = t;
    if ((u8[o8 + RTT_STATE] & (RTT_SYN | RTT_SYN_ACK)) && f32[o32 + PKT_CNT] === 1) {
      f32[o32 + RTT_TRIP] = t;
      f32[o32 + RTT_AVG] = t;
    } else {
      const n = f32[p32 + PKT_CNT];
      const m = Math.fround(t - f32[o32 + RTT_AVG]);
      f32[o32 + RTT_AVG] = f32[o32 + RTT_AVG] + Math.fround(m / n);
      const jit = f32[o32 + RTT_JIT];
      f32[o32 + RTT_JIT] = jit + Math.fround(Math.fround(Math.fround(m * m) - jit) / n);
      u8[o8 + RTT_STATE] = RTT_ACK;
    }
  }

  /** The TCP part of a packet (§5.15 - §5.20). */
  #tcp(
    p: Packet,
    flow: number,
    o: number,
    fs: number,
    anom: number,
    l4HdrLenLocal: number,
    l4Len: number,
    pf: PacketFile | null,
  ): void {
    const d64 = this.#d64;
    const u32 = this.#u32;
    const f32 = this.#f32;
    const u16 = this.#u16;
    const u8 = this.#u8;
    const p64 = flow * this.#w64;
    const p32 = flow * this.#w32;
    const p16 = flow * this.#w16;
    const p8 = flow * this.#w8;
    const o32 = o * this.#w32;
    const o16 = o * this.#w16;
    const o8 = o * this.#w8;
    const cfg = this.#cfg;
    const l4 = p.l4Off;
    const l7Len = p.l7Len;
    const hasO = o >= 0;
    const d = this.#gap[0];

    // §5.15 flags
    let fl = p.u8(l4 + 13);
    const tf = fl & 0x3f;
    if (tf === 0) {
      fl |= 0x0800;
      anom |= 0x1000;
    } else if (tf === 0x29) {
      fl |= 0x8000;
      anom |= 0x1000;
    }
    switch (fl & 0x17) {
      case 0x02:
        if (u8[p8 + RTT_STATE] === RTT_SYN) {
          if (d > 0.9) {
            anom |= 0x0001;
            this.#t.nSynRetry++;
          } else {
            anom |= 0x1000;
            this.#t.nScans++;
          }
        }
        if (l7Len > 0) anom |= 0x4000;
        u8[p8 + RTT_STATE] = RTT_SYN;
        break;
      case 0x12:
        fl |= 0x0200;
        u8[p8 + RTT_STATE] = RTT_SYN_ACK;
        break;
      case 0x10:
        if (u8[p8 + RTT_STATE] === RTT_SYN_ACK) u8[p8 + RTT_STATE] = RTT_ACK;
        if (hasO) {
          const os = u8[o8 + RTT_STATE];
          if (os === 0 || os === RTT_SYN_ACK) u8[o8 + RTT_STATE] = RTT_ACK;
          u32[o32 + IN_FLIGHT] = 0;
          u32[p32 + IN_FLIGHT] += l7Len;
          if (u32[p32 + IN_FLIGHT] > u32[p32 + IN_FLIGHT_MAX]) {
            u32[p32 + IN_FLIGHT_MAX] = u32[p32 + IN_FLIGHT];
          }
        }
        break;
      case 0x11:
        fl |= 0x0100;
        u8[p8 + RTT_STATE] = RTT_STOP;
        break;
      case 0x14:
        fl |= 0x0400;
        u8[p8 + RTT_STATE] = RTT_STOP;
        break;
      case 0x03:
        fl |= 0x1000;
        u8[p8 + RTT_STATE] = RTT_STOP;
        break;
      case 0x07:
        fl |= 0x2000;
        u8[p8 + RTT_STATE] = RTT_STOP;
        break;
      case 0x05:
        fl |= 0x4000;
        u8[p8 + RTT_STATE] = RTT_STOP;
        break;
      default:
        u8[p8 + RTT_STATE] = RTT_STOP;
    }

    // §5.16 options
    const optLen = l4HdrLenLocal - 20;
    let mpTyp = 0;
    let mpF = 0;
    let mpAID = 0;
    let mpDSSF = 0;
    if (optLen > 0) {
      if (p.snapL3Len < p.l3HdrLen + l4HdrLenLocal && l4Len >= l4HdrLenLocal) {
        fs |= 0x0008;
      } else {
        u16[p16 + OPT_PKT_CNT]++;
        const opt = l4 + 20;
        const ja4 = p8 + this.#r.ja4Opts;
        const ja4Max = cfg.ja4t ? cfg.ja4Max : 0;
        let i = 0;
        while (i < optLen) {
          const kind = p.u8(opt + i);
          if (kind === 0) break;
          u16[p16 + OPT_CNT]++;
          if (u16[p16 + JA4_CNT] < ja4Max && (fl & 0x02)) {
            u8[ja4 + u16[p16 + JA4_CNT]++] = kind;
          }
          u32[p32 + TCP_OPTS] |= kind < 31 ? 1 << kind : 0x80000000;
          const len = p.u8(opt + i + 1);
          if (kind > 1 && len === 0) {
            fs |= 0x0008;
            break;
          }
          switch (kind) {
            case 2:
              u16[p16 + MSS] = p.u16(opt + i + 2);
              break;
            case 5:
              fs |= 0x4000;
              break;
            case 3:
              if (fl & 0x02) {
                u8[p8 + WS_SHIFT] = p.u8(opt + i + 2);
                if ((fl & 0x12) === 0x12) {
                  u16[p16 + STAT] |= 0x0200;
                  if (hasO) u16[o16 + STAT] |= 0x0200;
                }
              }
              break;
            case 8: {
              p.u32Into(u32, p32 + TS_VAL, opt + i + 2);
              p.u32Into(u32, p32 + TS_ECR, opt + i + 6);
              d64[p64 + TS_LAST_SEC] = p.tsSec;
              u32[p32 + TS_LAST_NS] = p.tsNs;
              if (u32[p32 + TS_VAL] < u32[p32 + TS_VAL_MAX]) fs |= 0x0004;
              else {
                u32[p32 + TS_VAL_MAX] = u32[p32 + TS_VAL];
                if (!(fs & 0x0002)) {
                  u32[p32 + TS_VAL_INIT] = u32[p32 + TS_VAL];
                  d64[p64 + TS_FIRST_SEC] = p.tsSec;
                  u32[p32 + TS_FIRST_NS] = p.tsNs;
                  fs |= 0x0002;
                }
              }
              break;
            }
            case 30: {
              const b2 = p.u8(opt + i + 2);
              const b3 = p.u8(opt + i + 3);
              const st = b2 >>> 4;
              mpTyp = st;
              u16[p16 + MP_TBF] |= 1 << st;
              if (st === 0) {
                mpF = b3;
                u8[p8 + MP_F] |= mpF;
              } else if (st === 1 || st === 5) {
                if (len <= 16) {
                  mpF = b2 & 0x0f;
                  mpAID = b3;
                  u8[p8 + MP_F] |= mpF;
                  u8[p8 + MP_AID] = mpAID;
                }
              } else if (st === 2) {
                mpDSSF = b3 & 0x1f;
                u8[p8 + MP_DSSF] |= mpDSSF;
              } else if (st === 3 || st === 4) {
                mpAID = b3;
                u8[p8 + MP_AID] = mpAID;
              }
              fs |= 0x8000;
              this.#t.nMptcpOpts++;
              break;
            }
          }
          i += kind > 1 ? len : 1;
        }
      }
    }

    // §5.17 effective window
    let win = p.u16(l4 + 14);
    let ws = 0;
    if (fs & 0x0200) {
      ws = (1 << u8[p8 + WS_SHIFT]) & 0xffff;
      win = (win * ws) >>> 0;
    }

    // §5.18 window statistics
    if (cfg.window) {
      this.#t.nTcpPkts++;
      u32[p32 + WIN_PKTS]++;
      if (!(fl & 0x07) && win < cfg.winMin) {
        this.#t.nLowWin++;
        u32[p32 + WIN_MIN_CNT]++;
        fs |= 0x0100;
      }
      if (!(fs & 0x0010)) {
        u32[p32 + WIN_MIN] =
          u32[p32 + WIN_MAX] =
          u32[p32 + WIN_INIT] =
          u32[p32 + WIN_LAST] =
            win;
        f32[p32 + WIN_AVG] = win;
        fs |= 0x0010;
      }
      f32[p32 + WIN_AVG] = f32[p32 + WIN_AVG] * 0.7 + Math.fround(win) * 0.3;
      const last = u32[p32 + WIN_LAST];
      if (!(fs & 0x0800)) {
        if (win < last) {
          u16[p16 + WIN_DOWN]++;
          if (win < u32[p32 + WIN_MIN]) u32[p32 + WIN_MIN] = win;
        } else if (win > last) {
          u16[p16 + WIN_DIR_CHG]++;
          u16[p16 + WIN_UP]++;
          if (win > u32[p32 + WIN_MAX]) u32[p32 + WIN_MAX] = win;
          fs |= 0x0800;
        }
      } else if (win > last) {
        u16[p16 + WIN_UP]++;
        if (win > u32[p32 + WIN_MAX]) u32[p32 + WIN_MAX] = win;
      } else if (win < last) {
        u16[p16 + WIN_DIR_CHG]++;
        u16[p16 + WIN_DOWN]++;
        if (win < u32[p32 + WIN_MIN]) u32[p32 + WIN_MIN] = win;
        fs &= ~0x0800;
      }
    }

    // §5.19 sequence and ACK numbers
    // Through a typed array: a number above 2^30 returned by a call not inlined is boxed.
    const num = this.#seqAck;
    p.u32Into(num, 0, l4 + 4);
    p.u32Into(num, 1, l4 + 8);
    const seq = num[0];
    const ack = num[1];
    let sd = 0;
    let ad = 0;
    let seqLen = 0;
    let ackLen = 0;
    if (cfg.seqAck) {
      if (hasO && !(fl & 0x07)) {
        if (u32[o32 + WIN_LAST] === 0 && l7Len === 1) fs |= 0x0040;
        else if ((u16[o16 + STAT_LAST] & 0x0040) && win === 0 && l7Len === 0) fs |= 0x0080;
      }
      if ((fl & 0x10) && !(fs & 0x00c0)) {
        if (l7Len <= 1 && !(fl & 0x07)) {
          if (seq === ((u32[p32 + SEQ_MAX] - 1) >>> 0)) anom |= 0x0010;
          else if (hasO && u32[o32 + SEQ_NEXT] === ((ack - 1) >>> 0)) anom |= 0x0020;
        }
        if (u32[p32 + ACK_LAST] === ack && !(anom & 0x0030)) {
          if ((fs & 0x0001) && !(fl & 0x07) && l7Len === 0) {
            if (
              u32[p32 + WIN_LAST] === win ||
              ((fs & 0x0200) && ((u32[p32 + WIN_LAST] * ws) >>> 0) === win)
            ) {
              anom |= 0x0008;
              u16[p16 + ACK_FAULT_CNT]++;
            } else if (seq === u32[p32 + SEQ_NEXT]) {
              fs |= 0x0020;
            }
          }
          if (!(fl & 0x07) && seq < u32[p32 + SEQ_MAX]) anom |= 0x0040;
          else if (seq < u32[p32 + SEQ_NEXT]) {
            if (
              hasO && d > Math.fround(f32[o32 + RTT_AVG] + f32[p32 + RTT_AVG]) * 1.5 &&
              u32[p32 + WIN_LAST] === win
            ) {
              anom |= 0x0002;
              this.#t.nSeqRetry++;
              u16[p16 + SEQ_FAULT_CNT]++;
            }
          }
          if (
            hasO && (u16[o16 + ANOMALY_LAST] & 0x0008) && seq === u32[o32 + ACK_LAST] &&
            (l7Len > 0 || (fl & 0x03)) && seq < u32[p32 + SEQ_NEXT]
          ) {
            anom |= 0x0004;
            this.#t.nSeqRetry++;
            u16[p16 + SEQ_FAULT_CNT]++;
          }
          if (hasO && u32[o32 + ACK_LAST] > seq) anom |= 0x0080;
        }
        if (seq === u32[p32 + SEQ_NEXT]) u16[p16 + SEQ_OK_CNT]++;
        if (hasO && u32[o32 + SEQ_MAX] < ack) {
          anom |= 0x0100;
          u16[p16 + ACK_FAULT_CNT]++;
        }
        if (!(u8[p8 + LAST_FLAGS] & 0x07) && seq > u32[p32 + SEQ_MAX]) anom |= 0x0200;
        if (u32[p32 + SEQ_LAST] !== 0) {
          sd = (seq - u32[p32 + SEQ_LAST]) | 0;
          seqLen = sd > 0 ? sd : 0;
          if ((u8[p8 + LAST_FLAGS] & 0x07) && sd === 1) seqLen = 0;
          d64[p64 + SEQ_BYTES] += seqLen;
        }
        if (u32[p32 + ACK_LAST] !== 0) {
          ad = (ack - u32[p32 + ACK_LAST]) | 0;
          ackLen = ad > 0 ? ad : 0;
          if (
            ((u8[p8 + LAST_FLAGS] & 0x07) || (hasO && (u8[o8 + LAST_FLAGS] & 0x07))) && ad === 1
          ) {
            ackLen = 0;
          }
          d64[p64 + ACK_BYTES] += ackLen;
        }
        u16[p16 + ACK_CNT]++;
      }
      d64[p64 + M_LEN] += l7Len;
      if (
        hasO && !(fs & 0x00c0) && u32[p32 + IN_FLIGHT] >= u32[o32 + WIN_LAST] &&
        !(u8[o8 + LAST_FLAGS] & 0x04) && (u16[p16 + FLAGS_AGG] & 0x02)
      ) {
        fs |= 0x0400;
      }
    }
    if ((anom & 0x1000) || (u16[p16 + ANOMALY] & 0x1000)) anom &= ~0x003f;

    // §5.20 packet mode, then the state update
    if (pf) {
      if (cfg.seqAck) {
        this.#seqAckValues(pf, flow, seq, ack, u32[p32 + SEQ_MAX]);
        pf.int(sd);
        pf.int(ad);
        pf.uint(seqLen);
        pf.uint(ackLen);
        pf.int(d64[p64 + SEQ_BYTES]);
        pf.int(d64[p64 + ACK_BYTES]);
        pf.int(d64[p64 + M_LEN]);
        pf.uint(u32[p32 + IN_FLIGHT]);
      }
      pf.hex(fs, 4);
      pf.hex(fl, 4);
      pf.hex(anom, 4);
      pf.uint(win);
      pf.uint(ws);
      pf.uint(u16[p16 + MSS]);
      pf.uint(u32[p32 + TS_VAL]);
      pf.uint(u32[p32 + TS_ECR]);
      pf.uint(mpTyp);
      pf.hex(mpF, 2);
      pf.uint(mpAID);
      pf.hex(mpDSSF, 2);
      pf.int(optLen);
      optionBytes(pf, p, l4 + 20, optLen);
    }
    u32[p32 + SEQ_LAST] = seq;
    let next = seq + l7Len;
    if (fl & 0x07) next += 1;
    else if (fs & 0x0040) next -= 1;
    u32[p32 + SEQ_NEXT] = next;
    u32[p32 + ACK_LAST] = ack;
    if (u32[p32 + SEQ_NEXT] > u32[p32 + SEQ_MAX]) u32[p32 + SEQ_MAX] = u32[p32 + SEQ_NEXT];
    u32[p32 + WIN_LAST] = win;
    u8[p8 + LAST_FLAGS] = fl & 0xff;
    u16[p16 + FLAGS_AGG] |= fl;
    u16[p16 + ANOMALY] |= anom;
    u16[p16 + ANOMALY_LAST] = anom;
    fs |= 0x0001;
    u16[p16 + STAT] |= fs;
    u16[p16 + STAT_LAST] = fs;
    // FIN or RST first: most packets then skip reading the opposite flow's status.
    if ((fl & 0x05) && hasO && (this.#flows.statusHi[o] & IPV4_FRAG_PENDING_H)) {
      u16[o16 + IP_FLAGS] |= 0x0200;
    }
    if (u8[p8 + SCAN_PKTS] < 6) u8[p8 + SCAN_PKTS]++;
    if (cfg.flagCount) {
      const c = p16 + this.#r.flagCounts;
      for (let b = 0; b < 16; b++) if (fl & (1 << b)) u16[c + b]++;
    }
  }

  /** Packet mode: seq, ack and seqMax as the settings ask. */
  #seqAckValues(pf: PacketFile, flow: number, seq: number, ack: number, seqMax: number) {
    const u32 = this.#u32;
    const p32 = flow * this.#w32;
    let a = ack;
    let b = seq;
    let m = seqMax;
    if (this.#cfg.seqAckRel) {
      const o = this.#flows.opposite[flow];
      b = (seq - u32[p32 + SEQ_INIT]) >>> 0;
      m = (seqMax - u32[p32 + SEQ_INIT]) >>> 0;
      a = o >= 0 ? (ack - u32[o * this.#w32 + SEQ_INIT]) >>> 0 : ack;
    }
    for (const v of [b, a, m]) {
      if (this.#cfg.seqAckHex) pf.hex(v, 8);
      else pf.uint(v);
    }
  }

  /** Packet mode: the ToS value in the form IPTOS asks for. */
  #tosValue(pf: PacketFile, tos: number): void {
    const mode = this.#cfg.ipTos;
    if (mode === 0) pf.hex(tos, 2);
    else if (mode === 1) pf.text(`${tos >>> 2}_${tos & 3}`);
    else pf.text(`${tos >>> 5}_${tos & 3}`);
  }

  /** Packet mode: the TCP columns of a packet that is not parsed as TCP. */
  #emptyTcpPart(pf: PacketFile): void {
    if (this.#cfg.seqAck) pf.empty(11);
    pf.text("0x0000");
    pf.empty(11);
    pf.text("0");
    pf.empty();
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

/** Packet mode: `n` bytes from `at` as `0x%02x` joined by `;` (bytes past the capture: 0). */
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
