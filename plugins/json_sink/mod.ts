/**
 * jsonSink (plugin 903): writes every flow as one JSON object per line to `PREFIX_flows.json`
 * (spec/plugins/jsonSink.md), byte for byte as T2 0.9.3: members in column order, keys as the
 * column names, `H` values and times as strings, floats as `%.17g`, repeating columns as arrays
 * (omitted when empty), strings escaped for JSON.
 *
 * Where the lines go: the file (split into numbered parts with `-W`, gzip-compressed with
 * `JSON_GZ_COMPRESS=1`) or, with `-w -`, standard output.
 *
 * @module
 */

import {
  type Column,
  ipv4Text,
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
import { jsonFloat } from "./json_number.ts";
import { type ChunkSink, gzipSink } from "./gzip_sink.ts";
import { selectedColumns } from "./select_file.ts";

/** The jsonSink plugin. */
export const jsonSink: PluginDefinition = {
  name: "jsonSink",
  number: 903,
  version: "0.9.3",
  settings: {
    JSON_SUFFIX: {
      type: "string",
      default: "_flows.json",
      description: "Suffix of the JSON flow file",
    },
    JSON_GZ_COMPRESS: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "1: gzip the output (the file name gets .gz)",
    },
    JSON_ROOT_NODE: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "1: wrap the objects of a file in one array ([, then ,{...} lines, then ])",
    },
    JSON_SUPPRESS_EMPTY_ARRAY: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: omit repeating columns without repetitions; 0: write them as []",
    },
    JSON_NO_SPACES: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: no space after , and :",
    },
    JSON_SELECT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "1: write only the columns named in JSON_SELECT_FILE",
    },
    JSON_SELECT_FILE: {
      type: "string",
      default: "json-columns.txt",
      description: "Column names to write with JSON_SELECT=1, one per line (# lines ignored)",
    },
    JSON_SPLIT: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: honour -W (split the file into numbered parts like txtSink)",
    },
    JSON_SPLIT_SIZE: {
      type: "float",
      default: -1,
      min: -1,
      description: "-W: start the next part (PREFIX_flows.jsonN) once this many bytes " +
        "(flows with JSON_SPLIT_FLOWS=1) are written; -1: one file",
    },
    JSON_SPLIT_FLOWS: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "-W SIZE ending in f: JSON_SPLIT_SIZE counts flows, not bytes",
    },
    JSON_SPLIT_START: {
      type: "int",
      default: 0,
      min: 0,
      description: "-W ...,START: index of the first part",
    },
    JSON_FLOWS_STDOUT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "-w -: write the JSON lines to standard output instead of a file",
    },
  },
  create: (ctx) => new JsonSink(ctx),
};

/** Text is collected in strings and written once this many characters are pending. */
const FLUSH_CHARS = 1 << 18;

const HEX = "0123456789abcdef";

class JsonSink implements PluginHooks {
  readonly #ctx: PluginContext;
  /** Per column: its value tags. */
  #plan: Uint8Array[] = [];
  #planFor: readonly Column[] | null = null;
  /** JSON_SELECT=1: the column names to write. */
  #chosen: Set<string> | null = null;
  /** Per column: whether it is written. */
  #written: boolean[] = [];
  #keys: string[] = [];
  #sep = ",";
  #colon = ":";
  #suppressEmpty = true;
  #rootNode = false;
  #gzip = false;
  #toStdout = false;
  /** `-W`: split limit (bytes or flows), or -1. */
  #splitAt = -1;
  #splitFlows = false;
  #fileIndex = 0;
  #fileName = "";
  #sink: ChunkSink | null = null;
  /** Lines (and `[`/`]`) not yet written, and their total length in characters. */
  #pending: string[] = [];
  #pendingChars = 0;
  /** Bytes and lines in the current part (for `-W`). */
  #partBytes = 0;
  #partFlows = 0;
  readonly #encoder = new TextEncoder();

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
  }

  init(): void {
    const ctx = this.#ctx;
    if (ctx.num("JSON_NO_SPACES") === 0) {
      this.#sep = ", ";
      this.#colon = ": ";
    }
    this.#suppressEmpty = ctx.num("JSON_SUPPRESS_EMPTY_ARRAY") === 1;
    this.#rootNode = ctx.num("JSON_ROOT_NODE") === 1;
    this.#gzip = ctx.num("JSON_GZ_COMPRESS") === 1;
    this.#toStdout = ctx.num("JSON_FLOWS_STDOUT") === 1;
    if (ctx.num("JSON_SELECT") === 1) {
      const file = String(ctx.setting("JSON_SELECT_FILE"));
      try {
        this.#chosen = selectedColumns(Deno.readTextFileSync(file));
      } catch (e) {
        ctx.fail(`jsonSink: Failed to open file '${file}': ${reason(e)}`);
      }
    }
    this.#planColumns(ctx.columns());
    this.#fileName = ctx.outputPrefix + String(ctx.setting("JSON_SUFFIX")) +
      (this.#gzip ? ".gz" : "");
    const size = ctx.num("JSON_SPLIT_SIZE");
    if (!this.#toStdout && ctx.num("JSON_SPLIT") === 1 && size >= 0) {
      // As txtSink: the size is truncated to an integer, parts are numbered from START.
      this.#splitAt = Math.floor(size);
      this.#splitFlows = ctx.num("JSON_SPLIT_FLOWS") === 1;
      this.#fileIndex = ctx.num("JSON_SPLIT_START");
    }
    this.#openPart();
  }

  /** Look the columns' tags, keys and selection up once, not per flow. */
  #planColumns(columns: readonly Column[]): void {
    const chosen = this.#chosen;
    this.#planFor = columns;
    this.#plan = columns.map((c) => Uint8Array.from(c.types, (t: ValueType) => tagOf(t)));
    this.#keys = columns.map((c) => `"${c.name}"${this.#colon}`);
    this.#written = columns.map((c) => chosen === null || chosen.has(c.name));
  }

  #openPart(): void {
    let target: { writeSync(p: Uint8Array): number; close?(): void };
    if (this.#toStdout) target = stdoutSink;
    else {
      const name = this.#splitAt < 0 ? this.#fileName : this.#fileName + this.#fileIndex;
      target = openOutputFile(name);
    }
    this.#sink = this.#gzip ? gzipSink(target) : plainSink(target);
    this.#partBytes = 0;
    this.#partFlows = 0;
    if (this.#rootNode) this.#push("[\n");
  }

  #closePart(): void {
    if (this.#rootNode) this.#push("]\n");
    this.#flush();
    this.#sink?.close();
    this.#sink = null;
  }

  #push(text: string): void {
    this.#pending.push(text);
    this.#pendingChars += text.length;
    if (this.#splitAt >= 0 && !this.#splitFlows) {
      this.#partBytes += this.#encoder.encode(text).length;
    }
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#sink!.write(this.#encoder.encode(this.#pending.join("")));
    this.#pending.length = 0;
    this.#pendingChars = 0;
  }

  bufferToSink(out: OutputBuffer, columns: readonly Column[]): void {
    try {
      this.#write(out, columns);
    } catch (e) {
      if (e instanceof ValueError) this.#ctx.fail(`jsonSink: ${e.message}`);
      throw e;
    }
  }

  #write(out: OutputBuffer, columns: readonly Column[]): void {
    if (this.#planFor !== columns) this.#planColumns(columns);
    const plan = this.#plan;
    const written = this.#written;
    const sep = this.#sep;
    let line = this.#rootNode && this.#partFlows > 0 ? ",{" : "{";
    let first = true;
    let at = 0;
    for (let ci = 0; ci < columns.length; ci++) {
      const col = columns[ci];
      const tags = plan[ci];
      let text: string;
      if (col.repeat) {
        at = expect(out, at, Tag.REPEAT, col);
        const count = out.nums[at - 1];
        if (count === 0 && this.#suppressEmpty) continue;
        text = "[";
        for (let r = 0; r < count; r++) {
          if (r) text += sep;
          const v = this.#compound(out, at, tags, col);
          at = v.next;
          text += v.text;
        }
        text += "]";
      } else {
        const v = this.#compound(out, at, tags, col);
        at = v.next;
        text = v.text;
      }
      if (!written[ci]) continue;
      if (!first) line += sep;
      first = false;
      line += this.#keys[ci] + text;
    }
    if (at !== out.length) {
      throw new ValueError(
        `the flow has ${out.length - at} value slot(s) more than its columns declare`,
      );
    }
    line += "}\n";
    this.#push(line);
    this.#partFlows++;
    if (this.#pendingChars >= FLUSH_CHARS) this.#flush();
    if (this.#splitAt >= 0) {
      const reached = this.#splitFlows
        ? this.#partFlows >= this.#splitAt
        : this.#partBytes >= this.#splitAt;
      if (reached) {
        this.#closePart();
        this.#fileIndex++;
        this.#openPart();
      }
    }
  }

  /** One value of a column (`[a,b,c]` for several types); returns it and the next slot. */
  #compound(
    out: OutputBuffer,
    at: number,
    tags: Uint8Array,
    col: Column,
  ): { text: string; next: number } {
    if (tags.length === 1) {
      const next = expect(out, at, tags[0], col);
      return { text: valueText(out, at, tags[0]), next };
    }
    let text = "[";
    for (let ti = 0; ti < tags.length; ti++) {
      if (ti) text += this.#sep;
      const next = expect(out, at, tags[ti], col);
      text += valueText(out, at, tags[ti]);
      at = next;
    }
    return { text: text + "]", next: at };
  }

  finalize(): void {
    if (this.#sink) this.#closePart();
  }
}

/** A flow whose values do not fit its columns (a plugin's bug): the run stops with it. */
class ValueError extends Error {}

/** Check the tag at `at`; returns the slot after the value. */
function expect(out: OutputBuffer, at: number, tag: number, col: Column): number {
  if (at >= out.length || out.tags[at] !== tag) {
    const got = at >= out.length ? "nothing" : tagName(out.tags[at]);
    throw new ValueError(
      `column ${col.name} (plugin ${col.owner}): expected ${tagName(tag)}, got ${got}`,
    );
  }
  return at + slotsOf(tag);
}

/** JSON text of one value (spec §3). */
function valueText(out: OutputBuffer, at: number, tag: number): string {
  const v = out.nums[at];
  switch (tag) {
    case Tag.DIR:
      return v === 0 ? '"A"' : '"B"';
    case Tag.I8:
    case Tag.I16:
    case Tag.I32:
    case Tag.I64:
    case Tag.U8:
    case Tag.U16:
    case Tag.U32:
    case Tag.U64:
      return String(v);
    case Tag.H8:
      return '"0x' + hex(v, 2) + '"';
    case Tag.H16:
      return '"0x' + hex(v, 4) + '"';
    case Tag.H32:
      return '"0x' + hex(v, 8) + '"';
    case Tag.H64:
      return '"0x' + hex(out.nums[at + 1], 8) + hex(v, 8) + '"';
    case Tag.F:
    case Tag.D:
      return jsonFloat(v);
    case Tag.C:
      return '"' + String.fromCharCode(v) + '"';
    case Tag.S:
    case Tag.SC:
      return '"' + sanitizeText(out.strs[v], "json") + '"';
    case Tag.TIME:
    case Tag.DURATION:
      return '"' + v + "." + String(out.nums[at + 1]).padStart(9, "0") + '"';
    case Tag.MAC: {
      const lo = out.nums[at + 1];
      return '"' + HEX2[v >>> 8] + ":" + HEX2[v & 255] + ":" + HEX2[lo >>> 24] + ":" +
        HEX2[(lo >>> 16) & 255] + ":" + HEX2[(lo >>> 8) & 255] + ":" + HEX2[lo & 255] + '"';
    }
    case Tag.IP4:
      return '"' + ipv4Text(v) + '"';
    case Tag.IP6:
      return '"' + ipWordsText(6, out.nums, at) + '"';
    case Tag.IPX:
      return '"' + (v === 4 ? ipv4Text(out.nums[at + 1]) : ipWordsText(v, out.nums, at + 1)) +
        '"';
  }
  throw new ValueError(`unhandled output type ${tagName(tag)}`);
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);

/** Lower-case hex of `v` (< 2^32), zero-padded to `width` digits. */
function hex(v: number, width: number): string {
  return (v >>> 0).toString(16).padStart(width, "0");
}

/** A file or standard output as a {@linkcode ChunkSink}. */
function plainSink(target: { writeSync(p: Uint8Array): number; close?(): void }): ChunkSink {
  return {
    write(p: Uint8Array): void {
      let off = 0;
      while (off < p.length) off += target.writeSync(p.subarray(off));
    },
    close(): void {
      target.close?.();
    },
  };
}

function reason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  return (e as Error).message;
}
