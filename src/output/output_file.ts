/**
 * Opening output files with T2's rules (directories on the way are created by the caller)
 * and errors that name the file.
 *
 * @module
 */

/** An open output file. */
export interface OutputFile {
  writeSync(p: Uint8Array): number;
  close(): void;
}

/** Error writing an output file (exit code 1). */
export class OutputFileError extends Error {
  override name = "OutputFileError";
}

/** Create (truncate) a file for writing; throws {@linkcode OutputFileError} naming it. */
export function openOutputFile(path: string): OutputFile {
  try {
    const f = Deno.openSync(path, { write: true, create: true, truncate: true });
    return {
      writeSync(p: Uint8Array): number {
        try {
          return f.writeSync(p);
        } catch (e) {
          throw new OutputFileError(`Cannot write "${path}": ${(e as Error).message}`);
        }
      },
      close: () => f.close(),
    };
  } catch (e) {
    if (e instanceof OutputFileError) throw e;
    throw new OutputFileError(`Cannot create "${path}": ${(e as Error).message}`);
  }
}
