/**
 * The command line of `t2 tawk` (`../shared/spec/tools/tawk.md` §2): T2's tawk options are
 * taken out, everything else (the program, `-v`, `name=value`, gawk options, more files) is
 * kept in order for gawk, and the last argument is the input file when it is a regular file.
 *
 * @module
 */

/** A bad command line: the message, then the `--help` hint; exit code 1. */
export class TawkUsageError extends Error {}

/** What the command line asks for. */
export interface TawkOptions {
  /** `-I FILE` (names, and data unless standard input is a pipe or file). */
  inputOption: string | null;
  /** The input file: from `-I`, or the last argument when it is a regular file. */
  input: string | null;
  /** `-N NUM`. */
  headerRow: number | null;
  /** `-s CHARS` (default `%`). */
  prefix: string;
  /** `-F FS` as given (default a tab, written `\t`). */
  fs: string;
  /** `-O FS` as given (default a tab, written `\t`). */
  ofs: string;
  /** `-H`. */
  noHeader: boolean;
  /** `-c` (`"u"`: the date in UTC), null without. */
  comment: string | null;
  /** `-l[=N]`: list the columns, N pairs per row (0: without -l). */
  list: number;
  /** `-g[=N]`: list the functions, N per row (0: without -g). */
  funcs: number;
  /** `-d NAME[,NAME...]`. */
  doc: string[] | null;
  /** `-h`. */
  help: boolean;
  /** The arguments for gawk, in order (the program among them). */
  gawkArgs: string[];
}

/** T2 tawk options this tawk does not provide, with the reason given to the user. */
const NOT_PROVIDED: Record<string, string> = {
  "-e": "the examples/ functions of T2 are not part of t2 tawk",
  "--examples": "the examples/ functions of T2 are not part of t2 tawk",
  "-n": "the t2nfdump functions of T2 are not part of t2 tawk",
  "--nfdump": "the t2nfdump functions of T2 are not part of t2 tawk",
  "--zeek": "Zeek logs are not supported by t2 tawk",
  "--bro": "Zeek logs are not supported by t2 tawk",
  "-V": "T2's bit-field descriptions (vars/) are not part of t2 tawk",
  "--var": "T2's bit-field descriptions (vars/) are not part of t2 tawk",
  "-L": "T2's bit-field descriptions (vars/) are not part of t2 tawk",
  "--decode-log": "T2's bit-field descriptions (vars/) are not part of t2 tawk",
  "-k": "extracting packets needs T2's findexer and fextractor",
  "-x": "extracting packets needs T2's findexer and fextractor",
  "-X": "extracting packets needs T2's findexer and fextractor",
  "-P": "extracting packets needs T2's findexer and fextractor",
  "-b": "extracting packets needs T2's findexer and fextractor",
  "-D": "there is no PDF manual; see t2 tawk -d NAME and docs/tawk.md",
  "--pdf": "there is no PDF manual; see t2 tawk -d NAME and docs/tawk.md",
};

/** Whether `path` is an existing regular file. */
export function isRegularFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** `-N` / `-l=` / `-g=` value: digits only. */
function numeric(opt: string, v: string): number {
  if (!/^[0-9]+$/.test(v)) throw new TawkUsageError(`Option '${opt}' requires a numeric argument`);
  return Number(v);
}

/** Parse the arguments of `t2 tawk` (after the word `tawk`). */
export function parseTawkArgs(
  args: readonly string[],
  isFile: (path: string) => boolean = isRegularFile,
): TawkOptions {
  const o: TawkOptions = {
    inputOption: null,
    input: null,
    headerRow: null,
    prefix: "%",
    fs: "\\t",
    ofs: "\\t",
    noHeader: false,
    comment: null,
    list: 0,
    funcs: 0,
    doc: null,
    help: false,
    gawkArgs: [],
  };
  let i = 0;
  /** The value of an option: attached (`-sX`, `--opt=X`) or the next argument. */
  const value = (opt: string, attached: string | null): string => {
    if (attached !== null) return attached;
    const v = args[i + 1];
    if (v === undefined || v.startsWith("-")) {
      throw new TawkUsageError(`Option '${opt}' requires an argument`);
    }
    i++;
    return v;
  };
  let lastIsInput = false;
  // The last argument is the input file when it is a regular file (and -I gave none).
  const last = args.length - 1;
  let operands = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (i === last && (operands || !a.startsWith("-")) && isFile(a)) {
      lastIsInput = true;
      break;
    }
    if (operands) {
      o.gawkArgs.push(a);
      continue;
    }
    const long = /^(--[^=]+)=(.*)$/s.exec(a);
    const name = long ? long[1] : a;
    const attachedLong = long ? long[2] : null;
    const short = /^(-[A-Za-z?])(.+)$/s.exec(a);
    const sname = short ? short[1] : a;
    const sval = short ? short[2].replace(/^=/, "") : null;
    if (name === "--") {
      o.gawkArgs.push(a);
      operands = true;
      continue;
    }
    if (a === "-h" || a === "-?" || a === "--help") {
      o.help = true;
    } else if (name === "--input" || sname === "-I") {
      o.inputOption = value("-I", long ? attachedLong : sval);
    } else if (name === "--header-row" || sname === "-N") {
      o.headerRow = numeric("-N", value("-N", long ? attachedLong : sval));
    } else if (name === "--special-header" || sname === "-s") {
      // -s '' means: the names are on line 1
      o.prefix = value("-s", long ? attachedLong : short ? short[2] : null);
    } else if (name === "--field-separator" || sname === "-F") {
      o.fs = value("-F", long ? attachedLong : short ? short[2] : null);
    } else if (name === "--ofs" || name === "--output-field-separator" || sname === "-O") {
      o.ofs = value("-O", long ? attachedLong : sval);
    } else if (a === "--csv") {
      o.fs = ",";
      o.ofs = ",";
      o.prefix = "";
    } else if (a === "-H" || a === "--no-header") {
      o.noHeader = true;
    } else if (a === "-c" || a === "--comment") {
      o.comment = "";
    } else if (a === "-c=u" || a === "--comment=u" || a === "-cu") {
      o.comment = "u";
    } else if (a === "-t" || a === "--validate-names" || a === "-r" || a === "--rename") {
      // names are always checked, and clashing names never become variables: nothing to do
    } else if (a === "-l" || a === "--list") {
      o.list = 1;
    } else if (name === "--list" || sname === "-l") {
      o.list = Math.max(1, numeric("-l", long ? attachedLong! : sval!));
    } else if (a === "-g" || a === "--func") {
      o.funcs = 1;
    } else if (name === "--func" || sname === "-g") {
      o.funcs = Math.max(1, numeric("-g", long ? attachedLong! : sval!));
    } else if (name === "--doc" || sname === "-d") {
      o.doc = value("-d", long ? attachedLong : sval).split(",").filter((n) => n !== "");
    } else if (NOT_PROVIDED[name] ?? NOT_PROVIDED[sname]) {
      throw new TawkUsageError(
        `Option '${name}' of T2's tawk is not provided: ${
          NOT_PROVIDED[name] ?? NOT_PROVIDED[sname]
        }`,
      );
    } else if (
      sname === "-v" || name === "--assign" || sname === "-f" || name === "--file" ||
      sname === "-i" || name === "--include" || name === "--source" || sname === "-E" ||
      name === "--exec"
    ) {
      // gawk options with a value: kept with it
      o.gawkArgs.push(a);
      if (!(long ? attachedLong !== null : sval !== null) && i + 1 < args.length) {
        o.gawkArgs.push(args[++i]);
      }
    } else {
      o.gawkArgs.push(a);
    }
  }
  if (lastIsInput) {
    if (o.inputOption === null) o.input = args[last];
    else o.gawkArgs.push(args[last]);
  }
  if (o.inputOption !== null) {
    if (!isFile(o.inputOption)) {
      throw new TawkUsageError(`Input file '${o.inputOption}' is not a regular file`);
    }
    o.input = o.inputOption;
  }
  return o;
}

/** Where the program is among the gawk arguments. */
export interface ProgramParts {
  /** Index of the program text in `gawkArgs`, -1 when it comes from `-f`/`--source`. */
  readonly programIndex: number;
  /** Program files (`-f`, `--exec`): then no argument is the program text. */
  readonly files: string[];
  /** Included files (`-i`): read before the program. */
  readonly includes: string[];
  /** Program texts given with `--source`. */
  readonly sources: string[];
  /** Variables set with `-v name=value` or a `name=value` operand. */
  readonly assigned: string[];
}

const WITH_VALUE = /^(-v|--assign|-f|--file|-i|--include|--source|-E|--exec)$/;

/** Find the program text, program files and assigned variables among gawk's arguments. */
export function programParts(gawkArgs: readonly string[]): ProgramParts {
  const files: string[] = [];
  const includes: string[] = [];
  const sources: string[] = [];
  const assigned: string[] = [];
  let programIndex = -1;
  let options = true;
  const varName = (s: string) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(s)?.[1];
  for (let i = 0; i < gawkArgs.length; i++) {
    const a = gawkArgs[i];
    if (options && a === "--") {
      options = false;
      continue;
    }
    if (options && a.startsWith("-") && a.length > 1) {
      const m = /^(-[A-Za-z]|--[a-z-]+)(=?)(.*)$/s.exec(a)!;
      const opt = m[1];
      let val: string | undefined = m[3] !== "" || m[2] === "=" ? m[3] : undefined;
      if (WITH_VALUE.test(opt) && val === undefined) val = gawkArgs[++i];
      if (val === undefined) continue;
      if (opt === "-v" || opt === "--assign") {
        const n = varName(val);
        if (n) assigned.push(n);
      } else if (opt === "--source") {
        sources.push(val);
      } else if (opt === "-i" || opt === "--include") {
        includes.push(val);
      } else if (WITH_VALUE.test(opt)) {
        files.push(val);
      }
      continue;
    }
    if (programIndex < 0 && files.length === 0 && sources.length === 0) {
      programIndex = i;
      options = false;
      continue;
    }
    options = false;
    const n = varName(a);
    if (n) assigned.push(n);
  }
  return { programIndex, files, includes, sources, assigned };
}
