/**
 * The per-packet pipeline (spec/README.md §1-§2): the flow table's timeout cycle, dissection,
 * the packet's flow (src/flow/), the plugins' callbacks, the packet file, and the output of
 * the flows that end. The run counters are bumped here (and, for what dissection finds, in
 * dissect/tally.ts); the flow table reports facts. The engine knows no plugin by name.
 *
 * @module
 */

import { Counters } from "../base/counters.ts";
import * as S from "../base/flow_status.ts";
import { dissectPacket } from "../dissect/dissect.ts";
import { type NoticeSink, reportNotices } from "../dissect/notices.ts";
import { Packet, PacketKind } from "../dissect/packet.ts";
import { countPacket } from "../dissect/tally.ts";
import type { Flows } from "../flow/flows.ts";
import { END_AUTOPILOT, FlowTable } from "../flow/flow_table.ts";
import type { GeoLabels } from "../geo/labels.ts";
import type { PluginDefinition, RunFacts } from "../plugin/api.ts";
import { NO_FLOW } from "../plugin/api.ts";
import type { Column } from "../plugin/columns.ts";
import { OutputBuffer } from "../plugin/output_buffer.ts";
import type { Settings } from "../plugin/settings.ts";
import type { ByteWriter } from "../output/byte_writer.ts";
import { escapeL7Into } from "../output/escape.ts";
import { PacketFile } from "../output/packet_file.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import { dateText } from "../output/time_text.ts";
import { PluginSet } from "./plugin_set.ts";
import type { ShardRole } from "./shard/role.ts";

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
  /** A shard of a run over several threads (src/core/shard/); absent in one thread. */
  readonly shard?: ShardRole;
  /** Where the plugins' report lines go (default: `report`). */
  readonly pluginReport?: ReportWriter;
}

/** One run of the analyzer over a stream of packets. */
export class Engine {
  readonly counters: Counters = new Counters();
  readonly flows: Flows;
  readonly packet: Packet = new Packet();
  readonly report: ReportWriter;
  readonly plugins: PluginSet;

  readonly #opts: EngineOptions;
  readonly #table: FlowTable;
  readonly #out = new OutputBuffer();
  readonly #pktFile: PacketFile | null;
  /** Where the dissector's notices go: the report stream, and the caller for a fatal one. */
  readonly #notices: NoticeSink;
  // The plugin set's hook lists, taken once they are complete (start).
  #onNewFlow: PluginSet["callNewFlow"] = () => {};
  #onLayer2: PluginSet["callLayer2"] = () => {};
  #onLayer4: PluginSet["callLayer4"] = () => {};
  #onFlowTerminate: PluginSet["callFlowTerminate"] = () => {};
  #sinks: PluginSet["callSinks"] = () => {};
  #columns: readonly Column[] = [];
  #autopilotWarned = false;
  readonly #shard: ShardRole | null;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#shard = opts.shard ?? null;
    this.report = opts.report;
    this.#table = new FlowTable({
      capacity: FLOW_SLOTS * opts.hashFactor,
      flowTimeout: opts.settings.num(CORE, "FLOW_TIMEOUT"),
      life: {
        flowCreated: (p, flow) => this.#flowCreated(p, flow),
        pairEnding: (flow, end) => this.#pairEnding(flow, end),
      },
    });
    this.flows = this.#table.flows;
    this.#shard?.attach(this.#table);
    this.plugins = new PluginSet(opts.plugins);
    this.#pktFile = opts.packetWriter ? new PacketFile(opts.packetWriter) : null;
    this.#notices = {
      warn: (text) => this.report.warn(text),
      unsupportedLinkType: opts.unsupportedLinkType,
    };
  }

  /** Start the plugins (create, columns, `init`): {@linkcode PluginSet.start}. */
  start(): void {
    const o = this.#opts;
    const plugins = this.plugins;
    plugins.start({
      flows: this.flows,
      counters: this.counters,
      packetFile: this.#pktFile,
      outputPrefix: o.outputPrefix,
      geo: o.geo,
      run: o.run,
      settings: o.settings,
      coreSettings: CORE,
      report: o.pluginReport ?? this.report,
      errorLine: o.errorLine ?? ((text: string) => console.error(`[ERR] ${text}`)),
      registerTimeout: (s: number) => this.#table.addTimeout(s),
    });
    this.#onNewFlow = plugins.callNewFlow;
    this.#onLayer2 = plugins.callLayer2;
    this.#onLayer4 = plugins.callLayer4;
    this.#onFlowTerminate = plugins.callFlowTerminate;
    this.#sinks = plugins.callSinks;
    this.#columns = plugins.columns;
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
    const shard = this.#shard;
    if (shard !== null) shard.record(tsSec, tsNs);
    if (c.numPackets === 0) {
      c.firstSec = tsSec;
      c.firstNs = tsNs;
      this.report.line(`Dump start: ${dateText(tsSec, tsNs, true)}`);
    }
    c.lastSec = tsSec;
    c.lastNs = tsNs;

    // Before the packet is counted: pairs ending here end before packet numPackets + 1.
    this.#table.cycle(tsSec, tsNs);
    if (shard !== null) shard.afterCycle(tsSec, tsNs);

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
    if (shard !== null && shard.skips(p)) return;

    dissectPacket(p);
    if (p.noticeCount !== 0) reportNotices(p, c, this.#notices);
    countPacket(c, p);
    if (shard !== null && !shard.owns(p)) return;

    if (shard === null) {
      if (p.kind === PacketKind.IPV4 || p.kind === PacketKind.IPV6) this.#ipPacket(p);
      else if (p.kind === PacketKind.L2) this.#l2Packet(p);
    } else if (p.kind === PacketKind.IPV4 || p.kind === PacketKind.IPV6) {
      shard.packetDone(this.#ipPacket(p), this.#table.fragment);
    } else if (p.kind === PacketKind.L2) shard.packetDone(this.#l2Packet(p), false);
  }

  /** An IPv4/IPv6 packet: `onLayer2` without flow, then its flow's `onLayer4`. */
  #ipPacket(p: Packet): number {
    const flows = this.flows;
    const flow = this.#table.ipFlow(p);
    if (p.padLen !== 0) flows.padLen[flow] += p.padLen; // short frames only

    this.#onLayer2(p, NO_FLOW);

    flows.statusLo[flow] |= p.statusLo;
    flows.statusHi[flow] |= p.statusHi;
    flows.lastSec[flow] = p.tsSec;
    flows.lastNs[flow] = p.tsNs;

    const pf = this.#pktFile;
    if (pf) this.#packetPrefix(pf, p, flow);
    this.#onLayer4(p, flow);
    if (pf) this.#payload(pf, p);

    this.#countFlowPacket(p, flow);
    return flow;
  }

  /** A packet without IP: its layer-2 flow's `onLayer2`. */
  #l2Packet(p: Packet): number {
    const flows = this.flows;
    const flow = this.#table.l2Flow(p);
    flows.lastSec[flow] = p.tsSec;
    flows.lastNs[flow] = p.tsNs;
    // Plugins' onNewFlow may have added bits to the packet: the run's flowStat gets them too.
    flows.statusLo[flow] |= p.statusLo;
    flows.statusHi[flow] |= p.statusHi;
    this.counters.globalWarnLo |= p.statusLo;
    this.counters.globalWarnHi |= p.statusHi;
    flows.padLen[flow] += p.padLen;

    const pf = this.#pktFile;
    if (pf) this.#packetPrefix(pf, p, flow);
    this.#onLayer2(p, flow);
    if (pf) this.#payload(pf, p);

    this.#countFlowPacket(p, flow);
    return flow;
  }

  /**
   * The run counters a flow packet adds to, after its callbacks: per EtherType and layer-4
   * protocol, fragments, A or B direction, and the status bits the flow table set.
   */
  #countFlowPacket(p: Packet, flow: number): void {
    const c = this.counters;
    const t = this.#table;
    const bytes = p.snapLen;
    c.numPacketsL2[p.ethType]++;
    c.numBytesL2[p.ethType] += bytes;
    if (p.kind !== PacketKind.L2) {
      c.numPacketsL3[p.l4Proto]++;
      c.numBytesL3[p.l4Proto] += bytes;
      if (t.fragment) {
        if (p.kind === PacketKind.IPV6) c.numFragV6Packets++;
        else c.numFragV4Packets++;
      }
    }
    if (this.flows.statusLo[flow] & S.L3FLOWINVERT) {
      c.numBPackets++;
      c.numBBytes += bytes;
    } else {
      c.numAPackets++;
      c.numABytes += bytes;
    }
    c.globalWarnLo |= t.warnLo;
    c.globalWarnHi |= t.warnHi;
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

  // ---------------------------------------------------------------- the flow table's seams
  /**
   * A flow begins (the flow table created it for `p`): its flow index, the counters of flows,
   * its geo labels, and the plugins' `onNewFlow`. A B flow shares its A flow's index; an A flow
   * takes the next one, so indices follow the creation order of A flows (a run over several
   * flow tables numbers them here).
   */
  #flowCreated(p: Packet, flow: number): void {
    const c = this.counters;
    const flows = this.flows;
    const opp = flows.opposite[flow];
    if (opp >= 0) {
      flows.findex[flow] = flows.findex[opp];
      c.totalBFlows++;
    } else {
      flows.findex[flow] = ++c.totalfIndex;
      c.totalAFlows++;
    }
    if (p.kind === PacketKind.L2) c.totalL2Flows++;
    else {
      const v6 = p.kind === PacketKind.IPV6;
      if (v6) c.totalIPv6Flows++;
      else c.totalIPv4Flows++;
      const geo = this.#opts.geo;
      if (geo) {
        flows.subnetSrc[flow] = v6 ? geo.lookup6(p.addr, 0) : geo.lookup4(p.addr[0]);
        flows.subnetDst[flow] = v6 ? geo.lookup6(p.addr, 4) : geo.lookup4(p.addr[4]);
      }
    }
    if (++c.maxNumFlows > c.maxNumFlowsPeak) c.maxNumFlowsPeak = c.maxNumFlows;
    if (this.#shard !== null) this.#shard.flowCreated(p.pktNo, opp >= 0 ? 0 : flows.findex[flow]);
    this.#onNewFlow(p, flow);
  }

  /**
   * A pair ends (timeout, autopilot or end of input): output its flows, A first, and count it
   * out of memory; the flow table removes it next.
   */
  #pairEnding(flow: number, end: number): void {
    const shard = this.#shard;
    if (shard !== null) {
      const t = this.#table;
      shard.pairEnding(end, t.walkingHandler, t.lastPktNo[flow], this.counters.numPackets);
    }
    if (end === END_AUTOPILOT) this.#autopilotRemoves();
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
    this.counters.maxNumFlows -= opp < 0 ? 1 : 2;
  }

  /** The hash autopilot removes a pair: counted, and the first time a warning and advice. */
  #autopilotRemoves(): void {
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
  }

  /** One flow's line: duration, then every plugin's columns, then the sinks. */
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
    this.#onFlowTerminate(flow, out);
    if (this.#shard !== null) this.#shard.row(out);
    else this.#sinks(out, this.#columns);
    out.reset();
  }

  /** Output and remove every flow still in memory (end of input), oldest first. */
  flushFlows(): void {
    this.#table.flush();
    this.counters.globalWarnLo |= this.#table.warnLo;
    this.counters.globalWarnHi |= this.#table.warnHi;
  }
}
