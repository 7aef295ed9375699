/**
 * The fuzz target: one whole analyzer run (capture reader, dissection, flows, plugins, sinks,
 * end report) over an in-memory capture, in this process, with the outputs in a scratch
 * directory; plus the checks that decide whether the run failed.
 *
 * A run fails when an exception escapes `run()`, or when an invariant breaks:
 * - every flow that was created is written: `_flows.txt` has one line per flow (A and B);
 * - `_packets.txt` (`-s` sets) has at most one line per packet that has a flow;
 * - every line of a flow or packet file has as many fields as the column header.
 *
 * {@linkcode poisonVariants} and {@linkcode compareOutputs} form a second oracle: the same packets
 * stored twice in pcapng, once followed by 0x00 bytes and once by 0xff bytes (block padding and a
 * comment option), must give identical outputs — otherwise some dissector read past the captured
 * bytes of a packet.
 *
 * @module
 */

import { run } from "../../src/core/run.ts";
import { openCaptureBytes } from "../../src/capture/open.ts";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../../plugins/mod.ts";
import { parsePluginList, selectPlugins } from "../../src/plugin/registry.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import { comparableLines } from "../conformance/compare.ts";
import type { GeoWithInfo } from "../../src/geo/labels.ts";

/** The plugin sets of the reference outputs (README), by name. */
export const PLUGIN_SETS: Readonly<Record<string, { plugins: string[]; packetMode: boolean }>> = {
  "base": { plugins: ["basicFlow", "basicStats", "txtSink"], packetMode: false },
  "flow": { plugins: ["basicFlow", "basicStats", "tcpWin", "txtSink"], packetMode: false },
  "flow-s": { plugins: ["basicFlow", "basicStats", "tcpWin", "txtSink"], packetMode: true },
  "pkt-s": { plugins: ["basicFlow", "tcpWin", "txtSink"], packetMode: true },
  "tmt-s": { plugins: ["basicFlow", "tcpWinTMT", "txtSink"], packetMode: true },
  // T2's default set: the part of it that is built in (all of it once every plugin exists).
  "dflt": { plugins: builtinDefaults(), packetMode: false },
  "dflt-s": { plugins: builtinDefaults(), packetMode: true },
};

function builtinDefaults(): string[] {
  const have = new Set(BUILTIN_PLUGINS.map((p) => p.name));
  return DEFAULT_PLUGINS.filter((n) => have.has(n));
}

/** How an input is run. */
export interface FuzzConfig {
  /** A key of {@linkcode PLUGIN_SETS}. */
  readonly set: string;
  /** `--set` assignments. */
  readonly settings: readonly SettingAssignment[];
  /** `-f` (default 1). */
  readonly hashFactor?: number;
}

/** One input to run. */
export interface FuzzInput {
  /** Name used as the capture name (appears in messages). */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly config: FuzzConfig;
}

/** What happened. */
export interface Outcome {
  /** `ok`, `crash` (exception), `invariant` (a check failed) or `hang` (time bound exceeded). */
  readonly kind: "ok" | "crash" | "invariant" | "hang";
  /** One line: the exception message or the broken invariant. */
  readonly message: string;
  /** Stack of the exception (crash only). */
  readonly stack?: string;
  readonly exitCode: number;
  readonly packets: number;
  readonly flows: number;
  /** Outputs (flows, packets, tcpwin, protocols files and the comparable report), when asked. */
  readonly outputs?: Record<string, string>;
}

const pluginCache = new Map<string, PluginDefinition[]>();

function pluginsOf(set: string): { plugins: PluginDefinition[]; packetMode: boolean } {
  const s = PLUGIN_SETS[set];
  if (!s) throw new RangeError(`Cannot run fuzz input: unknown plugin set "${set}"`);
  let plugins = pluginCache.get(set);
  if (!plugins) {
    plugins = selectPlugins(BUILTIN_PLUGINS, parsePluginList(s.plugins.join("\n")));
    pluginCache.set(set, plugins);
  }
  return { plugins, packetMode: s.packetMode };
}

/** Options of {@linkcode runTarget}. */
export interface TargetOptions {
  /** Scratch directory for the output files (must exist; files are overwritten). */
  readonly outDir: string;
  /** Keep the outputs in the outcome (for differential checks). */
  readonly keepOutputs?: boolean;
  /** Geo labels (with SUBNET_ON=1); null prints '-'. */
  readonly geo?: GeoWithInfo | null;
}

/** Run one input through the whole pipeline and check the invariants. Never throws. */
export function runTarget(input: FuzzInput, o: TargetOptions): Outcome {
  const prefix = `${o.outDir}/in`;
  for (
    const suffix of ["_flows.txt", "_packets.txt", "_headers.txt", "_tcpwin.txt", "_protocols.txt"]
  ) {
    try {
      Deno.removeSync(prefix + suffix);
    } catch { /* absent */ }
  }
  const report = new MemorySink();
  const stderr: string[] = [];
  let result;
  try {
    const { plugins, packetMode } = pluginsOf(input.config.set);
    result = run({
      inputs: [{ name: input.name, bytes: input.bytes }],
      inputName: input.name,
      outputPrefix: prefix,
      plugins,
      settings: input.config.settings,
      packetMode,
      hashFactor: input.config.hashFactor,
      commandLine: "t2 (fuzz)",
      reportSink: report,
      color: false,
      loadGeo: () => o.geo ?? null,
      stderr: (l) => stderr.push(l),
    });
  } catch (e) {
    const err = e as Error;
    return {
      kind: "crash",
      message: `${err?.name ?? "Error"}: ${err?.message ?? String(e)}`,
      stack: err?.stack,
      exitCode: -1,
      packets: 0,
      flows: 0,
    };
  }
  const reportText = report.takeText();
  const outputs: Record<string, string> = {};
  const base = { exitCode: result.exitCode, packets: result.packets, flows: result.flows };
  const broken = (message: string): Outcome => ({ kind: "invariant", message, ...base });

  const flowsText = readOr(prefix + "_flows.txt");
  if (flowsText !== null) {
    outputs.flows = flowsText;
    const lines = splitLines(flowsText);
    if (lines.length - 1 !== result.flows) {
      return broken(`_flows.txt has ${lines.length - 1} flow lines for ${result.flows} flows`);
    }
    const bad = fieldCountMismatch(lines);
    if (bad) return broken(`_flows.txt ${bad}`);
  } else if (result.exitCode === 0) {
    return broken("_flows.txt is missing after a successful run");
  }
  const packetsText = readOr(prefix + "_packets.txt");
  if (packetsText !== null) {
    outputs.packets = packetsText;
    const lines = splitLines(packetsText);
    const noFlow = reportNumber(reportText, "Number of packets without flow:");
    // Packets T2 drops before flow assignment (e.g. an unknown loopback family) get no line,
    // so this is a bound, not an equality.
    if (lines.length - 1 + noFlow > result.packets) {
      return broken(
        `_packets.txt has ${lines.length - 1} packet lines for ${result.packets} packets ` +
          `(${noFlow} without flow)`,
      );
    }
    const bad = fieldCountMismatch(lines);
    if (bad) return broken(`_packets.txt ${bad}`);
  }
  const protocols = readOr(prefix + "_protocols.txt");
  if (protocols !== null) {
    // protoStats' totals are the run's packet count
    const first = protocols.slice(0, protocols.indexOf("\n"));
    if (Number(/^# Total packets: (\d+)/.exec(first)?.[1]) !== result.packets) {
      return broken(`_protocols.txt starts "${first}" for ${result.packets} packets`);
    }
  }
  if (o.keepOutputs) {
    const tcpwin = readOr(prefix + "_tcpwin.txt");
    if (tcpwin !== null) outputs.tcpwin = tcpwin;
    if (protocols !== null) outputs.protocols = protocols;
    outputs.report = comparableLines("report", reportText).join("\n");
  }
  return { kind: "ok", message: "", ...base, outputs: o.keepOutputs ? outputs : undefined };
}

function readOr(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** `line N has X fields, the header Y`, or null when all lines match the header. */
function fieldCountMismatch(lines: string[]): string | null {
  if (lines.length === 0) return "is empty (no column header)";
  const want = countTabs(lines[0]);
  for (let i = 1; i < lines.length; i++) {
    const got = countTabs(lines[i]);
    if (got !== want) return `line ${i + 1} has ${got + 1} fields, the header ${want + 1}`;
  }
  return null;
}

function countTabs(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\t"); i >= 0; i = s.indexOf("\t", i + 1)) n++;
  return n;
}

function reportNumber(report: string, label: string): number {
  const at = report.indexOf(label);
  if (at < 0) return 0;
  return parseInt(report.slice(at + label.length).trim(), 10) || 0;
}

// ---------------------------------------------------------------------------------------------
// The read-past-the-captured-bytes oracle

/**
 * The packets of a capture (as the real reader returns them) rewritten as two pcapng files that
 * differ only in the bytes following each packet: 0x00 in the first, 0xff in the second.
 * Returns null when the capture cannot be opened or has no packet.
 *
 * @param cut optional: how many captured bytes of packet number `index` to keep (the wire
 * length stays), to cut headers at every possible place
 * @param maxPackets optional: keep only the first packets
 */
export function poisonVariants(
  bytes: Uint8Array,
  cut?: (index: number, capLen: number) => number,
  maxPackets = Infinity,
): [Uint8Array, Uint8Array] | null {
  let reader;
  try {
    reader = openCaptureBytes(bytes, "poison");
  } catch {
    return null;
  }
  const recs: { sec: number; ns: number; cap: Uint8Array; wire: number; ifc: number }[] = [];
  const ifaces: { linkType: number; snapLen: number }[] = [];
  const ifIndex = new Map<string, number>();
  while (recs.length < maxPackets && reader.next()) {
    const key = `${reader.linkType}/${reader.snapLen}`;
    let ifc = ifIndex.get(key);
    if (ifc === undefined) {
      ifc = ifaces.length;
      ifaces.push({ linkType: reader.linkType, snapLen: reader.snapLen });
      ifIndex.set(key, ifc);
    }
    recs.push({
      sec: reader.tsSec,
      ns: reader.tsNs,
      cap: reader.data.slice(
        reader.offset,
        reader.offset +
          (cut
            ? Math.max(0, Math.min(reader.capLen, cut(recs.length, reader.capLen)))
            : reader.capLen),
      ),
      wire: reader.wireLen,
      ifc,
    });
  }
  reader.close();
  if (recs.length === 0) return null;
  return [build(0x00), build(0xff)];

  function build(poison: number): Uint8Array {
    const parts: Uint8Array[] = [shb()];
    for (const i of ifaces) parts.push(idb(i.linkType, i.snapLen));
    for (const r of recs) parts.push(epb(r, poison));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const POISON_OPTION = 64;

function shb(): Uint8Array {
  const b = new Uint8Array(28);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x0a0d0d0a, true);
  v.setUint32(4, 28, true);
  v.setUint32(8, 0x1a2b3c4d, true);
  v.setUint16(12, 1, true);
  v.setUint16(14, 0, true);
  v.setBigInt64(16, -1n, true);
  v.setUint32(24, 28, true);
  return b;
}

function idb(linkType: number, snapLen: number): Uint8Array {
  // if_tsresol = 9 (nanoseconds), then opt_endofopt.
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setUint32(0, 1, true);
  v.setUint32(4, 32, true);
  v.setUint16(8, linkType, true);
  v.setUint32(12, snapLen, true);
  v.setUint16(16, 9, true);
  v.setUint16(18, 1, true);
  b[20] = 9;
  v.setUint32(24, 0, true);
  v.setUint32(28, 32, true);
  return b;
}

function epb(
  r: { sec: number; ns: number; cap: Uint8Array; wire: number; ifc: number },
  poison: number,
): Uint8Array {
  const padded = (r.cap.length + 3) & ~3;
  const total = 28 + padded + 4 + POISON_OPTION + 4 + 4;
  const b = new Uint8Array(total).fill(poison);
  const v = new DataView(b.buffer);
  v.setUint32(0, 6, true);
  v.setUint32(4, total, true);
  v.setUint32(8, r.ifc, true);
  const ticks = BigInt(r.sec) * 1_000_000_000n + BigInt(r.ns);
  v.setUint32(12, Number((ticks >> 32n) & 0xffffffffn), true);
  v.setUint32(16, Number(ticks & 0xffffffffn), true);
  v.setUint32(20, r.cap.length, true);
  v.setUint32(24, r.wire, true);
  b.set(r.cap, 28);
  let at = 28 + padded;
  v.setUint16(at, 1, true); // opt_comment, filled with the poison byte
  v.setUint16(at + 2, POISON_OPTION, true);
  at += 4 + POISON_OPTION;
  v.setUint32(at, 0, true); // opt_endofopt
  v.setUint32(total - 4, total, true);
  return b;
}

/** Where two runs' outputs first differ. */
export interface OutputDifference {
  /** `flows`, `packets`, `tcpwin` or `report`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** Column name (flows/packets files) or `text`. */
  readonly column: string;
  readonly a: string;
  readonly b: string;
}

/** The first difference between two runs' outputs, or null when identical. */
export function compareOutputs(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): OutputDifference | null {
  if (!a || !b) return null;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = (a[k] ?? "").split("\n");
    const y = (b[k] ?? "").split("\n");
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const u = x[i] ?? "";
      const v = y[i] ?? "";
      if (u === v) continue;
      let column = "text";
      if ((k === "flows" || k === "packets") && i > 0 && x[0].startsWith("%")) {
        const names = x[0].slice(1).split("\t");
        const uf = u.split("\t");
        const vf = v.split("\t");
        let f = 0;
        while (f < Math.max(uf.length, vf.length) && uf[f] === vf[f]) f++;
        column = names[f] ?? `field ${f + 1}`;
        return { file: k, line: i + 1, column, a: uf[f] ?? "", b: vf[f] ?? "" };
      }
      return { file: k, line: i + 1, column, a: u, b: v };
    }
  }
  return null;
}
