/**
 * Command-line parsing with T2's options and getopt rules (spec/cli.md §1): short options
 * may be clustered (`-sl`) and take their argument attached or as the next word; long
 * options use `--name value` or `--name=value`. Settings (`--set`) and batch options are
 * ours.
 *
 * @module
 */

/** Parsed command line. */
export interface CliOptions {
  /** `-r` inputs (several allowed with `--jobs`). */
  readonly read: string[];
  /** `-R` list file. */
  readonly listFile?: string;
  /** `-D` numbered-file expression. */
  readonly inputRegex?: string;
  /** `-i` interface (not supported). */
  readonly iface?: string;
  readonly write?: string;
  readonly writeSplit?: string;
  readonly logFile: boolean;
  readonly monFile: boolean;
  readonly packetMode: boolean;
  readonly pluginList?: string;
  readonly pluginFolder?: string;
  readonly hashFactor?: number;
  readonly sensorId?: number;
  readonly bpfFile?: string;
  readonly bpf: string[];
  readonly settings: string[];
  readonly configFiles: string[];
  readonly listSettings: boolean;
  readonly jobs?: number;
  readonly version: boolean;
  readonly help: boolean;
  /** Options accepted for T2 compatibility that do nothing here. */
  readonly ignored: string[];
}

/** Bad usage (T2: `[ERR] ...` then `Try ... -h`, exit code 1). */
export class UsageError extends Error {
  override name = "UsageError";
}

const WITH_ARG = new Set("DirRwWbcefFpxSBPM".split(""));
const NO_ARG = new Set("lmsVh".split(""));
const LONG: Record<string, string> = {
  "input-regex": "D",
  "interface": "i",
  "pcap": "r",
  "pcap-list": "R",
  "logfile": "l",
  "monfile": "m",
  "packets": "s",
  "output-prefix": "w",
  "output-regex": "W",
  "plugin-list": "b",
  "cpu": "c",
  "pcapd": "e",
  "hash-factor": "f",
  "bpf-file": "F",
  "plugin-folder": "p",
  "sensor-id": "x",
  "snaplen": "S",
  "rx-bufsize": "B",
  "priority": "P",
  "mon-interval": "M",
  "version": "V",
  "help": "h",
};
const OURS_WITH_ARG = new Set(["set", "config", "jobs"]);
const OURS_NO_ARG = new Set(["list-settings"]);

function integer(opt: string, v: string, min: number): number {
  const n = Number(v);
  if (!/^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(v) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`Option '-${opt}': invalid number '${v}'`);
  }
  return n;
}

/** Parse argv (without the program name). Throws {@linkcode UsageError}. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o = {
    read: [] as string[],
    bpf: [] as string[],
    settings: [] as string[],
    configFiles: [] as string[],
    ignored: [] as string[],
    logFile: false,
    monFile: false,
    packetMode: false,
    listSettings: false,
    version: false,
    help: false,
  } as { -readonly [K in keyof CliOptions]: CliOptions[K] };

  const apply = (opt: string, value?: string) => {
    switch (opt) {
      case "r":
        o.read.push(value!);
        break;
      case "R":
        o.listFile = value;
        break;
      case "D":
        o.inputRegex = value;
        break;
      case "i":
        o.iface = value;
        break;
      case "w":
        o.write = value;
        break;
      case "W":
        o.writeSplit = value;
        break;
      case "l":
        o.logFile = true;
        break;
      case "m":
        o.monFile = true;
        break;
      case "s":
        o.packetMode = true;
        break;
      case "b":
        o.pluginList = value;
        break;
      case "p":
        o.pluginFolder = value;
        break;
      case "f":
        if (Number(value) === 0) {
          throw new UsageError("Option '-f': Hash factor must be greater than 0");
        }
        o.hashFactor = integer("f", value!, 1);
        break;
      case "x":
        o.sensorId = integer("x", value!, 0);
        break;
      case "F":
        o.bpfFile = value;
        break;
      case "c":
      case "e":
      case "S":
      case "B":
      case "P":
      case "M":
        o.ignored.push(`-${opt}`);
        break;
      case "V":
        o.version = true;
        break;
      case "h":
        o.help = true;
        break;
      case "set":
        o.settings.push(value!);
        break;
      case "config":
        o.configFiles.push(value!);
        break;
      case "jobs":
        o.jobs = integer("-jobs", value!, 1);
        break;
      case "list-settings":
        o.listSettings = true;
        break;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      o.bpf.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      const short = LONG[name];
      const needsArg = (short && WITH_ARG.has(short)) || OURS_WITH_ARG.has(name);
      const noArg = (short && NO_ARG.has(short)) || OURS_NO_ARG.has(name);
      if (!needsArg && !noArg) throw new UsageError(`Unknown option '${a}'`);
      let value = inline;
      if (needsArg && value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`Option '--${name}' requires an argument`);
        value = argv[++i];
      }
      if (noArg && inline !== undefined) {
        throw new UsageError(`Option '--${name}' takes no argument`);
      }
      apply(short ?? name, value);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (WITH_ARG.has(c)) {
          let value = a.slice(j + 1);
          if (value === "") {
            if (i + 1 >= argv.length) throw new UsageError(`Option '-${c}' requires an argument`);
            value = argv[++i];
          }
          apply(c, value);
          break;
        }
        if (NO_ARG.has(c)) {
          apply(c);
          continue;
        }
        throw new UsageError(`Unknown option '-${c}'`);
      }
      continue;
    }
    o.bpf.push(a);
  }
  return o;
}

/** Validate the input options as T2 does (one of -r -R -D -i, used exclusively). */
export function checkInputs(o: CliOptions): void {
  const kinds = [o.read.length > 0, !!o.listFile, !!o.inputRegex, !!o.iface].filter(Boolean);
  if (kinds.length === 0) {
    throw new UsageError("One of '-r', '-R', '-D' or '-i' option is required");
  }
  if (kinds.length > 1 || (o.read.length > 1 && !o.jobs)) {
    throw new UsageError("'-r', '-R', '-D' and '-i' options can only be used exclusively");
  }
}

/** The usage text (`-h`). */
export const USAGE = `t2 - Tranalyzer2-compatible network flow analyzer (TypeScript/Deno)

Usage:
    t2 [OPTION...] <INPUT>

Input arguments:
    -r PCAP      Read packets from PCAP file or from stdin if PCAP is "-"
    -R FILE      Process every PCAP file listed in FILE as one stream
    -D EXPR[:SCHR][,STOP]
                 Process numbered PCAP files (not supported yet)
    -i IFACE     Listen on interface IFACE (not supported: read captures only)

Output arguments:
    -w PREFIX    Append PREFIX to any output file produced (a directory: the
                 input's name without extension is appended). Default: derived
                 from the input
    -W PREFIX[:SIZE][,START]
                 Like -w, splitting the flow file (not supported yet)
    -l           Print end report in PREFIX_log.txt instead of stdout
    -s           Packet forensics mode (PREFIX_packets.txt)

Optional arguments:
    -b FILE      Plugin list FILE (lines '150_tcpWin.so' or 'tcpWin', # comments)
    -p DIR       Also load the plugin modules of DIR (DIR/*.ts, DIR/*/mod.ts; with
                 'deno run' only, not in a compiled binary); DIR/plugins.txt is
                 the plugin list unless -b is given
    -f FACTOR    Hash multiplication factor (flow slots = 262144 x FACTOR)
    -x ID        Sensor ID
    --set NAME=VALUE
                 Set a setting (T2 compile-time constant) of every part declaring
                 NAME; PLUGIN.NAME=VALUE sets one plugin's (repeatable)
    --config FILE
                 Read NAME=VALUE lines (# comments) as --set
    --list-settings
                 List the settings of the loaded plugins and exit

Help and documentation arguments:
    -V           Show the version of the program and exit
    -h           Show help options and exit
`;
