/**
 * Test helper: dissect hand-made frames as a run does (the packet, then its notices and its
 * counts), and describe the status bits by name for readable assertions.
 *
 * @module
 */

import { Counters } from "../../src/base/counters.ts";
import * as S from "../../src/base/flow_status.ts";
import { dissectPacket } from "../../src/dissect/dissect.ts";
import { reportNotices } from "../../src/dissect/notices.ts";
import { Packet } from "../../src/dissect/packet.ts";
import { countPacket } from "../../src/dissect/tally.ts";

/** What a run keeps of dissected packets: its counters, warnings and unsupported link types. */
export class DissectRun {
  readonly counters: Counters = new Counters();
  /** In-run warnings (T2's `[WRN]` lines). */
  readonly warnings: string[] = [];
  /** Link types reported as unsupported. */
  readonly unsupported: number[] = [];

  /** Dissect `p` (its record fields set) with `dissect`, then report and count it. */
  dissect(p: Packet, dissect: (p: Packet) => void = dissectPacket): void {
    dissect(p);
    this.counters.numPackets++;
    reportNotices(p, this.counters, {
      warn: (t) => this.warnings.push(t),
      unsupportedLinkType: (lt) => this.unsupported.push(lt),
    });
    countPacket(this.counters, p);
  }
}

/** Options of {@linkcode dissectFrame}. */
export interface DissectFrameOptions {
  /** Bytes captured (default: the whole frame); the rest is cut off as by a snap length. */
  readonly capLen?: number;
  /** Length on the wire (default: the frame length). */
  readonly wireLen?: number;
  /** Link type (default 1, Ethernet). */
  readonly linkType?: number;
}

/** A dissected frame and what the dissector reported on the side. */
export interface Dissected {
  readonly p: Packet;
  readonly counters: Counters;
  /** In-run warnings (T2's `[WRN]` lines). */
  readonly warnings: string[];
  /** Link types reported as unsupported. */
  readonly unsupported: number[];
}

/** Dissect `frame` (only `capLen` bytes of it are handed to the dissector). */
export function dissectFrame(frame: Uint8Array, opts: DissectFrameOptions = {}): Dissected {
  const capLen = opts.capLen ?? frame.length;
  const run = new DissectRun();
  // A copy of the captured bytes only: nothing past the snap length can be read.
  const data = frame.slice(0, capLen);
  const p = new Packet();
  p.reset(data, 0, capLen, opts.wireLen ?? frame.length);
  p.linkType = opts.linkType ?? 1;
  run.dissect(p);
  return { p, counters: run.counters, warnings: run.warnings, unsupported: run.unsupported };
}

const LO_NAMES: [number, string][] = Object.entries(S)
  .filter(([k, v]) => typeof v === "number" && !k.endsWith("_H") && k !== "L2_MPLS")
  .map(([k, v]) => [v as number, k]);
const HI_NAMES: [number, string][] = Object.entries(S)
  .filter(([k, v]) => typeof v === "number" && k.endsWith("_H"))
  .map(([k, v]) => [v as number, k.slice(0, -2)]);

/** Names of the status bits set in a packet (low word then high word), e.g. `L2_IPV4`. */
export function statusNames(lo: number, hi: number): string[] {
  const out: string[] = [];
  for (const [bit, name] of LO_NAMES) if ((lo & bit) !== 0) out.push(name);
  for (const [bit, name] of HI_NAMES) if ((hi & bit) !== 0) out.push(name);
  return out.sort();
}
