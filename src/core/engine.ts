/**
 * The per-packet pipeline (spec/README.md §1-§2): timeout cycle, dissection, flow lookup and
 * creation (A/B linking, fragments, LRU), plugin callbacks, packet file, A/B counters, and
 * flow termination and output. The engine knows no plugin by name.
 *
 * @module
 */

import { Counters } from "../base/counters.ts";
import * as S from "../base/flow_status.ts";
import { dissectPacket } from "../dissect/dissect.ts";
import { type NoticeSink, reportNotices } from "../dissect/notices.ts";
import { Packet, PacketKind } from "../dissect/packet.ts";
import { countPacket } from "../dissect/tally.ts";
import { Flows } from "../flow/flows.ts";
import { KEY_WORDS, KeyTable } from "../flow/key_table.ts";
import { FlowLru } from "../flow/lru.ts";
import type { GeoLabels } from "../geo/labels.ts";
import type { PluginDefinition, PluginHooks, RunFacts } from "../plugin/api.ts";
import { NO_FLOW } from "../plugin/api.ts";
import { PluginSession } from "../plugin/context.ts";
import { type Column, ColumnBuilder } from "../plugin/columns.ts";
import { OutputBuffer } from "../plugin/output_buffer.ts";
import type { Settings } from "../plugin/settings.ts";
import type { ByteWriter } from "../output/byte_writer.ts";
import { escapeL7Into } from "../output/escape.ts";
import { PacketFile } from "../output/packet_file.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import { dateText } from "../output/time_text.ts";

/** Flow slots per hash factor unit (T2 HASHCHAINTABLE_BASE_SIZE). */
export const FLOW_SLOTS = 262144;

/** Name under which the core declares its settings. */
export const CORE = "core";

/** What the engine needs from its caller. */
export interface EngineOptions {
  /** Plugins in load order. */
  readonly plugins: readonly PluginDefinition[];
  /** Resolved settings (core and plugins declared). */
  readonly settings: Settings;
  /** Output prefix (T2 baseFileName). */
  readonly outputPrefix: string;
  /** Packet file writer when `-s` is given, else null. */
  readonly packetWriter: ByteWriter | null;
  /** Report stream. */
  readonly report: ReportWriter;
  /** Geo labels, or null when SUBNET_ON=0. */
  readonly geo: GeoLabels | null;
  /** Hash factor (`-f`). */
  readonly hashFactor: number;
  /** Facts for `_headers.txt`. */
  readonly run: RunFacts;
  /** Writes `[ERR] text` to standard error (plugins' errors); default: console.error. */
  readonly errorLine?: (text: string) => void;
  /** Called for a link type that cannot be dissected. */
  readonly unsupportedLinkType: (linkType: number) => void;
  /** Bytes of the input (all files of a list), for the autopilot's `-f` advice. */
  readonly captureSize?: () => number;
}

/** One run of the analyzer over a stream of packets. */
export class Engine {
  readonly counters: Counters = new Counters();
  readonly flows: Flows;
  readonly columns: Column[] = [];
  readonly packet: Packet = new Packet();
  readonly report: ReportWriter;
  readonly hooks: PluginHooks[] = [];
  /** Each plugin's context, in load order (parallel to `hooks`). */
  readonly #sessions: PluginSession[] = [];
  /** Plugins whose `init` ran, and those of them already finalized (in order). */
  #initialized = 0;
  #finalized = 0;

  readonly #opts: EngineOptions;
  readonly #lru: FlowLru;
  readonly #frag: KeyTable;
  readonly #fragOwner: Int32Array;
  readonly #key = new Uint32Array(KEY_WORDS);
  readonly #out = new OutputBuffer();
  readonly #pktFile: PacketFile | null;
  readonly #flowTimeout: number;
  /** Where the dissector's notices go: the report stream, and the caller for a fatal one. */
  readonly #notices: NoticeSink;

  // Hook objects that define each callback. Calls go through the object (`h.onLayer4(...)`):
  // V8 calls methods of a few known classes about twice as fast as bound functions.
  #onNewFlow: Required<Pick<PluginHooks, "onNewFlow">>[] = [];
  #onLayer2: Required<Pick<PluginHooks, "onLayer2">>[] = [];
  #onLayer4: Required<Pick<PluginHooks, "onLayer4">>[] = [];
  #onFlowTerminate: Required<Pick<PluginHooks, "onFlowTerminate">>[] = [];
  #sinks: Required<Pick<PluginHooks, "bufferToSink">>[] = [];
  #nowSec = 0;
  #nowNs = 0;
  #autopilotWarned = false;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.report = opts.report;
    const capacity = FLOW_SLOTS * opts.hashFactor;
    this.flows = new Flows(capacity);
    this.#lru = new FlowLru(capacity);
    this.#frag = new KeyTable(capacity);
    this.#fragOwner = new Int32Array(capacity);
    this.#pktFile = opts.packetWriter ? new PacketFile(opts.packetWriter) : null;
    this.#flowTimeout = Math.fround(opts.settings.num(CORE, "FLOW_TIMEOUT"));
    this.#lru.addHandler(this.#flowTimeout);
    this.#notices = {
      warn: (text) => this.report.warn(text),
      unsupportedLinkType: opts.unsupportedLinkType,
    };
  }

  // ---------------------------------------------------------------- set-up
  /**
   * Create the plugins, collect their columns, write the packet-file header and run their
   * `init` (T2: t2PrintHeader for all, then t2Init for all).
   */
  start(): void {
    this.#initialized = 0;
    this.#finalized = 0;
    const o = this.#opts;
    const created = new Map<string, PluginHooks>();
    const env = {
      flows: this.flows,
      counters: this.counters,
      packetFile: this.#pktFile,
      outputPrefix: o.outputPrefix,
      geo: o.geo,
      run: o.run,
      settings: o.settings,
      coreSettings: CORE,
      report: this.report,
      errorLine: o.errorLine ?? ((text: string) => console.error(`[ERR] ${text}`)),
      plugins: o.plugins.map((p) => ({ name: p.name, version: p.version })),
      columns: () => this.columns,
      registerTimeout: (s: number) => this.#lru.addHandler(s),
      created,
    };
    for (const def of o.plugins) {
      const session = new PluginSession(def, env);
      const hooks = def.create(session.context);
      created.set(def.name, hooks);
      this.hooks.push(hooks);
      this.#sessions.push(session);
    }

    const core = new ColumnBuilder("core", this.columns);
    core.add("dir", "Flow direction", "DIR");
    core.add("flowInd", "Flow index", "U64");
    o.plugins.forEach((def, i) =>
      this.hooks[i].columns?.(new ColumnBuilder(def.name, this.columns))
    );

    if (this.#pktFile) this.#pktFile.writer.text("%pktNo\tflowInd\t");
    for (const h of this.hooks) {
      h.init?.();
      this.#initialized++;
    }
    if (this.#pktFile) this.#pktFile.writer.text("l7Content\n");

    const having = <K extends keyof PluginHooks>(k: K) =>
      this.hooks.filter((h) => h[k]) as Required<Pick<PluginHooks, K>>[];
    this.#onNewFlow = having("onNewFlow");
    this.#onLayer2 = having("onLayer2");
    this.#onLayer4 = having("onLayer4");
    this.#onFlowTerminate = having("onFlowTerminate");
    this.#sinks = having("bufferToSink");
  }

  /**
   * End of the run, after the report (T2 t2Finalize): every plugin's `finalize`, in load
   * order, each followed by closing the summary files it left open.
   */
  finalize(): void {
    while (this.#finalized < this.#initialized) {
      const i = this.#finalized++;
      this.hooks[i].finalize?.();
      this.#sessions[i].closeFiles();
    }
  }

  /**
   * After an error that ends the run: `finalize` the plugins whose `init` ran and that were not
   * finalized yet, so that their files are flushed and closed; their own errors are ignored
   * (the first error is the one reported).
   */
  finalizeAfterError(): void {
    while (this.#finalized < this.#initialized) {
      const i = this.#finalized++;
      try {
        this.hooks[i].finalize?.();
        this.#sessions[i].closeFiles();
      } catch { /* the first error is the one reported */ }
    }
  }

  /** Registered timeout values, largest first. */
  get timeouts(): number[] {
    return this.#lru.timeouts;
  }

  // ---------------------------------------------------------------- per packet
  /**
   * Process one capture record. `data[offset .. offset+capLen)` holds the packet bytes.
   */
  processRecord(
    data: Uint8Array,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNs: number,
    linkType: number,
  ): void {
    const c = this.counters;
    this.#nowSec = tsSec;
    this.#nowNs = tsNs;
    if (c.numPackets === 0) {
      c.firstSec = tsSec;
      c.firstNs = tsNs;
      this.report.line(`Dump start: ${dateText(tsSec, tsNs, true)}`);
    }
    c.lastSec = tsSec;
    c.lastNs = tsNs;

    this.#cycleTimeouts();

    c.numPackets++;
    c.rawBytesOnWire += wireLen;
    if (capLen === 0) {
      // T2 counts the record and says so (default verbosity), then goes on.
      this.report.warn(`No data available for packet ${c.numPackets}`);
      return;
    }

    const p = this.packet;
    p.reset(data, offset, capLen, wireLen);
    p.pktNo = c.numPackets;
    p.tsSec = tsSec;
    p.tsNs = tsNs;
    p.linkType = linkType;
    c.bytesProcessed += capLen;

    dissectPacket(p);
    if (p.noticeCount !== 0) reportNotices(p, c, this.#notices);
    countPacket(c, p);

    if (p.kind === PacketKind.IPV4 || p.kind === PacketKind.IPV6) this.#ipPacket(p);
    else if (p.kind === PacketKind.L2) this.#l2Packet(p);
  }

  /** Set a flow status bit the way T2_SET_STATUS does (flow and aggregated flowStat). */
  #setFlowStatus(flow: number, lo: number, hi: number): void {
    this.flows.statusLo[flow] |= lo;
    this.flows.statusHi[flow] |= hi;
    this.counters.globalWarnLo |= lo;
    this.counters.globalWarnHi |= hi;
  }

  /** Flow key of the packet into `#key` (ports slot = `portsWord`). */
  #ipKey(p: Packet, portsWord: number, proto: number): Uint32Array {
    const k = this.#key;
    const a = p.addr;
    for (let i = 0; i < 8; i++) k[i] = a[i];
    k[8] = k[9] = k[10] = 0;
    k[11] = ((p.ethType << 16) | p.vlanId) >>> 0;
    k[12] = portsWord >>> 0;
    k[13] = proto;
    return k;
  }

  #ipPacket(p: Packet): void {
    const c = this.counters;
    const flows = this.flows;
    const v6 = p.kind === PacketKind.IPV6;
    let flow = -1;
    let noHead = false;

    if (!p.firstFragment) {
      // Later fragment: find the flow of its first fragment. T2 looks IPv6 fragments up
      // with protocol 0, so they are never found (reference: ipv6-fragments-udp-mdns).
      const k = this.#ipKey(p, p.ipId, v6 ? 0 : p.l4Proto);
      const fi = this.#frag.lookup(k, 0);
      if (fi < 0) {
        c.globalWarnHi |= S.IPV4_FRAG_H | S.IPV4_FRAG_HDSEQ_ERR_H;
        noHead = true;
      } else {
        if (v6) c.numFragV6Packets++;
        else c.numFragV4Packets++;
        flow = this.#fragOwner[fi];
        const moreFragments = v6 ? (p.ipOff & 0x0001) !== 0 : (p.ipOff & 0x2000) !== 0;
        if (!moreFragments) {
          this.#fragOwner[fi] = -1;
          this.#frag.remove(fi);
          flows.statusHi[flow] &= ~S.IPV4_FRAG_PENDING_H;
        }
      }
    }

    if (flow < 0) {
      const k = this.#ipKey(p, (p.srcPort << 16) | p.dstPort, p.l4Proto);
      flow = flows.table.lookup(k, 0);
      if (flow < 0) {
        flow = this.#createIpFlow(p);
      } else {
        this.#lru.touch(flow);
        if (!v6) {
          const id = p.ipId;
          if (id !== 0 && id === flows.lastIPID[flow]) this.#setFlowStatus(flow, 0, S.DUPIPID_H);
          flows.lastIPID[flow] = id;
        }
      }
      const firstFragment = v6
        ? p.ip6FragOff >= 0 && (p.ipOff & 0xfff9) === 0x0001
        : (p.ipOff & 0x3fff) === 0x2000;
      if (firstFragment || noHead) {
        if (noHead) this.#setFlowStatus(flow, 0, S.IPV4_FRAG_HDSEQ_ERR_H);
        if (v6) c.numFragV6Packets++;
        else {
          c.numFragV4Packets++;
          p.statusHi |= S.IPV4_FRAG_H;
        }
        this.#setFlowStatus(flow, 0, S.IPV4_FRAG_H);
        this.#registerFragment(p, flow);
      } else if (flows.statusHi[flow] & S.IPV4_FRAG_PENDING_H) {
        this.#setFlowStatus(flow, 0, S.IPV4_FRAG_ERR_H);
      }
    }

    c.numPacketsL2[p.ethType]++;
    c.numBytesL2[p.ethType] += p.snapLen;
    c.numPacketsL3[p.l4Proto]++;
    c.numBytesL3[p.l4Proto] += p.snapLen;

    if (p.padLen !== 0) flows.padLen[flow] += p.padLen; // short frames only

    const l2 = this.#onLayer2;
    for (let i = 0; i < l2.length; i++) l2[i].onLayer2(p, NO_FLOW);

    flows.statusLo[flow] |= p.statusLo;
    flows.statusHi[flow] |= p.statusHi;
    flows.lastSec[flow] = p.tsSec;
    flows.lastNs[flow] = p.tsNs;

    const pf = this.#pktFile;
    if (pf) this.#packetPrefix(pf, p, flow);
    const l4 = this.#onLayer4;
    for (let i = 0; i < l4.length; i++) l4[i].onLayer4(p, flow);
    if (pf) this.#payload(pf, p);

    this.#countAB(flow, p.snapLen);
  }

  /** First fragment (or headless fragment): remember which flow owns the datagram. */
  #registerFragment(p: Packet, flow: number): void {
    const flows = this.flows;
    const id = p.ipId;
    const k = this.#ipKey(p, id, p.l4Proto);
    let fi = -1;
    if (flows.statusHi[flow] & S.IPV4_FRAG_PENDING_H) {
      k[12] = flows.lastFragIPID[flow];
      const old = this.#frag.lookup(k, 0);
      if (old < 0) this.#setFlowStatus(flow, 0, S.IPV4_FRAG_ERR_H);
      else {
        this.#fragOwner[old] = -1;
        this.#frag.remove(old);
        if (flows.lastFragIPID[flow] !== id) this.#setFlowStatus(flow, 0, S.IPV4_FRAG_ERR_H);
      }
      k[12] = id;
    } else if ((fi = this.#frag.lookup(k, 0)) >= 0) {
      // Two flows with the same fragment key: the newer one takes it over.
      const other = this.#fragOwner[fi];
      flows.statusHi[other] &= ~S.IPV4_FRAG_PENDING_H;
      this.#fragOwner[fi] = flow;
    }
    if (fi < 0 && !this.#frag.full) {
      fi = this.#frag.insert(k, 0);
      this.#fragOwner[fi] = flow;
    }
    flows.lastFragIPID[flow] = id;
    flows.statusHi[flow] |= S.IPV4_FRAG_PENDING_H;
  }

  #l2Packet(p: Packet): void {
    const c = this.counters;
    const flows = this.flows;
    c.numPacketsL2[p.ethType]++;
    c.numBytesL2[p.ethType] += p.snapLen;

    const k = this.#key;
    k.fill(0);
    const l2 = p.l2Off;
    // MAC area: destination MAC then source MAC (12 bytes in words 8-10).
    p.u32Into(k, 8, l2);
    p.u32Into(k, 9, l2 + 4);
    p.u32Into(k, 10, l2 + 8);
    k[11] = ((p.ethType << 16) | p.vlanId) >>> 0;
    let flow = flows.table.lookup(k, 0);
    if (flow < 0) flow = this.#createL2Flow(p);
    else this.#lru.touch(flow);

    flows.lastSec[flow] = p.tsSec;
    flows.lastNs[flow] = p.tsNs;
    this.#setFlowStatus(flow, p.statusLo, p.statusHi);
    flows.padLen[flow] += p.padLen;

    const pf = this.#pktFile;
    if (pf) this.#packetPrefix(pf, p, flow);
    const l2h = this.#onLayer2;
    for (let i = 0; i < l2h.length; i++) l2h[i].onLayer2(p, flow);
    if (pf) this.#payload(pf, p);

    this.#countAB(flow, p.snapLen);
  }

  #countAB(flow: number, bytes: number): void {
    const c = this.counters;
    if (this.flows.statusLo[flow] & S.L3FLOWINVERT) {
      c.numBPackets++;
      c.numBBytes += bytes;
    } else {
      c.numAPackets++;
      c.numABytes += bytes;
    }
  }

  #packetPrefix(pf: PacketFile, p: Packet, flow: number): void {
    const w = pf.writer;
    w.uint(p.pktNo);
    w.tab();
    w.uint(this.flows.findex[flow]);
    w.tab();
  }

  /**
   * l7Content (the payload's `snapL7Len` bytes, escaped) and the end of the packet line. Where
   * T2's length runs past the captured bytes (radiotap, Juniper), those bytes read as 0: `.`.
   */
  #payload(pf: PacketFile, p: Packet): void {
    const w = pf.writer;
    const start = p.l7Off;
    if (start >= 0 && p.snapL7Len > 0) {
      const end = Math.min(start + p.snapL7Len, p.end);
      const missing = start + p.snapL7Len - Math.max(end, start);
      w.ensure(2 * (end - start) + missing + 1);
      if (end > start) w.position = escapeL7Into(p.data, start, end, w.buffer, w.position);
      w.buffer.fill(0x2e, w.position, w.position + missing);
      w.position += missing;
    }
    w.byte(10);
  }

  // ---------------------------------------------------------------- flow creation
  /** Take a slot for a new flow, running the hash autopilot when the table is full. */
  #insertFlow(): number {
    const table = this.flows.table;
    if (table.full) this.#autopilot();
    return table.insert(this.#key, 0);
  }

  #autopilot(): void {
    const c = this.counters;
    if (!this.#autopilotWarned) {
      this.#autopilotWarned = true;
      this.report.pluginWarn("Hash Autopilot", "main HashMap full: flushing 1 oldest flow(s)");
      // T2: how many times the input read so far fits in the whole input, within 2..16.
      const size = this.#opts.captureSize?.() ?? 0;
      const ratio = Math.floor(size / (24 + c.bytesProcessed + 16 * c.numPackets)) >>> 0;
      const approx = Math.min(16, Math.max(2, ratio)) * this.#opts.hashFactor;
      this.report.pluginInfo("Hash Autopilot", `Fix: Invoke Tranalyzer with '-f ${approx}'`);
    }
    c.totalRmFlows++;
    const flow = this.#lru.oldest();
    if (flow < 0) return;
    this.#setFlowStatus(flow, 0, S.RMFLOW_HFULL_H);
    this.#outputPair(flow);
    this.#removePair(flow);
  }

  /** Common initialisation of a new flow's core state. */
  #initFlow(flow: number, p: Packet): void {
    const flows = this.flows;
    flows.statusLo[flow] = 0;
    flows.statusHi[flow] = 0;
    flows.timeout[flow] = this.#flowTimeout;
    flows.opposite[flow] = -1;
    flows.firstSec[flow] = flows.lastSec[flow] = p.tsSec;
    flows.firstNs[flow] = flows.lastNs[flow] = p.tsNs;
    flows.padLen[flow] = 0;
    flows.lastIPID[flow] = -1;
    flows.lastFragIPID[flow] = 0;
    flows.subnetSrc[flow] = 0;
    flows.subnetDst[flow] = 0;
  }

  /** Link a new flow with its reverse flow if present; returns true when linked. */
  #linkReverse(flow: number, reverseKey: Uint32Array, tcpLand: boolean): boolean {
    const flows = this.flows;
    const c = this.counters;
    const rev = flows.table.lookup(reverseKey, 0);
    if (rev === flow) {
      if (tcpLand) this.#setFlowStatus(flow, 0, S.LANDATTACK_H);
      flows.findex[flow] = ++c.totalfIndex;
      c.totalAFlows++;
      return true;
    }
    if (rev >= 0) {
      flows.opposite[rev] = flow;
      flows.opposite[flow] = rev;
      flows.findex[flow] = flows.findex[rev];
      c.totalBFlows++;
      if (!(flows.statusLo[rev] & S.L3FLOWINVERT)) flows.statusLo[flow] |= S.L3FLOWINVERT;
      return true;
    }
    return false;
  }

  #createIpFlow(p: Packet): number {
    const flows = this.flows;
    const c = this.counters;
    const flow = this.#insertFlow();
    this.#initFlow(flow, p);
    const geo = this.#opts.geo;
    const v6 = p.kind === PacketKind.IPV6;
    if (geo) {
      flows.subnetSrc[flow] = v6 ? geo.lookup6(p.addr, 0) : geo.lookup4(p.addr[0]);
      flows.subnetDst[flow] = v6 ? geo.lookup6(p.addr, 4) : geo.lookup4(p.addr[4]);
    }
    if (v6) {
      this.#setFlowStatus(flow, S.L2_IPV6, 0);
      c.totalIPv6Flows++;
    } else {
      this.#setFlowStatus(flow, S.L2_IPV4, 0);
      c.totalIPv4Flows++;
    }
    this.#lru.touch(flow);

    // Reverse key: addresses and ports swapped.
    const k = this.#key;
    const keys = flows.table.keys;
    const base = flow * KEY_WORDS;
    for (let i = 0; i < 4; i++) {
      k[i] = keys[base + 4 + i];
      k[4 + i] = keys[base + i];
    }
    k[12] = ((p.dstPort << 16) | p.srcPort) >>> 0;
    if (!this.#linkReverse(flow, k, p.l4Proto === 6)) {
      flows.findex[flow] = ++c.totalfIndex;
      c.totalAFlows++;
      const sp = p.srcPort;
      if (
        (sp < 1024 && sp < p.dstPort) || (sp & 0xfff6) === 8080 ||
        (p.l4Proto === 6 && (p.u8(p.l4Off + 13) & 0x12) === 0x12)
      ) {
        flows.statusLo[flow] |= S.L3FLOWINVERT;
      }
    }
    this.#flowCreated(p, flow);
    return flow;
  }

  #createL2Flow(p: Packet): number {
    const flows = this.flows;
    const c = this.counters;
    const flow = this.#insertFlow();
    this.#initFlow(flow, p);
    this.#setFlowStatus(flow, S.L2_FLOW, 0);
    c.totalL2Flows++;
    this.#lru.touch(flow);
    // Reverse key: MACs swapped.
    const k = this.#key;
    const l2 = p.l2Off;
    k[8] = p.u32(l2 + 6);
    k[9] = ((p.u16(l2 + 10) << 16) | p.u16(l2)) >>> 0;
    k[10] = p.u32(l2 + 2);
    if (!this.#linkReverse(flow, k, false)) {
      flows.findex[flow] = ++c.totalfIndex;
      c.totalAFlows++;
    }
    this.#flowCreated(p, flow);
    return flow;
  }

  #flowCreated(p: Packet, flow: number): void {
    const c = this.counters;
    if (++c.maxNumFlows > c.maxNumFlowsPeak) c.maxNumFlowsPeak = c.maxNumFlows;
    const fns = this.#onNewFlow;
    for (let i = 0; i < fns.length; i++) fns[i].onNewFlow(p, flow);
  }

  // ---------------------------------------------------------------- termination
  #cycleTimeouts(): void {
    this.#lru.cycle(this.#nowSec, this.#nowNs, this.flows, this.#expire);
  }

  /** Output and remove a timed-out pair; returns the LRU node to continue with. */
  readonly #expire = (flow: number): number => {
    this.#outputPair(flow);
    return this.#removePair(flow);
  };

  /** Output a flow and its opposite in A/B order (T2 lruPrintFlow). */
  #outputPair(flow: number): void {
    const flows = this.flows;
    const opp = flows.opposite[flow];
    if (opp < 0) {
      if (flows.statusLo[flow] & S.L3FLOWINVERT) this.counters.corrReplFlws++;
      this.#printFlow(flow, 0);
    } else if (flows.statusLo[flow] & S.L3FLOWINVERT) {
      this.#printFlow(opp, 0);
      this.#printFlow(flow, 1);
    } else {
      this.#printFlow(flow, 0);
      this.#printFlow(opp, 1);
    }
  }

  #printFlow(flow: number, dir: number): void {
    const flows = this.flows;
    let sec = flows.lastSec[flow] - flows.firstSec[flow];
    let ns = flows.lastNs[flow] - flows.firstNs[flow];
    if (ns < 0) {
      sec--;
      ns += 1e9;
    }
    flows.durSec[flow] = sec;
    flows.durNs[flow] = ns;
    const out = this.#out;
    // A flow whose output a plugin stopped (ctx.fail) leaves its values behind.
    out.reset();
    out.dir(dir);
    out.u64(flows.findex[flow]);
    const term = this.#onFlowTerminate;
    for (let i = 0; i < term.length; i++) term[i].onFlowTerminate(flow, out);
    const sinks = this.#sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i].bufferToSink(out, this.columns);
    out.reset();
  }

  /**
   * Remove a flow and its opposite (T2 removeFlow); returns the LRU node head-side of
   * `flow` that is still in the list.
   */
  #removePair(flow: number): number {
    const flows = this.flows;
    const lru = this.#lru;
    let prev = lru.prev[flow];
    const opp = flows.opposite[flow];
    for (let side = 0; side < 2; side++) {
      const f = side === 0 ? flow : opp;
      if (f < 0) break;
      flows.table.remove(f);
      if (flows.statusHi[f] & S.IPV4_FRAG_PENDING_H) {
        const k = this.#key;
        const keys = flows.table.keys;
        for (let i = 0; i < KEY_WORDS; i++) k[i] = keys[f * KEY_WORDS + i];
        k[12] = flows.lastFragIPID[f];
        const fi = this.#frag.lookup(k, 0);
        if (fi >= 0) {
          this.#fragOwner[fi] = -1;
          this.#frag.remove(fi);
        }
        this.counters.globalWarnHi |= S.IPV4_FRAG_PENDING_H;
      }
      const fprev = lru.prev[f];
      lru.unlink(f);
      if (prev === f) prev = fprev;
      this.counters.maxNumFlows--;
    }
    return prev;
  }

  /** Output and remove every flow still in memory (end of input), oldest first. */
  flushFlows(): void {
    const lru = this.#lru;
    let p = lru.prev[lru.tail];
    while (p !== lru.head) {
      if (lru.isSentinel(p)) {
        p = lru.prev[p];
        continue;
      }
      this.#outputPair(p);
      p = this.#removePair(p);
    }
  }
}
