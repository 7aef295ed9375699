/**
 * txtSink (plugin 901): writes `PREFIX_flows.txt` (one tab-separated line per flow) and
 * `PREFIX_headers.txt` (column numbers, types, names, descriptions), formatting values by
 * their declared types (spec/formats.md §2-§3). It is the only place flow values become text.
 *
 * @module
 */

import type { PluginContext, PluginDefinition, PluginHooks } from "../../src/plugin/api.ts";
import { type Column, columnTypeText, type ValueType } from "../../src/plugin/columns.ts";
import { type OutputBuffer, slotsOf, Tag, tagName, tagOf } from "../../src/plugin/output_buffer.ts";
import { ByteWriter } from "../../src/output/byte_writer.ts";
import { formatF, formatG7 } from "../../src/output/printf.ts";
import { sanitizeText } from "../../src/output/escape.ts";
import { macText } from "../../src/output/ip_text.ts";
import { ipWordsText } from "../../src/output/ip_words.ts";
import { dateText } from "../../src/output/time_text.ts";
import { openOutputFile } from "../../src/output/output_file.ts";

/** The txtSink plugin. */
export const txtSink: PluginDefinition = {
  name: "txtSink",
  number: 901,
  version: "0.9.3",
  settings: {
    TFS_FLOWS_TXT_SUFFIX: {
      type: "string",
      default: "_flows.txt",
      description: "Suffix of the flow file",
    },
    TFS_HEADER_SUFFIX: {
      type: "string",
      default: "_headers.txt",
      description: "Suffix of the column description file",
    },
  },
  create: (ctx) => new TxtSink(ctx),
};

class TxtSink implements PluginHooks {
  readonly #ctx: PluginContext;
  #flows: ByteWriter | null = null;
  #close: (() => void) | null = null;
  readonly #macBytes = new Uint8Array(6);

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
  }

  init(): void {
    const ctx = this.#ctx;
    const columns = ctx.columns();
    const prefix = ctx.outputPrefix;
    const f = openOutputFile(prefix + String(ctx.setting("TFS_FLOWS_TXT_SUFFIX")));
    this.#flows = new ByteWriter(f, 1 << 20);
    this.#close = () => f.close();
    this.#flows.text("%" + columns.map((c) => c.name).join("\t") + "\n");
    this.#writeHeaders(columns);
  }

  #writeHeaders(columns: readonly Column[]): void {
    const ctx = this.#ctx;
    const run = ctx.run;
    const lines: string[] = [];
    const ms = run.startWallTime.getTime();
    const sec = Math.floor(ms / 1000);
    lines.push(`# Date: ${dateText(sec, (ms - sec * 1000) * 1000, false)}`);
    lines.push(`# ${run.version}`);
    lines.push("# Core configuration: L2, IPv4, IPv6");
    lines.push(`# SensorID: ${run.sensorId}`);
    lines.push(`# PID: ${Deno.pid}`);
    lines.push("# Priority: 0");
    lines.push(`# Command line: ${run.commandLine}`);
    lines.push(`# HW info: ${hwInfo()}`);
    lines.push(`# SW info: deno ${Deno.version.deno}`);
    lines.push("#");
    lines.push("# Plugins loaded:");
    ctx.plugins.forEach((p, i) => {
      lines.push(`#   ${String(i + 1).padStart(2, "0")}: ${p.name}, version ${p.version}`);
    });
    lines.push("#");
    lines.push("# Col No.\tType\tName\tDescription");
    columns.forEach((c, i) => {
      lines.push(`${i + 1}\t${columnTypeText(c)}\t${c.name}\t${c.description}`);
    });
    const f = openOutputFile(ctx.outputPrefix + String(ctx.setting("TFS_HEADER_SUFFIX")));
    const w = new ByteWriter(f, 1 << 16);
    w.text(lines.join("\n") + "\n");
    w.flush();
    f.close();
  }

  bufferToSink(out: OutputBuffer, columns: readonly Column[]): void {
    const w = this.#flows!;
    let at = 0;
    for (let ci = 0; ci < columns.length; ci++) {
      const col = columns[ci];
      if (ci) w.tab();
      if (col.repeat) {
        at = this.#expect(out, at, Tag.REPEAT, col, "repetition count");
        const count = out.nums[at - 1];
        for (let r = 0; r < count; r++) {
          if (r) w.byte(59); // ';'
          at = this.#values(w, out, at, col);
        }
      } else {
        at = this.#values(w, out, at, col);
      }
    }
    if (at !== out.length) {
      throw new Error(
        `Flow output has ${out.length - at} value slot(s) more than the declared columns ` +
          `(last column: ${columns[columns.length - 1]?.name})`,
      );
    }
    w.byte(10);
  }

  /** Check the tag at `at`; returns the position after the value. */
  #expect(out: OutputBuffer, at: number, tag: number, col: Column, what: string): number {
    if (at >= out.length || out.tags[at] !== tag) {
      const got = at >= out.length ? "nothing" : tagName(out.tags[at]);
      throw new Error(
        `Column ${col.name} (plugin ${col.owner}): expected ${what} ${tagName(tag)}, got ${got}`,
      );
    }
    return at + slotsOf(tag);
  }

  /** Write the (compound) value of a column; returns the position after it. */
  #values(w: ByteWriter, out: OutputBuffer, at: number, col: Column): number {
    for (let ti = 0; ti < col.types.length; ti++) {
      if (ti) w.byte(95); // '_'
      const t: ValueType = col.types[ti];
      const next = this.#expect(out, at, tagOf(t), col, "type");
      this.#value(w, out, at, t);
      at = next;
    }
    return at;
  }

  #value(w: ByteWriter, out: OutputBuffer, at: number, t: ValueType): void {
    const v = out.nums[at];
    switch (t) {
      case "DIR":
        w.byte(v === 0 ? 65 : 66);
        return;
      case "I8":
      case "I16":
      case "I32":
      case "I64":
        w.int(v);
        return;
      case "U8":
      case "U16":
      case "U32":
      case "U64":
        w.uint(v);
        return;
      case "H8":
        w.text("0x");
        w.hex(v, 2);
        return;
      case "H16":
        w.text("0x");
        w.hex(v, 4);
        return;
      case "H32":
        w.text("0x");
        w.hex(v, 8);
        return;
      case "H64":
        w.text("0x");
        w.hex(out.nums[at + 1], 8);
        w.hex(v, 8);
        return;
      case "F":
        w.text(formatG7(v));
        return;
      case "D":
        w.text(formatF(v));
        return;
      case "C":
        w.byte(v);
        return;
      case "S":
        w.text('"' + sanitizeText(out.strs[v]) + '"');
        return;
      case "SC":
        w.text(sanitizeText(out.strs[v]));
        return;
      case "TIME":
      case "DURATION":
        w.uint(v);
        w.byte(46);
        w.uintPadded(out.nums[at + 1], 9);
        return;
      case "MAC": {
        const b = this.#macBytes;
        const hi = v;
        const lo = out.nums[at + 1];
        b[0] = hi >>> 8;
        b[1] = hi & 255;
        b[2] = lo >>> 24;
        b[3] = (lo >>> 16) & 255;
        b[4] = (lo >>> 8) & 255;
        b[5] = lo & 255;
        w.text(macText(b, 0));
        return;
      }
      case "IP4":
        w.text(ipWordsText(4, out.nums, at));
        return;
      case "IP6":
        w.text(ipWordsText(6, out.nums, at));
        return;
      case "IPX":
        w.text(ipWordsText(v, out.nums, at + 1));
        return;
    }
  }

  finalize(): void {
    this.#flows?.flush();
    this.#close?.();
  }
}

function hwInfo(): string {
  const os = Deno.build.os === "linux" ? "Linux" : Deno.build.os;
  return `${Deno.env.get("HOSTNAME") ?? "host"};${os};${Deno.build.arch}`;
}
