/**
 * txtSink (plugin 901): writes `PREFIX_flows.txt` (one tab-separated line per flow) and
 * `PREFIX_headers.txt` (column numbers, types, names, descriptions), formatting values by
 * their declared types (spec/formats.md §2-§3). It is the only place flow values become text.
 *
 * @module
 */

import {
  type ByteSink,
  ByteWriter,
  type Column,
  ColumnMismatchError,
  columnTypeText,
  dateText,
  FLOW_INDEX_SLOT,
  ipWordsText,
  openOutputFile,
  type OutputBuffer,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  sanitizeText,
  slotsOf,
  stdoutSink,
  Tag,
  tagName,
  tagOf,
  type ValueType,
} from "../../mod.ts";

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
    TFS_SPLIT_SIZE: {
      type: "float",
      default: -1,
      min: -1,
      description: "-W: start the next flow file (PREFIX_flows.txtN) once this many bytes " +
        "(flows with TFS_SPLIT_FLOWS=1) are written; -1: one flow file",
    },
    TFS_SPLIT_FLOWS: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "-W SIZE ending in f: TFS_SPLIT_SIZE counts flows, not bytes",
    },
    TFS_SPLIT_START: {
      type: "int",
      default: 0,
      min: 0,
      description: "-W ...,START: index of the first flow file",
    },
    TFS_FLOWS_STDOUT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "-w -: write the flow lines to standard output",
    },
  },
  create: (ctx) => new TxtSink(ctx),
  // The line depends on the values alone: shards of a run over several threads format it.
  flowLine: (out, columns, w) => shardLines.format(out, columns, w),
};

/** Where the flow lines go: a file (switched when `-W` splits) or standard output. */
class FlowSink implements ByteSink {
  target: ByteSink & { close?(): void };

  constructor(target: ByteSink & { close?(): void }) {
    this.target = target;
  }

  writeSync(p: Uint8Array): number {
    return this.target.writeSync(p);
  }
}

class TxtSink implements PluginHooks {
  readonly #ctx: PluginContext;
  #flows: ByteWriter | null = null;
  #sink: FlowSink | null = null;
  readonly #lines = new TxtLine();
  /** `-W`: split limit (bytes or flows), or -1. */
  #splitAt = -1;
  #splitFlows = false;
  #fileIndex = 0;
  #fileName = "";
  /** Bytes written before the current file was opened; flows in it. */
  #fileStart = 0;
  #fileFlows = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
  }

  init(): void {
    const ctx = this.#ctx;
    const columns = ctx.columns();
    const prefix = ctx.outputPrefix;
    this.#fileName = prefix + String(ctx.setting("TFS_FLOWS_TXT_SUFFIX"));
    if (ctx.num("TFS_FLOWS_STDOUT") === 1) {
      this.#sink = new FlowSink(stdoutSink);
    } else {
      const size = ctx.num("TFS_SPLIT_SIZE");
      if (size >= 0) {
        // T2 truncates the size to an integer and numbers the files from START.
        this.#splitAt = Math.floor(size);
        this.#splitFlows = ctx.num("TFS_SPLIT_FLOWS") === 1;
        this.#fileIndex = ctx.num("TFS_SPLIT_START");
      }
      this.#sink = new FlowSink(openOutputFile(this.#currentName()));
    }
    // 256 KiB: a flow file is written in as few calls as matter, and the buffer counts in the
    // peak RSS (1 MiB cost 0.75 MiB more and gained nothing).
    this.#flows = new ByteWriter(this.#sink, 1 << 18);
    this.#flows.text("%" + columns.map((c) => c.name).join("\t") + "\n");
    this.#writeHeaders(columns);
  }

  #currentName(): string {
    return this.#splitAt < 0 ? this.#fileName : this.#fileName + this.#fileIndex;
  }

  /** `-W`: after a flow line, move on to the next file once the limit is reached. */
  #afterFlow(w: ByteWriter): void {
    const reached = this.#splitFlows
      ? ++this.#fileFlows >= this.#splitAt
      : w.written - this.#fileStart >= this.#splitAt;
    if (!reached) return;
    w.flush();
    this.#sink!.target.close?.();
    this.#fileIndex++;
    this.#sink!.target = openOutputFile(this.#currentName());
    this.#fileStart = w.written;
    this.#fileFlows = 0;
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
    const f = ctx.summaryFile(String(ctx.setting("TFS_HEADER_SUFFIX")));
    f.text(lines.join("\n") + "\n");
    f.close();
  }

  bufferToSink(out: OutputBuffer, columns: readonly Column[]): void {
    const w = this.#flows!;
    this.#lines.format(out, columns, w);
    if (this.#splitAt >= 0) this.#afterFlow(w);
  }

  writeFlowLine(line: Uint8Array, start: number, end: number): void {
    const w = this.#flows!;
    w.bytes(line, start, end);
    if (this.#splitAt >= 0) this.#afterFlow(w);
  }

  finalize(): void {
    this.#flows?.flush();
    this.#sink?.target.close?.();
  }
}

/** Formats flow lines (one per sink, and one for the shards of a run over several threads). */
class TxtLine {
  readonly #macBytes = new Uint8Array(6);
  /** Per column, the tags of its value types (see {@linkcode columnTags}). */
  #plan: Uint8Array[] = [];
  #planFor: readonly Column[] | null = null;
  #findexAt = -1;

  /** One flow line into `w`; returns `w.written` where the flow index begins (or -1). */
  format(out: OutputBuffer, columns: readonly Column[], w: ByteWriter): number {
    if (this.#planFor !== columns) {
      this.#planFor = columns;
      this.#plan = columns.map(columnTags);
    }
    this.#findexAt = -1;
    const plan = this.#plan;
    let at = 0;
    for (let ci = 0; ci < columns.length; ci++) {
      const tags = plan[ci];
      if (ci) w.tab();
      if (columns[ci].repeat) {
        at = this.#expect(out, at, Tag.REPEAT, columns[ci], "repetition count");
        const count = out.nums[at - 1];
        for (let r = 0; r < count; r++) {
          if (r) w.byte(59); // ';'
          at = this.#values(w, out, at, tags, columns[ci]);
        }
      } else {
        at = this.#values(w, out, at, tags, columns[ci]);
      }
    }
    if (at !== out.length) {
      throw new ColumnMismatchError(
        `Flow output has ${out.length - at} value slot(s) more than the declared columns ` +
          `(last column: ${columns[columns.length - 1]?.name})`,
      );
    }
    w.byte(10);
    return this.#findexAt;
  }

  /** Check the tag at `at`; returns the position after the value. */
  #expect(out: OutputBuffer, at: number, tag: number, col: Column, what: string): number {
    if (at >= out.length || out.tags[at] !== tag) {
      const got = at >= out.length ? "nothing" : tagName(out.tags[at]);
      throw new ColumnMismatchError(
        `Column ${col.name} (plugin ${col.owner}): expected ${what} ${tagName(tag)}, got ${got}`,
      );
    }
    return at + slotsOf(tag);
  }

  /** Write the (compound) value of a column; returns the position after it. */
  #values(w: ByteWriter, out: OutputBuffer, at: number, tags: Uint8Array, col: Column): number {
    for (let ti = 0; ti < tags.length; ti++) {
      if (ti) w.byte(95); // '_'
      const tag = tags[ti];
      const next = this.#expect(out, at, tag, col, "type");
      if (at === FLOW_INDEX_SLOT && tag === Tag.U64) this.#findexAt = w.written;
      this.#value(w, out, at, tag);
      at = next;
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
        hexValue(w, v, 2);
        return;
      case Tag.H16:
        hexValue(w, v, 4);
        return;
      case Tag.H32:
        hexValue(w, v, 8);
        return;
      case Tag.H64:
        hexValue(w, out.nums[at + 1], 8);
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
        const b = this.#macBytes;
        const hi = v;
        const lo = out.nums[at + 1];
        b[0] = hi >>> 8;
        b[1] = hi & 255;
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

const shardLines = new TxtLine();

/** `0x` and `v` in hex, zero-padded to `width` digits. */
function hexValue(w: ByteWriter, v: number, width: number): void {
  w.byte(48);
  w.byte(120);
  w.hex(v, width);
}

/** The tags of a column's value types, looked up once instead of per value. */
function columnTags(col: Column): Uint8Array {
  return Uint8Array.from(col.types, (t: ValueType) => tagOf(t));
}

function hwInfo(): string {
  const os = Deno.build.os === "linux" ? "Linux" : Deno.build.os;
  return `${Deno.env.get("HOSTNAME") ?? "host"};${os};${Deno.build.arch}`;
}
