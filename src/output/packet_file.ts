/**
 * The packet file (`-s`, `PREFIX_packets.txt`): the core writes `pktNo`, `flowInd` and the
 * payload column; plugins write their columns in between. Every value is followed by a tab,
 * as in T2, so a plugin with nothing to say for a packet still writes its tabs.
 *
 * @module
 */

import type { ByteWriter } from "./byte_writer.ts";
import { formatFixed } from "./printf.ts";

/** Column writer for one packet line (shared by all plugins). */
export class PacketFile {
  /** The underlying buffered writer. */
  readonly writer: ByteWriter;

  constructor(writer: ByteWriter) {
    this.writer = writer;
  }

  /** Declare packet-file column names (call in `init`). */
  header(...names: string[]): void {
    for (const n of names) {
      this.writer.text(n);
      this.writer.tab();
    }
  }

  /** An unsigned integer. */
  uint(v: number): void {
    this.writer.uint(v);
    this.writer.tab();
  }

  /** A signed integer. */
  int(v: number): void {
    this.writer.int(v);
    this.writer.tab();
  }

  /** `0x` + lower-case hex zero-padded to `width` digits. */
  hex(v: number, width: number): void {
    this.writer.byte(48);
    this.writer.byte(120);
    this.writer.hex(v, width);
    this.writer.tab();
  }

  /** Text as is. */
  text(s: string): void {
    this.writer.text(s);
    this.writer.tab();
  }

  /** A double with `digits` decimals (`%.<digits>f`). */
  fixed(x: number, digits: number): void {
    this.writer.text(formatFixed(x, digits));
    this.writer.tab();
  }

  /** `n` empty columns. */
  empty(n = 1): void {
    for (let i = 0; i < n; i++) this.writer.tab();
  }
}
