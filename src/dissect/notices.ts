/**
 * What the dissector has to tell the run besides the packet's fields: T2's in-run warnings
 * (`[WRN] ...` on the report stream) and a link type it cannot dissect (fatal in T2). A decoder
 * records a notice in the packet ({@linkcode addNotice}); after dissection the core hands the
 * packet's notices to {@linkcode reportNotices}, which prints them by T2's rules.
 *
 * A new warning is one row of {@linkcode NOTICES}.
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import { L3SNAPLENGTH_H } from "../base/flow_status.ts";
import { linkTypeText } from "./link_type_text.ts";
import { MAX_NOTICES, NOTICE_WORDS, type Packet } from "./packet.ts";

/** How a notice is reported. */
interface NoticeSpec {
  /** The warning text from the notice's three numbers. */
  readonly text: (a: number, b: number, c: number) => string;
  /**
   * A status bit (bits 32-63) that makes the warning once per run: it is printed only while
   * the run's aggregated status lacks the bit, and sets it (T2 tests its globalWarn).
   */
  readonly oncePerRunHi?: number;
  /** The run cannot go on (T2 exits with code 1); the first number is the link type. */
  readonly fatal?: boolean;
}

const snapText = (a: number, b: number, c: number) =>
  `snapL2Length: ${a} - snapL3Length: ${b} - IP length in header: ${c}`;

/** Kinds of notices. */
export const Notice = {
  /** A link type no decoder takes (number: the link type). */
  UNSUPPORTED_LINK_TYPE: 0,
  /** A BSD loopback family that is neither IPv4 nor IPv6 (number: the family). */
  NULL_FAMILY: 1,
  /** A raw-IP record whose version is neither 4 nor 6 (number: the version). */
  RAW_IP_VERSION: 2,
  /** An IPv4 header longer than the captured bytes (snapL2Len, snapL3Len, IP length). */
  L3_SNAPPED_IPV4: 3,
  /** The same for the outer IPv6 header. */
  L3_SNAPPED_IPV6: 4,
  /** A link type inside PPI that no decoder takes (number: the link type); not fatal. */
  PPI_UNSUPPORTED_LINK_TYPE: 5,
  /** A Prism header whose length is not 144 (number: the length). */
  PRISM_LENGTH: 6,
  /** A Juniper header without its magic cookie. */
  JUNIPER_NO_MAGIC: 7,
  /** A Juniper header's protocol T2 does not handle (number: the protocol). */
  JUNIPER_PROTOCOL: 8,
} as const;

/** Texts and rules of the notices, by kind. */
const NOTICES: readonly NoticeSpec[] = [
  { text: () => "", fatal: true },
  { text: (family) => `Null/Loopback header: unhandled family ${family}` },
  { text: (version) => `Unknown IP protocol ${version} in raw pcap` },
  { text: snapText, oncePerRunHi: L3SNAPLENGTH_H },
  { text: (a, b, c) => `Outer -- ${snapText(a, b, c)}`, oncePerRunHi: L3SNAPLENGTH_H },
  { text: (dlt) => `Unsupported link-layer type: ${linkTypeText(dlt)}` },
  { text: (len) => `Prism message length ${len} different from default value 144` },
  { text: () => "Juniper magic cookie not found" },
  { text: (proto) => `Unhandled Juniper protocol ${proto}` },
];

/** For each status bit of once-per-run warnings, the kinds (bits) that share it. */
function kindsOnce(hi: number): number {
  return NOTICES.reduce(
    (bits, spec, kind) => spec.oncePerRunHi === hi ? bits | (1 << kind) : bits,
    0,
  );
}

/** Record a notice of kind `kind` (one of {@linkcode Notice}) with up to three numbers. */
export function addNotice(p: Packet, kind: number, a = 0, b = 0, c = 0): void {
  if ((p.mutedNotices & (1 << kind)) !== 0) return;
  const n = p.noticeCount;
  if (n === MAX_NOTICES) return;
  const at = n * NOTICE_WORDS;
  const w = p.notices;
  w[at] = kind;
  w[at + 1] = a;
  w[at + 2] = b;
  w[at + 3] = c;
  p.noticeCount = n + 1;
}

/** Where the run's notices go. */
export interface NoticeSink {
  /** Print an in-run warning. */
  warn(text: string): void;
  /** A link type that cannot be dissected: the run ends (T2 exit code 1). */
  unsupportedLinkType(linkType: number): void;
}

/**
 * Report the notices of a dissected packet, in order. Once-per-run warnings consult and set the
 * run's aggregated status in `counters`, so call this before the packet's status is added to it;
 * the packet view (reused for the run's packets) is told not to record them any more.
 */
export function reportNotices(p: Packet, counters: Counters, sink: NoticeSink): void {
  const w = p.notices;
  for (let i = 0; i < p.noticeCount; i++) {
    const at = i * NOTICE_WORDS;
    const spec = NOTICES[w[at]];
    if (spec.fatal) {
      sink.unsupportedLinkType(w[at + 1]);
      continue;
    }
    const once = spec.oncePerRunHi ?? 0;
    if (once !== 0) {
      // Later packets need not record it: this run prints it no more.
      p.mutedNotices |= kindsOnce(once);
      if (counters.globalWarnHi & once) continue;
      counters.globalWarnHi |= once;
    }
    sink.warn(spec.text(w[at + 1], w[at + 2], w[at + 3]));
  }
}
