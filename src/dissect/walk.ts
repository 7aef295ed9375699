/**
 * How decoders hand over to each other. A decoder reads the header at the offset it is given
 * and returns what comes next, as a number:
 * - a {@linkcode Stage}: continue with that internal decoder (`walk.to(stage, offset)`);
 * - a protocol number in a {@linkcode Space}: continue with the decoder `wiring.ts` lists for
 *   it, or, when it lists none, name the number in the header description (`:UNK(..)` and
 *   STPDSCT when unknown) and go on with the fallback given (`walk.via(...)`, `walk.name(...)`);
 * - {@linkcode STOP}: the packet is dissected;
 * - {@linkcode DECLINED}: (tunnels tried by port only) not this tunnel, try the next one.
 *
 * The {@linkcode Walk} carries the offset of the next header and the little state that T2 keeps
 * across headers (the "in place" IPv4 and IPv6 chains, where an L2 frame ends). The dispatch
 * loop (`dissect.ts`) resets it for every packet.
 *
 * @module
 */

import type { Packet } from "./packet.ts";

/**
 * A decoder: reads the header at `off` and returns what comes next (see the module comment),
 * having set `walk.off` to where it starts.
 */
export type Decoder = (p: Packet, off: number, walk: Walk) => number;

/** Dissection ends. */
export const STOP = -1;
/** A tunnel tried by port does not take the packet: the next candidate is tried. */
export const DECLINED = -2;

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

/** Internal decoders, reached by number (see `wiring.ts`, `STAGES`). */
export const Stage = {
  /** Type/length field at the offset: VLAN tags, 802.3 LLC/SNAP, EtherType dispatch. */
  TYPE_FIELD: 1,
  /** A layer-2 flow packet ending at the EtherType field {@linkcode Walk.typePos}. */
  L2_AFTER_TYPE: 2,
  /** A layer-2 flow packet whose payload offset (`l7Off`) is set. */
  L2_FLOW: 3,
  /** MPLS label stack at the offset, unicast (PPP link types). */
  MPLS_UNICAST: 4,
  /** MPLS label stack at the offset, multicast (PPP link types). */
  MPLS_MULTICAST: 5,
  /** IPv4 header at the offset. */
  IPV4: 6,
  /** IPv4: the tunnels tried by port; the offset is the transport payload. */
  IPV4_PORT_TUNNELS: 7,
  /** IPv4: GRE on the (outer) header. */
  IPV4_GRE: 8,
  /** IPv4: the GRE header at the offset, on the outer header. */
  GRE_ON_IPV4: 9,
  /** IPv4: EtherIP on the current header (maybe one continued in place). */
  IPV4_ETHERIP: 10,
  /** IPv4: the EtherIP header at the offset, on the current header. */
  ETHERIP_ON_IPV4: 11,
  /** IPv4: IP in IP on the current header. */
  IPV4_IPIP: 12,
  /** IPv4: lengths and layer-4 header of the innermost header. */
  IPV4_L4: 13,
  /** IPv4 flow packet. */
  IPV4_FLOW: 14,
  /** IPv6 header at the offset. */
  IPV6: 15,
  /** IPv6: the next header of the walk. */
  IPV6_NEXT: 16,
  /** IPv6: lengths of the innermost header; an IPv6 flow packet. */
  IPV6_END: 17,
  /** IPv6 UDP after L2TP gave up: SSDP, then the end. */
  IPV6_UDP_END: 18,
  /** A tunnel gives up: STPDSCT, then {@linkcode Walk.declined}. */
  TUNNEL_GIVE_UP: 19,
  /** A tunnel gives up: restore the offsets saved with {@linkcode Walk.save}, STPDSCT, then {@linkcode Walk.declined}. */
  TUNNEL_UNDO: 20,
  /** The link type in {@linkcode Walk.missed} has no decoder. */
  UNSUPPORTED_LINK: 21,
} as const;

/** Numbers per space: codes are below this. */
const SPACE_SIZE = 0x10000;

/** The state of one packet's dissection (one instance, reused). */
export class Walk {
  /** Offset of the header the next decoder reads. */
  off = 0;
  /** Where to go on after naming a number that no decoder takes. */
  orElse: number = STOP;
  /** The number that no decoder took, for the fallback. */
  missed = 0;
  /** Where a tunnel that gives up goes on (the layer that tried it). */
  declined: number = STOP;
  /** Where a frame that makes no IP flow ends (T2: the L2 flow, or a second EtherType pass). */
  l2End: number = Stage.L2_AFTER_TYPE;
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

  /** Offsets a tunnel restores when it gives up ({@linkcode Stage.TUNNEL_UNDO}). */
  savedL2Off = 0;
  savedL3Off = 0;
  savedSnapL2Len = 0;

  /** Start a packet. */
  reset(): void {
    this.orElse = STOP;
    this.declined = STOP;
    this.l2End = Stage.L2_AFTER_TYPE;
  }

  /** Continue with internal decoder `stage` at `off`. */
  to(stage: number, off: number): number {
    this.off = off;
    return stage;
  }

  /**
   * Continue at `off` with the decoder of `code` in `space`; when there is none, name `code`
   * and go on with `orElse` (a stage, or {@linkcode STOP}).
   */
  via(space: number, code: number, off: number, orElse: number): number {
    this.off = off;
    this.orElse = orElse;
    if (code >= SPACE_SIZE) { // only link types go this high: none has a decoder or a name
      this.missed = code;
      return orElse;
    }
    return space * SPACE_SIZE + code;
  }

  /** Name `code` of a names-only space, then go on with `then` (the offset is kept). */
  name(space: number, code: number, then: number): number {
    this.orElse = then;
    return space * SPACE_SIZE + code;
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
  return (next / SPACE_SIZE) | 0;
}

/** The code of a {@linkcode Walk.via} result. */
export function codeOf(next: number): number {
  return next & (SPACE_SIZE - 1);
}

/** Continue with the IP header at `off` by its version nibble, {@linkcode DECLINED} if neither. */
export function ipByVersion(p: Packet, off: number, w: Walk): number {
  const version = p.u8(off) & 0xf0;
  if (version === 0x40) return w.to(Stage.IPV4, off);
  if (version === 0x60) return w.to(Stage.IPV6, off);
  return DECLINED;
}
