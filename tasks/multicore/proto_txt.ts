/**
 * PROTOTYPE (issue 15): txtSink's line formatting (plugins/txt_sink/mod.ts, without its checks
 * of the declared types) into any ByteWriter, so that a shard worker can format its rows as
 * text and the merge only copies them (rows "as text" against rows "as binary slots").
 *
 * @module
 */

import {
  type ByteWriter,
  type Column,
  ipWordsText,
  type OutputBuffer,
  sanitizeText,
  slotsOf,
  Tag,
  tagOf,
  type ValueType,
} from "../../mod.ts";

/** Formats flow rows as txtSink does. */
export class RowText {
  #plan: Uint8Array[] = [];
  readonly #mac = new Uint8Array(6);

  /** Write one row (with its newline). */
  format(w: ByteWriter, out: OutputBuffer, columns: readonly Column[]): void {
    if (this.#plan.length !== columns.length) {
      this.#plan = columns.map((c) => Uint8Array.from(c.types, (t: ValueType) => tagOf(t)));
    }
    const plan = this.#plan;
    let at = 0;
    for (let ci = 0; ci < columns.length; ci++) {
      const tags = plan[ci];
      if (ci) w.tab();
      if (columns[ci].repeat) {
        const count = out.nums[at];
        at += 1;
        for (let r = 0; r < count; r++) {
          if (r) w.byte(59);
          at = this.#values(w, out, at, tags);
        }
      } else at = this.#values(w, out, at, tags);
    }
    w.byte(10);
  }

  #values(w: ByteWriter, out: OutputBuffer, at: number, tags: Uint8Array): number {
    for (let ti = 0; ti < tags.length; ti++) {
      if (ti) w.byte(95);
      const tag = tags[ti];
      this.#value(w, out, at, tag);
      at += slotsOf(tag);
    }
    return at;
  }

  #value(w: ByteWriter, out: OutputBuffer, at: number, tag: number): void {
    const v = out.nums[at];
    switch (tag) {
      case Tag.DIR:
        w.byte(v === 0 ? 65 : 66);
        return;
      case Tag.I8:
      case Tag.I16:
      case Tag.I32:
      case Tag.I64:
        w.int(v);
        return;
      case Tag.U8:
      case Tag.U16:
      case Tag.U32:
      case Tag.U64:
        w.uint(v);
        return;
      case Tag.H8:
        hex(w, v, 2);
        return;
      case Tag.H16:
        hex(w, v, 4);
        return;
      case Tag.H32:
        hex(w, v, 8);
        return;
      case Tag.H64:
        hex(w, out.nums[at + 1], 8);
        w.hex(v, 8);
        return;
      case Tag.F:
        w.g7(v);
        return;
      case Tag.D:
        w.fixed(v, 6);
        return;
      case Tag.C:
        w.byte(v);
        return;
      case Tag.S:
        w.byte(34);
        w.text(sanitizeText(out.strs[v]));
        w.byte(34);
        return;
      case Tag.SC:
        w.text(sanitizeText(out.strs[v]));
        return;
      case Tag.TIME:
      case Tag.DURATION:
        w.uint(v);
        w.byte(46);
        w.uintPadded(out.nums[at + 1], 9);
        return;
      case Tag.MAC: {
        const b = this.#mac;
        const lo = out.nums[at + 1];
        b[0] = v >>> 8;
        b[1] = v & 255;
        b[2] = lo >>> 24;
        b[3] = (lo >>> 16) & 255;
        b[4] = (lo >>> 8) & 255;
        b[5] = lo & 255;
        w.mac(b, 0);
        return;
      }
      case Tag.IP4:
        w.ipv4(v);
        return;
      case Tag.IP6:
        w.text(ipWordsText(6, out.nums, at));
        return;
      case Tag.IPX:
        if (v === 4) w.ipv4(out.nums[at + 1]);
        else w.text(ipWordsText(v, out.nums, at + 1));
        return;
    }
  }
}

function hex(w: ByteWriter, v: number, width: number): void {
  w.byte(48);
  w.byte(120);
  w.hex(v, width);
}
