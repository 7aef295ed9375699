/**
 * Opening output files with T2's rules (directories on the way are created by the caller)
 * and errors that name the file and say what the system refused, in the C library's words
 * (`No such file or directory`, `Not a directory`, `Permission denied`, `No space left on
 * device`, ...).
 *
 * @module
 */

/** An open output file. */
export interface OutputFile {
  /** Write the first bytes of `p` (at least one); returns how many were written. */
  writeSync(p: Uint8Array): number;
  /** Close the file (a second call does nothing). */
  close(): void;
  /** The file's path, when it is one. */
  readonly path?: string;
}

/**
 * Error creating or writing an output file, or creating the output directory (exit code 1).
 *
 * @example
 * ```ts
 * import { openOutputFile, OutputFileError } from "./output_file.ts";
 *
 * try {
 *   openOutputFile("/nonexistent-dir/x_flows.txt");
 * } catch (e) {
 *   if (!(e instanceof OutputFileError)) throw e;
 *   console.log(e.message); // Cannot create "/nonexistent-dir/x_flows.txt": No such file or directory
 * }
 * ```
 */
export class OutputFileError extends Error {
  /** Error class name, `"OutputFileError"`. */
  override name = "OutputFileError";
  /** The file or directory concerned. */
  readonly path: string;
  /** The system's reason (`strerror` text), e.g. `No space left on device`. */
  readonly reason: string;

  /**
   * An error naming what failed, e.g. `Cannot create "out/x_flows.txt": Permission denied`.
   *
   * @param action what failed, e.g. `create` or `write`
   * @param path the file or directory
   * @param reason the system's reason
   */
  constructor(action: string, path: string, reason: string) {
    super(`Cannot ${action} "${path}": ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/**
 * The C library's text for an error thrown by a `Deno` file operation: Deno's message without
 * its ` (os error N): open '...'` tail (`No such file or directory (os error 2): open 'x'` →
 * `No such file or directory`).
 */
export function systemReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const cut = msg.indexOf(" (os error ");
  return cut > 0 ? msg.slice(0, cut) : msg;
}

/** Where {@linkcode openOutputFile} records the files it opens, while a collection runs. */
let collector: Set<OutputFile> | null = null;

/**
 * Run `fn`, adding every output file it opens to `open` (a file leaves the set when closed).
 * A run uses it to close what its plugins opened when an error ends it early.
 *
 * @example
 * ```ts
 * import { collectOutputFiles, openOutputFile, type OutputFile } from "./output_file.ts";
 * import assert from "node:assert/strict";
 *
 * const open = new Set<OutputFile>();
 * const path = Deno.makeTempFileSync();
 * const f = collectOutputFiles(open, () => openOutputFile(path));
 * assert.equal(open.size, 1);
 * f.close();
 * assert.equal(open.size, 0);
 * Deno.removeSync(path);
 * ```
 */
export function collectOutputFiles<T>(open: Set<OutputFile>, fn: () => T): T {
  const outer = collector;
  collector = open;
  try {
    return fn();
  } finally {
    collector = outer;
  }
}

/** Create (truncate) a file for writing; throws {@linkcode OutputFileError} naming it. */
export function openOutputFile(path: string): OutputFile {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new OutputFileError("create", path, systemReason(e));
  }
  const open = collector;
  const file: OutputFile = {
    path,
    writeSync(p: Uint8Array): number {
      try {
        return f.writeSync(p);
      } catch (e) {
        throw new OutputFileError("write", path, systemReason(e));
      }
    },
    close(): void {
      open?.delete(file);
      try {
        f.close();
      } catch (e) {
        // Closing twice is harmless; a failing close (e.g. a full network disk) is not.
        if (!(e instanceof Deno.errors.BadResource)) {
          throw new OutputFileError("write", path, systemReason(e));
        }
      }
    },
  };
  open?.add(file);
  return file;
}

/**
 * Create the directories of an output prefix (`-w a/b/out` creates `a/b`), as T2 does;
 * throws {@linkcode OutputFileError} naming the directory when that fails (a file on the
 * way, no permission, ...).
 */
export function createOutputDirectory(dir: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new OutputFileError("create directory", dir, systemReason(e));
  }
}
