/**
 * DTLS records after a UDP header, recognised by their first bytes whatever the ports (T2:
 * content type 0x14-0x3f, version 1.2, 1.0 or 0x0100); each record adds a piece.
 *
 * @module
 */

import { L7_DTLS_H } from "../../base/flow_status.ts";
import type { Packet } from "../packet.ts";
import { P } from "../pieces.ts";

/** DTLS 1.2 (T2 names everything else `dtls1.0`). */
const DTLS_1_2 = 0xfefd;
/** Bytes of a record header. */
const RECORD_HEADER = 13;

/** Whether a DTLS record as T2 recognises it (content type, version) starts at `off`. */
export function startsDtlsRecord(p: Packet, off: number): boolean {
  const ctype = p.u8(off);
  if (!(ctype > 0x13 && ctype < 0x40)) return false;
  const ver = p.u16(off + 1);
  return ver === DTLS_1_2 || ver === 0xfeff || ver === 0x0100;
}

/** Name the DTLS records starting at `off`. */
export function dtlsRecords(p: Packet, off: number): void {
  for (;;) {
    if (!startsDtlsRecord(p, off)) return;
    p.addHdr(p.u16(off + 1) === DTLS_1_2 ? P.DTLS12 : P.DTLS10);
    p.statusHi |= L7_DTLS_H;
    p.dtlsRecords++;
    const len = RECORD_HEADER + p.u16(off + 11);
    if (p.end - off <= len) return;
    off += len;
  }
}
