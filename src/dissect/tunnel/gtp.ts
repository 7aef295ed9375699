/**
 * GTP (UDP 2152, 2123, 3386): labelled; only T-PDUs (message type 0xff) of versions 0 and 1 are
 * decapsulated (IPv4 or IPv6 inside). Version 2 stops dissection.
 *
 * @module
 */

import { L3_GTP, STPDSCT_H } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import { DECLINED, type Walk } from "../walk.ts";
import { ipByVersion } from "../ip/ip_version.ts";

/** Message type of a T-PDU (user data). */
const T_PDU = 0xff;
/** Flags of version 1: any optional field present (the 4 bytes of them); next extension. */
const V1_OPTIONAL = 0x07;
const V1_EXTENSION = 0x04;

/** GTP at `off` (the UDP payload). */
export function decodeGtp(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.GTP);
  p.statusLo |= L3_GTP;
  if (p.u8(off + 1) !== T_PDU) return DECLINED;
  const flags = p.u8(off);
  const version = (flags & 0xe0) >> 5;
  let skip = 8;
  if (version === 0) {
    skip += 12;
  } else if (version === 1) {
    if (flags & V1_OPTIONAL) skip += 4;
    if (flags & V1_EXTENSION) skip += p.u8(off + skip) << 2;
  } else if (version === 2) {
    p.statusHi |= STPDSCT_H;
    return DECLINED;
  }
  const inner = off + skip;
  if (inner >= p.end) return DECLINED;
  const next = ipByVersion(p, inner, w);
  if (next !== DECLINED) return next;
  p.statusHi |= STPDSCT_H;
  return DECLINED;
}
