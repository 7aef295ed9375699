/**
 * A batch worker (`--jobs`): runs one capture at a time, as `t2 -r CAPTURE -w DIR/ -l` would,
 * and reports the result to the main thread. A flag shared with the main thread asks the
 * current run to stop (first SIGINT/SIGTERM).
 *
 * @module
 */

import { run } from "../core/run.ts";
import { loadGeoLabels } from "../geo/geo_labels.ts";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../../plugins/mod.ts";
import { resolvePluginSet } from "../plugin/external.ts";
import type { BatchJob, BatchOutcome, ToWorker } from "./batch.ts";

/** The worker's global scope (typed here so the file checks with the main-thread libs too). */
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: unknown): void;
};

let stop: Int32Array | null = null;

async function runJob(job: BatchJob): Promise<BatchOutcome> {
  const started = performance.now();
  const say = (line: string) => console.error(`${job.capture}: ${line}`);
  try {
    const plugins = await resolvePluginSet({
      builtins: BUILTIN_PLUGINS,
      defaults: DEFAULT_PLUGINS,
      folder: job.pluginFolder,
      listFile: job.pluginList,
      onError: (text) => say(`[ERR] ${text}`),
    });
    const r = run({
      inputs: [job.capture],
      inputName: job.capture,
      outputPrefix: job.outputPrefix,
      plugins,
      settings: job.settings,
      packetMode: job.packetMode,
      hashFactor: job.hashFactor,
      sensorId: job.sensorId,
      commandLine: job.commandLine,
      logFile: true,
      color: false,
      loadGeo: () => loadGeoLabels(),
      stderr: say,
      stopRequested: () => stop !== null && Atomics.load(stop, 0) !== 0,
    });
    return {
      id: job.id,
      capture: job.capture,
      exitCode: r.exitCode,
      prefix: r.prefix,
      packets: r.packets,
      flows: r.flows,
      seconds: (performance.now() - started) / 1000,
      stopped: r.stopped,
    };
  } catch (e) {
    return {
      id: job.id,
      capture: job.capture,
      exitCode: 1,
      prefix: "",
      packets: 0,
      flows: 0,
      seconds: (performance.now() - started) / 1000,
      stopped: false,
      error: (e as Error).message,
    };
  }
}

scope.onmessage = async (e) => {
  const m = e.data;
  if (m.type === "init") {
    stop = new Int32Array(m.stop);
    return;
  }
  scope.postMessage(await runJob(m.job));
};
