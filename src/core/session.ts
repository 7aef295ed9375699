/**
 * One run as a sequence of steps, in T2's order (spec/README.md §0-§3): banner, the first
 * capture (T2 checks it before it loads the plugins), plugins and geo data, the engine, the
 * read loop, the flows flushed, the end report, finalize. run.ts drives it.
 *
 * @module
 */

import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import { CORE_SETTINGS } from "./core_settings.ts";
import { CORE, Engine, FLOW_SLOTS } from "./engine.ts";
import { writeEndReport } from "./end_report.ts";
import { type Input, InputStream, type OpenInput, type Pause, PCAPNG_WARNING } from "./inputs.ts";
import { checkList } from "./list_check.ts";
import { linkTypeFailure } from "../dissect/link_type_text.ts";
import { outputPrefix } from "./output_prefix.ts";
import { type InputBytes, readCaptures, UnsupportedLinkType } from "./read_loop.ts";
import type { RunOptions, RunResult } from "./run_options.ts";
import {
  VERSION,
  writeActivePlugins,
  writeBanner,
  writeDumpEnd,
  writeGeoInfo,
} from "./run_report.ts";
import type { GeoLabels } from "../geo/labels.ts";
import { Settings } from "../plugin/settings.ts";
import { ByteWriter } from "../output/byte_writer.ts";
import { openOutputFile, type OutputFile, OutputFileError } from "../output/output_file.ts";
import { PluginFailure } from "../plugin/context.ts";
import { ReportWriter } from "../output/report_writer.ts";
import { stdoutSink } from "../output/stdout_sink.ts";
import { readShardedCapture } from "./shard/session_shards.ts";

/** The packet file of `-s` and its writer. */
interface PacketOutput {
  readonly file: OutputFile;
  readonly writer: ByteWriter;
}

/** One run; {@linkcode Session.steps} is the run itself. */
export class Session {
  readonly #o: RunOptions;
  readonly #ticking: boolean;
  readonly #yieldMs: number;
  readonly #clock: Clock;
  readonly #started: number;
  readonly #wall = new Date();
  readonly #stderr: (line: string) => void;
  readonly #stop: () => boolean;
  readonly #settings = new Settings();
  readonly #prefix: string;
  #logFile: OutputFile | null = null;
  readonly #reportWriter: ByteWriter;
  readonly #r: ReportWriter;
  readonly #shards: number;
  #stopped = false;

  /**
   * Set up the run's report (on the sink, or `PREFIX_log.txt` with `-l`). Throws an
   * {@linkcode OutputFileError} when the log file cannot be created.
   *
   * @param ticking Pause with "tick" now and then for the event loop (runAsync).
   * @param yieldMs Milliseconds of processing between two ticks.
   * @param shards Shard workers (a run over several threads, `runAsync` only), or 0.
   */
  constructor(opts: RunOptions, ticking: boolean, yieldMs: number, shards = 0) {
    this.#o = opts;
    this.#shards = shards;
    this.#ticking = ticking;
    this.#yieldMs = yieldMs;
    this.#clock = opts.clock ?? SYSTEM_CLOCK;
    this.#started = this.#clock.now();
    this.#stderr = opts.stderr ?? ((l: string) => console.error(l));
    this.#stop = opts.stopRequested ?? (() => false);
    // Settings of the core and of every plugin.
    this.#settings.declare(CORE, CORE_SETTINGS);
    for (const p of opts.plugins) this.#settings.declare(p.name, p.settings ?? {});
    this.#settings.apply(opts.settings);

    this.#prefix = outputPrefix(opts.inputName, opts.outputPrefix);
    let reportSink = opts.reportSink ?? stdoutSink;
    if (opts.logFile) {
      this.#logFile = openOutputFile(this.#prefix + "_log.txt");
      reportSink = this.#logFile;
    }
    this.#reportWriter = new ByteWriter(reportSink, 1 << 16);
    this.#r = new ReportWriter(this.#reportWriter, opts.color ?? false);
  }

  /** The run: pauses for its driver (see {@linkcode Pause}), ends with the result. */
  *steps(): Generator<Pause, RunResult, boolean> {
    const o = this.#o;
    const r = this.#r;
    writeBanner(r, o.sensorId ?? 666, this.#wall);

    // The inputs: a fixed list (-r, -R after T2's checks) or numbered captures (-D).
    const listed = o.listFile !== undefined && !o.numbered;
    let inputs: readonly Input[] = o.inputs;
    const bytes: InputBytes = { total: 0, done: 0 };
    if (listed) {
      const checked = checkList(o.listFile!, o.inputs, r, (t) => this.#errLine(t));
      if (typeof checked === "string") {
        this.#errLine(checked);
        return this.#result(1);
      }
      inputs = checked.inputs;
      bytes.total = checked.size;
    }
    const stream = this.#inputStream(inputs);
    const first = yield* stream.next();
    if (!first) {
      this.#stopped = stream.numbered && this.#stop();
      return this.#result(1);
    }
    if (!stream.numbered && first.reader.format === "pcapng" && o.listFile === undefined) {
      r.warn(PCAPNG_WARNING);
    }

    writeActivePlugins(r, o.plugins);
    const engine = this.#startEngine(first, this.#geoLabels(), bytes);
    if (!engine) return this.#result(1);

    const files = stream.numbered ? 1 : inputs.length;
    try {
      return yield* this.#readAndFinish(first, engine.engine, engine.packets, stream, bytes, files);
    } catch (e) {
      if (!(e instanceof PluginFailure)) throw e;
      this.#pluginFailed(e, engine.engine, engine.packets);
      return this.#result(1, engine.engine.counters.numPackets);
    }
  }

  /**
   * The read loop, then the end of the run. A plugin that fails while packets are read stops the
   * reading (read_loop.ts), and the run still writes what it has; one that fails after that
   * (writing the last flows, at the report or finalize) ends the run here.
   */
  *#readAndFinish(
    first: OpenInput,
    engine: Engine,
    packets: PacketOutput | null,
    stream: InputStream,
    bytes: InputBytes,
    files: number,
  ): Generator<Pause, RunResult, boolean> {
    const o = this.#o;
    const r = this.#r;
    const read = this.#shards > 1
      ? yield* readShardedCapture(first, bytes, {
        workerUrl: o.shardWorker!,
        shards: this.#shards,
        opts: o,
        prefix: this.#prefix,
        wall: this.#wall,
        version: VERSION,
        engine,
        packets: packets?.writer ?? null,
        report: r,
        capacity: FLOW_SLOTS * (o.hashFactor ?? 1),
      })
      : yield* readCaptures(first, {
        engine,
        inputs: stream,
        bytes,
        listFile: o.listFile,
        files,
        report: r,
        flushReport: () => this.#reportWriter.flush(),
        stderr: this.#stderr,
        errLine: (t) => this.#errLine(t),
        stopRequested: this.#stop,
        clock: this.#clock,
        ticking: this.#ticking,
        yieldMs: this.#yieldMs,
        onProgress: o.onProgress,
        elapsed: () => this.#elapsed(),
      });
    this.#stopped = read.stopped;
    const c = engine.counters;
    const flows = c.totalAFlows + c.totalBFlows;
    if (read.linkTypeFailed && flows === 0) {
      // T2 exits at once (no `Dump stop`, no end report); as no flow was made, nothing is lost.
      // Where flows were made (a later pcapng interface, PPI inside PPI), T2 loses them and we
      // write them as after any other damage.
      engine.plugins.finalizeAfterError();
      packets?.writer.flush();
      packets?.file.close();
    } else {
      this.#finish(engine, packets, files, bytes.total);
    }
    return this.#result(read.exitCode, c.numPackets, flows);
  }

  /**
   * A plugin that cannot go on (PluginFailure) at start or at the end: its error line, then
   * every plugin that started and was not finalized yet is, so the lines already written stay
   * complete.
   */
  #pluginFailed(e: PluginFailure, engine: Engine, packets: PacketOutput | null): void {
    this.#errLine(e.message);
    engine.plugins.finalizeAfterError();
    packets?.writer.flush();
    packets?.file.close();
  }

  /** The captures, opened one at a time; numbered ones are waited for, with a dot each time. */
  #inputStream(inputs: readonly Input[]): InputStream {
    return new InputStream(inputs, this.#o.numbered, this.#o.inputName, {
      notThereYet: () => {
        if (this.#o.logFile) return;
        this.#reportWriter.text(".");
        this.#reportWriter.flush();
      },
      cannotOpen: (text) => this.#errLine(text),
      stopRequested: this.#stop,
    });
  }

  /** The geo labels with SUBNET_ON=1 (their report lines too), else null. */
  #geoLabels(): GeoLabels | null {
    if (this.#settings.num(CORE, "SUBNET_ON") === 0) return null;
    const g = this.#o.loadGeo?.() ?? null;
    writeGeoInfo(this.#r, g);
    return g?.labels ?? null;
  }

  /**
   * Open the packet file (`-s`) and start the engine with its plugins; null (after an `[ERR]`
   * line, with the first capture closed) when an output file cannot be created.
   */
  #startEngine(
    first: OpenInput,
    geo: GeoLabels | null,
    bytes: InputBytes,
  ): { engine: Engine; packets: PacketOutput | null } | null {
    const o = this.#o;
    let packets: PacketOutput | null = null;
    try {
      if (o.packetMode) {
        const file = openOutputFile(this.#prefix + "_packets.txt");
        packets = { file, writer: new ByteWriter(file, 1 << 22) };
      }
    } catch (e) {
      this.#errLine((e as Error).message);
      first.reader.close();
      return null;
    }
    const engine = new Engine({
      plugins: o.plugins,
      settings: this.#settings,
      outputPrefix: this.#prefix,
      packetWriter: packets?.writer ?? null,
      report: this.#r,
      geo,
      hashFactor: o.hashFactor ?? 1,
      run: {
        commandLine: o.commandLine,
        sensorId: o.sensorId ?? 666,
        startWallTime: this.#wall,
        version: VERSION,
        input: o.inputName,
      },
      errorLine: (t) => this.#errLine(t),
      unsupportedLinkType: (lt) => {
        const f = linkTypeFailure(lt);
        throw new UnsupportedLinkType(f.error, f.info);
      },
      captureSize: () => bytes.total,
    });
    try {
      engine.start();
    } catch (e) {
      first.reader.close();
      if (e instanceof PluginFailure) {
        this.#pluginFailed(e, engine, packets);
        return null;
      }
      if (!(e instanceof OutputFileError)) throw e;
      this.#errLine(e.message);
      packets?.file.close();
      return null;
    }
    return { engine, packets };
  }

  /** After the last packet: flush the flows, the end report, the plugins' finalize. */
  #finish(engine: Engine, packets: PacketOutput | null, files: number, fileSize: number): void {
    const c = engine.counters;
    writeDumpEnd(this.#r, c, this.#elapsed());
    engine.flushFlows();
    writeEndReport(this.#r, c, engine.plugins.hooks, {
      files,
      fileSize,
      flowSlots: FLOW_SLOTS * (this.#o.hashFactor ?? 1),
      elapsed: () => this.#elapsed(),
      totalMemory: totalMemory(),
    });
    this.#reportWriter.flush();
    engine.plugins.finalize();
    packets?.writer.flush();
    packets?.file.close();
  }

  #result(exitCode: number, packets = 0, flows = 0): RunResult {
    this.#reportWriter.flush();
    this.#logFile?.close();
    return { exitCode, prefix: this.#prefix, packets, flows, stopped: this.#stopped };
  }

  #errLine(text: string): void {
    this.#stderr(
      this.#o.color ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${text}\x1b[0m` : `[ERR] ${text}`,
    );
  }

  /** Seconds since the start of the run. */
  #elapsed(): number {
    return (this.#clock.now() - this.#started) / 1000;
  }
}

/** Physical memory in bytes, 0 when unknown (no permission). */
function totalMemory(): number {
  try {
    const st = Deno.permissions.querySync({ name: "sys", kind: "systemMemoryInfo" });
    if (st.state !== "granted") return 0;
    return Deno.systemMemoryInfo().total;
  } catch {
    return 0;
  }
}
