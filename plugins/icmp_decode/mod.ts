/**
 * icmpDecode (plugin 140): ICMP and ICMPv6 per flow (spec/plugins/icmpDecode.md). Per flow a
 * status (echo sequence gaps, LOKI, WANG2 and OpenSSH markers), the message count, bit fields
 * of the types and codes seen, the timestamp word, the echo success ratio and the "parent"
 * flow; per run the message counters of the report and of `PREFIX_icmpStats.txt`. It also
 * decides the direction of an ICMP flow that has no reverse flow (`ICMP_FDCORR`): an echo
 * request starts an A flow, anything else a reply (flowStat bit 0), which the report's A/B
 * counts and the plugins after this one see.
 *
 * @module
 */

import {
  type ColumnBuilder,
  IpProto,
  NO_FLOW,
  type OutputBuffer,
  type Packet,
  PacketKind,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  type ReportWriter,
} from "../../mod.ts";
import {
  IcmpCounters,
  type IcmpTotals,
  reportLines,
  summaryText,
  V6_OTHER_CODES,
  V6_OTHER_TYPES,
} from "./counters.ts";

/** icmpStat bits (spec §4b). */
export const IcmpStat = {
  /** The flow is ICMP or ICMPv6. */
  ICMP: 0x01,
  /** An echo request carried `WANG2` at payload offset 6. */
  WANG: 0x10,
  /** An echo sequence number was not the previous one + 1. */
  SEQ_GAP: 0x20,
  /** LOKI: every echo of the flow had the sequence bytes `01 F0`. */
  LOKI: 0x40,
  /** `OpenSSH` in an echo payload at offset 40 or later. */
  SSH: 0x80,
} as const;

const f32 = Math.fround;

// ICMP types that matter here.
const ECHO_REPLY = 0;
const DEST_UNREACH = 3;
const SOURCE_QUENCH = 4;
const REDIRECT = 5;
const ECHO_REQUEST = 8;
const TIME_EXCEEDED = 11;
const TIMESTAMP = 13;
const TIMESTAMP_REPLY = 14;
const TRACEROUTE = 30;
const V6_DEST_UNREACH = 1;
const V6_PKT_TOO_BIG = 2;
const V6_TIME_EXCEEDED = 3;
const V6_PARAM_PROBLEM = 4;
const V6_ECHO_REQUEST = 128;
const V6_ECHO_REPLY = 129;

const WANG2 = [0x57, 0x41, 0x4e, 0x47, 0x32];
const OPENSSH = [0x4f, 0x70, 0x65, 0x6e, 0x53, 0x53, 0x48];

/** The icmpDecode plugin. */
export const icmpDecode: PluginDefinition = {
  name: "icmpDecode",
  number: 140,
  version: "0.9.3",
  oneThread: "prints the flow index of an ICMP message's parent flow, which one thread numbers",
  settings: {
    ICMP_TC_MD: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description:
        "0: column icmpBFTypH_TypL_Code (type and code bit fields); 1: column icmpType_Code " +
        "(the first ICMP_NUM type/code pairs)",
    },
    ICMP_NUM: {
      type: "int",
      default: 10,
      min: 1,
      max: 255,
      description: "With ICMP_TC_MD=1: type/code pairs kept per flow",
    },
    ICMP_FDCORR: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description:
        "1: an ICMP flow without reverse flow is A if it starts with an echo request, else B",
    },
    ICMP_PARENT: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: column (and packet column) icmpPFindex, the flow index of the parent flow",
    },
    ICMP_STATFILE: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: write the summary file PREFIX_icmpStats.txt",
    },
    ICMP_NOCODE: {
      type: "string",
      default: "-",
      description: "Summary file: code text of the rows without a code",
    },
    ICMP_SUFFIX: {
      type: "string",
      default: "_icmpStats.txt",
      description: "Summary file: name suffix",
    },
  },
  create: (ctx) => new IcmpDecode(ctx),
};

/** One run of the plugin. */
class IcmpDecode implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #pairsMode: boolean;
  readonly #maxPairs: number;
  readonly #dirCorrection: boolean;
  readonly #parent: boolean;
  // Per flow.
  readonly #stat: Uint8Array;
  readonly #count: Uint8Array;
  readonly #echoReq: Uint32Array;
  readonly #echoRep: Uint32Array;
  readonly #lastSeq: Uint16Array;
  readonly #typeH: Uint32Array;
  readonly #typeL: Uint32Array;
  readonly #codes: Uint16Array;
  readonly #timeGateway: Uint32Array;
  readonly #parentIndex: Float64Array;
  /** ICMP_TC_MD=1: `#maxPairs` (type, code) byte pairs per flow. */
  readonly #pairs: Uint8Array;
  // Whole run.
  readonly #counters = new IcmpCounters();
  #statAll = 0;
  /** Key of a parent lookup: the packet's own addresses (views, made once). */
  readonly #src: Uint32Array;
  readonly #dst: Uint32Array;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#pairsMode = ctx.num("ICMP_TC_MD") === 1;
    this.#maxPairs = ctx.num("ICMP_NUM");
    this.#dirCorrection = ctx.num("ICMP_FDCORR") === 1;
    this.#parent = ctx.num("ICMP_PARENT") === 1;
    const a = ctx.perFlow({
      stat: Uint8Array,
      count: Uint8Array,
      echoReq: Uint32Array,
      echoRep: Uint32Array,
      lastSeq: Uint16Array,
      typeH: Uint32Array,
      typeL: Uint32Array,
      codes: Uint16Array,
      timeGateway: Uint32Array,
      parentIndex: Float64Array,
    });
    this.#stat = a.stat;
    this.#count = a.count;
    this.#echoReq = a.echoReq;
    this.#echoRep = a.echoRep;
    this.#lastSeq = a.lastSeq;
    this.#typeH = a.typeH;
    this.#typeL = a.typeL;
    this.#codes = a.codes;
    this.#timeGateway = a.timeGateway;
    this.#parentIndex = a.parentIndex;
    this.#pairs = new Uint8Array(this.#pairsMode ? ctx.flows.capacity * this.#maxPairs * 2 : 0);
    this.#src = new Uint32Array(4);
    this.#dst = new Uint32Array(4);
  }

  columns(c: ColumnBuilder): void {
    c.add("icmpStat", "ICMP status", "H8");
    c.add("icmpTCcnt", "ICMP type code count", "U8");
    if (this.#pairsMode) {
      c.addRepeated("icmpType_Code", "ICMP type and code fields", ["U8", "U8"]);
    } else {
      c.add(
        "icmpBFTypH_TypL_Code",
        "ICMP Aggregated type H (IPv6>128, IPv4>31), L (<32) & code bit field",
        ["H32", "H32", "H16"],
      );
    }
    c.add("icmpTmGtw", "ICMP time/gateway", "H32");
    c.add("icmpEchoSuccRatio", "ICMP Echo reply/request success ratio", "F");
    if (this.#parent) c.add("icmpPFindex", "ICMP parent flowIndex", "U64");
  }

  init(): void {
    const pf = this.#ctx.packetFile;
    if (!pf) return;
    pf.header("icmpStat", "icmpType", "icmpCode", "icmpID", "icmpSeq");
    if (this.#parent) pf.header("icmpPFindex");
  }

  onNewFlow(p: Packet, flow: number): void {
    this.#stat[flow] = 0;
    this.#count[flow] = 0;
    this.#echoReq[flow] = 0;
    this.#echoRep[flow] = 0;
    this.#lastSeq[flow] = 0;
    this.#typeH[flow] = 0;
    this.#typeL[flow] = 0;
    this.#codes[flow] = 0;
    this.#timeGateway[flow] = 0;
    this.#parentIndex[flow] = 0;
    // p.l4Proto is 0 for a layer-2 flow's packet.
    if (p.l4Proto !== IpProto.ICMP && p.l4Proto !== IpProto.ICMPV6) return;
    this.#stat[flow] = IcmpStat.ICMP;
    if (!p.firstFragment) return;
    const seq = p.icmpSeq();
    if (seq === 0x01f0) this.#stat[flow] |= IcmpStat.LOKI;
    this.#lastSeq[flow] = seq - 1; // the first echo then continues the sequence
    const flows = this.#ctx.flows;
    if (this.#dirCorrection && !flows.hasOpposite(flow)) {
      const request = p.kind === PacketKind.IPV6 ? V6_ECHO_REQUEST : ECHO_REQUEST;
      flows.setReply(flow, p.icmpType() !== request);
    }
  }

  onLayer2(_p: Packet, flow: number): void {
    if (flow !== NO_FLOW) this.#filler();
  }

  onLayer4(p: Packet, flow: number): void {
    // The packet's protocol first: it is the flow's, and needs no per-flow memory.
    const proto = p.l4Proto;
    if (
      (proto !== IpProto.ICMP && proto !== IpProto.ICMPV6) || !p.firstFragment ||
      this.#stat[flow] === 0
    ) {
      this.#filler();
      return;
    }
    const type = p.icmpType();
    const code = p.icmpCode();
    const n = this.#count[flow];
    if (this.#pairsMode && n < this.#maxPairs) {
      const at = (flow * this.#maxPairs + n) * 2;
      this.#pairs[at] = type;
      this.#pairs[at + 1] = code;
    }
    this.#count[flow] = n + 1; // wraps at 256 (a u8 in T2)
    if (code < 16) this.#codes[flow] |= 1 << code;
    const parent = p.kind === PacketKind.IPV6
      ? this.#icmp6(p, flow, type, code)
      : this.#icmp4(p, flow, type, code);

    const pf = this.#ctx.packetFile;
    if (pf) {
      pf.hex(this.#stat[flow], 2);
      pf.uint(type);
      pf.uint(code);
      pf.hex(p.icmpId(), 4);
      pf.hex(p.icmpSeq(), 4);
    }
    if (!this.#parent) return;
    const found = parent ? this.#parentLookup(p, flow) : -1;
    if (!pf) return;
    if (found >= 0) pf.uint(this.#ctx.flows.findex[found]);
    else pf.empty(1);
  }

  /** Count an ICMP message; returns whether it quotes a datagram of a parent flow. */
  #icmp4(p: Packet, flow: number, type: number, code: number): boolean {
    const c = this.#counters;
    // T2 shifts by the type; x86-64 masks the shift count to 5 bits.
    if (type < 32) this.#typeL[flow] |= 1 << type;
    else this.#typeH[flow] |= 1 << (type & 31);
    switch (type) {
      case ECHO_REQUEST:
        c.v4EchoReq++;
        this.#echoRequest(p, flow);
        return false;
      case ECHO_REPLY:
        c.v4EchoRep++;
        this.#echoReply(p, flow);
        return false;
      case SOURCE_QUENCH:
        c.v4SourceQuench++;
        return true;
      case DEST_UNREACH:
        if (code < 16) c.v4Unreach[code]++;
        return true;
      case TIME_EXCEEDED:
        if (code < 2) c.v4TimeEx[code]++;
        return true;
      case REDIRECT:
        if (code < 4) c.v4Redirect[code]++;
        return true;
      case TIMESTAMP:
      case TIMESTAMP_REPLY: {
        // T2 reads id and sequence as one little-endian word.
        const w = p.u32(p.l4Off + 4);
        this.#timeGateway[flow] = ((w & 0xff) << 24) | ((w & 0xff00) << 8) |
          ((w >>> 8) & 0xff00) | (w >>> 24);
        return false;
      }
      case TRACEROUTE:
        c.v4Traceroute++;
        return false;
      default:
        return false;
    }
  }

  /** Count an ICMPv6 message; returns whether it quotes a datagram of a parent flow. */
  #icmp6(p: Packet, flow: number, type: number, code: number): boolean {
    const c = this.#counters;
    if (type < 32) this.#typeL[flow] |= 1 << type;
    else if (type >= 128 && type < 160) this.#typeH[flow] |= 1 << (type - 128);
    switch (type) {
      case V6_ECHO_REQUEST:
        c.v6EchoReq++;
        this.#echoRequest(p, flow);
        return false;
      case V6_ECHO_REPLY:
        c.v6EchoRep++;
        this.#echoReply(p, flow);
        return false;
      case V6_DEST_UNREACH:
        if (code < 8) c.v6Unreach[code]++;
        return true;
      case V6_TIME_EXCEEDED:
        if (code < 2) c.v6TimeEx[code]++;
        else if (code < V6_OTHER_CODES) c.v6Other[type * V6_OTHER_CODES + code]++;
        return true;
      case V6_PKT_TOO_BIG:
        c.v6TooBig++;
        return true;
      case V6_PARAM_PROBLEM:
        if (code < 3) c.v6Param[code]++;
        else if (code < V6_OTHER_CODES) c.v6Other[type * V6_OTHER_CODES + code]++;
        return true;
      default:
        if (type < V6_OTHER_TYPES && code < V6_OTHER_CODES) {
          c.v6Other[type * V6_OTHER_CODES + code]++;
        }
        return false;
    }
  }

  #echoRequest(p: Packet, flow: number): void {
    this.#echoReq[flow]++;
    // WANG2 at payload offset 6 (captured bytes only: T2 may read stale ones there).
    if (bytesAt(p, p.l4Off + 8 + 6, WANG2)) this.#stat[flow] |= IcmpStat.WANG;
    this.#echoCommon(p, flow);
  }

  #echoReply(p: Packet, flow: number): void {
    this.#echoRep[flow]++;
    this.#echoCommon(p, flow);
  }

  /** OpenSSH marker, LOKI and the sequence check, for requests and replies alike. */
  #echoCommon(p: Packet, flow: number): void {
    const payload = p.l4Off + 8;
    const n = p.snapL7Len - 40;
    if (n > 0 && contains(p, payload + 40, n, OPENSSH)) this.#stat[flow] |= IcmpStat.SSH;
    const seq = p.icmpSeq();
    if ((this.#stat[flow] & IcmpStat.LOKI) && seq !== 0x01f0) this.#stat[flow] &= ~IcmpStat.LOKI;
    const next = (this.#lastSeq[flow] + 1) & 0xffff;
    if (next !== seq) this.#stat[flow] |= IcmpStat.SEQ_GAP;
    this.#lastSeq[flow] = seq;
  }

  /**
   * T2 looks up the flow of the packet's own IP header (addresses, its protocol field, ports
   * 0): the ICMP flow itself, whose index becomes the parent index. Returns the flow found.
   */
  #parentLookup(p: Packet, flow: number): number {
    const src = this.#src;
    const dst = this.#dst;
    for (let i = 0; i < 4; i++) {
      src[i] = p.addr[i];
      dst[i] = p.addr[4 + i];
    }
    const flows = this.#ctx.flows;
    const found = flows.findIp({
      src,
      dst,
      srcPort: 0,
      dstPort: 0,
      l4Proto: p.ipNextHeader(),
      ethType: p.ethType,
      vlanId: flows.vlanId(flow),
    });
    if (found >= 0) this.#parentIndex[flow] = flows.findex[found];
    return found;
  }

  /** Packet-file columns of a packet this plugin does not decode. */
  #filler(): void {
    const pf = this.#ctx.packetFile;
    if (!pf) return;
    pf.text("0x00");
    pf.empty(this.#parent ? 5 : 4);
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const stat = this.#stat[flow];
    this.#statAll |= stat;
    const n = this.#count[flow];
    out.h8(stat);
    out.u8(n);
    if (this.#pairsMode) {
      const kept = Math.min(n, this.#maxPairs);
      out.repeat(kept);
      const base = flow * this.#maxPairs * 2;
      for (let i = 0; i < kept; i++) {
        out.u8(this.#pairs[base + 2 * i]);
        out.u8(this.#pairs[base + 2 * i + 1]);
      }
    } else {
      out.h32(this.#typeH[flow]);
      out.h32(this.#typeL[flow]);
      out.h16(this.#codes[flow]);
    }
    out.h32(this.#timeGateway[flow]);
    out.f(this.#successRatio(flow));
    if (this.#parent) out.u64(this.#parentIndex[flow]);
  }

  /** Replies the opposite flow sent per request this flow sent (float32). */
  #successRatio(flow: number): number {
    const opp = this.#ctx.flows.opposite[flow];
    if (opp < 0) return 0;
    const req = this.#echoReq[flow];
    const rep = this.#echoRep[opp];
    if (req !== 0) return f32(f32(rep) / f32(req));
    return rep !== 0 ? -rep : 0;
  }

  report(r: ReportWriter): void {
    reportLines(r, icmpDecode.name, this.#statAll, this.#counters, this.#totals());
  }

  finalize(): void {
    const ctx = this.#ctx;
    if (ctx.num("ICMP_STATFILE") !== 1) return;
    const file = ctx.summaryFile(String(ctx.setting("ICMP_SUFFIX")));
    file.text(summaryText(this.#counters, this.#totals(), String(ctx.setting("ICMP_NOCODE"))));
  }

  #totals(): IcmpTotals {
    const c = this.#ctx.counters;
    return {
      packets: c.numPackets,
      icmp: c.numPacketsL3[IpProto.ICMP],
      icmp6: c.numPacketsL3[IpProto.ICMPV6],
    };
  }
}

/** Whether the captured bytes at `off` are `pattern`. */
function bytesAt(p: Packet, off: number, pattern: readonly number[]): boolean {
  if (off < p.start || off + pattern.length > p.end) return false;
  for (let i = 0; i < pattern.length; i++) if (p.data[off + i] !== pattern[i]) return false;
  return true;
}

/** Whether `pattern` occurs within the `n` bytes at `off` (captured bytes only). */
function contains(p: Packet, off: number, n: number, pattern: readonly number[]): boolean {
  const end = Math.min(off + n, p.end) - pattern.length;
  for (let i = off; i <= end; i++) if (bytesAt(p, i, pattern)) return true;
  return false;
}
