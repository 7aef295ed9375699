/**
 * The read step of a session over several threads: the capture's report lines as in one
 * thread, then {@linkcode readSharded} instead of the read loop.
 *
 * @module
 */

import type { ByteWriter } from "../../output/byte_writer.ts";
import type { ReportWriter } from "../../output/report_writer.ts";
import type { Engine } from "../engine.ts";
import { inputLabel, type OpenInput, type Pause } from "../inputs.ts";
import type { InputBytes, ReadOutcome } from "../read_loop.ts";
import type { RunOptions } from "../run_options.ts";
import { writeCaptureStart } from "../run_report.ts";
import { readSharded, shardPlugins, shardSettings } from "./sharded_read.ts";

/** What the session hands over. */
export interface SessionShards {
  readonly workerUrl: URL;
  readonly shards: number;
  readonly opts: RunOptions;
  readonly prefix: string;
  readonly wall: Date;
  readonly version: string;
  readonly engine: Engine;
  readonly packets: ByteWriter | null;
  readonly report: ReportWriter;
  readonly capacity: number;
}

/** Read the one capture `first` (a file) with shard workers. */
export function* readShardedCapture(
  first: OpenInput,
  bytes: InputBytes,
  s: SessionShards,
): Generator<Pause, ReadOutcome, boolean> {
  const o = s.opts;
  const plugins = shardPlugins(o.plugins, s.engine.plugins.hooks);
  const { input, reader } = first;
  bytes.total += reader.fileSize;
  writeCaptureStart(s.report, inputLabel(input), reader, null);
  reader.close();
  const stopped = yield* readSharded({
    workerUrl: s.workerUrl,
    config: {
      shards: s.shards,
      path: input as string,
      settings: shardSettings(o.settings, o.plugins, plugins),
      hashFactor: o.hashFactor ?? 1,
      packetMode: o.packetMode,
      color: o.color ?? false,
      outputPrefix: s.prefix,
      run: {
        commandLine: o.commandLine,
        sensorId: o.sensorId ?? 666,
        startWallTime: s.wall,
        version: s.version,
        input: o.inputName,
      },
    },
    engine: s.engine,
    defs: o.plugins,
    packets: s.packets,
    report: s.report,
    capacity: s.capacity,
    stopRequested: o.stopRequested ?? (() => false),
  }, plugins);
  bytes.done += reader.fileSize;
  return { exitCode: 0, stopped, linkTypeFailed: false };
}
