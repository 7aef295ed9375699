/**
 * A plugin's summary file (`PREFIX_protocols.txt`, `PREFIX_tcpwin.txt`, ...): created like the
 * flow file (same errors), written through a buffer, closed by the core after the plugin's
 * `finalize` if the plugin did not close it.
 *
 * @module
 */

import { ByteWriter } from "./byte_writer.ts";
import { openOutputFile, type OutputFile } from "./output_file.ts";

/** A text file next to the flow file, made by `PluginContext.summaryFile`. */
export interface SummaryFile {
  /** Its path: the output prefix followed by the suffix. */
  readonly path: string;
  /** Append text. */
  text(s: string): void;
  /** Append a line: `s` and a newline (an empty line without `s`). */
  line(s?: string): void;
  /** Write out what is buffered and close the file; later calls do nothing. */
  close(): void;
}

/**
 * Create (truncate) `path` and return it as a {@linkcode SummaryFile}; throws
 * `OutputFileError` naming the file when it cannot be created.
 *
 * @example
 * ```ts
 * import { openSummaryFile } from "./summary_file.ts";
 * import assert from "node:assert/strict";
 *
 * const path = Deno.makeTempFileSync();
 * const f = openSummaryFile(path);
 * f.line("# IP\tcount");
 * f.line("192.0.2.1\t3");
 * f.close();
 * assert.equal(Deno.readTextFileSync(path), "# IP\tcount\n192.0.2.1\t3\n");
 * Deno.removeSync(path);
 * ```
 */
export function openSummaryFile(path: string): SummaryFile {
  return new BufferedSummaryFile(path, openOutputFile(path));
}

class BufferedSummaryFile implements SummaryFile {
  readonly path: string;
  #file: OutputFile | null;
  readonly #w: ByteWriter;

  constructor(path: string, file: OutputFile) {
    this.path = path;
    this.#file = file;
    this.#w = new ByteWriter(file, 1 << 16);
  }

  text(s: string): void {
    if (!this.#file) throw new Error(`Cannot write "${this.path}": it is closed`);
    this.#w.text(s);
  }

  line(s = ""): void {
    this.text(s + "\n");
  }

  close(): void {
    const f = this.#file;
    if (!f) return;
    this.#file = null;
    try {
      this.#w.flush();
    } finally {
      f.close();
    }
  }
}
