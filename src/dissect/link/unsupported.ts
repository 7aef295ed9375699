/**
 * A link type no decoder takes: T2 stops the run (exit code 1). The dissector only records it
 * (see notices.ts); the core ends the run.
 *
 * @module
 */

import { addNotice, Notice } from "../notices.ts";
import type { Packet } from "../packet.ts";
import { STOP, type Walk } from "../walk.ts";

/** The link type in `w.missed` is not supported. */
export function decodeUnsupportedLink(p: Packet, _off: number, w: Walk): number {
  addNotice(p, Notice.UNSUPPORTED_LINK_TYPE, w.missed);
  return STOP;
}
