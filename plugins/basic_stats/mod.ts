/**
 * basicStats (plugin 120): packet and byte counts, layer-7 size and inter-arrival statistics
 * with T2's float32 running estimators, rates and asymmetries (spec/columns.md §3), the
 * packet-file length columns and the "biggest talker" report lines.
 *
 * @module
 */

import {
  type ColumnBuilder,
  type FlowNotes,
  flowStatus as S,
  IpProto,
  ipWordsText,
  macText,
  type OutputBuffer,
  type Packet,
  percent,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  readableSuffix,
  type ReportWriter,
} from "../../mod.ts";
import {
  AVG_IAT,
  AVG_SZ,
  BYTES,
  F32_PER,
  F64_PER,
  LST_NS,
  LST_SEC,
  MAX_IAT,
  MAX_SZ,
  MIN_IAT,
  MIN_SZ,
  PKTS,
  StatsRecords,
  U16_PER,
  VAR_IAT,
  VAR_SZ,
} from "./records.ts";

const f32 = Math.fround;

/** The basicStats plugin. */
export const basicStats: PluginDefinition = {
  name: "basicStats",
  number: 120,
  version: "0.9.3",
  create: (ctx) => new BasicStats(ctx),
};

/** A "biggest talker": the flow with most packets or bytes, and its source. */
interface Talker {
  count: number;
  flow: number;
  version: number;
  addr: Uint32Array;
  mac: Uint8Array;
  subnet: number;
}

function talker(): Talker {
  return {
    count: 0,
    flow: -1,
    version: 0,
    addr: new Uint32Array(4),
    mac: new Uint8Array(6),
    subnet: 0,
  };
}

class BasicStats implements PluginHooks {
  readonly #ctx: PluginContext;
  /** Per-flow state (records.ts). */
  readonly #rec: StatsRecords;

  // Report accumulators.
  #mxBytsps = 0;
  #mxPkts = 0;
  #mxByts = 0;
  readonly #macPkts = talker();
  readonly #macBytes = talker();
  readonly #ipPkts = talker();
  readonly #ipBytes = talker();
  /** A flow's source as noted for onFlowWritten. */
  readonly #noted = talker();

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#rec = new StatsRecords(ctx.flows.capacity);
  }

  columns(c: ColumnBuilder): void {
    c.add("pktsSnt", "Number of transmitted packets", "U64");
    c.add("pktsRcvd", "Number of received packets", "U64");
    c.add("padBytesSnt", "Number of transmitted padding bytes", "I64");
    c.add("l7BytesSnt", "Number of transmitted layer 7 bytes", "U64");
    c.add("l7BytesRcvd", "Number of received layer 7 bytes", "U64");
    c.add("minL7PktSz", "Minimum layer 7 packet size", "U16");
    c.add("maxL7PktSz", "Maximum layer 7 packet size", "U16");
    c.add("avgL7PktSz", "Average layer 7 packet size", "F");
    c.add("stdL7PktSz", "Standard deviation layer 7 packet size", "F");
    c.add("minIAT", "Minimum IAT", "F");
    c.add("maxIAT", "Maximum IAT", "F");
    c.add("avgIAT", "Average IAT", "F");
    c.add("stdIAT", "Standard deviation IAT", "F");
    c.add("pktps", "Sent packets per second", "F");
    c.add("bytps", "Sent bytes per second", "F");
    c.add("pktAsm", "Packet stream asymmetry", "F");
    c.add("bytAsm", "Byte stream asymmetry", "F");
  }

  init(): void {
    this.#ctx.packetFile?.header(
      "pktLen",
      "snapL3Len",
      "snapL4Len",
      "snapL7Len",
      "l3Len",
      "udpLen",
      "l7Len",
      "padLen",
    );
  }

  onNewFlow(p: Packet, flow: number): void {
    const { f64, f32: f4, u32, u16 } = this.#rec;
    const d = flow * F64_PER;
    const w = flow * F32_PER;
    const h = flow * U16_PER;
    const flows = this.#ctx.flows;
    f64[d + PKTS] = 0;
    f64[d + BYTES] = 0;
    f64[d + LST_SEC] = flows.lastSec[flow];
    f4[w + AVG_SZ] = p.len & 0xffff;
    f4[w + VAR_SZ] = 0;
    f4[w + MIN_IAT] = 4.0e12;
    f4[w + MAX_IAT] = 0;
    f4[w + AVG_IAT] = 0;
    f4[w + VAR_IAT] = 0;
    u32[w + LST_NS] = flows.lastNs[flow];
    u16[h + MIN_SZ] = 65535;
    u16[h + MAX_SZ] = 0;
  }

  onLayer2(p: Packet, flow: number): void {
    if (flow >= 0) this.#claim(p, flow);
  }

  onLayer4(p: Packet, flow: number): void {
    this.#claim(p, flow);
  }

  #claim(p: Packet, flow: number): void {
    const flows = this.#ctx.flows;
    const { f64, f32: f4, u32, u16 } = this.#rec;
    const d = flow * F64_PER;
    const w = flow * F32_PER;
    const h = flow * U16_PER;
    const len = p.len & 0xffff;
    const n = ++f64[d + PKTS];
    f64[d + BYTES] += len;
    if (len < u16[h + MIN_SZ]) u16[h + MIN_SZ] = len;
    if (len > u16[h + MAX_SZ]) u16[h + MAX_SZ] = len;

    const lastSec = flows.lastSec[flow];
    const lastNs = flows.lastNs[flow];
    const secDiff = ((lastSec >>> 0) - (f64[d + LST_SEC] >>> 0)) >>> 0;
    const iat = f32(f32(secDiff) + f32(lastNs - u32[w + LST_NS]) / 1e9);
    if (iat < f4[w + MIN_IAT]) f4[w + MIN_IAT] = iat;
    if (iat > f4[w + MAX_IAT]) f4[w + MAX_IAT] = iat;
    f64[d + LST_SEC] = lastSec;
    u32[w + LST_NS] = lastNs;

    const div = f32(n);
    let m = f32(len - f4[w + AVG_SZ]);
    f4[w + AVG_SZ] = f32(f4[w + AVG_SZ] + f32(m / div));
    let q = f32(m * m);
    f4[w + VAR_SZ] = f32(f4[w + VAR_SZ] + f32(f32(q - f4[w + VAR_SZ]) / div));
    m = f32(iat - f4[w + AVG_IAT]);
    f4[w + AVG_IAT] = f32(f4[w + AVG_IAT] + f32(m / div));
    q = f32(m * m);
    f4[w + VAR_IAT] = f32(f4[w + VAR_IAT] + f32(f32(q - f4[w + VAR_IAT]) / div));

    const pf = this.#ctx.packetFile;
    if (pf) {
      let udpLen = 0;
      const udp = p.l4Proto === IpProto.UDP || p.l4Proto === IpProto.UDPLITE;
      if (udp && p.firstFragment) udpLen = p.udpLength();
      pf.uint(p.rawLen);
      pf.uint(p.snapL3Len & 0xffff);
      pf.uint(p.snapL4Len & 0xffff);
      pf.uint(p.snapL7Len & 0xffff);
      pf.uint(p.l3Len & 0xffff);
      pf.uint(udpLen);
      pf.uint(p.l7Len & 0xffff);
      pf.int(p.padLen);
    }
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const flows = this.#ctx.flows;
    const { f64, f32: f4, u16 } = this.#rec;
    const w = flow * F32_PER;
    const h = flow * U16_PER;
    const n = f64[flow * F64_PER + PKTS];
    const b = f64[flow * F64_PER + BYTES];
    let o = 0;
    let ob = 0;
    let dir = 1;
    const opp = flows.opposite[flow];
    if (opp >= 0) {
      o = f64[opp * F64_PER + PKTS];
      ob = f64[opp * F64_PER + BYTES];
    } else if (flows.statusLo[flow] & S.L3FLOWINVERT) {
      dir = -1;
    }

    let pktps = 0;
    let bytps = 0;
    const dSec = flows.durSec[flow];
    const dNs = flows.durNs[flow];
    if (dSec !== 0 || dNs !== 0) {
      const duration = f32((dSec >>> 0) + dNs / 1e9);
      pktps = f32(f32(n) / duration);
      bytps = f32(f32(b) / duration);
    }
    if (bytps > this.#mxBytsps) {
      this.#mxBytsps = bytps;
      this.#mxPkts = n;
    }
    const pktAsm = (o > 0 || n > 0) ? f32(f32(dir * f32(f32(n) - f32(o))) / f32(n + o)) : 0;
    const bytAsm = (ob > 0 || b > 0) ? f32(f32(f32(b) - f32(ob)) / f32(b + ob)) : 0;

    out.u64(n);
    out.u64(o);
    out.i64(flows.padLen[flow]);
    out.u64(b);
    out.u64(ob);
    out.u16(u16[h + MIN_SZ]);
    out.u16(u16[h + MAX_SZ]);
    const avg = n ? f32(f32(b) / f32(n)) : 0;
    if (avg > f32(this.#mxByts)) this.#mxByts = Math.trunc(avg);
    out.f(avg);
    out.f(f32(Math.sqrt(f4[w + VAR_SZ])));
    out.f(f4[w + MIN_IAT]);
    out.f(f4[w + MAX_IAT]);
    out.f(f4[w + AVG_IAT]);
    out.f(f32(Math.sqrt(f4[w + VAR_IAT])));
    out.f(pktps);
    out.f(bytps);
    out.f(pktAsm);
    out.f(bytAsm);

    const l2 = (flows.statusLo[flow] & S.L2_FLOW) !== 0;
    if (l2) {
      if (n > this.#macPkts.count) setTalker(this.#macPkts, n, flow, this.#ctx);
      if (b > this.#macBytes.count) setTalker(this.#macBytes, b, flow, this.#ctx);
    } else {
      if (n > this.#ipPkts.count) setTalker(this.#ipPkts, n, flow, this.#ctx);
      if (b > this.#ipBytes.count) setTalker(this.#ipBytes, b, flow, this.#ctx);
    }
    // A run on several threads: the main thread's instance redoes the above in output order.
    const t = this.#noted;
    setTalker(t, 0, flow, this.#ctx);
    out.note(bytps);
    out.note(n);
    out.note(b);
    out.note(avg);
    out.note(l2 ? 1 : 0);
    out.note(t.version);
    for (let i = 0; i < 4; i++) out.note(t.addr[i]);
    out.note(t.subnet);
    const m = t.mac;
    out.note((m[0] << 8) | m[1]);
    out.note(((m[2] << 24) | (m[3] << 16) | (m[4] << 8) | m[5]) >>> 0);
  }

  /** A run on several threads: a written flow line's notes (see onFlowTerminate). */
  onFlowWritten(notes: FlowNotes): void {
    const bytps = notes.next();
    const n = notes.next();
    const b = notes.next();
    const avg = notes.next();
    if (bytps > this.#mxBytsps) {
      this.#mxBytsps = bytps;
      this.#mxPkts = n;
    }
    if (avg > f32(this.#mxByts)) this.#mxByts = Math.trunc(avg);
    const l2 = notes.next() === 1;
    const t = this.#noted;
    t.version = notes.next();
    for (let i = 0; i < 4; i++) t.addr[i] = notes.next();
    t.subnet = notes.next();
    const hi = notes.next();
    const lo = notes.next();
    t.mac.set([hi >>> 8, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255]);
    const pkts = l2 ? this.#macPkts : this.#ipPkts;
    const bytes = l2 ? this.#macBytes : this.#ipBytes;
    if (n > pkts.count) copyTalker(pkts, n, t);
    if (b > bytes.count) copyTalker(bytes, b, t);
  }

  report(r: ReportWriter): void {
    const c = this.#ctx.counters;
    const name = basicStats.name;
    const numBytes = c.numABytes + c.numBBytes;
    const mxb = Math.trunc(f32(this.#mxBytsps * 8));
    r.plugin(name, `Flow max(pktload): ${this.#mxByts}${readableSuffix(this.#mxByts)}`);
    r.plugin(
      name,
      `Flow max(b/s), pkts: ${mxb}${readableSuffix(mxb, "b/s")}, ${this.#mxPkts}${
        readableSuffix(this.#mxPkts)
      }`,
    );
    const mp = this.#macPkts;
    if (mp.count) {
      r.plugin(
        name,
        `Biggest L2 flow talker: ${macText(mp.mac, 0)}: ${mp.count}${readableSuffix(mp.count)} [${
          percent(mp.count, c.numPackets)
        }%] packets`,
      );
      const mb = this.#macBytes;
      r.plugin(
        name,
        `Biggest L2 flow talker: ${macText(mb.mac, 0)}: ${mb.count}${readableSuffix(mb.count)} [${
          percent(mb.count, numBytes)
        }%] bytes`,
      );
    }
    const ip = this.#ipPkts;
    if (ip.count) {
      r.plugin(
        name,
        `Biggest L3 flow talker: ${this.#talkerIp(ip)}: ${ip.count}${readableSuffix(ip.count)} [${
          percent(ip.count, c.numPackets)
        }%] packets`,
      );
      const ib = this.#ipBytes;
      r.plugin(
        name,
        `Biggest L3 flow talker: ${this.#talkerIp(ib)}: ${ib.count}${readableSuffix(ib.count)} [${
          percent(ib.count, numBytes)
        }%] bytes`,
      );
    }
  }

  /**
   * `addr` plus ` (CC)` from the geo database unless the code is `-` or a digit; nothing when no
   * flow was the talker (T2: no flow carried a byte).
   */
  #talkerIp(t: Talker): string {
    if (t.flow < 0) return "";
    const text = ipWordsText(t.version, t.addr, 0);
    const geo = this.#ctx.geo;
    if (!geo || this.#ctx.num("SUBNET_ON") === 0) return text;
    const cc = geo.countryCode(t.version === 0 ? 0 : t.subnet);
    if (cc.length < 2 || cc[0] === "-" || (cc[0] >= "0" && cc[0] <= "9")) return text;
    return `${text} (${cc.slice(0, 2).toUpperCase()})`;
  }
}

function copyTalker(t: Talker, count: number, from: Talker): void {
  t.count = count;
  t.flow = 0;
  t.version = from.version;
  t.addr.set(from.addr);
  t.mac.set(from.mac);
  t.subnet = from.subnet;
}

function setTalker(t: Talker, count: number, flow: number, ctx: PluginContext): void {
  const flows = ctx.flows;
  t.count = count;
  t.flow = flow;
  t.version = flows.ipVersion(flow);
  const words = flows.addrWords;
  const at = flows.srcAddrAt(flow);
  for (let i = 0; i < 4; i++) t.addr[i] = words[at + i];
  flows.srcMac(flow, t.mac, 0);
  t.subnet = flows.subnetSrc[flow];
}
