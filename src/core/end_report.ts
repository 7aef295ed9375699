/**
 * T2's end report (spec/report.md §4): counters, plugin reports, protocol counts, flow and
 * rate statistics, the aggregated flowStat and its status lines.
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import { STATUS_REPORT_LINES, statusHex } from "../base/flow_status.ts";
import * as S from "../base/flow_status.ts";
import type { PluginHooks } from "../plugin/api.ts";
import { formatFixed } from "../output/printf.ts";
import { readableSuffix } from "../output/readable.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import { durationText } from "../output/time_text.ts";

/** Facts of the run the report needs besides the counters. */
export interface ReportFacts {
  /** Number of input files (for "Percentage completed"). */
  readonly files: number;
  /** Total size of the input files (0 for stdin: no percentage). */
  readonly fileSize: number;
  /** Flow slots (262144 × hash factor). */
  readonly flowSlots: number;
  /** Seconds since the start of the run (wall clock). */
  readonly elapsed: () => number;
  /** Physical memory in bytes, when known. */
  readonly totalMemory: number;
}

/** Dump duration: last minus first packet time (seconds and nanoseconds, borrow on ns). */
export function dumpDuration(c: Counters): [number, number] {
  let sec = c.lastSec - c.firstSec;
  let ns = c.lastNs - c.firstNs;
  if (ns < 0) {
    sec--;
    ns += 1e9;
  }
  return [sec, ns];
}

/** `T()` of a wall-clock duration in seconds. */
export function elapsedText(seconds: number): string {
  const sec = Math.floor(seconds);
  return durationText(sec, Math.round((seconds - sec) * 1e9));
}

/** Print the report (after the flows were flushed). */
export function writeEndReport(
  r: ReportWriter,
  c: Counters,
  hooks: readonly PluginHooks[],
  facts: ReportFacts,
): void {
  r.line(`Finished unloading flow memory. Time: ${elapsedText(facts.elapsed())}`);
  writePacketCounts(r, c, facts);
  r.line("-".repeat(80));
  for (const h of hooks) h.report?.(r);
  r.line("-".repeat(80));
  writeProtocolCounts(r, c);
  r.line("~".repeat(80));
  const totalFlows = writeFlowCounts(r, c);
  const [dSec, dNs] = dumpDuration(c);
  const duration = dSec + dNs / 1e9;
  writePacketRates(r, c, duration);
  r.line("~".repeat(80));
  if (duration > 0) {
    rate(r, "<Number of processed flows/s>", totalFlows / duration);
    speed(r, "<Bandwidth>", c.bytesOnWire / duration);
    if (c.globalWarnHi & (S.L2SNAPLENGTH_H | S.L3SNAPLENGTH_H)) {
      speed(r, "<Snapped bandwidth>", c.bytesProcessed / duration);
    }
    speed(r, "<Raw bandwidth>", c.rawBytesOnWire / duration);
  }
  r.numP("Max number of flows in memory", c.maxNumFlowsPeak, facts.flowSlots);
  r.numP("Number of flows terminated by autopilot", c.totalRmFlows, totalFlows);
  const rss = Deno.memoryUsage().rss;
  const memPct = facts.totalMemory > 0 ? formatFixed(100 * rss / facts.totalMemory, 2) : "0.00";
  r.line(`Memory usage: ${formatFixed(rss / 1e9, 2)} GB [${memPct}%]`);
  writeStatus(r, c);
}

/** Packets and bytes: processed, by IP version, by direction. */
function writePacketCounts(r: ReportWriter, c: Counters, facts: ReportFacts): void {
  if (facts.fileSize > 0) {
    const sum = Math.fround(24 * facts.files + c.bytesProcessed + 16 * c.numPackets);
    const pct = Math.fround(100 * sum) / facts.fileSize;
    r.line(`Percentage completed: ${formatFixed(pct, 2)}%`);
  }
  r.num("Number of processed packets", c.numPackets);
  r.num("Number of processed bytes", c.bytesProcessed);
  r.num("Number of raw bytes", c.rawBytesOnWire);
  r.num("Number of pad bytes", c.padBytesOnWire);
  if (facts.fileSize > 0) r.num("Number of pcap bytes", facts.fileSize);
  r.numP("Number of L2 packets", c.numL2Packets, c.numPackets);
  r.numP("Number of IPv4 packets", c.numV4Packets, c.numPackets);
  r.numP("Number of IPv6 packets", c.numV6Packets, c.numPackets);
  r.numP("Number of IPvX packets", c.numVxPackets, c.numPackets);

  const abPackets = c.numAPackets + c.numBPackets;
  const abBytes = c.numABytes + c.numBBytes;
  if (c.numPackets !== abPackets && abPackets > 0) {
    r.numP("Number of packets without flow", c.numPackets - abPackets, c.numPackets);
  }
  r.numP("Number of A packets", c.numAPackets, abPackets);
  r.numP("Number of B packets", c.numBPackets, abPackets);
  r.numP("Number of A bytes", c.numABytes, abBytes);
  r.numP("Number of B bytes", c.numBBytes, abBytes);
  const aLoad = c.numAPackets ? c.numABytes / c.numAPackets : 0;
  r.line(`<A packet load>: ${formatFixed(aLoad, 2)}${readableSuffix(aLoad)}`);
  const bLoad = c.numBPackets ? c.numBBytes / c.numBPackets : 0;
  r.line(`<B packet load>: ${formatFixed(bLoad, 2)}${readableSuffix(bLoad)}`);
}

/** Header counts and packets per encapsulation and protocol. */
function writeProtocolCounts(r: ReportWriter, c: Counters): void {
  r.line(
    `Headers count: min: ${c.minHdrDesc}, max: ${c.maxHdrDesc}, avg: ${
      formatFixed(c.avgHdrDesc, 2)
    }`,
  );
  if (c.globalWarnLo & S.L2_VLAN) r.line(`Max VLAN header count: ${c.vlanHdrCntMx}`);
  if (c.globalWarnLo & S.L2_MPLS) r.line(`Max MPLS header count: ${c.mplsHdrCntMx}`);
  r.numP("Number of LLC packets", c.numLLCPackets, c.numPackets);
  r.numP("Number of ARP packets", c.numPacketsL2[0x0806], c.numPackets);
  r.numP("Number of RARP packets", c.numPacketsL2[0x8035], c.numPackets);
  r.numP("Number of GRE packets", c.numGREPackets, c.numPackets);
  r.numP("Number of Teredo packets", c.numTeredoPackets, c.numPackets);
  r.numP("Number of AYIYA packets", c.numAYIYAPackets, c.numPackets);
  r.numP("Number of IGMP packets", c.numPacketsL3[2], c.numPackets);
  r.numP("Number of ICMP packets", c.numPacketsL3[1], c.numPackets);
  r.numP("Number of ICMPv6 packets", c.numPacketsL3[58], c.numPackets);
  r.numP("Number of TCP packets", c.numPacketsL3[6], c.numPackets);
  r.numP("Number of TCP bytes", c.numBytesL3[6], c.bytesProcessed);
  r.numP("Number of UDP packets", c.numPacketsL3[17], c.numPackets);
  r.numP("Number of UDP bytes", c.numBytesL3[17], c.bytesProcessed);
  if (c.globalWarnLo & S.L4_SCTP) {
    r.numP("Number of SCTP packets", c.numPacketsL3[132], c.numPackets);
    r.numP("Number of SCTP bytes", c.numBytesL3[132], c.bytesProcessed);
  }
  r.numP("Number of DTLS packets", c.numDTLSPackets, c.numPackets);
  r.numP("Number of IPv4 fragmented packets", c.numFragV4Packets, c.numV4Packets);
  r.numP("Number of IPv6 fragmented packets", c.numFragV6Packets, c.numV6Packets);
}

/** Flows by kind and direction, their asymmetry and packets per flow; returns all flows. */
function writeFlowCounts(r: ReportWriter, c: Counters): number {
  const totalFlows = c.totalAFlows + c.totalBFlows;
  if (totalFlows === 0) return 0;
  const req = c.totalAFlows - c.corrReplFlws;
  const rep = c.totalBFlows + c.corrReplFlws;
  r.num("Number of processed      flows", totalFlows);
  r.numP("Number of processed L2   flows", c.totalL2Flows, totalFlows);
  r.numP("Number of processed IPv4 flows", c.totalIPv4Flows, totalFlows);
  r.numP("Number of processed IPv6 flows", c.totalIPv6Flows, totalFlows);
  r.numP("Number of processed A    flows", c.totalAFlows, totalFlows);
  r.numP("Number of processed B    flows", c.totalBFlows, totalFlows);
  r.numP("Number of request        flows", req, totalFlows);
  r.numP("Number of reply          flows", rep, totalFlows);
  r.line(
    `Total   A/B    flow asymmetry: ${
      formatFixed((c.totalAFlows - c.totalBFlows) / totalFlows, 2)
    }`,
  );
  r.line(`Total req/rply flow asymmetry: ${formatFixed((req - rep) / totalFlows, 2)}`);
  const abPackets = c.numAPackets + c.numBPackets;
  if (abPackets > 0) rate(r, "Number of processed A+B packets/A+B flows", abPackets / totalFlows);
  if (c.totalAFlows > 0) {
    rate(r, "Number of processed A   packets/A   flows", c.numAPackets / c.totalAFlows);
  }
  if (c.totalBFlows > 0) {
    rate(r, "Number of processed   B packets/  B flows", c.numBPackets / c.totalBFlows);
  }
  return totalFlows;
}

/** Packets per second of the dump (`duration` seconds; nothing for an instant dump). */
function writePacketRates(r: ReportWriter, c: Counters, duration: number): void {
  if (!(duration > 0)) return;
  const abPackets = c.numAPackets + c.numBPackets;
  rate(r, "Number of processed total packets/s", c.numPackets / duration);
  if (abPackets > 0) {
    rate(r, "Number of processed A+B   packets/s", abPackets / duration);
    if (c.numAPackets > 0) rate(r, "Number of processed A     packets/s", c.numAPackets / duration);
    if (c.numBPackets > 0) rate(r, "Number of processed   B   packets/s", c.numBPackets / duration);
  }
}

/** The aggregated flowStat and the status lines of its bits. */
function writeStatus(r: ReportWriter, c: Counters): void {
  r.line(`Aggregated flowStat=${statusHex(c.globalWarnLo, c.globalWarnHi)}`);
  for (const s of STATUS_REPORT_LINES) {
    if ((c.globalWarnLo & s.lo) || (c.globalWarnHi & s.hi)) {
      if (s.level === "wrn") r.warn(s.text);
      else r.info(s.text);
    }
  }
}

function rate(r: ReportWriter, label: string, v: number): void {
  r.line(`${label}: ${formatFixed(v, 2)}${readableSuffix(v)}`);
}

function speed(r: ReportWriter, label: string, bytesPerSec: number): void {
  const bits = bytesPerSec * 8;
  r.line(`${label}: ${formatFixed(bits, 0)} b/s${readableSuffix(bits, "b/s")}`);
}
