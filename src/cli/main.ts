/**
 * The `t2` command: parses the command line, chooses plugins and settings, runs.
 *
 * @module
 */

import { checkInputs, type CliOptions, parseArgs, USAGE, UsageError } from "./args.ts";
import { CORE_SETTINGS, run, type RunOptions, VERSION } from "../core/run.ts";
import { loadGeoLabels } from "../geo/geo_labels.ts";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../plugin/builtin.ts";
import { PluginListError } from "../plugin/registry.ts";
import { resolvePluginSet } from "../plugin/external.ts";
import { parseAssignment, type SettingAssignment, Settings } from "../plugin/settings.ts";
import type { PluginDefinition } from "../plugin/api.ts";

const colorOut = () => Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
const colorErr = () => Deno.stderr.isTerminal() && !Deno.env.get("NO_COLOR");

function errLine(text: string): void {
  const c = colorErr();
  console.error(c ? `\x1b[1;31m[ERR]\x1b[0m \x1b[0;31m${text}\x1b[0m` : `[ERR] ${text}`);
}

function usageError(text: string): number {
  errLine(text);
  console.log("Try 't2 -h' for more information.");
  return 1;
}

/** Read `NAME=VALUE` lines of a settings file (`#` comments). */
export function readConfigFile(path: string): SettingAssignment[] {
  const text = Deno.readTextFileSync(path);
  const out: SettingAssignment[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    if (line) out.push(parseAssignment(line));
  }
  return out;
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

/** Read a `-R` list: one capture per line, `#` comments, CR/LF stripped. */
function readList(path: string): string[] {
  return Deno.readTextFileSync(path).split(/\n/).map((l) => l.replace(/\r$/, ""))
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * Make sure the geo/organisation data exists (built from the npm data packages on first use;
 * the compiled binary embeds it). The builder is imported by a computed path so that it and
 * its data packages stay out of the compiled program.
 */
async function ensureGeoData(): Promise<void> {
  if (loadGeoLabels() !== null) return;
  console.error("t2: building the geo/organisation data (first run, a few seconds)...");
  const builder = new URL("../../tasks/" + "geo_build.ts", import.meta.url).href;
  const mod = await import(builder);
  await mod.buildGeoDb({ log: () => {} });
}

/** Whether the settings switch geo labelling off. */
function subnetOff(assignments: readonly SettingAssignment[]): boolean {
  const last = assignments.filter((a) => a.name === "SUBNET_ON").at(-1);
  return last !== undefined && Number(last.value) === 0;
}

/** Run the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
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

  let plugins: PluginDefinition[];
  let assignments: SettingAssignment[];
  try {
    plugins = await choosePlugins(o);
    assignments = [
      ...o.configFiles.flatMap(readConfigFile),
      ...o.settings.map(parseAssignment),
    ];
  } catch (e) {
    if (e instanceof PluginListError || e instanceof SyntaxError) return usageError(e.message);
    if (e instanceof Deno.errors.NotFound) return usageError((e as Error).message);
    throw e;
  }

  if (o.listSettings) {
    const s = new Settings();
    s.declare("core", CORE_SETTINGS);
    for (const p of plugins) s.declare(p.name, p.settings ?? {});
    for (const { part, name, spec, value } of s.list()) {
      console.log(`${part}.${name}=${value}\t(${spec.type}) ${spec.description}`);
    }
    return 0;
  }

  try {
    checkInputs(o);
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
    throw e;
  }
  if (o.iface) return usageError("Live capture (-i) is not supported: read a capture with -r");
  if (o.inputRegex) return usageError("Option '-D' is not supported yet");
  if (o.writeSplit) return usageError("Option '-W' is not supported yet");
  if (o.bpf.length || o.bpfFile) {
    return usageError(`BPF filters are not supported (got '${[...o.bpf].join(" ")}')`);
  }

  let inputs: string[];
  let inputName: string;
  if (o.listFile) {
    try {
      inputs = readList(o.listFile);
    } catch (e) {
      errLine(`Cannot read list file "${o.listFile}": ${(e as Error).message}`);
      return 1;
    }
    if (inputs.length === 0) {
      errLine(`No valid files found in ${o.listFile}`);
      return 1;
    }
    inputName = o.listFile;
  } else {
    inputs = o.read;
    inputName = o.read[0];
  }

  if (!subnetOff(assignments)) {
    try {
      await ensureGeoData();
    } catch (e) {
      console.error(`t2: cannot build the geo data (${(e as Error).message}); labels print '-'`);
    }
  }

  const opts: RunOptions = {
    inputs,
    inputName,
    listFile: o.listFile,
    outputPrefix: o.write,
    plugins,
    settings: assignments,
    packetMode: o.packetMode,
    hashFactor: o.hashFactor,
    sensorId: o.sensorId,
    commandLine: ["t2", ...argv].join(" "),
    logFile: o.logFile,
    color: colorOut(),
    loadGeo: () => loadGeoLabels(),
    stderr: (l) => console.error(l),
  };
  try {
    return run(opts).exitCode;
  } catch (e) {
    if (e instanceof RangeError || e instanceof SyntaxError) {
      errLine(e.message);
      return 1;
    }
    throw e;
  }
}
