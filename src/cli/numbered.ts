/**
 * T2's numbered-file input (`-D EXPR[:SCHR][,STOP]`, spec/cli.md §1): captures such as
 * `dump.pcap00`, `dump.pcap01`, ... (or `trace.pcap`, `trace.pcap1`, ... as `tcpdump -C`
 * writes them) read one after another as one stream.
 *
 * @module
 */

import type { NumberedInputs } from "../core/inputs.ts";
import { UsageError } from "./args.ts";

/** A parsed `-D` argument. */
export interface NumberedSpec {
  /** EXPR without `:SCHR` and `,STOP`: the first capture, and what the prefix derives from. */
  readonly expr: string;
  /** Text of EXPR before the index. */
  readonly head: string;
  /** Text of EXPR after the index. */
  readonly tail: string;
  /** The index in EXPR (0 when EXPR has no digits there). */
  readonly first: number;
  /** Width of a zero-padded index (EXPR's index starts with 0), else 0 (plain decimal). */
  readonly width: number;
  /** Last index processed. */
  readonly stop: number;
}

/** Largest index T2 counts to without a STOP (uint32). */
const UINT32_MAX = 0xffffffff;

function formatError(): UsageError {
  return new UsageError("Option '-D': Invalid format, expected 'expr[:schr][,stop]'");
}

/**
 * Parse `EXPR[:SCHR][,STOP]` with T2's rules: STOP follows the last `,`, SCHR the last `:`
 * (default `p`). The index starts right after SCHR (its last occurrence when SCHR is one
 * character, its first otherwise) and ends at the next `_`, else at the next `.`, else at the
 * end. An index starting with 0 has a fixed width and, without STOP, stops at 9...9.
 * Unlike T2 0.9.3 (which reads `010` as octal) indexes are decimal.
 *
 * @throws {UsageError} T2's format error when SCHR is not found.
 */
export function parseNumbered(arg: string, defaultSchr = "p"): NumberedSpec {
  let rest = arg;
  let stop: number | null = null;
  const comma = rest.lastIndexOf(",");
  if (comma >= 0) {
    const m = /^\s*\+?(\d+)/.exec(rest.slice(comma + 1));
    if (!m) throw formatError();
    stop = Math.min(Number(m[1]), UINT32_MAX);
    rest = rest.slice(0, comma);
  }
  let schr = defaultSchr;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    schr = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (schr === "") throw formatError();
  const at = schr.length > 1 ? rest.indexOf(schr) : rest.lastIndexOf(schr);
  if (at < 0) throw formatError();
  const pos = at + schr.length;
  const after = rest.slice(pos);
  let end = after.indexOf("_");
  if (end < 0) end = after.indexOf(".");
  if (end < 0) end = after.length;
  const index = after.slice(0, end);
  const width = index.startsWith("0") ? index.length : 0;
  const digits = /^\d*/.exec(index)![0];
  const first = digits === "" ? 0 : Number(digits);
  if (stop === null) stop = width > 0 ? Math.min(10 ** width - 1, UINT32_MAX) : UINT32_MAX;
  return { expr: rest, head: rest.slice(0, pos), tail: after.slice(end), first, width, stop };
}

/** The capture name for index `n` (EXPR itself for the first index). */
export function numberedName(spec: NumberedSpec, n: number): string {
  if (n === spec.first) return spec.expr;
  const text = spec.width > 0 ? String(n).padStart(spec.width, "0") : String(n);
  return spec.head + text + spec.tail;
}

/** Names from the first index up to STOP. */
export function* numberedNames(spec: NumberedSpec): Generator<string> {
  yield numberedName(spec, spec.first);
  for (let n = spec.first + 1; n <= spec.stop; n++) yield numberedName(spec, n);
}

function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) re += "\\[";
      else {
        let set = pattern.slice(i + 1, close).replace(/\\/g, "\\\\");
        if (set.startsWith("!")) set = "^" + set.slice(1);
        re += `[${set}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * The file a name stands for: wildcards (`*`, `?`, `[...]`) in its last path component match
 * the files of its directory (the first in sorted order, as a shell would list them); a name
 * without wildcards, or without a match, stays as it is.
 */
export function expandWildcards(name: string): string {
  const slash = name.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : name.slice(0, slash);
  const base = name.slice(slash + 1);
  if (!/[*?[]/.test(base)) return name;
  const re = globRegExp(base);
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => !e.isDirectory).map((e) => e.name);
  } catch {
    return name;
  }
  const hit = names.filter((n) => re.test(n) && !(n.startsWith(".") && !base.startsWith(".")))
    .sort()[0];
  return hit === undefined ? name : (slash < 0 ? "" : name.slice(0, slash + 1)) + hit;
}

/** The {@linkcode NumberedInputs} of a spec for {@linkcode runAsync}. */
export function numberedInputs(spec: NumberedSpec, pollSeconds = 5): NumberedInputs {
  return {
    names: () => numberedNames(spec),
    resolve: expandWildcards,
    pollSeconds,
  };
}
