/**
 * The dissector's entry point and its dispatch loop.
 *
 * {@linkcode dissectPacket} fills the packet view from a capture record: plain Ethernet/IPv4
 * TCP and UDP packets in one pass (plain_ipv4.ts), every other packet by the loop of
 * {@linkcode dissectAllCases}, which starts with the record's link type and hands over from
 * decoder to decoder by the numbers they return (walk.ts), looking the numbers up in the
 * tables of wiring.ts. The loop names a number no decoder takes (`:UNK(..)` and STPDSCT when
 * the name is unknown too) and bounds the number of steps.
 *
 * What the core needs besides the packet's fields is left in the packet: notices (notices.ts)
 * and the facts the run counters are made of (tally.ts).
 *
 * @module
 */

import { STPDSCT_H } from "../base/flow_status.ts";
import type { Packet } from "./packet.ts";
import { dissectPlainIpv4 } from "./plain_ipv4.ts";
import { codeOf, Space, spaceOf, Stage, Walk } from "./walk.ts";
import { NAMES, ROUTES } from "./wiring.ts";

/**
 * Most decoder steps for one packet. Every step but a few fixed ones reads further into the
 * packet, so only a crafted packet of many nested headers gets here: it stops (STPDSCT).
 */
export const MAX_STEPS = 256;

/** The walk of the packet being dissected (one at a time). */
const walk = new Walk();

/** Dissect a packet whose record fields were set by `Packet.reset`. */
export function dissectPacket(p: Packet): void {
  if (!dissectPlainIpv4(p)) dissectAllCases(p);
}

/**
 * The dissector for every kind of packet; {@linkcode dissectPacket} takes it for all but the
 * plain IPv4 packets of plain_ipv4.ts (exported for the test that compares both).
 */
export function dissectAllCases(p: Packet): void {
  const w = walk;
  w.reset();
  let next = w.via(Space.LINK, p.linkType, p.start, Stage.UNSUPPORTED_LINK);
  for (let steps = 0; next >= 0; steps++) {
    if (steps === MAX_STEPS) {
      p.statusHi |= STPDSCT_H;
      return;
    }
    next = step(p, w, next);
  }
}

/** Run the decoder `next` designates, or name its number; returns what comes next. */
function step(p: Packet, w: Walk, next: number): number {
  const space = spaceOf(next);
  const code = codeOf(next);
  const routes = ROUTES[space];
  const i = routes.index[code];
  if (i !== 0) return routes.decoders[i](p, w.off, w);
  const names = NAMES[space];
  if (names === null) {
    if (space === Space.STAGE) throw new Error(`dissector: no stage ${code}`);
  } else {
    const pieces = names.pieces(code);
    if (pieces !== null) p.addHdrs(pieces);
    else {
      p.addHdr(names.unknown(code));
      p.statusHi |= STPDSCT_H;
    }
  }
  w.missed = code;
  return w.orElse;
}
