/**
 * The flow output buffer (T2's outputBuffer_t): plugins append typed values in the order of
 * their declared columns; sinks read them back with {@linkcode OutputReader}. Every value
 * carries its type so a sink can report a plugin that appends something else than it
 * declared, instead of printing shifted columns.
 *
 * @module
 */

import type { ValueType } from "./columns.ts";

/** Type tags stored beside the values. */
export const Tag = {
  I8: 1,
  I16: 2,
  I32: 3,
  I64: 4,
  U8: 5,
  U16: 6,
  U32: 7,
  U64: 8,
  H8: 9,
  H16: 10,
  H32: 11,
  H64: 12,
  F: 13,
  D: 14,
  C: 15,
  S: 16,
  SC: 17,
  TIME: 18,
  DURATION: 19,
  MAC: 20,
  IP4: 21,
  IP6: 22,
  IPX: 23,
  DIR: 24,
  REPEAT: 25,
} as const;

/** Tag of a declared value type. */
export function tagOf(t: ValueType): number {
  return Tag[t];
}

/** Name of a tag (for error messages). */
export function tagName(tag: number): string {
  for (const [k, v] of Object.entries(Tag)) if (v === tag) return k;
  return `?${tag}`;
}

/**
 * The slot of a flow line's flow index (`flowInd`, a U64): the core writes the direction
 * (slot 0) and the flow index first, before every plugin's values.
 */
export const FLOW_INDEX_SLOT = 1;

/**
 * Values of one flow line. In `onFlowTerminate` a plugin appends one value per declared column
 * with the method of the column's type (`h8` for `H8`, `u32` for `U32`, `f` for `F`, ...).
 */
export class OutputBuffer {
  /** Number slots; a value uses 1 (most types) to 5 (IPX) slots. */
  nums: Float64Array = new Float64Array(1024);
  /** Tag of each slot group (written at the first slot of a value). */
  tags: Uint8Array = new Uint8Array(1024);
  /** Strings referenced by S/SC values (entries past this line's strings are stale). */
  strs: string[] = [];
  #strCount = 0;
  /** Slots used. */
  length = 0;
  /** Numbers noted for the plugins' `onFlowWritten` (not printed). */
  notes: Float64Array = new Float64Array(64);
  /** Notes used. */
  noteCount = 0;

  /**
   * Note a number for this plugin's `onFlowWritten` (a run on several threads hands it the
   * line's notes in output order); not printed.
   */
  note(v: number): void {
    if (this.noteCount === this.notes.length) {
      const notes = new Float64Array(this.notes.length * 2);
      notes.set(this.notes);
      this.notes = notes;
    }
    this.notes[this.noteCount++] = v;
  }

  /** Fill the buffer with a line captured elsewhere (a shard's row): slots, tags, strings. */
  load(nums: Float64Array, tags: Uint8Array, strs: readonly string[]): void {
    this.reset();
    const at = this.#room(nums.length);
    this.nums.set(nums, at);
    this.tags.set(tags, at);
    for (let i = 0; i < strs.length; i++) this.#addStr(strs[i]);
  }

  /** Forget all values (after a line was written). */
  reset(): void {
    this.length = 0;
    this.noteCount = 0;
    // Not `strs.length = 0`: that frees the array's storage, and every line would allocate it
    // again. The stale entries are overwritten by the next lines.
    this.#strCount = 0;
  }

  /** Strings of this line (`strs[0..strCount)`). */
  get strCount(): number {
    return this.#strCount;
  }

  #addStr(s: string): number {
    const i = this.#strCount++;
    this.strs[i] = s;
    return i;
  }

  #room(n: number): number {
    const at = this.length;
    if (at + n > this.nums.length) {
      const size = Math.max(this.nums.length * 2, at + n);
      const nums = new Float64Array(size);
      nums.set(this.nums);
      this.nums = nums;
      const tags = new Uint8Array(size);
      tags.set(this.tags);
      this.tags = tags;
    }
    this.length = at + n;
    return at;
  }

  #one(tag: number, v: number): void {
    const at = this.#room(1);
    this.tags[at] = tag;
    this.nums[at] = v;
  }

  /** Flow direction: 0 → `A`, otherwise `B`. */
  dir(v: number): void {
    this.#one(Tag.DIR, v);
  }
  /** A signed 8-bit integer (`I8`). */
  i8(v: number): void {
    this.#one(Tag.I8, v);
  }
  /** A signed 16-bit integer (`I16`). */
  i16(v: number): void {
    this.#one(Tag.I16, v);
  }
  /** A signed 32-bit integer (`I32`). */
  i32(v: number): void {
    this.#one(Tag.I32, v);
  }
  /** A signed 64-bit integer (`I64`; exact up to 2^53). */
  i64(v: number): void {
    this.#one(Tag.I64, v);
  }
  /** An unsigned 8-bit integer (`U8`). */
  u8(v: number): void {
    this.#one(Tag.U8, v);
  }
  /** An unsigned 16-bit integer (`U16`). */
  u16(v: number): void {
    this.#one(Tag.U16, v);
  }
  /** An unsigned 32-bit integer (`U32`). */
  u32(v: number): void {
    this.#one(Tag.U32, v);
  }
  /** An unsigned 64-bit integer (`U64`; exact up to 2^53). */
  u64(v: number): void {
    this.#one(Tag.U64, v);
  }
  /** An 8-bit hexadecimal integer (`H8`: `0x` and two digits). */
  h8(v: number): void {
    this.#one(Tag.H8, v);
  }
  /** A 16-bit hexadecimal integer (`H16`: `0x` and four digits). */
  h16(v: number): void {
    this.#one(Tag.H16, v);
  }
  /** A 32-bit hexadecimal integer (`H32`: `0x` and eight digits). */
  h32(v: number): void {
    this.#one(Tag.H32, v);
  }
  /** 64-bit hexadecimal from its low and high 32-bit words. */
  h64(lo: number, hi: number): void {
    const at = this.#room(2);
    this.tags[at] = Tag.H64;
    this.nums[at] = lo >>> 0;
    this.nums[at + 1] = hi >>> 0;
  }
  /** float32 (printed with `%.7g`); the value is rounded to float32 here. */
  f(v: number): void {
    this.#one(Tag.F, Math.fround(v));
  }
  /** double (printed with `%f`). */
  d(v: number): void {
    this.#one(Tag.D, v);
  }
  /** A character code. */
  char(code: number): void {
    this.#one(Tag.C, code);
  }
  /** A string (printed quoted and sanitised). */
  str(s: string): void {
    this.#one(Tag.S, this.#addStr(s));
  }
  /** A string class (printed sanitised, without quotes). */
  strClass(s: string): void {
    this.#one(Tag.SC, this.#addStr(s));
  }
  /** A timestamp (`sec.nnnnnnnnn`). */
  time(sec: number, ns: number): void {
    const at = this.#room(2);
    this.tags[at] = Tag.TIME;
    this.nums[at] = sec;
    this.nums[at + 1] = ns;
  }
  /** A duration (`sec.nnnnnnnnn`). */
  duration(sec: number, ns: number): void {
    const at = this.#room(2);
    this.tags[at] = Tag.DURATION;
    this.nums[at] = sec;
    this.nums[at + 1] = ns;
  }
  /** A MAC address given as its first 2 bytes (`hi`) and last 4 bytes (`lo`), big-endian. */
  macWords(hi: number, lo: number): void {
    const at = this.#room(2);
    this.tags[at] = Tag.MAC;
    this.nums[at] = hi & 0xffff;
    this.nums[at + 1] = lo >>> 0;
  }
  /** A MAC address from 6 bytes. */
  mac(bytes: Uint8Array, off: number): void {
    const at = this.#room(2);
    this.tags[at] = Tag.MAC;
    this.nums[at] = (bytes[off] << 8) | bytes[off + 1];
    this.nums[at + 1] = ((bytes[off + 2] << 24) | (bytes[off + 3] << 16) |
      (bytes[off + 4] << 8) | bytes[off + 5]) >>> 0;
  }
  /** An IPv4 address (first octet most significant). */
  ip4(addr: number): void {
    this.#one(Tag.IP4, addr >>> 0);
  }
  /** An IPv6 address from four 32-bit words. */
  ip6(words: Uint32Array, off: number): void {
    const at = this.#room(4);
    this.tags[at] = Tag.IP6;
    for (let i = 0; i < 4; i++) this.nums[at + i] = words[off + i];
  }
  /** An IP address of version 4, 6 or 0 (printed `-`), from four 32-bit words. */
  ipx(version: number, words: Uint32Array, off: number): void {
    const at = this.#room(5);
    this.tags[at] = Tag.IPX;
    this.nums[at] = version;
    for (let i = 0; i < 4; i++) this.nums[at + 1 + i] = words[off + i];
  }
  /** Number of repetitions of a repeating column, before its values. */
  repeat(count: number): void {
    this.#one(Tag.REPEAT, count);
  }
}

/** Slots used by a value of each tag. */
export function slotsOf(tag: number): number {
  switch (tag) {
    case Tag.H64:
    case Tag.TIME:
    case Tag.DURATION:
    case Tag.MAC:
      return 2;
    case Tag.IP6:
      return 4;
    case Tag.IPX:
      return 5;
    default:
      return 1;
  }
}
