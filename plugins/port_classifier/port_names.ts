/**
 * portClassifier's reading of `portmap.txt` (spec/plugins/portClassifier.md §3): per line
 * `port proto name`, the first name of a (port, protocol) wins.
 *
 * @module
 */

import { Scanner } from "../_data/scan.ts";

/** Service names by port, for TCP and UDP ("" where the table has none). */
export interface PortNames {
  readonly tcp: readonly string[];
  readonly udp: readonly string[];
  /** Warnings for lines that were skipped (text after `portClassifier: `). */
  readonly warnings: readonly string[];
}

/**
 * A well-formed line (`port`, `tcp` or `udp`, a name of at most 63 non-blank characters, then a
 * tab or the end of the line): what sscanf makes of it, read by the regular expression engine
 * in one native pass. Every other line goes through {@linkcode Scanner} (T2's rules for odd
 * lines); the result is the same, the built-in table parses in a few milliseconds even cold.
 */
const PLAIN = /(\d{1,5})\t(tcp|udp)\t([^\s]{1,63})(?:\t[^\n]*)?(?:\n|$)/y;

/** Parse a port table with T2's portClassifier rules. */
export function parsePortNames(text: string): PortNames {
  const tcp: string[] = new Array(65536).fill("");
  const udp: string[] = new Array(65536).fill("");
  const warnings: string[] = [];
  let start = 0;
  while (start < text.length) {
    PLAIN.lastIndex = start;
    const m = PLAIN.exec(text);
    if (m) {
      start = PLAIN.lastIndex;
      const port = +m[1];
      const table = m[2] === "tcp" ? tcp : udp;
      if (port > 65535) warnings.push(`invalid port ${port}`);
      else if (table[port] === "") table[port] = m[3];
      continue;
    }
    let end = text.indexOf("\n", start);
    end = end < 0 ? text.length : end + 1;
    const line = text.slice(start, end); // with its newline, as getline gives it
    start = end;
    const warning = readLine(line, tcp, udp);
    if (warning) warnings.push(warning);
  }
  return { tcp, udp, warnings };
}

/** One line (with its newline) as T2 reads it into the tables; the warning text, or null. */
export function readLine(line: string, tcp: string[], udp: string[]): string | null {
  const first = line.charCodeAt(0);
  if (first === 35 || first === 32 || first === 10 || first === 9) return null; // # space \n \t
  // sscanf(line, "%u\t%3s\t%63s\t", &port, proto, name)
  const s = new Scanner(line);
  const port = s.unsigned(32);
  const proto = port < 0 ? null : s.word(3);
  const name = proto === null ? null : s.word(63);
  if (name === null) {
    return `failed to parse line '${line}': expected port <tab> proto <tab> name`;
  }
  if (port > 65535) return `invalid port ${port}`;
  const table = proto === "tcp" ? tcp : proto === "udp" ? udp : null;
  if (!table) return `invalid protocol '${proto}'`;
  if (table[port] === "") table[port] = name;
  return null;
}
