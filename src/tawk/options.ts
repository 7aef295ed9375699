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

/**
 * T2 tawk options this tawk does not provide, with the reason given to the user. A Map: a
 * program such as `toString` must not find Object's properties.
 */
const NOT_PROVIDED: ReadonlyMap<string, string> = new Map(Object.entries({
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
}));

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
  const at = new ArgCursor(args);
  const last = args.length - 1;
  let lastFile: string | null = null;
  let operands = false;
  for (; at.i < args.length; at.i++) {
    const a = args[at.i];
    // The last argument is the input file when it is a regular file (and -I gave none).
    if (at.i === last && (operands || !a.startsWith("-")) && isFile(a)) {
      lastFile = a;
      break;
    }
    if (operands) {
      o.gawkArgs.push(a);
    } else if (a === "--") {
      o.gawkArgs.push(a);
      operands = true;
    } else {
      takeArgument(o, optionWord(a), at);
    }
  }
  settleInput(o, lastFile, isFile);
  return o;
}

/** The arguments, taken left to right; options with a value move past it. */
class ArgCursor {
  /** The index of the argument being taken. */
  i = 0;
  constructor(readonly args: readonly string[]) {}

  /** The value of option `opt`: attached (`-sX`, `--opt=X`) or the next argument. */
  value(opt: string, attached: string | null): string {
    if (attached !== null) return attached;
    const v = this.args[this.i + 1];
    if (v === undefined || v.startsWith("-")) {
      throw new TawkUsageError(`Option '${opt}' requires an argument`);
    }
    this.i++;
    return v;
  }

  /** The next argument whatever it is (a gawk option's value), or null at the end. */
  next(): string | null {
    return this.i + 1 < this.args.length ? this.args[++this.i] : null;
  }
}

/** An argument read as an option: `--name=VALUE`, `-xVALUE` (or `-x=VALUE`), or just a word. */
interface OptionWord {
  /** The argument as given. */
  readonly word: string;
  /** `--name` of `--name=VALUE`, else the whole word. */
  readonly long: string;
  /** `-x` of `-xVALUE`, else the whole word. */
  readonly short: string;
  /** The attached value: after `--name=`, or after `-x` without a leading `=`; null if none. */
  readonly value: string | null;
  /** The same, but after `-x` as written (`-F=` sets the separator `=`). */
  readonly rawValue: string | null;
}

function optionWord(word: string): OptionWord {
  const long = /^(--[^=]+)=(.*)$/s.exec(word);
  const short = /^(-[A-Za-z?])(.+)$/s.exec(word);
  return {
    word,
    long: long?.[1] ?? word,
    short: short?.[1] ?? word,
    value: long?.[2] ?? short?.[2].replace(/^=/, "") ?? null,
    rawValue: long?.[2] ?? short?.[2] ?? null,
  };
}

/**
 * Take one argument (before `--`): a T2 tawk option into `o`; an option of T2's tawk this one
 * does not provide is an error; anything else (the program, gawk's options with their values,
 * `name=value`, files) goes to gawk as it is.
 */
function takeArgument(o: TawkOptions, w: OptionWord, at: ArgCursor): void {
  if (takeFlag(o, w.word) || takeValueOption(o, w, at)) return;
  const missing = NOT_PROVIDED.get(w.long) ?? NOT_PROVIDED.get(w.short);
  if (missing) {
    throw new TawkUsageError(`Option '${w.long}' of T2's tawk is not provided: ${missing}`);
  }
  o.gawkArgs.push(w.word);
  // gawk options with a value: kept with it
  if ((WITH_VALUE.test(w.long) || WITH_VALUE.test(w.short)) && w.value === null) {
    const v = at.next();
    if (v !== null) o.gawkArgs.push(v);
  }
}

/** The options without a value, exactly as written (`-Hx` is not `-H`); false for others. */
function takeFlag(o: TawkOptions, word: string): boolean {
  switch (word) {
    case "-h":
    case "-?":
    case "--help":
      o.help = true;
      return true;
    case "--csv":
      o.fs = ",";
      o.ofs = ",";
      o.prefix = "";
      return true;
    case "-H":
    case "--no-header":
      o.noHeader = true;
      return true;
    case "-c":
    case "--comment":
      o.comment = "";
      return true;
    case "-c=u":
    case "--comment=u":
    case "-cu":
      o.comment = "u";
      return true;
    case "-t":
    case "--validate-names":
    case "-r":
    case "--rename":
      // names are always checked, and clashing names never become variables: nothing to do
      return true;
    case "-l":
    case "--list":
      o.list = 1;
      return true;
    case "-g":
    case "--func":
      o.funcs = 1;
      return true;
  }
  return false;
}

/** The options with a value (`-I FILE`, `-IFILE`, `--input=FILE`, `-l3`...); false for others. */
function takeValueOption(o: TawkOptions, w: OptionWord, at: ArgCursor): boolean {
  const is = (long: string, short: string) => w.long === long || w.short === short;
  if (is("--input", "-I")) {
    o.inputOption = at.value("-I", w.value);
  } else if (is("--header-row", "-N")) {
    o.headerRow = numeric("-N", at.value("-N", w.value));
  } else if (is("--special-header", "-s")) {
    // -s '' means: the names are on line 1
    o.prefix = at.value("-s", w.rawValue);
  } else if (is("--field-separator", "-F")) {
    o.fs = at.value("-F", w.rawValue);
  } else if (w.long === "--ofs" || is("--output-field-separator", "-O")) {
    o.ofs = at.value("-O", w.value);
  } else if (is("--list", "-l")) {
    // without a value it is a flag (takeFlag)
    o.list = Math.max(1, numeric("-l", w.value!));
  } else if (is("--func", "-g")) {
    o.funcs = Math.max(1, numeric("-g", w.value!));
  } else if (is("--doc", "-d")) {
    o.doc = at.value("-d", w.value).split(",").filter((n) => n !== "");
  } else {
    return false;
  }
  return true;
}

/**
 * The input file: `-I FILE`, which must be a regular file, else the last argument when it is a
 * regular file (`lastFile`). With -I, that last file is data for gawk.
 */
function settleInput(
  o: TawkOptions,
  lastFile: string | null,
  isFile: (path: string) => boolean,
): void {
  if (lastFile !== null) {
    if (o.inputOption === null) o.input = lastFile;
    else o.gawkArgs.push(lastFile);
  }
  if (o.inputOption !== null) {
    if (!isFile(o.inputOption)) {
      throw new TawkUsageError(`Input file '${o.inputOption}' is not a regular file`);
    }
    o.input = o.inputOption;
  }
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
