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
  /** `-w` argument. */
  readonly write?: string;
  /** `-W` argument, parsed. */
  readonly writeSplit?: OutputSplit;
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
  /** `--threads N`: shard workers for one capture (default 1). */
  readonly threads?: number;
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
const OURS_WITH_ARG = new Set(["set", "config", "jobs", "threads"]);
const OURS_NO_ARG = new Set(["list-settings"]);

/** An integer in C's `strtol(s, NULL, 0)` forms (decimal, `0x` hex, leading-0 octal). */
export function cInteger(v: string): number | null {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)\s*$/.exec(v);
  if (!m) return null;
  const digits = m[2];
  const n = /^0[xX]/.test(digits)
    ? parseInt(digits.slice(2), 16)
    : digits.length > 1 && digits[0] === "0"
    ? parseInt(digits.slice(1), 8)
    : Number(digits);
  return m[1] === "-" ? -n : n;
}

function integer(opt: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = cInteger(v);
  if (n === null || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`Option '${opt}': invalid number '${v}'`);
  }
  return n;
}

/** `-W PREFIX[:SIZE][,START]`, parsed as T2 does. */
export interface OutputSplit {
  /** The prefix (as `-w`). */
  readonly prefix: string;
  /** Split after this many bytes (or flows); T2's default is 5e8. */
  readonly size: number;
  /** SIZE ended in `f`: count flows. */
  readonly flows: boolean;
  /** Index of the first file. */
  readonly start: number;
}

/**
 * Parse `-W PREFIX[:SIZE][,START]` (spec/cli.md §1): START after the last `,`, SIZE after the
 * last `:` (a number, scientific notation allowed, then optionally `K`/`M`/`G` for 10^3/6/9
 * and `f` for flows), default size 5e8.
 */
export function parseOutputSplit(arg: string): OutputSplit {
  let rest = arg;
  let start = 0;
  const comma = rest.lastIndexOf(",");
  if (comma >= 0) {
    const n = cInteger(rest.slice(comma + 1));
    if (n === null || n < 0 || !Number.isSafeInteger(n)) {
      throw new UsageError(`Option '-W': invalid start index '${rest.slice(comma + 1)}'`);
    }
    start = n;
    rest = rest.slice(0, comma);
  }
  let size = 5e8;
  let flows = false;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    const text = rest.slice(colon + 1);
    const m = /^\s*(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)([KMG]?)(f?)$/.exec(text);
    if (!m) {
      throw new UsageError(
        `Option '-W': invalid size '${text}' (expected a number, then K, M or G, then f for flows)`,
      );
    }
    size = Number(m[1]) * (m[2] === "K" ? 1e3 : m[2] === "M" ? 1e6 : m[2] === "G" ? 1e9 : 1);
    flows = m[3] === "f";
    rest = rest.slice(0, colon);
  }
  return { prefix: rest, size, flows, start };
}

/** The options while they are being parsed. */
type ParsedOptions = { -readonly [K in keyof CliOptions]: CliOptions[K] };

/** Parse argv (without the program name). Throws {@linkcode UsageError}. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o: ParsedOptions = {
    read: [],
    bpf: [],
    settings: [],
    configFiles: [],
    ignored: [],
    logFile: false,
    monFile: false,
    packetMode: false,
    listSettings: false,
    version: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      o.bpf.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) i = longOption(o, argv, i);
    else if (a.startsWith("-") && a.length > 1) i = shortOptions(o, argv, i);
    else o.bpf.push(a);
    if (o.help || o.version) return o; // T2 exits at -h/-V, ignoring what follows
  }
  return o;
}

/** `--name`, `--name value` or `--name=value` at `argv[i]`; returns the last index used. */
function longOption(o: ParsedOptions, argv: readonly string[], i: number): number {
  const a = argv[i];
  const eq = a.indexOf("=");
  const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
  const inline = eq < 0 ? undefined : a.slice(eq + 1);
  const short = LONG[name];
  const needsArg = (short && WITH_ARG.has(short)) || OURS_WITH_ARG.has(name);
  const noArg = (short && NO_ARG.has(short)) || OURS_NO_ARG.has(name);
  if (!needsArg && !noArg) throw new UsageError(`Unknown option '${a}'`);
  let value = inline;
  if (needsArg && value === undefined) {
    if (i + 1 >= argv.length) {
      // T2 (getopt_long) names the short option of a long one.
      throw new UsageError(`Option '${short ? "-" + short : "--" + name}' requires an argument`);
    }
    value = argv[++i];
  }
  if (noArg && inline !== undefined) {
    throw new UsageError(`Option '--${name}' takes no argument`);
  }
  applyOption(o, short ?? name, value);
  return i;
}

/**
 * Short options clustered at `argv[i]` (`-sl`, `-r file`, `-rfile`); stops at `-h`/`-V`.
 * Returns the last index used.
 */
function shortOptions(o: ParsedOptions, argv: readonly string[], i: number): number {
  const a = argv[i];
  for (let j = 1; j < a.length; j++) {
    const c = a[j];
    if (WITH_ARG.has(c)) {
      let value = a.slice(j + 1);
      if (value === "") {
        if (i + 1 >= argv.length) throw new UsageError(`Option '-${c}' requires an argument`);
        value = argv[++i];
      }
      applyOption(o, c, value);
      return i;
    }
    if (!NO_ARG.has(c)) throw new UsageError(`Unknown option '-${c}'`);
    applyOption(o, c);
    if (o.help || o.version) return i;
  }
  return i;
}

/** Apply one option (a short option's letter or one of our long names) and its value. */
function applyOption(o: ParsedOptions, opt: string, value?: string): void {
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
      o.writeSplit = parseOutputSplit(value!);
      o.write = o.writeSplit.prefix; // the last of -w and -W gives the prefix, as in T2
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
      if (cInteger(value!) === 0 || /^\s*$/.test(value!)) {
        throw new UsageError("Option '-f': Hash factor must be greater than 0");
      }
      o.hashFactor = integer("-f", value!, 1, 4096);
      break;
    case "x":
      o.sensorId = integer("-x", value!, 0, 0xffffffff);
      break;
    case "F":
      o.bpfFile = value;
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
      o.jobs = integer("--jobs", value!, 1, 256);
      break;
    case "threads":
      o.threads = integer("--threads", value!, 1, 256);
      break;
    case "list-settings":
      o.listSettings = true;
      break;
    default:
      checkIgnored(opt, value);
      o.ignored.push(`-${opt}`);
  }
}

/**
 * The options T2 has and this program accepts without using them (`-c -e -P -M -B -S`):
 * their values are still checked as T2 checks them.
 */
function checkIgnored(opt: string, value?: string): void {
  switch (opt) {
    case "P": {
      const prio = cInteger(value!) ?? 0;
      if (prio < 0) throw new UsageError("Only root can assign priority < 0");
      if (prio > 20) throw new UsageError("Priority MUST be between 0 and 20 (highest to lowest)");
      break;
    }
    case "M":
      if (parseFloat(value!) < 0) {
        throw new UsageError("Option '-M': Monitoring interval must be greater than 0.0");
      }
      break;
    case "B":
      if ((cInteger(value!) ?? 0) < 0) {
        throw new UsageError("Option '-B': Buffer size must be greater than 0");
      }
      break;
    case "S":
      if ((cInteger(value!) ?? 0) < 0) {
        throw new UsageError("Option '-S': Snapshot length must be greater than 0");
      }
      break;
  }
}

/**
 * Whether the command line sends the flow records to standard output (`-w -`), also when it
 * cannot be parsed: standard output then holds nothing else (usage hints go to stderr).
 */
export function recordsOnStdout(argv: readonly string[]): boolean {
  try {
    return parseArgs(argv).write === "-";
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return argv.some((a, i) =>
      /^-[A-Za-z]*w-$/.test(a) || a === "--output-prefix=-" ||
      ((a === "--output-prefix" || /^-[A-Za-z]*w$/.test(a)) && argv[i + 1] === "-")
    );
  }
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
    t2 tawk [OPTION...] 'PROGRAM' [FILE...]
                 Run an awk program over T2 files, columns by name (t2 tawk -h)
    t2 tcol [FILE...]
                 Show T2 files as aligned columns (t2 tcol -h)

Input arguments:
    -r PCAP      Read packets from PCAP file or from stdin if PCAP is "-"
                 (pcap or pcapng, also gzip- or zstd-compressed)
    -R FILE      Process every PCAP file listed in FILE as one stream
    -D EXPR[:SCHR][,STOP]
                 Process every PCAP file whose name matches EXPR, up to an
                 optional last index STOP, as one stream. Without STOP (and
                 without a zero-padded index) the run waits for the next file
                 forever (polling every 5 s; stop it with Ctrl+C). EXPR can be a
                 file name, e.g., file.pcap0, or an expression such as
                 "dump*.pcap00" ('*' and '?' match in the file name). SCHR is the
                 last character before the index (default: 'p')
    -i IFACE     Listen on interface IFACE (not supported: read captures only)

Output arguments:
    -w PREFIX    Append PREFIX to any output file produced (a directory: the
                 input's name without extension is appended). Default: derived
                 from the input. '-w -' writes only the flow lines to stdout
                 (the report goes to stderr, or with -l to PREFIX_log.txt)
    -W PREFIX[:SIZE][,START]
                 Like -w, but start a new flow file (PREFIX_flows.txtN, N from
                 START, default 0) after SIZE bytes (default 5e8). SIZE may end
                 in K, M or G (10^3, 10^6, 10^9) and scientific notation (1e5)
                 is allowed; an appended 'f' (e.g. 10Kf) makes SIZE a number of
                 flows
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

Parallel arguments:
    --threads N  Split one capture's flows over N worker threads (default 1;
                 slower than one on 2 cores); the output is that of one
                 thread. Where a split could change it, the run uses one thread
                 and says why on stderr: -R, -D, stdin, damaged captures, time
                 going back, a full flow table, plugins without a merge hook
                 (connStat, most of T2's default set)
    --jobs N     With several -r PCAP and -w DIR/: process the captures in
                 parallel on N workers, one output set per capture (report in
                 DIR/NAME_log.txt), one summary line per capture on stdout;
                 each capture then runs on one thread (--threads is ignored)

Help and documentation arguments:
    -V           Show the version of the program and exit
    -h           Show help options and exit

Accepted and ignored: -c CPU, -e FILE, -m, -P PRIO, -M FLT, -S SNAPLEN, -B BUFSIZE
Not supported: BPF filter arguments and -F FILE; filter with tcpdump first:
    tcpdump -r IN.pcap -w - 'EXPR' | t2 -r - ...

Signals: the first SIGINT or SIGTERM stops reading, writes all open flows, the
report and the summary files and exits 0; a second one exits at once.
`;
