/**
 * A reader of text tables that follows C's `scanf` conversions, as T2 reads its data files
 * (`%u`, `%3s`, `%[^\n\t]`, a blank in the format skipping any run of white space). The
 * plugins' table parsers are written with it so that odd lines come out as they do in T2.
 *
 * @module
 */

/** C's `isspace` in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A position in a text, read forward with scanf-like conversions. */
export class Scanner {
  /** The text. */
  readonly text: string;
  /** Index of the next character. */
  pos: number;

  /** Read `text` from index `pos`. */
  constructor(text: string, pos = 0) {
    this.text = text;
    this.pos = pos;
  }

  /** Whether the whole text has been read. */
  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** A white-space directive (` `, `\t`, `\n` in a format): skip any white space, even none. */
  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length && isSpace(t.charCodeAt(this.pos))) this.pos++;
  }

  /**
   * `%u` / `%lu`: skip white space, read an optional sign and decimal digits; the value
   * (a negative one wraps as in C, a huge one saturates), or -1 when no digit follows.
   */
  unsigned(bits: 32 | 64): number {
    this.skipSpace();
    const t = this.text;
    let i = this.pos;
    let negative = false;
    if (t[i] === "+" || t[i] === "-") negative = t[i++] === "-";
    const start = i;
    let v = 0;
    while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) {
      v = v * 10 + t.charCodeAt(i) - 48;
      i++;
    }
    if (i === start) return -1;
    this.pos = i;
    const range = 2 ** bits;
    if (v >= range) return range - 1;
    return negative && v !== 0 ? range - v : v;
  }

  /** `%<max>s`: skip white space, read 1 to `max` non-blank characters; null when none. */
  word(max: number): string | null {
    this.skipSpace();
    const t = this.text;
    const start = this.pos;
    let i = start;
    while (i < t.length && i - start < max && !isSpace(t.charCodeAt(i))) i++;
    if (i === start) return null;
    this.pos = i;
    return t.slice(start, i);
  }

  /**
   * `%<max>[^\n\t]` (no white space skipped before it): read 1 to `max` characters up to a
   * newline or tab; null when none.
   */
  field(max: number): string | null {
    const t = this.text;
    const start = this.pos;
    let i = start;
    while (i < t.length && i - start < max) {
      const c = t.charCodeAt(i);
      if (c === 10 || c === 9) break;
      i++;
    }
    if (i === start) return null;
    this.pos = i;
    return t.slice(start, i);
  }
}
