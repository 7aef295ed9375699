/**
 * basicFlow (plugin 100): flow status, times, header descriptions, MAC addresses, EtherType,
 * VLANs, addresses and ports (spec/columns.md §1-2), and the matching packet-file columns.
 *
 * @module
 */

import {
  type ColumnBuilder,
  EtherType,
  flowStatus as S,
  hdrDescText,
  IpProto,
  type OutputBuffer,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
} from "../../mod.ts";

/** Distinct header descriptions kept per flow (BFO_MAX_HDRDESC). */
const MAX_HDRDESC = 4;
/** Distinct MAC addresses kept per flow and direction (BFO_MAX_MAC). */
const MAX_MAC = 3;
/** VLAN tags kept from a flow's first packet (BFO_MAX_VLAN). */
const MAX_VLAN = 3;

const isVlanType = (t: number) =>
  t === EtherType.VLAN || t === EtherType.QINQ || t === EtherType.VLAN_9100 ||
  t === EtherType.VLAN_9200;

/** The basicFlow plugin. */
export const basicFlow: PluginDefinition = {
  name: "basicFlow",
  number: 100,
  version: "0.9.3",
  create: (ctx) => new BasicFlow(ctx),
};

class BasicFlow implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #subnet: boolean;
  // Per-flow state, indexed by flow slot.
  readonly #hdrCount: Uint8Array;
  readonly #hdrNode: Int32Array;
  readonly #hdrNum: Uint16Array;
  readonly #srcMacCount: Uint8Array;
  readonly #dstMacCount: Uint8Array;
  /** MACs as three 16-bit words each (see addMac). */
  readonly #srcMacs: Uint16Array;
  readonly #dstMacs: Uint16Array;
  readonly #vlanCount: Uint8Array;
  readonly #vlans: Uint32Array;
  readonly #lastPktSec: Float64Array;
  readonly #lastPktNs: Uint32Array;
  /** The destination and source MAC of a frame cut short, missing bytes 0. */
  readonly #macs = new Uint8Array(12);

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#subnet = ctx.num("SUBNET_ON") !== 0 && ctx.geo !== null;
    const n = ctx.flows.capacity;
    this.#hdrCount = new Uint8Array(n);
    this.#hdrNode = new Int32Array(n * MAX_HDRDESC);
    this.#hdrNum = new Uint16Array(n * MAX_HDRDESC);
    this.#srcMacCount = new Uint8Array(n);
    this.#dstMacCount = new Uint8Array(n);
    this.#srcMacs = new Uint16Array(n * MAX_MAC * 3);
    this.#dstMacs = new Uint16Array(n * MAX_MAC * 3);
    this.#vlanCount = new Uint8Array(n);
    this.#vlans = new Uint32Array(n * MAX_VLAN);
    this.#lastPktSec = new Float64Array(n);
    this.#lastPktNs = new Uint32Array(n);
  }

  columns(c: ColumnBuilder): void {
    c.add("flowStat", "Flow status and warnings", "H64");
    c.add("timeFirst", "Date time of first packet", "TIME");
    c.add("timeLast", "Date time of last packet", "TIME");
    c.add("duration", "Flow duration", "DURATION");
    c.add("numHdrDesc", "Number of different headers descriptions", "U8");
    c.addRepeated("numHdrs", "Number of headers (depth) in hdrDesc", "U16");
    c.addRepeated("hdrDesc", "Headers description", "SC");
    c.addRepeated("srcMac", "Mac source", "MAC");
    c.addRepeated("dstMac", "Mac destination", "MAC");
    c.add("ethType", "Ethernet type", "H16");
    c.addRepeated("vlanID", "VLAN IDs", "U16");
    c.add("srcIP", "Source IP address", "IPX");
    if (this.#subnet) {
      c.add("srcIPCC", "Source IP country", "SC");
      c.add("srcIPOrg", "Source IP organization", "S");
    }
    c.add("srcPort", "Source port", "U16");
    c.add("dstIP", "Destination IP address", "IPX");
    if (this.#subnet) {
      c.add("dstIPCC", "Destination IP country", "SC");
      c.add("dstIPOrg", "Destination IP organization", "S");
    }
    c.add("dstPort", "Destination port", "U16");
    c.add("l4Proto", "Layer 4 protocol", "U8");
  }

  init(): void {
    const pf = this.#ctx.packetFile;
    if (!pf) return;
    pf.header("flowStat", "time", "pktIAT", "pktTrip", "flowDuration", "numHdrs", "hdrDesc");
    pf.header("vlanID", "srcMac", "dstMac", "ethType", "srcIP");
    if (this.#subnet) pf.header("srcIPCC", "srcIPOrg");
    pf.header("srcPort", "dstIP");
    if (this.#subnet) pf.header("dstIPCC", "dstIPOrg");
    pf.header("dstPort", "l4Proto");
  }

  onNewFlow(p: Packet, flow: number): void {
    const flows = this.#ctx.flows;
    this.#hdrCount[flow] = 0;
    this.#srcMacCount[flow] = 0;
    this.#dstMacCount[flow] = 0;
    this.#vlanCount[flow] = 0;
    this.#lastPktSec[flow] = flows.lastSec[flow];
    this.#lastPktNs[flow] = flows.lastNs[flow];
    if ((p.statusLo & S.L2_VLAN) && p.vlanHdrOff >= 0) {
      // The tags of the flow's first packet: (TCI << 16 | next EtherType) words.
      let i = 0;
      let type: number;
      do {
        const w = p.vlanTag(i);
        this.#vlans[flow * MAX_VLAN + i] = w;
        type = w & 0xffff;
        i++;
      } while (i < MAX_VLAN && isVlanType(type));
      this.#vlanCount[flow] = i;
    }
  }

  onLayer2(p: Packet, flow: number): void {
    if (flow >= 0) this.#claim(p, flow);
  }

  onLayer4(p: Packet, flow: number): void {
    this.#claim(p, flow);
  }

  #claim(p: Packet, flow: number): void {
    const flows = this.#ctx.flows;
    this.#copyHdrDesc(p, flow);

    const noEth = (flows.statusLo[flow] & S.L2_NO_ETH) !== 0 ||
      (flows.statusHi[flow] & S.LAPD_FLOW_H) !== 0;
    const hasMacs = p.l2Off >= 0 && !noEth;
    if (hasMacs) {
      // Both MACs straight from the packet's bytes when captured whole (the common case), else
      // from a copy in which the missing bytes are 0.
      const whole = p.macsCaptured();
      const bytes = whole ? p.data : this.#cutMacs(p);
      const at = whole ? p.l2Off : 0;
      addMac(this.#srcMacs, this.#srcMacCount, flow, bytes, at + 6);
      addMac(this.#dstMacs, this.#dstMacCount, flow, bytes, at);
    }

    const pf = this.#ctx.packetFile;
    if (!pf) return;

    const lastSec = flows.lastSec[flow];
    const lastNs = flows.lastNs[flow];
    // Seconds differences wrap as T2's unsigned 32-bit arithmetic does.
    const flwDur = (((lastSec >>> 0) - (flows.firstSec[flow] >>> 0)) >>> 0) +
      (lastNs - flows.firstNs[flow]) / 1e9;
    const iat = (((lastSec >>> 0) - (this.#lastPktSec[flow] >>> 0)) >>> 0) +
      (lastNs - this.#lastPktNs[flow]) / 1e9;
    let trip = 0;
    const opp = flows.opposite[flow];
    if (opp >= 0) {
      trip = (lastSec - flows.lastSec[opp]) +
        Math.fround(Math.fround(lastNs) - Math.fround(flows.lastNs[opp])) / 1e9;
    }
    if (iat < 0) {
      this.#ctx.counters.globalWarnHi |= S.TIMEJUMP_H;
      flows.statusHi[flow] |= S.TIMEJUMP_H;
    }
    this.#lastPktSec[flow] = lastSec;
    this.#lastPktNs[flow] = lastNs;

    const w = pf.writer;
    pf.hex64(flows.statusLo[flow], flows.statusHi[flow]);
    w.uint(lastSec >>> 0);
    w.byte(46);
    w.uintPadded(lastNs, 9);
    w.tab();
    pf.fixed(iat, 9);
    pf.fixed(trip, 9);
    pf.fixed(flwDur, 9);
    pf.uint(p.numHdrs & 0xffff);
    pf.text(p.hdrDesc);

    if (p.statusLo & S.L2_VLAN) {
      const n = this.#vlanCount[flow];
      for (let i = 0; i < n; i++) {
        if (i) w.byte(59);
        w.uint(this.#vlans[flow * MAX_VLAN + i] >>> 16);
      }
    }
    w.tab();

    if (hasMacs) {
      // Source MAC (bytes 6-11 of the link header), destination MAC (0-5); missing bytes: 00.
      pf.mac(p.data, p.l2Off + 6, p.end);
      pf.mac(p.data, p.l2Off, p.end);
    } else {
      pf.empty(2);
    }
    pf.hex(p.ethType, 4);

    if (p.l3Off < 0) {
      pf.empty(this.#subnet ? 9 : 5);
      return;
    }
    const ver = flows.ipVersion(flow);
    const words = flows.addrWords;
    const proto = p.l4Proto;
    const hasPorts = proto === IpProto.TCP || proto === IpProto.UDP ||
      proto === IpProto.UDPLITE || proto === IpProto.SCTP;
    // T2 prints no address for a non-IP flow here (a bogus IPvX packet has an L3 pointer).
    if (ver) pf.ipWords(ver, words, flows.srcAddrAt(flow));
    else pf.empty();
    if (this.#subnet) this.#geoPacket(ver, flows.subnetSrc[flow]);
    if (hasPorts) w.uint(p.srcPort);
    w.tab();
    if (ver) pf.ipWords(ver, words, flows.dstAddrAt(flow));
    else pf.empty();
    if (this.#subnet) this.#geoPacket(ver, flows.subnetDst[flow]);
    if (hasPorts) w.uint(p.dstPort);
    w.tab();
    pf.uint(proto);
  }

  /** The 12 MAC bytes of a frame cut short: destination then source, missing bytes 0. */
  #cutMacs(p: Packet): Uint8Array {
    const macs = this.#macs;
    p.dstMacInto(macs, 0);
    p.srcMacInto(macs, 6);
    return macs;
  }

  /** Packet-file geo columns: country and organisation, unquoted. */
  #geoPacket(ver: number, record: number): void {
    const pf = this.#ctx.packetFile!;
    const geo = this.#ctx.geo!;
    const r = ver === 0 ? 0 : record;
    pf.text(geo.countryCode(r));
    pf.text(geo.organization(r));
  }

  #copyHdrDesc(p: Packet, flow: number): void {
    const n = this.#hdrCount[flow];
    if (n >= MAX_HDRDESC) {
      // T2 marks the overrun for every packet once four descriptions are stored.
      this.#ctx.flows.statusHi[flow] |= S.HDOVRN_H;
      return;
    }
    const base = flow * MAX_HDRDESC;
    for (let i = 0; i < n; i++) {
      if (this.#hdrNode[base + i] === p.hdrNode) {
        this.#hdrNum[base + i] = p.numHdrs;
        return;
      }
    }
    this.#hdrNode[base + n] = p.hdrNode;
    this.#hdrNum[base + n] = p.numHdrs;
    this.#hdrCount[flow] = n + 1;
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const flows = this.#ctx.flows;
    out.h64(flows.statusLo[flow], flows.statusHi[flow]);
    out.time(flows.firstSec[flow] >>> 0, flows.firstNs[flow]);
    out.time(flows.lastSec[flow] >>> 0, flows.lastNs[flow]);
    out.duration(flows.durSec[flow] >>> 0, flows.durNs[flow]);

    const nh = this.#hdrCount[flow];
    const hb = flow * MAX_HDRDESC;
    out.u8(nh);
    out.repeat(nh);
    for (let i = 0; i < nh; i++) out.u16(this.#hdrNum[hb + i]);
    out.repeat(nh);
    for (let i = 0; i < nh; i++) out.strClass(hdrDescText(this.#hdrNode[hb + i]));

    const ns = this.#srcMacCount[flow];
    out.repeat(ns);
    const sm = this.#srcMacs;
    for (let i = 0; i < ns; i++) {
      const m = (flow * MAX_MAC + i) * 3;
      out.macWords(sm[m], sm[m + 1] * 0x10000 + sm[m + 2]);
    }
    const nd = this.#dstMacCount[flow];
    out.repeat(nd);
    const dm = this.#dstMacs;
    for (let i = 0; i < nd; i++) {
      const m = (flow * MAX_MAC + i) * 3;
      out.macWords(dm[m], dm[m + 1] * 0x10000 + dm[m + 2]);
    }

    out.h16(flows.ethType(flow));
    const nv = this.#vlanCount[flow];
    out.repeat(nv);
    for (let i = 0; i < nv; i++) out.u16(this.#vlans[flow * MAX_VLAN + i] >>> 16);

    const ver = flows.ipVersion(flow);
    const words = flows.addrWords;
    out.ipx(ver, words, flows.srcAddrAt(flow));
    if (this.#subnet) this.#geoFlow(out, ver, flows.subnetSrc[flow]);
    out.u16(flows.srcPort(flow));
    out.ipx(ver, words, flows.dstAddrAt(flow));
    if (this.#subnet) this.#geoFlow(out, ver, flows.subnetDst[flow]);
    out.u16(flows.dstPort(flow));
    out.u8(flows.l4Proto(flow));
  }

  #geoFlow(out: OutputBuffer, ver: number, record: number): void {
    const geo = this.#ctx.geo!;
    if (ver === 0 || record === 0) {
      out.strClass("-");
      out.str("-");
    } else {
      out.strClass(geo.countryCode(record));
      out.str(geo.organization(record));
    }
  }
}

/**
 * Remember a MAC address of a flow (distinct, first seen first, at most MAX_MAC). Kept as
 * three 16-bit words: small integers are compared and passed around without allocation.
 */
function addMac(
  store: Uint16Array,
  count: Uint8Array,
  flow: number,
  bytes: Uint8Array,
  off: number,
): void {
  const n = count[flow];
  if (n >= MAX_MAC) return;
  const a = (bytes[off] << 8) | bytes[off + 1];
  const b = (bytes[off + 2] << 8) | bytes[off + 3];
  const c = (bytes[off + 4] << 8) | bytes[off + 5];
  const base = flow * MAX_MAC * 3;
  for (let i = 0; i < n; i++) {
    const m = base + 3 * i;
    if (store[m] === a && store[m + 1] === b && store[m + 2] === c) return;
  }
  const m = base + 3 * n;
  store[m] = a;
  store[m + 1] = b;
  store[m + 2] = c;
  count[flow] = n + 1;
}
