/**
 * protoStats' reading of its three tables (spec/plugins/protoStats.md §4). The rules differ
 * from portClassifier's: the description column, the last entry of a port wins, EtherType
 * ranges, and `proto.txt` read by line position.
 *
 * @module
 */

import { Scanner } from "../_data/scan.ts";

/** Longest description kept (`%99[^\n\t]`). */
const DESC_MAX = 99;
/** `fgets` reads `ethertypes.txt` in pieces of at most this many characters. */
const ETH_CHUNK = 98;

/** Read `0x` and at most 4 hex digits (`0x%4x`); -1 when that does not parse. */
function hex4(s: Scanner): number {
  const t = s.text;
  if (t[s.pos] !== "0" || t[s.pos + 1] !== "x") return -1;
  s.pos += 2;
  s.skipSpace(); // %x skips white space
  const m = /^[0-9a-fA-F]{1,4}/.exec(t.slice(s.pos, s.pos + 4));
  if (!m) return -1;
  s.pos += m[0].length;
  return parseInt(m[0], 16);
}

/** EtherType descriptions (`""` where none) from `ethertypes.txt`. */
export function parseEtherTypes(text: string): string[] {
  const out: string[] = new Array(65536).fill("");
  // scanf leaves the variables of a line that does not parse as they were
  let lo = 0, hi = 0, single = 0, desc = "";
  for (const chunk of chunks(text)) {
    const s = new Scanner(chunk);
    const dash = chunk.indexOf("-");
    if (dash >= 0 && dash < 8) { // "0x%4x-0x%4x %99[^\t\n]"
      const a = hex4(s);
      if (a >= 0) {
        lo = a;
        const b = chunk[s.pos] === "-" ? (s.pos++, hex4(s)) : -1;
        if (b >= 0) {
          hi = b;
          s.skipSpace();
          desc = s.field(DESC_MAX) ?? desc;
        }
      }
      for (let e = lo; e <= hi && e < 65536; e++) out[e] = desc;
    } else { // "0x%4x %99[^\t\n]"
      const a = hex4(s);
      if (a >= 0) {
        single = a;
        s.skipSpace();
        desc = s.field(DESC_MAX) ?? desc;
      }
      out[single] = desc;
    }
  }
  return out;
}

/** The pieces `fgets` returns: lines, longer ones cut every {@linkcode ETH_CHUNK} characters. */
function* chunks(text: string): Generator<string> {
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf("\n", i);
    const end = Math.min(nl < 0 ? text.length : nl + 1, i + ETH_CHUNK);
    yield text.slice(i, end);
    i = end;
  }
}

/** IP protocol descriptions by line position, and a warning per line that did not read. */
export function parseProtocols(text: string): { names: string[]; failed: number[] } {
  const names: string[] = new Array(256).fill("");
  const failed: number[] = [];
  const s = new Scanner(text);
  for (let i = 0; i < 256; i++) { // "%u\t%*[^\n\t]\t%99[^\n\t]"
    const ok = s.unsigned(32) >= 0 && (s.skipSpace(), s.field(Infinity) !== null) &&
      (s.skipSpace(), true);
    const desc = ok ? s.field(DESC_MAX) : null;
    if (desc === null) failed.push(i);
    else names[i] = desc;
  }
  return { names, failed };
}

/**
 * A well-formed line of `portmap.txt` (`port`, `tcp` or `udp`, a name, a description of 1 to
 * 99 characters that starts with no blank and holds no tab): what fscanf reads of it, in one
 * native pass of the regular expression engine. Anything else goes through
 * {@linkcode Scanner}; the result is the same, and the built-in table parses in a few
 * milliseconds even cold.
 */
const PLAIN_PORT = /(\d{1,5})\t(tcp|udp)\t[^\t\n]+\t([^\s][^\t\n]{0,98})\n/y;

/** Port descriptions (TCP and UDP, `""` where none) from `portmap.txt`. */
export function parsePortDescriptions(text: string): { tcp: string[]; udp: string[] } {
  const tcp: string[] = new Array(65536).fill("");
  const udp: string[] = new Array(65536).fill("");
  const s = new Scanner(text);
  for (;;) { // "%lu\t%3[^\n\t]\t%*[^\n\t]\t%99[^\n\t]" while all three values read
    if (s.pos === 0 || text.charCodeAt(s.pos - 1) === 10) { // at a line start: try the fast way
      PLAIN_PORT.lastIndex = s.pos;
      const m = PLAIN_PORT.exec(text);
      if (m) {
        s.pos = PLAIN_PORT.lastIndex;
        const port = +m[1];
        if (port <= 65535) (m[2] === "tcp" ? tcp : udp)[port] = m[3];
        continue;
      }
    }
    if (!readRecord(s, tcp, udp)) break;
  }
  return { tcp, udp };
}

/**
 * One fscanf of `portmap.txt` from the scanner's position into the tables (T2's rules for
 * every line); false when it read fewer than all three values (the end of the table).
 */
export function readRecord(s: Scanner, tcp: string[], udp: string[]): boolean {
  const port = s.unsigned(64);
  if (port < 0) return false;
  s.skipSpace();
  const proto = s.field(3);
  if (proto === null) return false;
  s.skipSpace();
  if (s.field(Infinity) === null) return false;
  s.skipSpace();
  const desc = s.field(DESC_MAX);
  if (desc === null) return false;
  if (port > 65535) return true; // outside T2's table
  if (proto === "tcp") tcp[port] = desc;
  else if (proto === "udp") udp[port] = desc;
  return true;
}
