/**
 * Writes T2's end report and in-run messages (spec/report.md §1): plain lines, `[INF]` and
 * `[WRN]` lines, plugin lines, and the number templates with human-readable suffixes.
 * T2 always emits ANSI colours; we colour only when asked (a terminal without NO_COLOR).
 *
 * @module
 */

import type { ByteWriter } from "./byte_writer.ts";
import { formatFixed } from "./printf.ts";
import { readableSuffix } from "./readable.ts";

const ESC = "\x1b";

/** Report line writer. */
export class ReportWriter {
  readonly #out: ByteWriter;
  readonly #color: boolean;

  /** Lines go to `out`; `color` turns on T2's ANSI colour codes. */
  constructor(out: ByteWriter, color: boolean) {
    this.#out = out;
    this.#color = color;
  }

  /** The underlying writer (to flush). */
  get writer(): ByteWriter {
    return this.#out;
  }

  #c(code: string): string {
    return this.#color ? `${ESC}[${code}m` : "";
  }

  /** A plain line. */
  line(text: string): void {
    this.#out.text(text + "\n");
  }

  /** `[INF] text` (blue). */
  info(text: string): void {
    this.line(`${this.#c("1;34")}[INF]${this.#c("0")} ${this.#c("0;34")}${text}${this.#c("0")}`);
  }

  /** `[WRN] text` (yellow). */
  warn(text: string): void {
    this.line(`${this.#c("1;33")}[WRN]${this.#c("0")} ${this.#c("0;33")}${text}${this.#c("0")}`);
  }

  /** `plugin: text` (plugin name in bold). */
  plugin(name: string, text: string): void {
    this.line(`${this.#c("1")}${name}:${this.#c("0")} ${text}`);
  }

  /** `[WRN] plugin: text`. */
  pluginWarn(name: string, text: string): void {
    this.line(
      `${this.#c("1;33")}[WRN] ${name}:${this.#c("0")} ${this.#c("0;33")}${text}${this.#c("0")}`,
    );
  }

  /** `[INF] plugin: text`. */
  pluginInfo(name: string, text: string): void {
    this.line(
      `${this.#c("1;34")}[INF] ${name}:${this.#c("0")} ${this.#c("0;34")}${text}${this.#c("0")}`,
    );
  }

  /** `label: v (H)` always. */
  num0(label: string, v: number): void {
    this.line(`${label}: ${Math.trunc(v)}${readableSuffix(v)}`);
  }

  /** `label: v (H)` when v > 0. */
  num(label: string, v: number): void {
    if (v > 0) this.num0(label, v);
  }

  /** `label: v (H) [p%]` when v > 0; p = 100·v/tot (0 when tot is 0). */
  numP(label: string, v: number, tot: number): void {
    if (v > 0) this.line(`${label}: ${Math.trunc(v)}${readableSuffix(v)} [${percent(v, tot)}%]`);
  }

  /** Plugin variant of {@linkcode numP}: `plugin: label: v (H) [p%]` when v > 0. */
  pluginNumP(name: string, label: string, v: number, tot: number): void {
    if (v > 0) {
      this.plugin(name, `${label}: ${Math.trunc(v)}${readableSuffix(v)} [${percent(v, tot)}%]`);
    }
  }
}

/** `%.2f` of 100·v/tot, 0 when tot is 0 (T2's percentage). */
export function percent(v: number, tot: number): string {
  return formatFixed(tot === 0 ? 0 : 100 * v / tot, 2);
}
