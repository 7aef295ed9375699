/**
 * Standard output as a byte sink for the report and `-w -` flow lines.
 *
 * @module
 */

import type { ByteSink } from "./byte_writer.ts";
import { OutputFileError, systemReason } from "./output_file.ts";

/**
 * Standard output's reader went away while it held only output records (`t2 -r x -w - | head`):
 * the run ends at once, printing nothing more, with exit code 0 (the command's main catches it).
 */
export class StdoutClosed extends Error {
  override name = "StdoutClosed";
  constructor() {
    super("standard output was closed by its reader");
  }
}

let endRunWhenClosed = false;

/**
 * Whether a closed standard output ends the run ({@linkcode StdoutClosed}): set while standard
 * output holds only records (`-w -`). Otherwise (the report on standard output) a closed pipe
 * takes the rest silently, so the run still writes its files.
 */
export function endRunWhenStdoutCloses(on: boolean): void {
  endRunWhenClosed = on;
}

/**
 * Standard output. A closed pipe either ends the run or takes the rest silently (see
 * {@linkcode endRunWhenStdoutCloses}); any other write error (a full disk) is an
 * {@linkcode OutputFileError}.
 */
export const stdoutSink: ByteSink = {
  writeSync(p: Uint8Array): number {
    try {
      return Deno.stdout.writeSync(p);
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) {
        if (endRunWhenClosed) throw new StdoutClosed();
        return p.length;
      }
      throw new OutputFileError("write", "standard output", systemReason(e));
    }
  },
};
