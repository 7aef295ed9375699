/**
 * PROTOTYPE (issue 15, tasks/multicore; not product code): a copy of src/core/engine.ts that
 * runs one shard of a flow-sharded run. Changes against the engine, all marked `SHARD`:
 *
 * - every record runs the timeout cycle (every shard sees every packet's time); a packet whose
 *   flow key hashes to another shard stops after dissection (design b) or is not dissected at
 *   all (design a: the reader says whose it is);
 * - findex is the shard's own count (the merge maps it to the run's);
 * - every flow row goes to a {@linkcode RowSink} with its place in the run's output order
 *   (`keyHi`, `keyLo`), instead of to the sinks; flow creations are reported too;
 * - packet-file lines are written without `pktNo` and `flowInd` (the merge writes them).
 *
 * @module
 */

import { Counters } from "../../src/core/counters.ts";
import * as S from "../../src/core/flow_status.ts";
import type { DissectContext } from "../../src/dissect/context.ts";
import { dissectPacket } from "../../src/dissect/link_layer.ts";
import { isSpecialPort } from "../../src/dissect/plain_ipv4.ts";
import { startsDtlsRecord } from "../../src/dissect/ipv4.ts";
import { teredoIpv6At } from "../../src/dissect/tunnels.ts";
import { Packet, PacketKind } from "../../src/dissect/packet.ts";
import { Flows } from "../../src/flow/flows.ts";
import { KEY_WORDS, KeyTable } from "../../src/flow/key_table.ts";
import { FlowLru } from "./shard_lru.ts";
import type { GeoLabels } from "../../src/geo/labels.ts";
import type { PluginDefinition, PluginHooks, RunFacts } from "../../src/plugin/api.ts";
import { NO_FLOW } from "../../src/plugin/api.ts";
import { PluginSession } from "../../src/plugin/context.ts";
import { type Column, ColumnBuilder } from "../../src/plugin/columns.ts";
import { OutputBuffer } from "../../src/plugin/output_buffer.ts";
import type { Settings } from "../../src/plugin/settings.ts";
import type { ByteWriter } from "../../src/output/byte_writer.ts";
import { escapeL7Into } from "../../src/output/escape.ts";
import { PacketFile } from "../../src/output/packet_file.ts";
import type { ReportWriter } from "../../src/output/report_writer.ts";
import { dateText } from "../../src/output/time_text.ts";

/** Flow slots per hash factor unit (T2 HASHCHAINTABLE_BASE_SIZE). */
export const FLOW_SLOTS = 262144;

/** Name under which the core declares its settings. */
export const CORE = "core";

/** SHARD: where a shard's flow rows and events go (see rows.ts). */
export interface RowSink {
  /** A flow row at place (`keyHi`, `keyLo`) of the run's output order. */
  row(keyHi: number, keyLo: number, out: OutputBuffer): void;
  /** A flow was created by packet `pktNo`; `findex` > 0 for an A flow (the shard's count). */
  created(pktNo: number, findex: number): void;
  /** Packet mode: packet `pktNo` of flow `findex` (shard's count) ended its line. */
  packetLine(pktNo: number, findex: number): void;
}

/** SHARD: symmetric hash of a dissected packet's flow addresses (IP or MAC), 32 bits. */
export function flowHash(p: Packet): number {
  let a: number;
  let b: number;
  if (p.kind === PacketKind.IPV4 || p.kind === PacketKind.IPV6) {
    const x = p.addr;
    a = mix(
      x[0] ^ Math.imul(x[1], 0x9e3779b1) ^ Math.imul(x[2], 0x85ebca77) ^
        Math.imul(x[3], 0xc2b2ae3d),
    );
    b = mix(
      x[4] ^ Math.imul(x[5], 0x9e3779b1) ^ Math.imul(x[6], 0x85ebca77) ^
        Math.imul(x[7], 0xc2b2ae3d),
    );
  } else if (p.kind === PacketKind.L2) {
    const o = p.l2Off;
    a = mix(p.u32(o) ^ Math.imul(p.u16(o + 4), 0x9e3779b1));
    b = mix(p.u32(o + 6) ^ Math.imul(p.u16(o + 10), 0x9e3779b1));
  } else return 0;
  return mix((a + b) | 0);
}

/**
 * SHARD: the flow hash of a plain Ethernet/IPv4 TCP/UDP record read straight from its bytes
 * (the conditions of src/dissect/plain_ipv4.ts, under which the flow key's addresses are the
 * IP header's), or -1 when the packet needs the whole dissector to know its key. `p` is a
 * scratch packet (for the payload checks of UDP).
 */
export function quickFlowHash(
  p: Packet,
  data: Uint8Array,
  start: number,
  capLen: number,
  linkType: number,
): number {
  if (linkType !== 1) return -1;
  const end = start + capLen;
  const ip = start + 14;
  if (end < ip + 20) return -1;
  const b0 = data[start];
  if (b0 === 0x01 || b0 === 0x03) return -1;
  if (data[start + 12] !== 0x08 || data[start + 13] !== 0x00) return -1;
  const vihl = data[ip];
  const hl = (vihl & 0x0f) << 2;
  const proto = data[ip + 9];
  if ((vihl & 0xf0) !== 0x40 || hl < 20 || (proto !== 6 && proto !== 17)) return -1;
  if ((((data[ip + 6] << 8) | data[ip + 7]) & 0x1fff) !== 0) return -1;
  const l4 = ip + hl;
  const tcp = proto === 6;
  if (end - l4 < (tcp ? 20 : 8)) return -1;
  if (isSpecialPort((data[l4] << 8) | data[l4 + 1])) return -1;
  if (isSpecialPort((data[l4 + 2] << 8) | data[l4 + 3])) return -1;
  if (!tcp) {
    // Only the bounds the payload checks read (a whole reset costs as much as the rest).
    p.data = data;
    p.start = start;
    p.end = end;
    if (startsDtlsRecord(p, l4 + 8) || teredoIpv6At(p, l4 + 8) >= 0) return -1;
  }
  const a = mix(
    (data[ip + 12] << 24) | (data[ip + 13] << 16) | (data[ip + 14] << 8) | data[ip + 15],
  );
  const b = mix(
    (data[ip + 16] << 24) | (data[ip + 17] << 16) | (data[ip + 18] << 8) | data[ip + 19],
  );
  return mix((a + b) | 0);
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** What the engine needs from its caller. */
export interface EngineOptions {
  /** SHARD: this shard's number and the number of shards. */
  readonly shard: number;
  readonly shards: number;
  /** SHARD: rows and events. */
  readonly rows: RowSink;
  /** SHARD: run the sinks in the shard too (to measure formatting rows in the workers). */
  readonly sinksInShard?: boolean;
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
export class Engine implements DissectContext {
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
  // SHARD
  readonly #shard: number;
  readonly #shards: number;
  readonly #rows: RowSink;
  /** Packet number that last moved each flow to the LRU head (its place in the LRU list). */
  readonly #touch: Float64Array;
  #keyHi = 0;
  #keyLo = 0;
  /** Packets of this shard (dissected and filed) and of other shards (time only). */
  ownPackets = 0;
  foreignPackets = 0;
  /** Find the shard of plain IPv4 records without dissecting them (see quickFlowHash). */
  quickShard = false;
  readonly #scratch = new Packet();

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.report = opts.report;
    const capacity = FLOW_SLOTS * opts.hashFactor;
    this.flows = new Flows(capacity);
    this.#lru = new FlowLru(capacity);
    this.#shard = opts.shard;
    this.#shards = opts.shards;
    this.#rows = opts.rows;
    this.#touch = new Float64Array(capacity);
    this.#frag = new KeyTable(capacity);
    this.#fragOwner = new Int32Array(capacity);
    this.#pktFile = opts.packetWriter ? new PacketFile(opts.packetWriter) : null;
    this.#flowTimeout = Math.fround(opts.settings.num(CORE, "FLOW_TIMEOUT"));
    this.#lru.addHandler(this.#flowTimeout);
  }

  // ---------------------------------------------------------------- DissectContext
  warn(text: string): void {
    this.report.warn(text);
  }

  unsupportedLinkType(linkType: number): void {
    this.#opts.unsupportedLinkType(linkType);
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

    for (const h of this.hooks) {
      h.init?.();
      this.#initialized++;
    }
    // SHARD: the main thread writes the packet file's header line; the shard drops its own.
    this.#pktFile?.writer.takeBytes();

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
    /** SHARD: 1 = this shard's packet (design a), 0 = another's, -1 = decide after dissection. */
    mine = -1,
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
    if (capLen === 0) return;
    if (mine === 0) {
      this.foreignPackets++;
      return;
    }
    if (mine < 0 && this.#shards > 1 && this.quickShard) {
      const h = quickFlowHash(this.#scratch, data, offset, capLen, linkType);
      if (h >= 0) {
        if (h % this.#shards !== this.#shard) {
          this.foreignPackets++;
          return;
        }
        mine = 1;
      }
    }

    const p = this.packet;
    p.reset(data, offset, capLen, wireLen);
    p.pktNo = c.numPackets;
    p.tsSec = tsSec;
    p.tsNs = tsNs;
    p.linkType = linkType;
    c.bytesProcessed += capLen;

    dissectPacket(p, this);
    // SHARD: the flow's shard (packets without flow: shard 0).
    if (mine < 0 && this.#shards > 1 && flowHash(p) % this.#shards !== this.#shard) {
      this.foreignPackets++;
      return;
    }
    this.ownPackets++;

    if (p.kind === PacketKind.IPV4 || p.kind === PacketKind.IPV6) this.#ipPacket(p);
    else if (p.kind === PacketKind.L2) this.#l2Packet(p);

    // End of packet: aggregated status and per-packet counters.
    c.globalWarnLo |= p.statusLo;
    c.globalWarnHi |= p.statusHi;
    if (p.llcOff >= 0) c.numLLCPackets++;
    if (p.statusLo & S.L2_IPV4) c.numV4Packets++;
    else if (p.statusLo & S.L2_IPV6) c.numV6Packets++;
    if (p.statusLo & S.L3_IPVX) c.numVxPackets++;
    if (p.statusLo & S.L3_TRDO) c.numTeredoPackets++;
    if (p.statusLo & S.L3_AYIYA) c.numAYIYAPackets++;
    if (p.statusLo & S.L2_GRE) c.numGREPackets++;
    const n = p.numHdrs & 0xffff;
    if (n > c.maxHdrDesc) c.maxHdrDesc = n;
    if (n < c.minHdrDesc) c.minHdrDesc = n;
    const t = Math.fround(1.0 / c.numPackets);
    c.avgHdrDesc = Math.fround((1.0 - t) * c.avgHdrDesc + t * Math.fround(n));
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
        this.#touch[flow] = this.counters.numPackets;
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

    if (p.rawLen <= 64) {
      const pad = p.rawLen - p.l3Len - (p.l3Off - p.start);
      if (pad >= 0) {
        p.padLen = pad;
        flows.padLen[flow] += pad;
        c.padBytesOnWire += pad;
      }
    }

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
    else {
      this.#lru.touch(flow);
      this.#touch[flow] = this.counters.numPackets;
    }

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

  #packetPrefix(_pf: PacketFile, _p: Packet, flow: number): void {
    // SHARD: pktNo and flowInd are written by the merge.
    this.#lineFlow = flow;
  }
  #lineFlow = -1;

  /** l7Content (captured payload, escaped) and the end of the packet line. */
  #payload(pf: PacketFile, p: Packet): void {
    const w = pf.writer;
    const start = p.l7Off;
    const end = Math.min(start + p.snapL7Len, p.end);
    if (start >= 0 && end > start) {
      w.ensure(2 * (end - start) + 1);
      w.position = escapeL7Into(p.data, start, end, w.buffer, w.position);
    }
    w.byte(10);
    this.#rows.packetLine(p.pktNo, this.flows.findex[this.#lineFlow]);
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
    // SHARD: not exact across shards (the table is the run's); the prototype never fills it.
    this.#keyHi = c.numPackets * 1024 + 256;
    this.#keyLo = 0;
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
    this.#touch[flow] = c.numPackets;

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
    this.#touch[flow] = c.numPackets;
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
    const f = this.flows;
    this.#rows.created(c.numPackets, f.opposite[flow] >= 0 ? 0 : f.findex[flow]);
    if (++c.maxNumFlows > c.maxNumFlowsPeak) c.maxNumFlowsPeak = c.maxNumFlows;
    const fns = this.#onNewFlow;
    for (let i = 0; i < fns.length; i++) fns[i].onNewFlow(p, flow);
  }

  // ---------------------------------------------------------------- termination
  #cycleTimeouts(): void {
    this.#lru.cycle(this.#nowSec, this.#nowNs, this.flows, this.#expire);
  }

  /** Output and remove a timed-out pair; returns the LRU node to continue with. */
  readonly #expire = (flow: number, handler: number): number => {
    // SHARD: the row's place: this packet, this handler, the flow's place in the LRU list.
    this.#keyHi = (this.counters.numPackets + 1) * 1024 + handler;
    this.#keyLo = this.#touch[flow];
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
    // SHARD: the row goes to the merge, which runs the sinks.
    if (this.#opts.sinksInShard) {
      const sinks = this.#sinks;
      for (let i = 0; i < sinks.length; i++) sinks[i].bufferToSink(out, this.columns);
    }
    this.#rows.row(this.#keyHi, this.#keyLo, out);
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
      this.#keyHi = (this.counters.numPackets + 1) * 1024 + 512;
      this.#keyLo = this.#touch[p];
      this.#outputPair(p);
      p = this.#removePair(p);
    }
  }
}
