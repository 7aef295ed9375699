/**
 * The `t2` command: parses the command line, chooses plugins and settings, and runs one
 * analysis (`-r`, `-R`, `-D`) or a batch of them (`--jobs`), with a progress line on a
 * terminal and SIGINT/SIGTERM handling.
 *
 * @module
 */

import {
  checkInputs,
  type CliOptions,
  type OutputSplit,
  parseArgs,
  recordsOnStdout,
  USAGE,
  UsageError,
} from "./args.ts";
import { batchPrefixes, runBatch } from "./batch.ts";
import { numberedInputs, parseNumbered } from "./numbered.ts";
import { ProgressLine, stderrOutput } from "./progress.ts";
import { bpfMessage, reason, SEVERAL_CAPTURES_HINT, unreadable } from "./hints.ts";
import { StopSignals } from "./signals.ts";
import { CORE_SETTINGS } from "../core/core_settings.ts";
import { runAsync, type RunOptions } from "../core/run.ts";
import { VERSION } from "../core/run_report.ts";
import { loadGeoLabels } from "../geo/geo_labels.ts";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../../plugins/mod.ts";
import { rootUrl } from "../root.ts";
import { PluginListError } from "../plugin/registry.ts";
import { resolvePluginSet } from "../plugin/external.ts";
import { parseAssignment, type SettingAssignment, Settings } from "../plugin/settings.ts";
import type { PluginDefinition } from "../plugin/api.ts";
import { ColumnMismatchError } from "../plugin/columns.ts";
import { endRunWhenStdoutCloses, StdoutClosed, stdoutSink } from "../output/stdout_sink.ts";
import type { ByteSink } from "../output/byte_writer.ts";

function envFlag(name: string): boolean {
  try {
    return Deno.env.get(name) !== undefined;
  } catch {
    return false; // no --allow-env for it
  }
}

const colorOut = () => Deno.stdout.isTerminal() && !envFlag("NO_COLOR");
const colorErr = () => Deno.stderr.isTerminal() && !envFlag("NO_COLOR");

function errLine(text: string): void {
  const c = colorErr();
  console.error(c ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${text}\x1b[0m` : `[ERR] ${text}`);
}

/**
 * Where the usage hint goes: standard output, as T2 prints it, unless standard output holds
 * the flow records (`-w -`); set once per command line by {@linkcode main}.
 */
let hintToStderr = false;

/**
 * T2's bad-usage ending: `[ERR] ...` on stderr (then our `extra` hint, after a T2 text that
 * must stay as it is), the hint on stdout, exit code 1.
 */
function usageError(text: string, extra?: string): number {
  errLine(text);
  if (extra !== undefined) console.error(extra);
  const hint = "Try 't2 -h' for more information.";
  if (hintToStderr) console.error(hint);
  else console.log(hint);
  return 1;
}

/** A `--config` line: its assignment and where it was read (`Config file "F" line N`). */
interface ConfigLine {
  readonly assignment: SettingAssignment;
  readonly where: string;
}

/** Read `NAME=VALUE` lines of a settings file (`#` comments); errors name the line. */
function readConfigFile(path: string): ConfigLine[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new UsageError(unreadable("config file", path, e));
  }
  const out: ConfigLine[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const where = `Config file "${path}" line ${i + 1}`;
    try {
      out.push({ assignment: parseAssignment(line), where });
    } catch (e) {
      if (e instanceof SyntaxError) throw new UsageError(`${where}: ${e.message}`);
      throw e;
    }
  }
  return out;
}

/** Check each `--config` line alone, so that an error names its line. */
function checkConfigLines(plugins: readonly PluginDefinition[], lines: ConfigLine[]): void {
  const s = declaredSettings(plugins);
  for (const { assignment, where } of lines) {
    try {
      s.apply([assignment]);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`${where}: ${e.message}`);
      throw e;
    }
  }
}

/** Built-in plugins plus those of `-p DIR`, chosen by `-b` (or DIR/plugins.txt, or the defaults). */
function choosePlugins(o: CliOptions): Promise<PluginDefinition[]> {
  return resolvePluginSet({
    builtins: BUILTIN_PLUGINS,
    defaults: DEFAULT_PLUGINS,
    folder: o.pluginFolder,
    listFile: o.pluginList,
    onError: errLine,
    onInfo: (text) => console.error(`[INF] ${text}`),
  });
}

/**
 * Read a `-R` list as T2 does: one capture per line, lines starting with `#` skipped, LF and
 * CR stripped (empty lines are skipped too; T2 0.9.3 stops at them).
 */
function readList(path: string): string[] {
  return Deno.readTextFileSync(path).split("\n").map((l) => l.replace(/\r$/, ""))
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** The settings through which each flow-file sink learns `-W` and `-w -`. */
const SINK_SETTINGS: Readonly<Record<string, string>> = { txtSink: "TFS", jsonSink: "JSON" };

/**
 * The sink settings that `-W` and `-w -` stand for (before the user's own), for the loaded
 * sinks among txtSink (`TFS_…`) and jsonSink (`JSON_…`).
 */
function sinkAssignments(
  split: OutputSplit | undefined,
  flowsToStdout: boolean,
  sinks: readonly string[] = ["txtSink"],
): SettingAssignment[] {
  const out: SettingAssignment[] = [];
  for (const part of sinks) {
    const p = SINK_SETTINGS[part];
    if (p === undefined) continue;
    if (flowsToStdout) out.push({ part, name: `${p}_FLOWS_STDOUT`, value: "1" });
    else if (split) {
      out.push(
        { part, name: `${p}_SPLIT_SIZE`, value: String(split.size) },
        { part, name: `${p}_SPLIT_FLOWS`, value: split.flows ? "1" : "0" },
        { part, name: `${p}_SPLIT_START`, value: String(split.start) },
      );
    }
  }
  return out;
}

/**
 * The report's sink, standard output or (when standard output holds the records, `-w -`)
 * standard error; the progress line is erased before the report writes.
 */
function reportSink(progress: ProgressLine | null, toStderr: boolean): ByteSink {
  return {
    writeSync(p) {
      progress?.clear();
      return toStderr ? Deno.stderr.writeSync(p) : stdoutSink.writeSync(p);
    },
  };
}

/** Run the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  hintToStderr = recordsOnStdout(argv);
  if (argv.length === 0) {
    console.log(USAGE);
    return 1;
  }
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
    throw e;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  if (o.version) {
    console.log(VERSION);
    return 0;
  }
  const chosen = await pluginsAndSettings(o);
  if (typeof chosen === "number") return chosen;
  if (o.listSettings) return listSettings(chosen);
  const unusable = unusableOptions(o);
  if (unusable !== null) {
    const several = o.read.length > 1 && o.jobs === undefined && !o.listFile && !o.inputRegex;
    return usageError(unusable, several ? SEVERAL_CAPTURES_HINT : undefined);
  }

  const commandLine = ["t2", ...argv].join(" ");
  if (o.jobs !== undefined) {
    const clash = batchPrefixes(o.read, o.write);
    if (typeof clash === "string") return usageError(clash);
    return await batch(o, chosen.assignments, commandLine);
  }
  const inputs = runInputs(o);
  if (typeof inputs === "number") return inputs;
  return await runOne(o, chosen, inputs, commandLine);
}

/** The run's plugins and setting assignments (`-W`/`-w -`, `--config` files, `--set`). */
interface Chosen {
  readonly plugins: PluginDefinition[];
  readonly assignments: SettingAssignment[];
}

/**
 * Choose the plugins and read the settings, every assignment checked (type, range, known
 * name) before anything is written; the exit code of a usage error otherwise.
 */
async function pluginsAndSettings(o: CliOptions): Promise<Chosen | number> {
  try {
    const plugins = await choosePlugins(o);
    const names = plugins.map((p) => p.name);
    const config = o.configFiles.flatMap(readConfigFile);
    checkConfigLines(plugins, config);
    const assignments = [
      ...sinkAssignments(o.writeSplit, o.write === "-", names),
      ...config.map((c) => c.assignment),
      ...o.settings.map(parseAssignment),
    ];
    settingsOf({ plugins, assignments });
    return { plugins, assignments };
  } catch (e) {
    if (
      e instanceof PluginListError || e instanceof SyntaxError || e instanceof RangeError ||
      e instanceof UsageError
    ) {
      return usageError(e.message);
    }
    // The plugin list (-b, or -p DIR's plugins.txt) is the file read here.
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      return usageError(
        unreadable("plugin list", o.pluginList ?? `${o.pluginFolder}/plugins.txt`, e),
      );
    }
    throw e;
  }
}

/** The settings of the core and of `plugins`, as declared. */
function declaredSettings(plugins: readonly PluginDefinition[]): Settings {
  const s = new Settings();
  s.declare("core", CORE_SETTINGS);
  for (const p of plugins) s.declare(p.name, p.settings ?? {});
  return s;
}

/** The settings of the core and the chosen plugins, with the assignments applied. */
function settingsOf(chosen: Chosen): Settings {
  const s = declaredSettings(chosen.plugins);
  s.apply(chosen.assignments);
  return s;
}

/** `--list-settings`: one line per setting with its value, type, range and description. */
function listSettings(chosen: Chosen): number {
  for (const { part, name, spec, value } of settingsOf(chosen).list()) {
    const range = spec.min !== undefined || spec.max !== undefined
      ? ` ${spec.min ?? ""}..${spec.max ?? ""}`
      : "";
    console.log(`${part}.${name}=${value}\t(${spec.type}${range}) ${spec.description}`);
  }
  return 0;
}

/** Why the input options cannot be used (T2's rules and what is not supported), or null. */
function unusableOptions(o: CliOptions): string | null {
  try {
    checkInputs(o);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  if (o.iface) return "Live capture (-i) is not supported: read a capture with -r";
  if (o.bpfFile !== undefined || o.bpf.length) return bpfMessage(o);
  if (o.jobs !== undefined && (o.listFile || o.inputRegex)) {
    return "Option '--jobs' processes several -r captures; not -R or -D";
  }
  return null;
}

/** The inputs of one run: `-r`, the captures of a `-R` list, or `-D` numbered captures. */
type RunInputs = Pick<RunOptions, "inputs" | "numbered" | "inputName">;

/** The inputs of `-r`, `-R` or `-D`; the exit code when the list or expression is unusable. */
function runInputs(o: CliOptions): RunInputs | number {
  if (o.listFile) {
    let inputs: string[];
    try {
      inputs = readList(o.listFile);
    } catch (e) {
      errLine(`Failed to open file '${o.listFile}' for reading: ${reason(e)}`);
      return 1;
    }
    if (inputs.length === 0) {
      errLine(`No valid files found in ${o.listFile}`);
      return 1;
    }
    return { inputs, inputName: o.listFile };
  }
  if (o.inputRegex) {
    try {
      const spec = parseNumbered(o.inputRegex);
      return { inputs: [], numbered: numberedInputs(spec), inputName: spec.expr };
    } catch (e) {
      if (e instanceof UsageError) return usageError(e.message);
      throw e;
    }
  }
  return { inputs: o.read, inputName: o.read[0] };
}

/**
 * The shard worker of `--threads`: its bundle beside the program's (`deno task bundle` makes
 * both; it starts about 0.15 s faster than the sources), else its sources.
 */
function shardWorkerUrl(): URL {
  const bundle = rootUrl("dist/shard_worker.js");
  if (import.meta.url.endsWith("/dist/t2.js")) {
    try {
      if (Deno.statSync(bundle).isFile) return bundle;
    } catch { /* not built: the sources */ }
  }
  return rootUrl("src/cli/shard_worker.ts");
}

/** One run, with a progress line on a terminal and SIGINT/SIGTERM stopping it cleanly. */
async function runOne(
  o: CliOptions,
  chosen: Chosen,
  inputs: RunInputs,
  commandLine: string,
): Promise<number> {
  // With -w -, standard output holds only the records, and the report goes to standard error
  // (T2 writes it to PREFIX_log.txt beside the capture; -l still asks for that file).
  const flowsToStdout = o.write === "-";
  const logFile = o.logFile;
  endRunWhenStdoutCloses(flowsToStdout);
  const progress = Deno.stderr.isTerminal() ? new ProgressLine(stderrOutput) : null;
  const signals = new StopSignals({
    onFirst: (sig) => {
      progress?.clear();
      console.error(
        `t2: ${sig}: stopping: writing the open flows and the report (again to exit at once)`,
      );
    },
  });
  const opts: RunOptions = {
    ...inputs,
    listFile: o.listFile,
    outputPrefix: flowsToStdout ? undefined : o.write,
    plugins: chosen.plugins,
    settings: chosen.assignments,
    packetMode: o.packetMode,
    hashFactor: o.hashFactor,
    threads: o.threads,
    shardWorker: chosen.plugins.every((p) => BUILTIN_PLUGINS.includes(p))
      ? shardWorkerUrl()
      : undefined,
    sensorId: o.sensorId,
    commandLine,
    logFile,
    reportSink: logFile ? undefined : reportSink(progress, flowsToStdout),
    color: !logFile && (flowsToStdout ? colorErr() : colorOut()),
    loadGeo: () => loadGeoLabels(),
    stderr: (l) => {
      progress?.clear();
      console.error(l);
    },
    stopRequested: signals.stopRequested,
    onProgress: progress ? (p) => progress.update(p) : undefined,
  };
  signals.install();
  try {
    return (await runAsync(opts)).exitCode;
  } catch (e) {
    if (e instanceof StdoutClosed) return 0; // t2 -w - | head: the reader has what it wanted
    if (e instanceof RangeError || e instanceof SyntaxError || e instanceof ColumnMismatchError) {
      errLine(e.message);
      return 1;
    }
    throw e;
  } finally {
    progress?.clear();
    signals.uninstall();
  }
}

/** `--jobs N`: several captures in parallel, one summary line each. */
async function batch(
  o: CliOptions,
  settings: SettingAssignment[],
  commandLine: string,
): Promise<number> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const progress = Deno.stderr.isTerminal() ? new ProgressLine(stderrOutput) : null;
  const signals = new StopSignals({
    shared: stop,
    onFirst: (sig) => {
      progress?.clear();
      console.error(`t2: ${sig}: stopping: finishing the running captures (again to exit at once)`);
    },
  });
  signals.install();
  try {
    return await runBatch({
      captures: o.read,
      jobs: o.jobs!,
      job: {
        outputPrefix: o.write,
        pluginFolder: o.pluginFolder,
        pluginList: o.pluginList,
        settings,
        packetMode: o.packetMode,
        hashFactor: o.hashFactor,
        sensorId: o.sensorId,
        commandLine,
      },
      stop,
      out: (line) => {
        progress?.clear();
        console.log(line);
      },
      progress: progress ? (text) => progress.show(text, true) : undefined,
    });
  } finally {
    progress?.clear();
    signals.uninstall();
  }
}
