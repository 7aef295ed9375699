/**
 * Radiotap (DLT_IEEE802_11_RADIO, spec/dissection-wireless.md §2): T2 reads only the header's
 * length (little-endian, at offset 2) and goes on with the 802.11 frame after it. Nothing of
 * the header is read besides, not even its FCS flag: a trailing FCS stays in the frame. The
 * captured length of the layer 2 is not reduced by the radiotap header (T2).
 *
 * @module
 */

import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";
import type { Walk } from "../walk.ts";
import { wlanFrame } from "./ieee80211.ts";

/** DLT_IEEE802_11_RADIO. */
export function decodeRadiotap(p: Packet, off: number, w: Walk): number {
  p.addHdr(P.RADIOTAP);
  const len = p.u8(off + 2) | (p.u8(off + 3) << 8);
  return wlanFrame(p, off + len, w);
}
