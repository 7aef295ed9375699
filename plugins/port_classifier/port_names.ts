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

/** Parse a port table with T2's portClassifier rules. */
export function parsePortNames(text: string): PortNames {
  const tcp: string[] = new Array(65536).fill("");
  const udp: string[] = new Array(65536).fill("");
  const warnings: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    end = end < 0 ? text.length : end + 1;
    const line = text.slice(start, end); // with its newline, as getline gives it
    start = end;
    const first = line.charCodeAt(0);
    if (first === 35 || first === 32 || first === 10 || first === 9) continue; // # space \n \t
    // sscanf(line, "%u\t%3s\t%63s\t", &port, proto, name)
    const s = new Scanner(line);
    const port = s.unsigned(32);
    const proto = port < 0 ? null : s.word(3);
    const name = proto === null ? null : s.word(63);
    if (name === null) {
      warnings.push(`failed to parse line '${line}': expected port <tab> proto <tab> name`);
      continue;
    }
    if (port > 65535) {
      warnings.push(`invalid port ${port}`);
      continue;
    }
    const table = proto === "tcp" ? tcp : proto === "udp" ? udp : null;
    if (!table) {
      warnings.push(`invalid protocol '${proto}'`);
      continue;
    }
    if (table[port] === "") table[port] = name;
  }
  return { tcp, udp, warnings };
}
