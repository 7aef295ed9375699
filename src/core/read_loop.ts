/**
 * The read loop of a run: every capture of the input stream, record by record, into the
 * engine. Between chunks of packets it looks at the stop flag and the clock (progress, a
 * moment on the event loop); after each capture it reports damage and closes it.
 *
 * @module
 */

import type { CaptureDamage, CaptureReader } from "../capture/types.ts";
import type { Clock } from "./clock.ts";
import type { Engine } from "./engine.ts";
import { inputLabel, type InputStream, type OpenInput, type Pause } from "./inputs.ts";
import type { RunProgress } from "./run_options.ts";
import { writeCaptureStart } from "./run_report.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import { PluginFailure } from "../plugin/context.ts";

/** Packets processed between two looks at the clock and at the stop flag. */
const CHUNK = 4096;

/** Thrown (through the engine) at a link type the dissector cannot handle: ends the run. */
export class UnsupportedLinkType extends Error {
  /** T2's `[INF]` line on the report before the error, if any (LAPD's "Activate it ..."). */
  readonly info: string | undefined;

  constructor(message: string, info?: string) {
    super(message);
    this.info = info;
  }
}

/** Input bytes of a run: what "Percentage completed" and the progress line count. */
export interface InputBytes {
  /** Size of the input: the checked `-R` list, else the captures opened so far. */
  total: number;
  /** Bytes of the captures already read to their end. */
  done: number;
}

/** What the read loop works with. */
export interface ReadLoop {
  readonly engine: Engine;
  readonly inputs: InputStream;
  readonly bytes: InputBytes;
  /** The `-R` list file (its captures are numbered in the report), if any. */
  readonly listFile: string | undefined;
  /** Captures of the run, for the report ("file no. 2 of 3"). */
  readonly files: number;
  readonly report: ReportWriter;
  /** Writes out what the report holds (before a capture's packets, so a long run shows it). */
  readonly flushReport: () => void;
  /** Diagnostics (stderr). */
  readonly stderr: (line: string) => void;
  /** An `[ERR]` line. */
  readonly errLine: (text: string) => void;
  readonly stopRequested: () => boolean;
  readonly clock: Clock;
  /** Return to the event loop (yield "tick") every `yieldMs` of processing. */
  readonly ticking: boolean;
  readonly yieldMs: number;
  readonly onProgress: ((p: RunProgress) => void) | undefined;
  /** Seconds since the start of the run. */
  readonly elapsed: () => number;
}

/** How the reading ended. */
export interface ReadOutcome {
  /** 1 when an unsupported link type or a plugin failure (`ctx.fail`) ended it. */
  readonly exitCode: number;
  /** Whether a stop request (or giving up a wait) ended it. */
  readonly stopped: boolean;
  /** Whether an unsupported link type ended it. */
  readonly linkTypeFailed: boolean;
}

/** Read `first` and every following capture of the stream into the engine. */
export function* readCaptures(
  first: OpenInput,
  o: ReadLoop,
): Generator<Pause, ReadOutcome, boolean> {
  let current: OpenInput | null = first;
  const ticks: Ticks = { lastTick: o.clock.now() };
  for (let index = 0;; index++) {
    let end: CaptureEnd;
    // A capture stays open only while it is read: an error that ends the run (full disk, ...)
    // closes it too.
    try {
      end = yield* readCapture(current, index, o, ticks);
    } finally {
      current.reader.close();
    }
    if (end !== CaptureEnd.READ) {
      return { exitCode: 1, stopped: false, linkTypeFailed: end === CaptureEnd.LINK_TYPE };
    }
    if (o.stopRequested()) return { exitCode: 0, stopped: true, linkTypeFailed: false };
    current = yield* o.inputs.next();
    if (!current) {
      return { exitCode: 0, stopped: !o.inputs.ended && o.stopRequested(), linkTypeFailed: false };
    }
  }
}

/** When the loop last looked at the clock and returned to the event loop (across captures). */
interface Ticks {
  lastTick: number;
}

/** How the reading of one capture ended. */
const CaptureEnd = {
  /** Read to its end (or to a stop request): the run goes on. */
  READ: 0,
  /** A link type the dissector cannot handle ended the run. */
  LINK_TYPE: 1,
  /** A plugin failure ended the run. */
  PLUGIN: 2,
} as const;
type CaptureEnd = typeof CaptureEnd[keyof typeof CaptureEnd];

/** Read one capture. */
function* readCapture(
  { input, reader }: OpenInput,
  index: number,
  o: ReadLoop,
  ticks: Ticks,
): Generator<Pause, CaptureEnd, boolean> {
  const listed = o.listFile !== undefined && !o.inputs.numbered;
  if (!listed) o.bytes.total += reader.fileSize;
  const list = listed ? { listFile: o.listFile!, index, files: o.files } : null;
  writeCaptureStart(o.report, inputLabel(input), reader, list);
  o.flushReport();

  const warned = new Set<string>();
  const damaged = (d: CaptureDamage) => {
    // T2 (libpcap) prints each kind of damage once; the details go to stderr every time.
    if (d.t2Warning && !warned.has(d.t2Warning)) {
      warned.add(d.t2Warning);
      o.report.warn(d.t2Warning);
    }
    o.stderr(`${inputLabel(input)}: at byte offset ${d.offset}: ${d.message}`);
  };
  reader.onSkip = damaged;
  let end: CaptureEnd = CaptureEnd.READ;
  try {
    yield* pumpAll(reader, o, ticks);
  } catch (e) {
    // Both stop the reading (see session.ts for what is written then).
    if (e instanceof UnsupportedLinkType) {
      if (e.info !== undefined) o.report.info(e.info);
      end = CaptureEnd.LINK_TYPE;
    } else if (e instanceof PluginFailure) end = CaptureEnd.PLUGIN;
    else throw e;
    o.flushReport();
    o.errLine(e.message);
  }
  if (reader.damage) damaged(reader.damage);
  if (reader.inputError) o.stderr(`${inputLabel(input)}: ${reader.inputError}`);
  o.bytes.done += reader.fileSize;
  return end;
}

/** All records of a capture (or until a stop), with progress and returns to the event loop. */
function* pumpAll(
  reader: CaptureReader,
  o: ReadLoop,
  ticks: Ticks,
): Generator<Pause, void, boolean> {
  const { engine, clock, stopRequested } = o;
  const watchClock = o.ticking || o.onProgress !== undefined;
  while (pump(reader, engine, CHUNK)) {
    if (stopRequested()) return;
    if (watchClock && clock.now() - ticks.lastTick >= o.yieldMs) {
      o.onProgress?.({
        bytesRead: o.bytes.done + reader.recordOffset,
        bytesTotal: o.inputs.numbered ? 0 : o.bytes.total,
        packets: engine.counters.numPackets,
        flowsInMemory: engine.counters.maxNumFlows,
        elapsed: o.elapsed(),
      });
      if (o.ticking) yield "tick";
      ticks.lastTick = clock.now();
      if (stopRequested()) return;
    }
  }
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
