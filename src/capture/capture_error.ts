/**
 * The error thrown when a capture cannot be opened because its file header is unusable.
 *
 * @module
 */

/**
 * A capture whose file header (classic pcap header, or pcapng section header and first interface
 * description) cannot be used: empty, truncated, unknown magic, unsupported version...
 *
 * The message reads `Cannot read capture "<name>": <reason>`.
 *
 * @example Telling a bad file from a missing one
 * ```ts
 * import { openCaptureBytes } from "./open.ts";
 * import { CaptureFormatError } from "./capture_error.ts";
 *
 * try {
 *   openCaptureBytes(new Uint8Array([0x12, 0x34, 0x56, 0x78]), "x.pcap");
 * } catch (e) {
 *   if (!(e instanceof CaptureFormatError)) throw e;
 *   console.log(e.message); // Cannot read capture "x.pcap": unknown file format (magic 0x12345678)
 * }
 * ```
 */
export class CaptureFormatError extends SyntaxError {
  /** The capture's name as given (path, `-` for stdin). */
  readonly capture: string;
  /** What is wrong, without the file name. */
  readonly reason: string;
  /** The text libpcap puts in its error buffer for the same file, when known. */
  readonly pcapError: string | undefined;

  /**
   * @param capture the capture's name as given
   * @param reason what is wrong, without the file name
   * @param pcapError libpcap's error text for the same condition, when known
   */
  constructor(capture: string, reason: string, pcapError?: string) {
    super(`Cannot read capture "${capture}": ${reason}`);
    this.name = "CaptureFormatError";
    this.capture = capture;
    this.reason = reason;
    this.pcapError = pcapError;
  }
}
