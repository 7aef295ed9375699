/**
 * The dissector's entry point and its dispatch loop.
 *
 * {@linkcode dissectPacket} fills the packet view from a capture record: plain Ethernet/IPv4
 * and IPv6 TCP and UDP packets in one pass (plain_ipv4.ts, plain_ipv6.ts), every other
 * packet by the loop of
 * {@linkcode dissectAllCases}. It starts with the decoder of the record's link type; decoders
 * call the ones that always follow them, and return the numbers of choices (an EtherType, an
 * IP protocol, ... see walk.ts), which the loop looks up in the tables of wiring.ts. The loop
 * names a number no decoder takes (`:UNK(..)` and STPDSCT when the name is unknown too) and
 * bounds the number of steps.
 *
 * What the core needs besides the packet's fields is left in the packet: notices (notices.ts)
 * and the facts the run counters are made of (tally.ts).
 *
 * @module
 */

import { STPDSCT_H } from "../base/flow_status.ts";
import type { Packet } from "./packet.ts";
import { dissectPlainIpv4 } from "./plain_ipv4.ts";
import { dissectPlainIpv6 } from "./plain_ipv6.ts";
import { decodeUnsupportedLink } from "./link/unsupported.ts";
import { codeOf, type Decoder, MAX_CODE, Space, spaceOf, Walk } from "./walk.ts";
import { decoderIndex, DECODERS, NAMES } from "./wiring.ts";

/**
 * Most steps of the loop for one packet. Every step reads further into the packet, so only a
 * crafted packet of many nested headers gets here: it stops (STPDSCT).
 */
export const MAX_STEPS = 256;

/** The walk of the packet being dissected (one at a time). */
const walk = new Walk();

/** The link type of the last packet and its decoder. */
let linkType = -1;
let linkDecoder: Decoder = decodeUnsupportedLink;

function setLinkType(type: number): void {
  linkType = type;
  const i = type <= MAX_CODE ? decoderIndex((Space.LINK << 16) | type) : 0;
  linkDecoder = i !== 0 ? DECODERS[i] : unsupportedLink;
}

/** The decoder of a link type no table row takes. */
function unsupportedLink(p: Packet, off: number, w: Walk): number {
  w.missed = p.linkType;
  return decodeUnsupportedLink(p, off, w);
}

/** Dissect a packet whose record fields were set by `Packet.reset`. */
export function dissectPacket(p: Packet): void {
  if (!dissectPlainIpv4(p) && !dissectPlainIpv6(p)) dissectAllCases(p);
}

/**
 * The dissector for every kind of packet; {@linkcode dissectPacket} takes it for all but the
 * plain packets of plain_ipv4.ts and plain_ipv6.ts (exported for the tests that compare).
 */
export function dissectAllCases(p: Packet): void {
  const w = walk;
  w.reset();
  // The first decoder, by link type: looked up when the link type changes (rarely: captures
  // mostly have one), and called here rather than by the loop.
  if (p.linkType !== linkType) setLinkType(p.linkType);
  let next = linkDecoder(p, p.start, w);
  for (let steps = 1; next >= 0; steps++) {
    if (steps === MAX_STEPS) {
      p.statusHi |= STPDSCT_H;
      return;
    }
    const i = decoderIndex(next);
    if (i === 0) {
      next = unhandled(p, w, next);
      continue;
    }
    const decoder = DECODERS[i];
    // One call site per space: each sees few decoders, so V8 calls them directly.
    switch (spaceOf(next)) {
      case Space.STAGE:
        next = decoder(p, w.off, w);
        break;
      case Space.LINK:
        next = decoder(p, w.off, w);
        break;
      case Space.ETHER:
        next = decoder(p, w.off, w);
        break;
      case Space.IPV4_NEXT:
        next = decoder(p, w.off, w);
        break;
      case Space.IPV6_NEXT:
        next = decoder(p, w.off, w);
        break;
      default:
        next = decoder(p, w.off, w);
    }
  }
}

/** A number no decoder takes: name it (if its space is named), go on with the fallback. */
function unhandled(p: Packet, w: Walk, next: number): number {
  const space = spaceOf(next);
  const code = codeOf(next);
  const names = NAMES[space];
  if (names !== null) {
    const pieces = names.pieces(code);
    if (pieces !== null) p.addHdrs(pieces);
    else {
      p.addHdr(names.unknown(code));
      p.statusHi |= STPDSCT_H;
    }
  } else if (space === Space.STAGE) {
    throw new Error(`dissector: no stage ${code}`);
  }
  w.missed = code;
  return w.orElse(p, w.off, w);
}
