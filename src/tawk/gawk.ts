/**
 * The system's GNU awk: finding it, its version and bignum support, and running it with the
 * terminal's standard output (so nothing is copied through this process), standard input
 * either shared or fed from here, and standard error read to turn gawk's two-line syntax
 * errors into one line.
 *
 * @module
 */

/** gawk as found on the system. */
export interface GawkInfo {
  readonly major: number;
  readonly minor: number;
  /** Built with MPFR: `-M` (arbitrary precision) works. */
  readonly bignum: boolean;
}

/** gawk is missing or may not be run; the message says what to do. */
export class GawkMissing extends Error {}

/** The first line of `gawk --version`, parsed. */
export function parseGawkVersion(text: string): GawkInfo | null {
  const m = /^GNU Awk (\d+)\.(\d+)/.exec(text);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), bignum: /MPFR/.test(text.split("\n")[0]) };
}

/** Run `gawk --version`; throws GawkMissing when gawk cannot be run. */
export async function gawkInfo(): Promise<GawkInfo> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("gawk", { args: ["--version"], stdin: "null", stderr: "null" })
      .output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new GawkMissing(
        "GNU awk (gawk) is not installed: install the package gawk (Debian/Ubuntu: apt-get install gawk)",
      );
    }
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new GawkMissing(
        "no permission to run gawk: use the compiled t2, deno task tawk, or deno run --allow-run=gawk,sort,less",
      );
    }
    throw e;
  }
  const info = parseGawkVersion(new TextDecoder().decode(out.stdout));
  if (!info) {
    throw new GawkMissing("'gawk --version' does not say GNU Awk: install the package gawk");
  }
  return info;
}

/** A syntax error of gawk: where and what. */
export interface SyntaxError {
  readonly source: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly text: string;
}

/**
 * Turns gawk's standard error into ours: a syntax error, which gawk reports as the source line
 * followed by a line with a caret and the message, becomes one line (`oneLine`); the first
 * such error is kept and later ones dropped. Other lines pass unchanged.
 */
export class StderrFilter {
  #held: { where: string; source: string; line: number; text: string } | null = null;
  #syntax: SyntaxError | null = null;
  constructor(
    readonly emit: (line: string) => void,
    readonly oneLine: (e: SyntaxError) => string,
  ) {}

  get syntaxError(): SyntaxError | null {
    return this.#syntax;
  }

  line(l: string): void {
    const caret = /^gawk: (.+?):(\d+): ( *)\^ (.*)$/.exec(l);
    if (caret && this.#held && this.#held.where === `${caret[1]}:${caret[2]}`) {
      const held = this.#held;
      this.#held = null;
      if (!this.#syntax) {
        // the caret sits under the character, counted after "gawk: where: "
        this.#syntax = {
          source: held.source,
          line: held.line,
          column: caret[3].length + 1,
          message: caret[4],
          text: held.text,
        };
        this.emit(this.oneLine(this.#syntax));
      }
      return;
    }
    this.flush();
    const loc = /^gawk: (.+?):(\d+): (.*)$/.exec(l);
    if (loc && !/^(fatal|warning|error)\b|^\(FILENAME=/.test(loc[3])) {
      this.#held = {
        where: `${loc[1]}:${loc[2]}`,
        source: loc[1],
        line: Number(loc[2]),
        text: loc[3],
      };
      return;
    }
    this.emit(l);
  }

  flush(): void {
    if (this.#held) {
      const h = this.#held;
      this.#held = null;
      this.emit(`gawk: ${h.where}: ${h.text}`);
    }
  }
}

/** How gawk gets its standard input. */
export type GawkStdin =
  | { readonly kind: "inherit" }
  | { readonly kind: "feed"; readonly taken: Uint8Array[]; readonly more: boolean };

/** Run gawk; resolves to its exit code (128 + signal when a signal ended it). */
export async function runGawk(
  args: string[],
  stdin: GawkStdin,
  filter: StderrFilter,
): Promise<number> {
  const child = new Deno.Command("gawk", {
    args,
    stdin: stdin.kind === "inherit" ? "inherit" : "piped",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  const feeding = stdin.kind === "feed" ? feed(child.stdin, stdin.taken, stdin.more) : null;
  const reading = (async () => {
    const dec = new TextDecoder();
    let rest = "";
    for await (const chunk of child.stderr) {
      const lines = (rest + dec.decode(chunk, { stream: true })).split("\n");
      rest = lines.pop()!;
      for (const l of lines) filter.line(l);
    }
    rest += dec.decode();
    if (rest) filter.line(rest);
    filter.flush();
  })();
  const status = await child.status;
  await reading;
  if (feeding) await feeding;
  return status.signal ? 128 + signalNumber(status.signal) : status.code;
}

/** Hand gawk what was read of standard input, then the rest of it. */
async function feed(to: WritableStream<Uint8Array>, taken: Uint8Array[], more: boolean) {
  const w = to.getWriter();
  try {
    for (const b of taken) await w.write(b);
    if (more) {
      const buf = new Uint8Array(1 << 16);
      for (;;) {
        const n = await Deno.stdin.read(buf);
        if (n === null) break;
        await w.write(buf.slice(0, n));
      }
    }
    await w.close();
  } catch {
    // gawk stopped reading (exit in the program): the rest is not needed
  }
}

function signalNumber(s: Deno.Signal): number {
  const n: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGPIPE: 13,
    SIGTERM: 15,
  };
  return n[s] ?? 1;
}
