/**
 * Standard output as a byte sink for the report and `-w -` flow lines.
 *
 * @module
 */

import type { ByteSink } from "./byte_writer.ts";
import { OutputFileError, systemReason } from "./output_file.ts";

/**
 * Standard output. A closed pipe (`t2 ... | head`) takes the rest silently, so the run still
 * writes its files; any other write error (a full disk) is an {@linkcode OutputFileError}.
 */
export const stdoutSink: ByteSink = {
  writeSync(p: Uint8Array): number {
    try {
      return Deno.stdout.writeSync(p);
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) return p.length;
      throw new OutputFileError("write", "standard output", systemReason(e));
    }
  },
};
