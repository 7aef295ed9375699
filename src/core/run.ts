/**
 * One analyzer run, from options to output files and end report, in T2's order
 * (spec/README.md §0-§3): banner, plugins, input, per-packet processing, flow flush, report,
 * finalize. Returns T2's exit code instead of exiting, so tests and batch mode can call it.
 *
 * {@linkcode run} is synchronous. {@linkcode runAsync} does the same work but returns to the
 * event loop now and then (between chunks of packets), so that signal listeners and timers of
 * the caller can run: a signal can then stop a long run mid-file, and numbered inputs (`-D`)
 * can be waited for.
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
import { PluginError } from "../plugin/plugin_error.ts";
import { type ByteSink, ByteWriter } from "../output/byte_writer.ts";
import {
  collectOutputFiles,
  openOutputFile,
  type OutputFile,
  OutputFileError,
} from "../output/output_file.ts";
import { stdoutSink } from "../output/stdout_sink.ts";
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

/**
 * Numbered captures read one after another as one stream (T2's `-D`): the capture names in
 * order, a way to find the file for a name, and how long to wait for one that is not there
 * yet. Only {@linkcode runAsync} waits; {@linkcode run} ends the input at a missing capture.
 */
export interface NumberedInputs {
  /** The names in order, the first one included; the iterator ends after the last (STOP). */
  names(): Iterator<string>;
  /** The file to open for a name (T2 expands wildcards like a shell; identity if none). */
  resolve(name: string): string;
  /** Seconds between two attempts to open a capture that is not there yet (T2 POLLTM: 5). */
  readonly pollSeconds: number;
}

/** Options of one run (what the command line says). */
export interface RunOptions {
  /** Input captures processed as one stream (one for `-r`); ignored with `numbered`. */
  readonly inputs: readonly Input[];
  /** `-D`: numbered captures instead of `inputs`. */
  readonly numbered?: NumberedInputs;
  /** Name the prefix is derived from (the `-r` path, `-R` list file or `-D` expression). */
  readonly inputName: string;
  /** `-R` list file name, when reading a list (the inputs are then checked as T2 does). */
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
  /**
   * Stop requested (e.g. by a signal): checked between chunks of packets and while waiting
   * for numbered inputs. The run then ends as at the end of the input: open flows are
   * written, the report and the summary files too.
   */
  readonly stopRequested?: () => boolean;
  /** Called between chunks of packets (a few times per second at most) with the progress. */
  readonly onProgress?: (p: RunProgress) => void;
}

/** Options of {@linkcode runAsync} besides the {@linkcode RunOptions}. */
export interface AsyncRunOptions {
  /**
   * Milliseconds of processing after which the run returns to the event loop once (each
   * return costs about 2 ms: 250 keeps it below 1%).
   *
   * @default {250}
   */
  readonly yieldMs?: number;
}

/** How far a run is (for a progress display). */
export interface RunProgress {
  /** Input bytes consumed so far (all captures). */
  readonly bytesRead: number;
  /** Total input bytes, 0 when unknown (standard input, numbered captures). */
  readonly bytesTotal: number;
  /** Packets read so far. */
  readonly packets: number;
  /** Flows in memory now. */
  readonly flowsInMemory: number;
  /** Seconds since the start of the run. */
  readonly elapsed: number;
}

/** Geo labels plus the facts of the report's `IPv4 Ver:` lines. */
export interface GeoWithInfo {
  /** Address-to-record lookups and record labels. */
  readonly labels: GeoLabels;
  /** Database revision as T2 prints it (`DDMMYYYY`). */
  readonly rev: string;
  /** Number of IPv4 ranges loaded. */
  readonly ranges4: number;
  /** Number of IPv6 ranges loaded. */
  readonly ranges6: number;
}

/** A run ended with T2's exit code. */
export interface RunResult {
  /** Process exit code (0: success, 1: error). */
  readonly exitCode: number;
  /** Output file name prefix used (empty when the run failed before choosing it). */
  readonly prefix: string;
  /** Capture records read (0 when the run failed early). */
  readonly packets: number;
  /** A and B flows created (0 when the run failed early). */
  readonly flows: number;
  /** Whether the run ended early because a stop was requested. */
  readonly stopped: boolean;
}

class UnsupportedLinkType extends Error {}

/** Packets processed between two looks at the clock and at the stop flag. */
const CHUNK = 4096;

/** What a run asks of its driver: a moment on the event loop, or a wait for input. */
type Pause = "tick" | "wait";

/**
 * Run the analyzer synchronously. Numbered inputs (`numbered`) are not waited for: a capture
 * that is not there ends the input.
 */
export function run(opts: RunOptions): RunResult {
  const steps = session(opts, false);
  for (;;) {
    const s = steps.next(false);
    if (s.done) return s.value;
  }
}

/**
 * Run the analyzer, returning to the event loop every `yieldMs` of processing (so signal
 * listeners, timers and progress displays run) and waiting for numbered captures that are
 * not there yet, until `stopRequested` says otherwise.
 */
export async function runAsync(
  opts: RunOptions,
  asyncOpts: AsyncRunOptions = {},
): Promise<RunResult> {
  const steps = session(opts, true, asyncOpts.yieldMs ?? 250);
  const stop = opts.stopRequested ?? (() => false);
  let resume = true;
  for (;;) {
    const s = steps.next(resume);
    if (s.done) return s.value;
    if (s.value === "tick") {
      await macrotask();
      resume = true;
    } else {
      resume = await sleepUnlessStopped(opts.numbered?.pollSeconds ?? 5, stop);
    }
  }
}

/** Let the event loop run once (timers, signals) and come back. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Sleep, looking at the stop flag every 100 ms; true when the whole time passed. */
async function sleepUnlessStopped(seconds: number, stop: () => boolean): Promise<boolean> {
  const end = performance.now() + seconds * 1000;
  while (!stop()) {
    const left = end - performance.now();
    if (left <= 0) return true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, left)));
  }
  return false;
}

/** Read up to `budget` records into the engine; false when the capture has no more. */
function pump(reader: CaptureReader, engine: Engine, budget: number): boolean {
  for (let n = 0; n < budget; n++) {
    if (!reader.next()) return false;
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
  return true;
}

/**
 * The run as a sequence of steps; `ticking` makes it pause for the event loop. An output file
 * or directory that cannot be created or written (full disk, ...) ends the run with one
 * `[ERR]` line naming it and exit code 1.
 */
function* session(
  opts: RunOptions,
  ticking: boolean,
  yieldMs = 250,
): Generator<Pause, RunResult, boolean> {
  // Output files the run opens (its own and its plugins'): closed when an error ends it early,
  // so that a caller in the same process (tests, batch workers) does not keep them open.
  const open = new Set<OutputFile>();
  const steps = sessionSteps(opts, ticking, yieldMs);
  try {
    let resume = false;
    for (;;) {
      const s = collectOutputFiles(open, () => steps.next(resume));
      if (s.done) return s.value;
      resume = yield s.value;
    }
  } catch (e) {
    for (const f of open) {
      try {
        f.close();
      } catch { /* the first error is the one reported */ }
    }
    if (!(e instanceof OutputFileError)) throw e;
    const stderr = opts.stderr ?? ((l: string) => console.error(l));
    stderr(
      opts.color ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${e.message}\x1b[0m` : `[ERR] ${e.message}`,
    );
    return { exitCode: 1, prefix: "", packets: 0, flows: 0, stopped: false };
  }
}

function* sessionSteps(
  opts: RunOptions,
  ticking: boolean,
  yieldMs: number,
): Generator<Pause, RunResult, boolean> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const stderr = opts.stderr ?? ((l: string) => console.error(l));
  const errLine = (text: string) =>
    stderr(opts.color ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${text}\x1b[0m` : `[ERR] ${text}`);
  const stop = opts.stopRequested ?? (() => false);

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

  let stopped = false;
  const result = (exitCode: number, packets = 0, flows = 0): RunResult => {
    flushReport();
    logFile?.close();
    return { exitCode, prefix, packets, flows, stopped };
  };

  // The inputs: a fixed list (-r, -R after T2's checks) or numbered captures (-D).
  let inputs: readonly Input[] = opts.inputs;
  let listSize = 0;
  if (opts.listFile !== undefined && !opts.numbered) {
    const checked = checkList(opts.listFile, opts.inputs, r, errLine);
    if (typeof checked === "string") {
      errLine(checked);
      return result(1);
    }
    inputs = checked.inputs;
    listSize = checked.size;
  }
  const numbered = opts.numbered?.names();
  let numberedName = "";
  const nextInput = (): Input | null => {
    if (!numbered) return null;
    const n = numbered.next();
    if (n.done) return null;
    numberedName = n.value;
    return opts.numbered!.resolve(n.value);
  };

  // Open the first input (T2 checks the file before loading plugins).
  let reader: CaptureReader;
  let first: Input;
  if (numbered) {
    first = nextInput() ?? opts.inputName;
    for (;;) {
      try {
        reader = openInput(first);
        break;
      } catch {
        // T2 polls for the first numbered capture, printing a dot each time.
        if (!opts.logFile) {
          reportWriter.text(".");
          flushReport();
        }
        if (!(yield "wait") || stop()) {
          stopped = stop();
          return result(1);
        }
        first = opts.numbered!.resolve(numberedName);
      }
    }
  } else {
    first = inputs[0];
    try {
      reader = openInput(first);
    } catch (e) {
      errLine(inputError(first, e));
      return result(1);
    }
    if (reader.format === "pcapng" && opts.listFile === undefined) {
      r.warn(PCAPNG_WARNING);
    }
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
      input: opts.inputName,
    },
    unsupportedLinkType: (lt) => {
      throw new UnsupportedLinkType(`Unsupported link-layer type: ${linkTypeText(lt)}`);
    },
    captureSize: () => fileSize,
  });
  // A plugin that cannot go on (PluginError): its error line, then every plugin that started
  // is finalized so the lines already written stay complete; exit 1, no end report (as T2).
  const pluginFailed = (e: PluginError): RunResult => {
    errLine(e.message);
    engine.finalizeAfterError();
    packetWriter?.flush();
    packetFile?.close();
    return result(1, engine.counters.numPackets);
  };
  try {
    engine.start();
  } catch (e) {
    reader.close();
    if (e instanceof PluginError) return pluginFailed(e);
    if (!(e instanceof OutputFileError)) throw e;
    errLine(e.message);
    return result(1);
  }

  let exitCode = 0;
  // "Percentage completed": -R counts the checked list, -D one file of the sizes opened.
  const files = numbered ? 1 : inputs.length;
  let fileSize = opts.listFile !== undefined && !numbered ? listSize : 0;
  let bytesBefore = 0;
  let lastTick = performance.now();
  const progress = () => {
    opts.onProgress?.({
      bytesRead: bytesBefore + reader.recordOffset,
      bytesTotal: numbered ? 0 : fileSize,
      packets: engine.counters.numPackets,
      flowsInMemory: engine.counters.maxNumFlows,
      elapsed: elapsed(),
    });
  };
  const watchClock = ticking || opts.onProgress !== undefined;
  let damageFrom: Input = first;

  // A capture stays open only while it is read: an error that ends the run (full disk, ...)
  // closes it too.
  try {
    for (let i = 0;; i++) {
      if (i > 0) {
        let next = numbered ? nextInput() : i < inputs.length ? inputs[i] : null;
        if (next === null) break;
        let opened: CaptureReader | null = null;
        for (;;) {
          try {
            opened = openInput(next);
            break;
          } catch (e) {
            if (!numbered) {
              // T2 stops at a listed file it cannot open (they were checked before).
              errLine(inputError(next, e));
              break;
            }
            // Not there yet: T2 polls, printing a dot each time.
            if (!opts.logFile) {
              reportWriter.text(".");
              flushReport();
            }
            if (!(yield "wait") || stop()) break;
            next = opts.numbered!.resolve(numberedName); // wildcards may match a file now
          }
        }
        if (!opened) {
          stopped = stop();
          break;
        }
        reader = opened;
        damageFrom = next;
      }
      if (opts.listFile === undefined || numbered) fileSize += reader.fileSize;
      const name = inputLabel(damageFrom);
      if (opts.listFile !== undefined && !numbered) {
        if (i === 0) r.line(`Processing list file: ${opts.listFile}`);
        r.line(`Processing file no. ${i + 1} of ${files}: ${name}`);
      } else {
        r.line(`Processing file: ${name}`);
      }
      r.line(`Link layer type: ${linkTypeText(reader.firstLinkType)}`);
      r.num0("Snapshot length", reader.firstSnapLen);
      flushReport();

      const damageWarned = new Set<string>();
      const from = damageFrom;
      reader.onSkip = (d: CaptureDamage) => reportDamage(d, damageWarned, from);
      try {
        while (pump(reader, engine, CHUNK)) {
          if (stop()) break;
          if (watchClock && performance.now() - lastTick >= yieldMs) {
            progress();
            if (ticking) yield "tick";
            lastTick = performance.now();
            if (stop()) break;
          }
        }
      } catch (e) {
        if (!(e instanceof UnsupportedLinkType)) throw e;
        errLine(e.message);
        exitCode = 1;
      }
      if (reader.damage) reportDamage(reader.damage, damageWarned, from);
      bytesBefore += reader.fileSize;
      reader.close();
      if (exitCode !== 0) break;
      if (stop()) {
        stopped = true;
        break;
      }
    }
  } catch (e) {
    reader.close();
    if (e instanceof PluginError) return pluginFailed(e);
    throw e;
  }

  function reportDamage(d: CaptureDamage, warned: Set<string>, input: Input): void {
    if (d.t2Warning && !warned.has(d.t2Warning)) {
      warned.add(d.t2Warning);
      r.warn(d.t2Warning);
    }
    stderr(`${inputLabel(input)}: at byte offset ${d.offset}: ${d.message}`);
  }

  const c = engine.counters;
  r.line(`Dump stop : ${dateText(c.lastSec, c.lastNs, true)}`);
  const [dSec, dNs] = dumpDuration(c);
  r.line(`Total dump duration: ${durationText(dSec, dNs)}`);
  r.line(`Finished processing. Elapsed time: ${elapsedText(elapsed())}`);

  try {
    engine.flushFlows();
    writeEndReport(r, c, engine.hooks, {
      files,
      fileSize,
      flowSlots: FLOW_SLOTS * hashFactor,
      elapsed,
      totalMemory: totalMemory(),
    });
    flushReport();
    engine.finalize();
  } catch (e) {
    if (e instanceof PluginError) return pluginFailed(e);
    throw e;
  }
  packetWriter?.flush();
  packetFile?.close();
  return result(exitCode, c.numPackets, c.totalAFlows + c.totalBFlows);
}

/** Magic numbers T2's `ckpcaphdr` accepts (first word, either byte order). */
const MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_WARNING =
  "PCAP-NG, so *percentage completed* in end report might be less than 100%, will be fixed in a later version";

/**
 * T2's check of a `-R` list (read_caplist): prints `Checking list file` and one
 * `    checking file '...'` line per listed capture, skips the ones that are not captures
 * (with an `[ERR]` line naming them) and returns the valid ones with their total size, or
 * the fatal error text.
 */
function checkList(
  listFile: string,
  listed: readonly Input[],
  r: ReportWriter,
  errLine: (text: string) => void,
): { inputs: Input[]; size: number } | string {
  r.line("Checking list file");
  const inputs: Input[] = [];
  let size = 0;
  for (const input of listed) {
    const name = inputLabel(input);
    if (typeof input === "string" && !exists(input) && looksBinary(input)) {
      return `'${listFile}' is not a valid list of PCAP files`;
    }
    r.line(`    checking file '${name}'`);
    const head = captureHead(input);
    if (typeof head === "string") {
      errLine(head);
      continue;
    }
    const v = new DataView(head.bytes.buffer, head.bytes.byteOffset, head.bytes.length);
    const word = head.bytes.length >= 4 ? v.getUint32(0, false) : -1;
    let valid = MAGICS.has(word);
    if (word === PCAPNG_SHB) {
      r.warn(PCAPNG_WARNING);
      const bom = head.bytes.length >= 12 ? v.getUint32(8, false) : 0;
      valid = bom === 0x1a2b3c4d || bom === 0x4d3c2b1a;
    }
    if (!valid) {
      errLine(`File '${name}' is not a valid PCAP/PCAP-NG file`);
      continue;
    }
    size += head.size;
    inputs.push(input);
  }
  if (inputs.length === 0) return `No valid files found in ${listFile}`;
  return { inputs, size };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The first 12 bytes and the size of a capture, or T2's error text (ckpcaphdr). */
function captureHead(input: Input): { bytes: Uint8Array; size: number } | string {
  const name = inputLabel(input);
  if (typeof input !== "string") {
    if (input.bytes.length === 0) return `PCAP file '${name}' is empty`;
    return { bytes: input.bytes.subarray(0, 12), size: input.bytes.length };
  }
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(input, { read: true });
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : e instanceof Deno.errors.PermissionDenied
      ? "Permission denied"
      : (e as Error).message;
    return `Failed to open file '${name}' for reading: ${why}`;
  }
  try {
    const info = f.statSync();
    if (info.size === 0) return `PCAP file '${name}' is empty`;
    const bytes = new Uint8Array(12);
    let got = 0;
    try {
      while (got < 12) {
        const n = f.readSync(bytes.subarray(got));
        if (n === null) break;
        got += n;
      }
    } catch {
      got = 0;
    }
    if (got === 0) return `Failed to read data from file '${name}'`;
    return { bytes: bytes.subarray(0, got), size: info.size };
  } finally {
    f.close();
  }
}

/** T2's test for a list that is really a binary file: a missing name ending in non-ASCII. */
function looksBinary(line: string): boolean {
  const b = new TextEncoder().encode(line);
  return b.length < 2 || b[b.length - 1] > 127 || b[b.length - 2] > 127;
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
