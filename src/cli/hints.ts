/**
 * The second half of the command's error messages: what to do about them. Each message names
 * the thing (a path, an option) and, where there is one, the fix, in one line; T2's own texts
 * stay as T2 prints them, and a hint follows them on a line of its own.
 *
 * @module
 */

import type { CliOptions } from "./args.ts";

/** Why a file cannot be read, in words (strerror's, without Deno's "(os error N)"). */
export function reason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "Is a directory";
  return (e as Error).message.replace(/ \(os error \d+\).*$/s, "");
}

/**
 * Where a relative path was looked for, for a file that is not there: ` (in DIR)`, or nothing
 * for an absolute path (a path relative to another folder than the user thought is the usual
 * mistake when t2 runs from a script or a task).
 */
export function lookedIn(path: string, e: unknown): string {
  if (!(e instanceof Deno.errors.NotFound) || path.startsWith("/")) return "";
  try {
    return ` (in ${Deno.cwd()})`;
  } catch {
    return "";
  }
}

/** A file the command line names that cannot be read: what it is, where, why. */
export function unreadable(what: string, path: string, e: unknown): string {
  return `Cannot read ${what} "${path}": ${reason(e)}${lookedIn(path, e)}`;
}

/** Shell quoting for a word shown in a suggested command. */
function quoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Why BPF words or `-F` cannot be used, and what does the same: tcpdump filters the capture
 * into t2's standard input. Words that are all existing files were meant as more captures.
 */
export function bpfMessage(o: CliOptions): string {
  const input = quoted(o.read[0] ?? "in.pcap");
  if (o.bpfFile !== undefined) {
    return `BPF filters are not supported (-F ${o.bpfFile}): filter with tcpdump first: ` +
      `tcpdump -r ${input} -w - -F ${quoted(o.bpfFile)} | t2 -r - ...`;
  }
  if (o.bpf.every(isFile)) {
    return `'${o.bpf.join(" ")}' is not an option: read several captures with -R LIST ` +
      `(one stream) or --jobs N -r A -r B ... (one output set each)`;
  }
  const expr = o.bpf.join(" ");
  return `BPF filters are not supported (got '${expr}'): filter with tcpdump first: ` +
    `tcpdump -r ${input} -w - ${quoted(expr)} | t2 -r - ...`;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** After T2's "exclusively" error for several `-r`: how to read several captures. */
export const SEVERAL_CAPTURES_HINT =
  "[INF] To read several captures: -R LIST reads them as one stream, --jobs N -r A -r B ... " +
  "processes each on its own (t2 -h)";
