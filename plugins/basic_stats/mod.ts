/**
 * basicStats (plugin 120): packet and byte counts, layer-7 size and inter-arrival statistics
 * with T2's float32 running estimators, rates and asymmetries (spec/columns.md §3), the
 * packet-file length columns and the "biggest talker" report lines.
 *
 * @module
 */

import * as S from "../../src/core/flow_status.ts";
import type { Packet } from "../../src/dissect/packet.ts";
import type { PluginContext, PluginDefinition, PluginHooks } from "../../src/plugin/api.ts";
import type { ColumnBuilder } from "../../src/plugin/columns.ts";
import type { OutputBuffer } from "../../src/plugin/output_buffer.ts";
import type { ReportWriter } from "../../src/output/report_writer.ts";
import { percent } from "../../src/output/report_writer.ts";
import { macText } from "../../src/output/ip_text.ts";
import { ipWordsText } from "../../src/output/ip_words.ts";
import { readableSuffix } from "../../src/output/readable.ts";
import { KEY_WORDS } from "../../src/flow/key_table.ts";

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
  readonly #pkts: Float64Array;
  readonly #bytes: Float64Array;
  readonly #minSz: Uint16Array;
  readonly #maxSz: Uint16Array;
  readonly #avgSz: Float32Array;
  readonly #varSz: Float32Array;
  readonly #minIat: Float32Array;
  readonly #maxIat: Float32Array;
  readonly #avgIat: Float32Array;
  readonly #varIat: Float32Array;
  readonly #lstSec: Float64Array;
  readonly #lstNs: Uint32Array;

  // Report accumulators.
  #mxBytsps = 0;
  #mxPkts = 0;
  #mxByts = 0;
  readonly #macPkts = talker();
  readonly #macBytes = talker();
  readonly #ipPkts = talker();
  readonly #ipBytes = talker();

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    const a = ctx.perFlow({
      pkts: Float64Array,
      bytes: Float64Array,
      minSz: Uint16Array,
      maxSz: Uint16Array,
      avgSz: Float32Array,
      varSz: Float32Array,
      minIat: Float32Array,
      maxIat: Float32Array,
      avgIat: Float32Array,
      varIat: Float32Array,
      lstSec: Float64Array,
      lstNs: Uint32Array,
    });
    this.#pkts = a.pkts;
    this.#bytes = a.bytes;
    this.#minSz = a.minSz;
    this.#maxSz = a.maxSz;
    this.#avgSz = a.avgSz;
    this.#varSz = a.varSz;
    this.#minIat = a.minIat;
    this.#maxIat = a.maxIat;
    this.#avgIat = a.avgIat;
    this.#varIat = a.varIat;
    this.#lstSec = a.lstSec;
    this.#lstNs = a.lstNs;
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
    this.#pkts[flow] = 0;
    this.#bytes[flow] = 0;
    this.#minSz[flow] = 65535;
    this.#maxSz[flow] = 0;
    this.#minIat[flow] = 4.0e12;
    this.#maxIat[flow] = 0;
    this.#avgIat[flow] = 0;
    this.#varIat[flow] = 0;
    this.#varSz[flow] = 0;
    this.#lstSec[flow] = this.#ctx.flows.lastSec[flow];
    this.#lstNs[flow] = this.#ctx.flows.lastNs[flow];
    this.#avgSz[flow] = p.len & 0xffff;
  }

  onLayer2(p: Packet, flow: number): void {
    if (flow >= 0) this.#claim(p, flow);
  }

  onLayer4(p: Packet, flow: number): void {
    this.#claim(p, flow);
  }

  #claim(p: Packet, flow: number): void {
    const flows = this.#ctx.flows;
    const len = p.len & 0xffff;
    const n = ++this.#pkts[flow];
    this.#bytes[flow] += len;
    if (len < this.#minSz[flow]) this.#minSz[flow] = len;
    if (len > this.#maxSz[flow]) this.#maxSz[flow] = len;

    const lastSec = flows.lastSec[flow];
    const lastNs = flows.lastNs[flow];
    const secDiff = ((lastSec >>> 0) - (this.#lstSec[flow] >>> 0)) >>> 0;
    const iat = f32(f32(secDiff) + f32(lastNs - this.#lstNs[flow]) / 1e9);
    if (iat < this.#minIat[flow]) this.#minIat[flow] = iat;
    if (iat > this.#maxIat[flow]) this.#maxIat[flow] = iat;
    this.#lstSec[flow] = lastSec;
    this.#lstNs[flow] = lastNs;

    const div = f32(n);
    let m = f32(len - this.#avgSz[flow]);
    this.#avgSz[flow] = f32(this.#avgSz[flow] + f32(m / div));
    let q = f32(m * m);
    this.#varSz[flow] = f32(this.#varSz[flow] + f32(f32(q - this.#varSz[flow]) / div));
    m = f32(iat - this.#avgIat[flow]);
    this.#avgIat[flow] = f32(this.#avgIat[flow] + f32(m / div));
    q = f32(m * m);
    this.#varIat[flow] = f32(this.#varIat[flow] + f32(f32(q - this.#varIat[flow]) / div));

    const pf = this.#ctx.packetFile;
    if (pf) {
      let udpLen = 0;
      if ((p.l4Proto === 17 || p.l4Proto === 136) && p.firstFragment) udpLen = p.u16(p.l4Off + 4);
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
    const n = this.#pkts[flow];
    const b = this.#bytes[flow];
    let o = 0;
    let ob = 0;
    let dir = 1;
    const opp = flows.opposite[flow];
    if (opp >= 0) {
      o = this.#pkts[opp];
      ob = this.#bytes[opp];
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
    out.u16(this.#minSz[flow]);
    out.u16(this.#maxSz[flow]);
    const avg = n ? f32(f32(b) / f32(n)) : 0;
    if (avg > f32(this.#mxByts)) this.#mxByts = Math.trunc(avg);
    out.f(avg);
    out.f(f32(Math.sqrt(this.#varSz[flow])));
    out.f(this.#minIat[flow]);
    out.f(this.#maxIat[flow]);
    out.f(this.#avgIat[flow]);
    out.f(f32(Math.sqrt(this.#varIat[flow])));
    out.f(pktps);
    out.f(bytps);
    out.f(pktAsm);
    out.f(bytAsm);

    if (flows.statusLo[flow] & S.L2_FLOW) {
      if (n > this.#macPkts.count) setTalker(this.#macPkts, n, flow, this.#ctx);
      if (b > this.#macBytes.count) setTalker(this.#macBytes, b, flow, this.#ctx);
    } else {
      if (n > this.#ipPkts.count) setTalker(this.#ipPkts, n, flow, this.#ctx);
      if (b > this.#ipBytes.count) setTalker(this.#ipBytes, b, flow, this.#ctx);
    }
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

  /** `addr` plus ` (CC)` from the geo database unless the code is `-` or a digit. */
  #talkerIp(t: Talker): string {
    const text = ipWordsText(t.version, t.addr, 0);
    const geo = this.#ctx.geo;
    if (!geo || this.#ctx.num("SUBNET_ON") === 0) return text;
    const cc = geo.countryCode(t.version === 0 ? 0 : t.subnet);
    if (cc.length < 2 || cc[0] === "-" || (cc[0] >= "0" && cc[0] <= "9")) return text;
    return `${text} (${cc.slice(0, 2).toUpperCase()})`;
  }
}

function setTalker(t: Talker, count: number, flow: number, ctx: PluginContext): void {
  const flows = ctx.flows;
  t.count = count;
  t.flow = flow;
  t.version = flows.ipVersion(flow);
  const base = flow * KEY_WORDS;
  for (let i = 0; i < 4; i++) t.addr[i] = flows.table.keys[base + i];
  flows.srcMac(flow, t.mac, 0);
  t.subnet = flows.subnetSrc[flow];
}
