/**
 * How decoders hand over to each other. A decoder reads the header at the offset it is given
 * and goes on in one of three ways:
 * - it calls the decoder that always follows (a function call: `decodeIpv6End(p, off, w)`);
 * - it returns a number to look up in a table of `wiring.ts`: a protocol number of a
 *   {@linkcode Space} (`walk.via(space, number, offset, orElse)`): the dispatch loop
 *   (`dissect.ts`) runs the decoder the table lists for it, or, when there is none, names the
 *   number in the header description (`:UNK(..)` and STPDSCT when unknown) and calls `orElse`;
 *   `walk.name(...)` only names;
 * - it returns {@linkcode STOP}: the packet is dissected.
 *
 * A tunnel tried by port may also return {@linkcode DECLINED}: not this tunnel, the next one is
 * tried. A {@linkcode Stage} is an internal decoder reached by number where a function call
 * would make modules import each other in a circle.
 *
 * The {@linkcode Walk} carries the offset for the table's decoder and the little state T2 keeps
 * across headers (where a frame without IP ends, the "in place" IPv4 and IPv6 chains). The
 * dispatch loop resets it for every packet.
 *
 * @module
 */

import type { Packet } from "./packet.ts";

/**
 * A decoder: reads the header at `off` and returns what comes next (see the module comment).
 */
export type Decoder = (p: Packet, off: number, walk: Walk) => number;

/** Dissection ends. */
export const STOP = -1;
/** A tunnel tried by port does not take the packet: the next candidate is tried. */
export const DECLINED = -2;

/** The decoder that ends dissection. */
export function stop(): number {
  return STOP;
}

/** Numbering spaces of {@linkcode Walk.via} and {@linkcode Walk.name} (see `wiring.ts`). */
export const Space = {
  /** Internal decoders by {@linkcode Stage}. */
  STAGE: 0,
  /** Link types of capture records. */
  LINK: 1,
  /** EtherTypes after the link layer, VLAN tags, LLC/SNAP, MPLS or ERSPAN. */
  ETHER: 2,
  /** EtherTypes inside VXLAN and GENEVE, past the IP versions. */
  ETHER_IN_TUNNEL: 3,
  /** IP protocols after the innermost IPv4 header. */
  IPV4_NEXT: 4,
  /** IPv6 next headers. */
  IPV6_NEXT: 5,
  /** PPP protocols. */
  PPP: 6,
  /** Names only: EtherTypes. */
  ETHER_NAME: 7,
  /** Names only: IP protocols. */
  IP_NAME: 8,
  /** Names only: PPP protocols. */
  PPP_NAME: 9,
  /** Names only: LLC DSAPs. */
  LLC_NAME: 10,
} as const;

/**
 * Internal decoders reached by number (`wiring.ts`, `STAGES`): the IPv4 module continues with
 * these, which continue the IPv4 module in turn.
 */
export const Stage = {
  /** IPv4: the tunnels tried by port; the offset is the transport payload. */
  IPV4_PORT_TUNNELS: 1,
  /** IPv4: the GRE header at the offset, on the outer header. */
  GRE_ON_IPV4: 2,
  /** IPv4: the EtherIP header at the offset, on the current header. */
  ETHERIP_ON_IPV4: 3,
} as const;

/** Bits of the number within its space: numbers are below 65536. */
const SPACE_BITS = 16;
/** The largest number of a space. */
export const MAX_CODE = (1 << SPACE_BITS) - 1;

/** The state of one packet's dissection (one instance, reused). */
export class Walk {
  /** Offset of the header the table's decoder reads. */
  off = 0;
  /** What comes after naming a number that no decoder takes. */
  orElse: Decoder = stop;
  /** The number that no decoder took, for `orElse`. */
  missed = 0;
  /** Where a tunnel that gives up goes on (the layer that tried it). */
  declined: Decoder = stop;
  /**
   * Where a frame that makes no IP flow ends (T2: the L2 flow, a second EtherType pass, or a
   * tunnel that gives up); it reads the EtherType field from {@linkcode typePos}.
   */
  l2End: Decoder = stop;
  /** The EtherType field an L2 flow packet ends at. */
  typePos = 0;

  /** IPv4: whether the transport protocol was already named (T2 `priproto` cleared). */
  l4Named = false;
  /** IPv4: bytes of the transport header in front of a tunnel tried by port. */
  outerL4Len = 0;
  /** IPv4: bytes of the GRE header on the outer header (T2's L4 length of an inner GRE). */
  greLen = 0;

  /** IPv6: bytes from the innermost IPv6 header to the next header. */
  ip6HdrLen = 0;
  /** IPv6: the next-header value to dispatch. */
  ip6Next = 0;
  /** IPv6: headers walked so far. */
  ip6Walked = 0;
  /** IPv6: layer-4 header length found. */
  ip6L4HdrLen = 0;
  /** IPv6: offset of the fragment header, -1 if none. */
  ip6FragHdr = -1;

  /** Offsets a tunnel restores when it gives up (`tunnel/give_up.ts`). */
  savedL2Off = 0;
  savedL3Off = 0;
  savedSnapL2Len = 0;

  /** Start a packet. */
  reset(): void {
    this.orElse = stop;
    this.declined = stop;
    this.l2End = stop;
  }

  /** Continue with internal decoder `stage` at `off`. */
  to(stage: number, off: number): number {
    this.off = off;
    return stage;
  }

  /**
   * Continue at `off` with the decoder of `code` (below 65536) in `space`; when there is none,
   * name `code` and go on with `orElse` (called with the same offset).
   */
  via(space: number, code: number, off: number, orElse: Decoder): number {
    this.off = off;
    this.orElse = orElse;
    return (space << SPACE_BITS) | code;
  }

  /** Name `code` of a names-only space, then go on with `then` (the offset is kept). */
  name(space: number, code: number, then: Decoder): number {
    this.orElse = then;
    return (space << SPACE_BITS) | code;
  }

  /** Remember the offsets a tunnel restores when it gives up. */
  save(l2Off: number, l3Off: number, snapL2Len: number): void {
    this.savedL2Off = l2Off;
    this.savedL3Off = l3Off;
    this.savedSnapL2Len = snapL2Len;
  }
}

/** The space of a {@linkcode Walk.via} result. */
export function spaceOf(next: number): number {
  return next >>> SPACE_BITS;
}

/** The code of a {@linkcode Walk.via} result. */
export function codeOf(next: number): number {
  return next & MAX_CODE;
}
