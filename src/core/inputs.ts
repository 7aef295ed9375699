/**
 * The input stream of a run: the captures read one after another as one stream (one `-r`
 * capture, the captures of a checked `-R` list, or `-D` numbered captures, which may be
 * waited for), each opened when the previous one is done.
 *
 * @module
 */

import { openCapture, openCaptureBytes } from "../capture/open.ts";
import { CaptureFormatError } from "../capture/capture_error.ts";
import type { CaptureReader } from "../capture/types.ts";

/** An input capture: a path, or bytes held in memory (tests, fuzzing). */
export type Input = string | { readonly name: string; readonly bytes: Uint8Array };

/**
 * Numbered captures read one after another as one stream (T2's `-D`): the capture names in
 * order, a way to find the file for a name, and how long to wait for one that is not there
 * yet. Only `runAsync` waits; `run` ends the input at a missing capture.
 */
export interface NumberedInputs {
  /** The names in order, the first one included; the iterator ends after the last (STOP). */
  names(): Iterator<string>;
  /** The file to open for a name (T2 expands wildcards like a shell; identity if none). */
  resolve(name: string): string;
  /** Seconds between two attempts to open a capture that is not there yet (T2 POLLTM: 5). */
  readonly pollSeconds: number;
}

/**
 * What a run asks of its driver: a moment on the event loop (`tick`), a wait for input
 * (`wait`; the driver resumes it with false to give up waiting), or a wait for its shard
 * workers (`until`: only under `runAsync`).
 */
export type Pause = "tick" | "wait" | { readonly until: Promise<void> };

/** A capture of the stream, open for reading. */
export interface OpenInput {
  readonly input: Input;
  readonly reader: CaptureReader;
}

/** How the stream tells its run what happens. */
export interface InputEvents {
  /** An attempt to open a numbered capture found nothing (T2 prints a dot). */
  readonly notThereYet: () => void;
  /** A capture that cannot be opened (T2 then ends the input). */
  readonly cannotOpen: (text: string) => void;
  /** Whether the run was asked to stop (no more waiting). */
  readonly stopRequested: () => boolean;
}

/** T2's warning for a pcapng input (its percentage counts pcap record headers). */
export const PCAPNG_WARNING =
  "PCAP-NG, so *percentage completed* in end report might be less than 100%, will be fixed in a later version";

/** The captures of one run, opened one at a time; see the module doc. */
export class InputStream {
  readonly #list: readonly Input[];
  readonly #numbered: NumberedInputs | undefined;
  readonly #names: Iterator<string> | undefined;
  readonly #firstName: string;
  readonly #events: InputEvents;
  #opened = 0;
  #ended = false;

  /**
   * @param list The captures of `-r` or of a checked `-R` list (ignored with `numbered`).
   * @param numbered `-D` captures.
   * @param firstName The capture to try first when `numbered` names none.
   * @param events What the run is told.
   */
  constructor(
    list: readonly Input[],
    numbered: NumberedInputs | undefined,
    firstName: string,
    events: InputEvents,
  ) {
    this.#list = list;
    this.#numbered = numbered;
    this.#names = numbered?.names();
    this.#firstName = firstName;
    this.#events = events;
  }

  /** Whether the captures are numbered ones (`-D`). */
  get numbered(): boolean {
    return this.#numbered !== undefined;
  }

  /** Whether the last {@linkcode next} found no more captures (rather than failing). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Open the next capture: null at the end of the input, when a capture cannot be opened
   * (`cannotOpen` was told), or when waiting for a numbered capture was given up.
   */
  *next(): Generator<Pause, OpenInput | null, boolean> {
    const first = this.#opened++ === 0;
    if (!this.#numbered) {
      const input = this.#list[this.#opened - 1];
      if (input === undefined) {
        this.#ended = !first;
        if (first) this.#events.cannotOpen("No capture to read");
        return null;
      }
      try {
        return { input, reader: openInput(input) };
      } catch (e) {
        this.#events.cannotOpen(inputError(input, e));
        return null;
      }
    }
    const n = this.#names!.next();
    if (n.done && !first) {
      this.#ended = true;
      return null;
    }
    const name = n.done ? "" : n.value;
    let input: Input = n.done ? this.#firstName : this.#numbered.resolve(name);
    for (;;) {
      try {
        return { input, reader: openInput(input) };
      } catch {
        // Not there yet: T2 polls.
        this.#events.notThereYet();
        if (!(yield "wait") || this.#events.stopRequested()) return null;
        input = this.#numbered.resolve(name); // wildcards may match a file now
      }
    }
  }
}

/** Open a capture file or one held in memory. */
function openInput(input: Input): CaptureReader {
  return typeof input === "string" ? openCapture(input) : openCaptureBytes(input.bytes, input.name);
}

/** The name of an input in messages. */
export function inputLabel(input: Input): string {
  return typeof input === "string" ? input : input.name;
}

/** The message for an input that cannot be opened. */
function inputError(input: Input, e: unknown): string {
  const name = inputLabel(input);
  if (e instanceof CaptureFormatError) return e.message;
  if (e instanceof Deno.errors.NotFound) return `Cannot read capture "${name}": no such file`;
  if (e instanceof Deno.errors.PermissionDenied) {
    return `Cannot read capture "${name}": permission denied`;
  }
  if (e instanceof Deno.errors.IsADirectory) return `Cannot read capture "${name}": a directory`;
  return `Cannot read capture "${name}": ${(e as Error).message}`;
}
