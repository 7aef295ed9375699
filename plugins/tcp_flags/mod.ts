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
  type PerFlow,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  readableSuffix,
  type ReportWriter,
} from "../../mod.ts";
import { checksumOf, csum } from "./checksum.ts";
import { ja4tText, sub, tickEstimate } from "./flow_end.ts";

const { L2_IPV6, L2_FLOW } = flowStatus;
const { TIMEJUMP_H, IPV4_FRAG_ERR_H, IPV4_FRAG_PENDING_H } = flowStatus;

/** rttState values. */
const RTT_SYN = 0x01;
const RTT_SYN_ACK = 0x02; // also: the first packet of a non-TCP flow
const RTT_ACK = 0x04;
const RTT_STOP = 0x80;

const TWO64 = 18446744073709551616;

/** The tcpFlags plugin. */
export const tcpFlags: PluginDefinition = {
  name: "tcpFlags",
  number: 130,
  version: "0.9.3",
  settings: {
    IPTOS: {
      type: "int",
      default: 0,
      min: 0,
      max: 2,
      description: "ToS column: 0 ipToS (hex), 1 ipToSDscp_ecn (DSCP, ECN), 2 ipToSPrec_ecn",
    },
    RTT_ESTIMATE: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Round-trip and trip time estimates (7 columns)",
    },
    IPCHECKSUM: {
      type: "int",
      default: 2,
      min: 0,
      max: 2,
      description: "Checksums checked: 0 none, 1 IPv4 header, 2 IPv4 header and layer 4",
    },
    WINDOWSIZE: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "TCP window statistics (8 columns)",
    },
    WINMIN: {
      type: "int",
      default: 1,
      min: 0,
      description: "A TCP window below this counts as low",
    },
    SEQ_ACK_NUM: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "TCP sequence and ACK analysis (8 columns, 11 packet-mode columns)",
    },
    FRAG_ANALYZE: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "IP fragment checks",
    },
    NAT_BT_EST: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "TCP timestamps, up-time and boot-time estimate (5 columns)",
    },
    SCAN_DETECTOR: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Classify scans when a flow ends",
    },
    MPTCP: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "MPTCP option columns (4)",
    },
    TCPJA4T: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Column tcpJA4T (JA4T/JA4TS fingerprint)",
    },
    JA4TOPTMX: {
      type: "int",
      default: 20,
      min: 0,
      max: 255,
      description: "Option kinds remembered for the JA4T fingerprint",
    },
    TCPFLGCNT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "Column of per-flag packet counts after tcpAnomaly",
    },
    SPKTMD_SEQACKREL: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "Packet mode: sequence and ACK numbers relative to the first ones seen",
    },
    SPKTMD_SEQACKHEX: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "Packet mode: sequence and ACK numbers in hex",
    },
  },
  create: (ctx) => new TcpFlags(ctx),
};

/** Per-flow state (spec §4). */
const STATE = {
  lastSec: Float64Array, // time of the flow's previous packet
  lastNs: Uint32Array,
  tsFirstSec: Float64Array, // time of the first and last TCP timestamp option
  tsFirstNs: Uint32Array,
  tsLastSec: Float64Array,
  tsLastNs: Uint32Array,
  seqBytes: Float64Array,
  ackBytes: Float64Array,
  mLen: Float64Array,
  seqNext: Uint32Array,
  seqLast: Uint32Array,
  ackLast: Uint32Array,
  seqInit: Uint32Array,
  seqMax: Uint32Array,
  ip6HHOpts: Uint32Array,
  ip6DOpts: Uint32Array,
  ipOpts: Uint32Array,
  tcpOpts: Uint32Array,
  tsVal: Uint32Array,
  tsEcr: Uint32Array,
  tsValInit: Uint32Array,
  tsValMax: Uint32Array,
  inFlight: Uint32Array,
  inFlightMax: Uint32Array,
  winInit: Uint32Array,
  winMinCnt: Uint32Array,
  winPkts: Uint32Array,
  winMin: Uint32Array,
  winMax: Uint32Array,
  winLast: Uint32Array,
  totL4Len: Uint32Array,
  rttTrip: Float32Array,
  rttMin: Float32Array,
  rttMax: Float32Array,
  rttAvg: Float32Array,
  rttJit: Float32Array,
  pktCnt: Float32Array,
  winAvg: Float32Array,
  winUp: Uint16Array,
  winDown: Uint16Array,
  winDirChg: Uint16Array,
  seqOkCnt: Uint16Array,
  seqFaultCnt: Uint16Array,
  ackCnt: Uint16Array,
  ackFaultCnt: Uint16Array,
  l4HdrSum: Uint16Array,
  l4Sum: Uint16Array,
  stat: Uint16Array,
  statLast: Uint16Array,
  anomaly: Uint16Array,
  anomalyLast: Uint16Array,
  mss: Uint16Array,
  optCnt: Uint16Array,
  optPktCnt: Uint16Array,
  ipIdLast: Uint16Array,
  ipIdMin: Uint16Array,
  ipIdMax: Uint16Array,
  ipFlags: Uint16Array,
  fragNext: Uint16Array,
  flagsAgg: Uint16Array,
  mpTBF: Uint16Array,
  ip6HHCnt: Uint16Array,
  ip6DCnt: Uint16Array,
  ipOptCnt: Uint16Array,
  ja4Cnt: Uint16Array,
  ipCpCl: Uint8Array,
  wsShift: Uint8Array,
  tos: Uint8Array,
  ttlMin: Uint8Array,
  ttlMax: Uint8Array,
  ttlChg: Uint8Array,
  ttlLast: Uint8Array,
  rttState: Uint8Array,
  lastFlags: Uint8Array,
  mpF: Uint8Array,
  mpAID: Uint8Array,
  mpDSSF: Uint8Array,
  scanPkts: Uint8Array,
};

type State = PerFlow<typeof STATE>;

/** The settings of one run, as numbers and flags. */
interface Config {
  readonly ipTos: number;
  readonly rtt: boolean;
  readonly checksum: number;
  readonly window: boolean;
  readonly winMin: number;
  readonly seqAck: boolean;
  readonly frag: boolean;
  readonly natBt: boolean;
  readonly scan: boolean;
  readonly mptcp: boolean;
  readonly ja4t: boolean;
  readonly ja4Max: number;
  readonly flagCount: boolean;
  readonly seqAckRel: boolean;
  readonly seqAckHex: boolean;
}

/** One run of the plugin. */
class TcpFlags implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #flows: Flows;
  readonly #cfg: Config;
  readonly #s: State;
  /** The arrays of `#s`, cleared for a new flow. */
  readonly #arrays:
    readonly (Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array)[];
  /** JA4TOPTMX option kinds per flow. */
  readonly #ja4Opts: Uint8Array;
  /** Per flow, 16 packet counts, one per bit of the tcpFlags column (TCPFLGCNT). */
  readonly #flagCnt: Uint16Array;
  /** Pseudo header bytes for the layer-4 checksum. */
  readonly #pseudo = new Uint8Array(40);
  /** A timersub result. */
  readonly #diff = new Float64Array(2);
  // Run aggregates.
  #aggIpFlags = 0;
  #aggTcpFStat = 0;
  #aggTcpFlags = 0;
  #aggTcpAnomaly = 0;
  #aggIpToS = 0;
  #aggMpTBF = 0;
  #aggMpF = 0;
  #nScans = 0;
  #nSuccScans = 0;
  #nSynRetry = 0;
  #nSeqRetry = 0;
  #nLowWin = 0;
  #nTcpPkts = 0;
  #nMptcpOpts = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#flows = ctx.flows;
    const on = (name: string) => ctx.num(name) !== 0;
    this.#cfg = {
      ipTos: ctx.num("IPTOS"),
      rtt: on("RTT_ESTIMATE"),
      checksum: ctx.num("IPCHECKSUM"),
      window: on("WINDOWSIZE"),
      winMin: ctx.num("WINMIN"),
      seqAck: on("SEQ_ACK_NUM"),
      frag: on("FRAG_ANALYZE"),
      natBt: on("NAT_BT_EST"),
      scan: on("SCAN_DETECTOR"),
      mptcp: on("MPTCP"),
      ja4t: on("TCPJA4T"),
      ja4Max: ctx.num("JA4TOPTMX"),
      flagCount: on("TCPFLGCNT"),
      seqAckRel: on("SPKTMD_SEQACKREL"),
      seqAckHex: on("SPKTMD_SEQACKHEX"),
    };
    this.#s = ctx.perFlow(STATE);
    this.#arrays = Object.values(this.#s);
    const slots = ctx.flows.capacity;
    this.#ja4Opts = new Uint8Array(this.#cfg.ja4t ? slots * this.#cfg.ja4Max : 0);
    this.#flagCnt = new Uint16Array(this.#cfg.flagCount ? slots * 16 : 0);
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
    const pf = this.#ctx.packetFile;
    if (!pf) return;
    const tos = ["ipToS", "ipToSDscp_ecn", "ipToSPrec_ecn"][this.#cfg.ipTos];
    pf.header(tos, "ipID", "ipIDDiff", "ipFrag", "ipTTL", "ipHdrChkSum", "ipCalChkSum");
    pf.header("l4HdrChkSum", "l4CalChkSum", "ipFlags", "ip6HHOptLen", "ip6HHOpts");
    pf.header("ip6DOptLen", "ip6DOpts", "ipOptLen", "ipOpts");
    if (this.#cfg.seqAck) {
      pf.header("seq", "ack", "seqMax", "seqDiff", "ackDiff", "seqLen", "ackLen");
      pf.header("seqFlowLen", "ackFlowLen", "tcpMLen", "tcpBFlgt");
    }
    pf.header("tcpFStat", "tcpFlags", "tcpAnomaly", "tcpWin", "tcpWS", "tcpMSS", "tcpTmS");
    pf.header("tcpTmER", "tcpMPTyp", "tcpMPF", "tcpMPAID", "tcpMPDSSF", "tcpOptLen", "tcpOpts");
  }

  /** Packet-mode columns of this plugin. */
  get #packetColumns(): number {
    return this.#cfg.seqAck ? 41 : 30;
  }

  // ------------------------------------------------------------------ new flow (§4)
  onNewFlow(p: Packet, flow: number): void {
    const s = this.#s;
    const arrays = this.#arrays;
    for (let i = 0; i < arrays.length; i++) arrays[i][flow] = 0;
    if (this.#ja4Opts.length) {
      const n = this.#cfg.ja4Max;
      this.#ja4Opts.fill(0, flow * n, flow * n + n);
    }
    if (this.#flagCnt.length) this.#flagCnt.fill(0, flow * 16, flow * 16 + 16);
    s.lastSec[flow] = p.tsSec;
    s.lastNs[flow] = p.tsNs;
    s.ipIdMin[flow] = 0xffff;
    s.rttMin[flow] = 65535;
    if (this.#flows.statusLo[flow] & L2_FLOW) return;
    const ip = p.l3Off;
    let ttl: number;
    if (p.statusLo & L2_IPV6) {
      ttl = p.u8(ip + 7);
    } else {
      ttl = p.u8(ip + 8);
      s.ipIdLast[flow] = p.u16(ip + 4);
    }
    s.ttlLast[flow] = s.ttlMin[flow] = s.ttlMax[flow] = ttl;
    if (p.l4Proto !== 6) return;
    // T2 reads the TCP header here whatever the packet is (a headless fragment's payload).
    const l4 = p.l4Off;
    p.u32Into(s.seqInit, flow, l4 + 4);
    s.seqLast[flow] = s.seqNext[flow] = s.seqMax[flow] = s.seqInit[flow];
    p.u32Into(s.ackLast, flow, l4 + 8);
    if (p.u8(l4 + 13) === 0x02 && p.snapL7Len > 0) s.anomaly[flow] |= 0x4000;
  }

  onLayer2(_p: Packet, flow: number): void {
    if (flow !== NO_FLOW) this.#ctx.packetFile?.empty(this.#packetColumns);
  }

  // ------------------------------------------------------------------ per packet (§5)
  onLayer4(p: Packet, flow: number): void {
    const s = this.#s;
    const cfg = this.#cfg;
    const flows = this.#flows;
    const pf = this.#ctx.packetFile;
    const o = flows.opposite[flow];
    const v6 = (p.statusLo & L2_IPV6) !== 0;
    const ip = p.l3Off;
    const l4 = p.l4Off;
    const l3Len = p.l3Len;
    const l3HdrLen = p.l3HdrLen;
    const l4Len = (l3Len - l3HdrLen) & 0xffff;
    let fs = s.stat[flow] & 0x8a13;
    const anom = 0;
    let ipF = 0;

    // §5.1
    s.pktCnt[flow] += 1;

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
        if (hhLen > 0) this.#ipv6Options(p, flow, hh + 2, hhLen, s.ip6HHOpts, s.ip6HHCnt);
        if (doLen > 0) this.#ipv6Options(p, flow, dOpt + 2, doLen, s.ip6DOpts, s.ip6DCnt);
      }
    }

    // §5.4 TTL
    if (ttl !== s.ttlLast[flow]) s.ttlChg[flow]++;
    s.ttlLast[flow] = ttl;
    if (ttl < s.ttlMin[flow]) s.ttlMin[flow] = ttl;
    if (ttl > s.ttlMax[flow]) s.ttlMax[flow] = ttl;

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
        const last = s.ipIdLast[flow];
        idDiff = ipID - last;
        if (ipID < last) ipF |= 0x0004;
        const min = s.ipIdMin[flow];
        s.ipIdMin[flow] = idDiff < min ? idDiff : min;
        const max = s.ipIdMax[flow];
        s.ipIdMax[flow] = idDiff > max ? idDiff : max;
      }
    }
    s.tos[flow] |= tos;

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
          s.l4HdrSum[flow] = l4HdrSum;
          s.totL4Len[flow] = 0;
          if (p.snapL3Len < l3Len || p.snapL4Len < l4Len) ipF |= 0x1800;
          else if (sumWord !== 0) s.l4Sum[flow] = csum(p.data, l4, chkLen, p.end, 0, sumWord);
        }
      }
      if (!skip) {
        s.totL4Len[flow] += l4Len;
        if (!mf) {
          if (useP) {
            const len = chkFirst ? l4Len : s.totL4Len[flow] & 0xffff;
            s.l4Sum[flow] = this.#pseudoSum(p, v6, proto, len, s.l4Sum[flow]);
          }
          l4HdrSum = s.l4HdrSum[flow];
          const sum = s.l4Sum[flow];
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
    const d = Math.fround(((nowSec - s.lastSec[flow]) >>> 0) + (nowNs - s.lastNs[flow]) / 1e9);
    if (fs & 0x0001) {
      if (d === 0) ipF |= 0x4000;
      else if (d < 0) {
        ipF |= 0x8000;
        this.#ctx.setFlowStatus(flow, 0, TIMEJUMP_H);
      }
    }
    s.lastSec[flow] = nowSec;
    s.lastNs[flow] = nowNs;

    // §5.10 fragments
    if (cfg.frag && (v6 ? offU !== 0 : mf || offU !== 0)) {
      const pos = v6 ? (((offU & 0xff) << 8) | (offU >>> 8)) & 0x1fff : offU;
      if (mf && l3Len < 48) ipF |= 0x0008;
      if (pos - s.fragNext[flow] > 1) ipF |= 0x0100;
      s.fragNext[flow] = pos + (l4Len >>> 3);
      if (s.fragNext[flow] > 0x1fff) ipF |= 0x0010;
    }

    // §5.11
    s.ipFlags[flow] |= ipF;
    s.ipIdLast[flow] = ipID;

    // §5.12 trip and round-trip times, measured on the opposite flow
    if (o >= 0 && s.rttState[flow] !== RTT_STOP) this.#trip(flow, o, nowSec, nowNs);

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
      if (s.pktCnt[flow] === 1) s.rttState[flow] = RTT_SYN_ACK;
      else if (s.rttState[flow] === RTT_SYN_ACK) s.rttState[flow] = RTT_ACK;
      s.stat[flow] |= fs | 0x0001;
      return;
    }
    this.#tcp(p, flow, o, fs, anom, d, l4HdrLenLocal, l4Len, pf);
  }

  /** IPv4 options (§5.3): returns the ipFlags bits. */
  #ipv4Options(p: Packet, flow: number, opt: number, optLen: number): number {
    const s = this.#s;
    let i = 0;
    while (i < optLen) {
      const kind = p.u8(opt + i);
      if (kind === 0) break;
      s.ipCpCl[flow] |= kind & 0xe0;
      s.ipOpts[flow] |= 1 << (kind & 0x1f);
      s.ipOptCnt[flow]++;
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

  /** IPv6 options of a hop-by-hop or destination options area (§5.3). */
  #ipv6Options(
    p: Packet,
    flow: number,
    opt: number,
    len: number,
    bitmap: Uint32Array,
    count: Uint16Array,
  ): void {
    let i = 0;
    while (i < len) {
      const type = p.u8(opt + i);
      if (type === 0) break;
      bitmap[flow] |= 1 << (type & 0x1f);
      count[flow]++;
      i += p.u8(opt + i + 1) + 2;
    }
  }

  /** The running layer-4 sum with the pseudo header added (§5.8 C). */
  #pseudoSum(p: Packet, v6: boolean, proto: number, len: number, init: number): number {
    const b = this.#pseudo;
    const a = p.addr;
    if (v6) {
      for (let i = 0; i < 8; i++) putU32(b, 4 * i, a[i]);
      putU32(b, 32, len);
      b[36] = b[37] = b[38] = 0;
      b[39] = proto;
      return csum(b, 0, 40, 40, init, 0);
    }
    putU32(b, 0, a[0]);
    putU32(b, 4, a[4]);
    b[8] = 0;
    b[9] = proto;
    b[10] = (len >>> 8) & 0xff;
    b[11] = len & 0xff;
    return csum(b, 0, 12, 12, init, 0);
  }

  /** §5.12: this packet ends a trip of the opposite flow's last packet. */
  #trip(flow: number, o: number, nowSec: number, nowNs: number): void {
    const s = this.#s;
    const flows = this.#flows;
    const nsDiff = Math.fround(Math.fround(nowNs) - Math.fround(flows.lastNs[o]));
    const t = Math.fround(Math.abs((nowSec - flows.lastSec[o]) + nsDiff / 1e9));
    if (t < s.rttMin[o]) s.rttMin[o] = t;
    if (t > s.rttMax[o]) s.rttMax[o] = t;
    if ((s.rttState[o] & (RTT_SYN | RTT_SYN_ACK)) && s.pktCnt[o] === 1) {
      s.rttTrip[o] = t;
      s.rttAvg[o] = t;
    } else {
      const n = s.pktCnt[flow];
      const m = Math.fround(t - s.rttAvg[o]);
      s.rttAvg[o] = s.rttAvg[o] + Math.fround(m / n);
      const jit = s.rttJit[o];
      s.rttJit[o] = jit + Math.fround(Math.fround(Math.fround(m * m) - jit) / n);
      s.rttState[o] = RTT_ACK;
    }
  }

  /** The TCP part of a packet (§5.15 - §5.20). */
  #tcp(
    p: Packet,
    flow: number,
    o: number,
    fs: number,
    anom: number,
    d: number,
    l4HdrLenLocal: number,
    l4Len: number,
    pf: PacketFile | null,
  ): void {
    const s = this.#s;
    const cfg = this.#cfg;
    const l4 = p.l4Off;
    const l7Len = p.l7Len;
    const hasO = o >= 0;

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
        if (s.rttState[flow] === RTT_SYN) {
          if (d > 0.9) {
            anom |= 0x0001;
            this.#nSynRetry++;
          } else {
            anom |= 0x1000;
            this.#nScans++;
          }
        }
        if (l7Len > 0) anom |= 0x4000;
        s.rttState[flow] = RTT_SYN;
        break;
      case 0x12:
        fl |= 0x0200;
        s.rttState[flow] = RTT_SYN_ACK;
        break;
      case 0x10:
        if (s.rttState[flow] === RTT_SYN_ACK) s.rttState[flow] = RTT_ACK;
        if (hasO) {
          const os = s.rttState[o];
          if (os === 0 || os === RTT_SYN_ACK) s.rttState[o] = RTT_ACK;
          s.inFlight[o] = 0;
          s.inFlight[flow] += l7Len;
          if (s.inFlight[flow] > s.inFlightMax[flow]) s.inFlightMax[flow] = s.inFlight[flow];
        }
        break;
      case 0x11:
        fl |= 0x0100;
        s.rttState[flow] = RTT_STOP;
        break;
      case 0x14:
        fl |= 0x0400;
        s.rttState[flow] = RTT_STOP;
        break;
      case 0x03:
        fl |= 0x1000;
        s.rttState[flow] = RTT_STOP;
        break;
      case 0x07:
        fl |= 0x2000;
        s.rttState[flow] = RTT_STOP;
        break;
      case 0x05:
        fl |= 0x4000;
        s.rttState[flow] = RTT_STOP;
        break;
      default:
        s.rttState[flow] = RTT_STOP;
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
        s.optPktCnt[flow]++;
        const opt = l4 + 20;
        const ja4 = this.#ja4Opts;
        const ja4Max = cfg.ja4t ? cfg.ja4Max : 0;
        let i = 0;
        while (i < optLen) {
          const kind = p.u8(opt + i);
          if (kind === 0) break;
          s.optCnt[flow]++;
          if (s.ja4Cnt[flow] < ja4Max && (fl & 0x02)) {
            ja4[flow * ja4Max + s.ja4Cnt[flow]++] = kind;
          }
          s.tcpOpts[flow] |= kind < 31 ? 1 << kind : 0x80000000;
          const len = p.u8(opt + i + 1);
          if (kind > 1 && len === 0) {
            fs |= 0x0008;
            break;
          }
          switch (kind) {
            case 2:
              s.mss[flow] = p.u16(opt + i + 2);
              break;
            case 5:
              fs |= 0x4000;
              break;
            case 3:
              if (fl & 0x02) {
                s.wsShift[flow] = p.u8(opt + i + 2);
                if ((fl & 0x12) === 0x12) {
                  s.stat[flow] |= 0x0200;
                  if (hasO) s.stat[o] |= 0x0200;
                }
              }
              break;
            case 8: {
              p.u32Into(s.tsVal, flow, opt + i + 2);
              p.u32Into(s.tsEcr, flow, opt + i + 6);
              s.tsLastSec[flow] = p.tsSec;
              s.tsLastNs[flow] = p.tsNs;
              if (s.tsVal[flow] < s.tsValMax[flow]) fs |= 0x0004;
              else {
                s.tsValMax[flow] = s.tsVal[flow];
                if (!(fs & 0x0002)) {
                  s.tsValInit[flow] = s.tsVal[flow];
                  s.tsFirstSec[flow] = p.tsSec;
                  s.tsFirstNs[flow] = p.tsNs;
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
              s.mpTBF[flow] |= 1 << st;
              if (st === 0) {
                mpF = b3;
                s.mpF[flow] |= mpF;
              } else if (st === 1 || st === 5) {
                if (len <= 16) {
                  mpF = b2 & 0x0f;
                  mpAID = b3;
                  s.mpF[flow] |= mpF;
                  s.mpAID[flow] = mpAID;
                }
              } else if (st === 2) {
                mpDSSF = b3 & 0x1f;
                s.mpDSSF[flow] |= mpDSSF;
              } else if (st === 3 || st === 4) {
                mpAID = b3;
                s.mpAID[flow] = mpAID;
              }
              fs |= 0x8000;
              this.#nMptcpOpts++;
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
      ws = (1 << s.wsShift[flow]) & 0xffff;
      win = (win * ws) >>> 0;
    }

    // §5.18 window statistics
    if (cfg.window) {
      this.#nTcpPkts++;
      s.winPkts[flow]++;
      if (!(fl & 0x07) && win < cfg.winMin) {
        this.#nLowWin++;
        s.winMinCnt[flow]++;
        fs |= 0x0100;
      }
      if (!(fs & 0x0010)) {
        s.winMin[flow] =
          s.winMax[flow] =
          s.winInit[flow] =
          s.winLast[flow] =
            win;
        s.winAvg[flow] = win;
        fs |= 0x0010;
      }
      s.winAvg[flow] = s.winAvg[flow] * 0.7 + Math.fround(win) * 0.3;
      const last = s.winLast[flow];
      if (!(fs & 0x0800)) {
        if (win < last) {
          s.winDown[flow]++;
          if (win < s.winMin[flow]) s.winMin[flow] = win;
        } else if (win > last) {
          s.winDirChg[flow]++;
          s.winUp[flow]++;
          if (win > s.winMax[flow]) s.winMax[flow] = win;
          fs |= 0x0800;
        }
      } else if (win > last) {
        s.winUp[flow]++;
        if (win > s.winMax[flow]) s.winMax[flow] = win;
      } else if (win < last) {
        s.winDirChg[flow]++;
        s.winDown[flow]++;
        if (win < s.winMin[flow]) s.winMin[flow] = win;
        fs &= ~0x0800;
      }
    }

    // §5.19 sequence and ACK numbers
    const seq = p.u32(l4 + 4);
    const ack = p.u32(l4 + 8);
    let sd = 0;
    let ad = 0;
    let seqLen = 0;
    let ackLen = 0;
    if (cfg.seqAck) {
      if (hasO && !(fl & 0x07)) {
        if (s.winLast[o] === 0 && l7Len === 1) fs |= 0x0040;
        else if ((s.statLast[o] & 0x0040) && win === 0 && l7Len === 0) fs |= 0x0080;
      }
      if ((fl & 0x10) && !(fs & 0x00c0)) {
        if (l7Len <= 1 && !(fl & 0x07)) {
          if (seq === ((s.seqMax[flow] - 1) >>> 0)) anom |= 0x0010;
          else if (hasO && s.seqNext[o] === ((ack - 1) >>> 0)) anom |= 0x0020;
        }
        if (s.ackLast[flow] === ack && !(anom & 0x0030)) {
          if ((fs & 0x0001) && !(fl & 0x07) && l7Len === 0) {
            if (
              s.winLast[flow] === win ||
              ((fs & 0x0200) && ((s.winLast[flow] * ws) >>> 0) === win)
            ) {
              anom |= 0x0008;
              s.ackFaultCnt[flow]++;
            } else if (seq === s.seqNext[flow]) {
              fs |= 0x0020;
            }
          }
          if (!(fl & 0x07) && seq < s.seqMax[flow]) anom |= 0x0040;
          else if (seq < s.seqNext[flow]) {
            if (
              hasO && d > Math.fround(s.rttAvg[o] + s.rttAvg[flow]) * 1.5 &&
              s.winLast[flow] === win
            ) {
              anom |= 0x0002;
              this.#nSeqRetry++;
              s.seqFaultCnt[flow]++;
            }
          }
          if (
            hasO && (s.anomalyLast[o] & 0x0008) && seq === s.ackLast[o] &&
            (l7Len > 0 || (fl & 0x03)) && seq < s.seqNext[flow]
          ) {
            anom |= 0x0004;
            this.#nSeqRetry++;
            s.seqFaultCnt[flow]++;
          }
          if (hasO && s.ackLast[o] > seq) anom |= 0x0080;
        }
        if (seq === s.seqNext[flow]) s.seqOkCnt[flow]++;
        if (hasO && s.seqMax[o] < ack) {
          anom |= 0x0100;
          s.ackFaultCnt[flow]++;
        }
        if (!(s.lastFlags[flow] & 0x07) && seq > s.seqMax[flow]) anom |= 0x0200;
        if (s.seqLast[flow] !== 0) {
          sd = (seq - s.seqLast[flow]) | 0;
          seqLen = sd > 0 ? sd : 0;
          if ((s.lastFlags[flow] & 0x07) && sd === 1) seqLen = 0;
          s.seqBytes[flow] += seqLen;
        }
        if (s.ackLast[flow] !== 0) {
          ad = (ack - s.ackLast[flow]) | 0;
          ackLen = ad > 0 ? ad : 0;
          if (
            ((s.lastFlags[flow] & 0x07) || (hasO && (s.lastFlags[o] & 0x07))) && ad === 1
          ) {
            ackLen = 0;
          }
          s.ackBytes[flow] += ackLen;
        }
        s.ackCnt[flow]++;
      }
      s.mLen[flow] += l7Len;
      if (
        hasO && !(fs & 0x00c0) && s.inFlight[flow] >= s.winLast[o] &&
        !(s.lastFlags[o] & 0x04) && (s.flagsAgg[flow] & 0x02)
      ) {
        fs |= 0x0400;
      }
    }
    if ((anom & 0x1000) || (s.anomaly[flow] & 0x1000)) anom &= ~0x003f;

    // §5.20 packet mode, then the state update
    if (pf) {
      if (cfg.seqAck) {
        this.#seqAckValues(pf, flow, seq, ack, s.seqMax[flow]);
        pf.int(sd);
        pf.int(ad);
        pf.uint(seqLen);
        pf.uint(ackLen);
        pf.int(s.seqBytes[flow]);
        pf.int(s.ackBytes[flow]);
        pf.int(s.mLen[flow]);
        pf.uint(s.inFlight[flow]);
      }
      pf.hex(fs, 4);
      pf.hex(fl, 4);
      pf.hex(anom, 4);
      pf.uint(win);
      pf.uint(ws);
      pf.uint(s.mss[flow]);
      pf.uint(s.tsVal[flow]);
      pf.uint(s.tsEcr[flow]);
      pf.uint(mpTyp);
      pf.hex(mpF, 2);
      pf.uint(mpAID);
      pf.hex(mpDSSF, 2);
      pf.int(optLen);
      optionBytes(pf, p, l4 + 20, optLen);
    }
    s.seqLast[flow] = seq;
    let next = seq + l7Len;
    if (fl & 0x07) next += 1;
    else if (fs & 0x0040) next -= 1;
    s.seqNext[flow] = next;
    s.ackLast[flow] = ack;
    if (s.seqNext[flow] > s.seqMax[flow]) s.seqMax[flow] = s.seqNext[flow];
    s.winLast[flow] = win;
    s.lastFlags[flow] = fl & 0xff;
    s.flagsAgg[flow] |= fl;
    s.anomaly[flow] |= anom;
    s.anomalyLast[flow] = anom;
    fs |= 0x0001;
    s.stat[flow] |= fs;
    s.statLast[flow] = fs;
    if (hasO && (this.#flows.statusHi[o] & IPV4_FRAG_PENDING_H) && (fl & 0x05)) {
      s.ipFlags[o] |= 0x0200;
    }
    if (s.scanPkts[flow] < 6) s.scanPkts[flow]++;
    if (cfg.flagCount) {
      const c = this.#flagCnt;
      for (let b = 0; b < 16; b++) if (fl & (1 << b)) c[flow * 16 + b]++;
    }
  }

  /** Packet mode: seq, ack and seqMax as the settings ask. */
  #seqAckValues(pf: PacketFile, flow: number, seq: number, ack: number, seqMax: number) {
    const s = this.#s;
    let a = ack;
    let b = seq;
    let m = seqMax;
    if (this.#cfg.seqAckRel) {
      const o = this.#flows.opposite[flow];
      b = (seq - s.seqInit[flow]) >>> 0;
      m = (seqMax - s.seqInit[flow]) >>> 0;
      a = o >= 0 ? (ack - s.seqInit[o]) >>> 0 : ack;
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
    const s = this.#s;
    const cfg = this.#cfg;
    const flows = this.#flows;
    const o = flows.opposite[flow];
    this.#aggIpFlags |= s.ipFlags[flow];
    this.#aggIpToS |= s.tos[flow];
    this.#aggTcpFStat |= s.stat[flow];
    this.#aggTcpFlags |= s.flagsAgg[flow];
    this.#aggTcpAnomaly |= s.anomaly[flow];
    this.#aggMpTBF |= s.mpTBF[flow];
    this.#aggMpF |= s.mpF[flow];

    // §6.1 scans: SYN or FIN (or a scan pattern) in fewer than 4 TCP packets
    if (cfg.scan && !(s.anomaly[flow] & 0x0001) && (s.flagsAgg[flow] & 0xf803)) {
      if (s.scanPkts[flow] < 4 && !(s.anomaly[flow] & 0x3000)) {
        s.anomaly[flow] |= 0x1000;
        this.#nScans++;
      }
      if (o >= 0) {
        const a = s.anomaly[flow];
        const b = s.anomaly[o];
        if (
          ((a & 0x1000) && !(a & 0x2000)) ||
          ((b & 0x1000) && !(b & 0x2000) && s.scanPkts[flow] < 4 && s.scanPkts[o] < 4)
        ) {
          s.anomaly[flow] |= 0x2000;
          s.anomaly[o] |= 0x2000;
          this.#nSuccScans++;
        }
      }
    }
    if (flows.statusHi[flow] & IPV4_FRAG_ERR_H) s.ipFlags[flow] |= 0x0200;

    const wsOn = (this.#aggTcpFStat & 0x0200) !== 0;
    out.h16(s.stat[flow]);
    out.u16(s.ipIdMin[flow]);
    out.u16(s.ipIdMax[flow]);
    out.u8(s.ttlMin[flow]);
    out.u8(s.ttlMax[flow]);
    out.u8(s.ttlChg[flow]);
    const tos = s.tos[flow];
    if (cfg.ipTos === 0) out.h8(tos);
    else {
      out.u8(cfg.ipTos === 1 ? tos >>> 2 : tos >>> 5);
      out.u8(tos & 3);
    }
    out.h16(s.ipFlags[flow]);
    out.u16(s.ipOptCnt[flow]);
    out.h8(s.ipCpCl[flow]);
    out.h32(s.ipOpts[flow]);
    out.u16(s.ip6HHCnt[flow]);
    out.u16(s.ip6DCnt[flow]);
    out.h32(s.ip6HHOpts[flow]);
    out.h32(s.ip6DOpts[flow]);
    if (cfg.seqAck) {
      out.u32(s.seqInit[flow]);
      out.u16(s.seqOkCnt[flow]);
      out.u64(s.seqBytes[flow]);
      out.u16(s.seqFaultCnt[flow]);
      out.u16(s.ackCnt[flow]);
      out.u64(s.ackBytes[flow]);
      out.u16(s.ackFaultCnt[flow]);
      out.u32(s.inFlightMax[flow]);
    }
    if (cfg.window) {
      out.u32(s.winInit[flow]);
      out.f(s.winAvg[flow]);
      out.u32(s.winMin[flow]);
      out.u32(s.winMax[flow]);
      out.u16(s.winDown[flow]);
      out.u16(s.winUp[flow]);
      out.u16(s.winDirChg[flow]);
      const pkts = s.winPkts[flow];
      out.f(pkts ? Math.fround(s.winMinCnt[flow]) / Math.fround(pkts) : 0);
    }
    out.h16(s.flagsAgg[flow]);
    out.h16(s.anomaly[flow]);
    if (cfg.flagCount) { for (let b = 0; b < 16; b++) out.u16(this.#flagCnt[flow * 16 + b]); }
    if (cfg.ja4t) {
      const ws = wsOn ? String(s.wsShift[flow]) : "00";
      const n = cfg.ja4Max;
      out.strClass(
        ja4tText(s.winInit[flow], this.#ja4Opts, flow * n, s.ja4Cnt[flow], s.mss[flow], ws),
      );
    }
    out.u16(s.optPktCnt[flow]);
    out.u16(s.optCnt[flow]);
    out.h32(s.tcpOpts[flow]);
    out.u16(s.mss[flow]);
    out.u16(wsOn ? (1 << s.wsShift[flow]) & 0xffff : 0);
    if (cfg.mptcp) {
      out.h16(s.mpTBF[flow]);
      out.h8(s.mpF[flow]);
      out.u8(s.mpAID[flow]);
      out.h8(s.mpDSSF[flow]);
    }
    if (cfg.natBt) this.#upTime(flow, out);
    if (cfg.rtt) {
      out.f(s.rttTrip[flow]);
      out.f(s.rttMin[flow]);
      out.f(s.rttMax[flow]);
      out.f(s.rttAvg[flow]);
      out.f(Math.sqrt(s.rttJit[flow]));
      const reply = flows.isReply(flow);
      if (o < 0) out.f(0);
      else if (reply) out.f(s.rttAvg[flow] + s.rttAvg[o]);
      else out.f(s.rttTrip[flow] + s.rttTrip[o]);
      out.f(o >= 0 && reply ? Math.sqrt(Math.fround(s.rttJit[flow] + s.rttJit[o])) : 0);
    }
  }

  /** §6.3: timestamps, tick, up time and boot time. */
  #upTime(flow: number, out: OutputBuffer): void {
    const s = this.#s;
    out.u32(s.tsVal[flow]);
    out.u32(s.tsEcr[flow]);
    if (!(s.tcpOpts[flow] & 0x100)) {
      out.f(0);
      out.d(0);
      out.time(0, 0);
      return;
    }
    const diff = this.#diff;
    sub(s.tsLastSec[flow], s.tsLastNs[flow], s.tsFirstSec[flow], s.tsFirstNs[flow], diff);
    const inc = (s.tsVal[flow] - s.tsValInit[flow]) >>> 0;
    const ecI = tickEstimate(diff[0], diff[1], inc, s.ttlMin[flow]);
    const utm = s.tsVal[flow] * ecI;
    const bs = Math.trunc(utm);
    const bns = ((utm - bs) * 1e9) >>> 0;
    sub(s.tsLastSec[flow], s.tsLastNs[flow], bs, bns, diff);
    out.f(ecI);
    out.d(utm);
    // Seconds as u64 (a negative value wraps; beyond 2^53 a double cannot hold it exactly),
    // nanoseconds as u32 (a negative value wraps and prints 10 digits).
    out.time(diff[0] < 0 ? TWO64 + diff[0] : diff[0], diff[1] >>> 0);
  }

  // ------------------------------------------------------------------ report (§9)
  report(r: ReportWriter): void {
    const name = tcpFlags.name;
    const hex = (v: number, w: number) => v.toString(16).padStart(w, "0");
    if (this.#aggIpFlags) r.plugin(name, `Aggregated ipFlags=0x${hex(this.#aggIpFlags, 4)}`);
    if (this.#aggTcpFStat) r.plugin(name, `Aggregated tcpFStat=0x${hex(this.#aggTcpFStat, 4)}`);
    if (this.#aggTcpFlags) r.plugin(name, `Aggregated tcpFlags=0x${hex(this.#aggTcpFlags, 4)}`);
    if (this.#aggTcpAnomaly) {
      r.plugin(name, `Aggregated tcpAnomaly=0x${hex(this.#aggTcpAnomaly, 4)}`);
    }
    if (this.#aggIpToS) r.plugin(name, `Aggregated ipToS=0x${hex(this.#aggIpToS, 2)}`);
    const scans = this.#nScans;
    const succ = this.#nSuccScans;
    if (scans || succ) {
      r.plugin(
        name,
        `Number of TCP scans attempted, successful: ${withSuffix(scans)}, ${withSuffix(succ)} ` +
          `[${percentText(succ, scans)}%]`,
      );
    }
    if (this.#nSynRetry || this.#nSeqRetry) {
      r.plugin(
        name,
        `Number of TCP SYN retries, seq retries: ${withSuffix(this.#nSynRetry)}, ` +
          withSuffix(this.#nSeqRetry),
      );
    }
    if (this.#nLowWin && this.#nTcpPkts) {
      r.plugin(
        name,
        `Number WinSz below ${this.#cfg.winMin}: ${withSuffix(this.#nLowWin)} ` +
          `[${percentText(this.#nLowWin, this.#nTcpPkts)}%]`,
      );
    }
    const mp = this.#nMptcpOpts;
    if (mp > 0) {
      r.plugin(name, `Aggregated MPTCP subtypes: tcpMPTBF=0x${hex(this.#aggMpTBF, 4)}`);
      r.plugin(name, `Aggregated MPTCP flags: tcpMPF=0x${hex(this.#aggMpF, 2)}`);
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

/** Big-endian 32-bit `v` into `b[at..at+4)`. */
function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
