/**
 * One analyzer run, from options to output files and end report, in T2's order
 * (spec/README.md §0-§3): banner, plugins, input, per-packet processing, flow flush, report,
 * finalize. Returns T2's exit code instead of exiting, so tests and batch mode can call it.
 *
 * @module
 */

import { openCapture, openCaptureBytes } from "../capture/open.ts";
import type { CaptureDamage, CaptureReader } from "../capture/types.ts";
import { CaptureFormatError } from "../capture/capture_error.ts";
import { CORE, Engine, FLOW_SLOTS } from "./engine.ts";
import { dumpDuration, elapsedText, writeEndReport } from "./end_report.ts";
import { outputPrefix } from "./output_prefix.ts";
import { isSupportedLinkType } from "../dissect/link_layer.ts";
import type { GeoLabels } from "../geo/labels.ts";
import type { PluginDefinition } from "../plugin/api.ts";
import { type SettingAssignment, Settings, type SettingSpecs } from "../plugin/settings.ts";
import { type ByteSink, ByteWriter } from "../output/byte_writer.ts";
import { openOutputFile, OutputFileError } from "../output/output_file.ts";
import { readableSuffix } from "../output/readable.ts";
import { ReportWriter } from "../output/report_writer.ts";
import { dateText, durationText } from "../output/time_text.ts";
import { linkTypeText } from "./link_type_text.ts";

/** Version text of this program. */
export const VERSION = "t2ts 0.1.0 (Tranalyzer 0.9.3 compatible)";

/** Settings of the core (T2 compile-time constants that matter here). */
export const CORE_SETTINGS: SettingSpecs = {
  SUBNET_ON: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "Label addresses with country and organisation (srcIPCC, srcIPOrg, ...)",
  },
  FLOW_TIMEOUT: {
    type: "float",
    default: 182,
    min: 0,
    description: "Default flow timeout in seconds",
  },
};

/** An input capture: a path, or bytes held in memory (tests, fuzzing). */
export type Input = string | { readonly name: string; readonly bytes: Uint8Array };

/** Options of one run (what the command line says). */
export interface RunOptions {
  /** Input captures processed as one stream (one for `-r`). */
  readonly inputs: readonly Input[];
  /** Name the prefix is derived from (the `-r` path or `-R` list file). */
  readonly inputName: string;
  /** `-R` list file name, when reading a list. */
  readonly listFile?: string;
  /** `-w` argument. */
  readonly outputPrefix?: string;
  /** Plugins in load order. */
  readonly plugins: readonly PluginDefinition[];
  /** `--set` assignments. */
  readonly settings: readonly SettingAssignment[];
  /** `-s`. */
  readonly packetMode: boolean;
  /** `-f`. */
  readonly hashFactor?: number;
  /** `-x`. */
  readonly sensorId?: number;
  /** Command line for `_headers.txt`. */
  readonly commandLine: string;
  /** Where the report goes (default: stdout). */
  readonly reportSink?: ByteSink;
  /** `-l`: report to `PREFIX_log.txt`. */
  readonly logFile?: boolean;
  /** Colour the report. */
  readonly color?: boolean;
  /** Geo labels loader (called only with SUBNET_ON=1). */
  readonly loadGeo?: () => GeoWithInfo | null;
  /** Diagnostics (stderr). */
  readonly stderr?: (line: string) => void;
  /** Stop requested (signal): checked between packets. */
  readonly stopRequested?: () => boolean;
}

/** Geo labels plus the facts of the report's `IPv4 Ver:` lines. */
export interface GeoWithInfo {
  readonly labels: GeoLabels;
  readonly rev: string;
  readonly ranges4: number;
  readonly ranges6: number;
}

/** A run ended with T2's exit code. */
export interface RunResult {
  readonly exitCode: number;
  readonly prefix: string;
  readonly packets: number;
  readonly flows: number;
}

class UnsupportedLinkType extends Error {}

/** Standard output; a closed pipe (e.g. `| head`) only stops the report, not the run. */
const stdoutSink: ByteSink = {
  writeSync(p) {
    try {
      return Deno.stdout.writeSync(p);
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) return p.length;
      throw e;
    }
  },
};

/** Run the analyzer. */
export function run(opts: RunOptions): RunResult {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const stderr = opts.stderr ?? ((l: string) => console.error(l));
  const errLine = (text: string) =>
    stderr(opts.color ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${text}\x1b[0m` : `[ERR] ${text}`);

  // Settings of the core and of every plugin.
  const settings = new Settings();
  settings.declare(CORE, CORE_SETTINGS);
  for (const p of opts.plugins) settings.declare(p.name, p.settings ?? {});
  settings.apply(opts.settings);

  const prefix = outputPrefix(opts.inputName, opts.outputPrefix);
  let logFile: ReturnType<typeof openOutputFile> | null = null;
  let reportSink = opts.reportSink ?? stdoutSink;
  if (opts.logFile) {
    logFile = openOutputFile(prefix + "_log.txt");
    reportSink = logFile;
  }
  const reportWriter = new ByteWriter(reportSink, 1 << 16);
  const r = new ReportWriter(reportWriter, opts.color ?? false);
  const flushReport = () => reportWriter.flush();

  r.line("=".repeat(80));
  r.line(`${VERSION}. PID: ${Deno.pid}, Prio: 0, SID: ${opts.sensorId ?? 666}`);
  r.line("=".repeat(80));
  const wall = new Date();
  const wallSec = Math.floor(wall.getTime() / 1000);
  r.line(`Date: ${dateText(wallSec, (wall.getTime() - wallSec * 1000) * 1000, false)}`);
  r.info("Creating flows for L2, IPv4, IPv6");

  const result = (exitCode: number, packets = 0, flows = 0): RunResult => {
    flushReport();
    logFile?.close();
    return { exitCode, prefix, packets, flows };
  };

  // Open the first input (T2 checks the file before loading plugins).
  let reader: CaptureReader;
  try {
    reader = openInput(opts.inputs[0]);
  } catch (e) {
    errLine(inputError(opts.inputs[0], e));
    return result(1);
  }
  if (reader.format === "pcapng") {
    r.warn(
      "PCAP-NG, so *percentage completed* in end report might be less than 100%, will be fixed in a later version",
    );
  }

  r.line("Active plugins:");
  opts.plugins.forEach((p, i) => {
    r.line(`    ${String(i + 1).padStart(2, "0")}: ${p.name}, ${p.version}`);
  });

  let geo: GeoLabels | null = null;
  if (settings.num(CORE, "SUBNET_ON") !== 0) {
    const g = opts.loadGeo?.() ?? null;
    if (g) {
      geo = g.labels;
      r.info(
        `IPv4 Ver: 5, Rev: ${g.rev}, Range Mode: 0, subnet ranges loaded: ${g.ranges4}${
          readableSuffix(g.ranges4)
        }`,
      );
      r.info(
        `IPv6 Ver: 5, Rev: ${g.rev}, Range Mode: 0, subnet ranges loaded: ${g.ranges6}${
          readableSuffix(g.ranges6)
        }`,
      );
    } else {
      r.warn("No geo/organisation data found: country and organisation columns print '-'");
    }
  }

  let packetFile: ReturnType<typeof openOutputFile> | null = null;
  let packetWriter: ByteWriter | null = null;
  try {
    if (opts.packetMode) {
      packetFile = openOutputFile(prefix + "_packets.txt");
      packetWriter = new ByteWriter(packetFile, 1 << 22);
    }
  } catch (e) {
    errLine((e as Error).message);
    reader.close();
    return result(1);
  }

  const hashFactor = opts.hashFactor ?? 1;
  const engine = new Engine({
    plugins: opts.plugins,
    settings,
    outputPrefix: prefix,
    packetWriter,
    report: r,
    geo,
    hashFactor,
    run: {
      commandLine: opts.commandLine,
      sensorId: opts.sensorId ?? 666,
      startWallTime: wall,
      version: VERSION,
    },
    unsupportedLinkType: (lt) => {
      throw new UnsupportedLinkType(`Unsupported link-layer type: ${linkTypeText(lt)}`);
    },
  });
  try {
    engine.start();
  } catch (e) {
    if (!(e instanceof OutputFileError)) throw e;
    errLine(e.message);
    reader.close();
    return result(1);
  }

  let exitCode = 0;
  let fileSize = 0;
  const files = opts.inputs.length;
  const stop = opts.stopRequested ?? (() => false);

  for (let i = 0; i < files; i++) {
    if (i > 0) {
      try {
        reader = openInput(opts.inputs[i]);
      } catch (e) {
        errLine(inputError(opts.inputs[i], e));
        continue;
      }
    }
    fileSize += reader.fileSize;
    const name = inputLabel(opts.inputs[i]);
    if (opts.listFile) {
      if (i === 0) r.line(`Processing list file: ${opts.listFile}`);
      r.line(`Processing file no. ${i + 1} of ${files}: ${name}`);
    } else {
      r.line(`Processing file: ${name}`);
    }
    r.line(`Link layer type: ${linkTypeText(reader.firstLinkType)}`);
    r.num0("Snapshot length", reader.firstSnapLen);
    flushReport();

    const damageWarned = new Set<string>();
    reader.onSkip = (d: CaptureDamage) => reportDamage(d, damageWarned);
    try {
      while (!stop() && reader.next()) {
        engine.processRecord(
          reader.data,
          reader.offset,
          reader.capLen,
          reader.wireLen,
          reader.tsSec,
          reader.tsNs,
          reader.linkType,
        );
      }
    } catch (e) {
      if (!(e instanceof UnsupportedLinkType)) throw e;
      errLine(e.message);
      exitCode = 1;
    }
    if (reader.damage) reportDamage(reader.damage, damageWarned);
    reader.close();
    if (exitCode !== 0 || stop()) break;
  }

  function reportDamage(d: CaptureDamage, warned: Set<string>): void {
    if (d.t2Warning && !warned.has(d.t2Warning)) {
      warned.add(d.t2Warning);
      r.warn(d.t2Warning);
    }
    stderr(`${inputLabel(opts.inputs[0])}: at byte offset ${d.offset}: ${d.message}`);
  }

  const c = engine.counters;
  r.line(`Dump stop : ${dateText(c.lastSec, c.lastNs, true)}`);
  const [dSec, dNs] = dumpDuration(c);
  r.line(`Total dump duration: ${durationText(dSec, dNs)}`);
  r.line(`Finished processing. Elapsed time: ${elapsedText(elapsed())}`);

  engine.flushFlows();
  writeEndReport(r, c, engine.hooks, {
    files,
    fileSize,
    flowSlots: FLOW_SLOTS * hashFactor,
    elapsed,
    totalMemory: totalMemory(),
  });
  flushReport();
  for (const h of engine.hooks) h.finalize?.();
  packetWriter?.flush();
  packetFile?.close();
  return result(exitCode, c.numPackets, c.totalAFlows + c.totalBFlows);
}

function openInput(input: Input): CaptureReader {
  return typeof input === "string" ? openCapture(input) : openCaptureBytes(input.bytes, input.name);
}

function inputLabel(input: Input): string {
  return typeof input === "string" ? input : input.name;
}

function inputError(input: Input, e: unknown): string {
  const name = inputLabel(input);
  if (e instanceof CaptureFormatError) return e.message;
  if (e instanceof Deno.errors.NotFound) return `Cannot read capture "${name}": no such file`;
  if (e instanceof Deno.errors.PermissionDenied) {
    return `Cannot read capture "${name}": permission denied`;
  }
  if (e instanceof Deno.errors.IsADirectory) return `Cannot read capture "${name}": a directory`;
  return `Cannot read capture "${name}": ${(e as Error).message}`;
}

function totalMemory(): number {
  try {
    const st = Deno.permissions.querySync({ name: "sys", kind: "systemMemoryInfo" });
    if (st.state !== "granted") return 0;
    return Deno.systemMemoryInfo().total;
  } catch {
    return 0;
  }
}

/** Whether the dissector handles a link type (re-exported for the CLI). */
export { isSupportedLinkType };
