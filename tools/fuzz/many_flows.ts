/**
 * A capture of many distinct flows built in memory (for the resource-limit tests and the memory
 * measurement): `flows` one-packet UDP flows, each with its own source address and port, one
 * microsecond apart, optionally followed by large packets of one more flow (which make the file
 * big compared with the bytes read when the flow table fills up).
 *
 * @module
 */

/** Options of {@linkcode manyFlowsCapture}. */
export interface ManyFlowsOptions {
  /** Distinct one-packet flows. */
  readonly flows: number;
  /** Large packets appended afterwards, all of one extra flow (default 0). */
  readonly bigPackets?: number;
  /** Captured length of each large packet (default 65535; at most the snap length 65535). */
  readonly bigSize?: number;
}

/** Frame size of the small packets: Ethernet's 60-byte minimum. */
export const SMALL_FRAME = 60;

/** Build the capture (classic pcap, little-endian, microseconds, snap length 65535). */
export function manyFlowsCapture(o: ManyFlowsOptions): Uint8Array {
  const big = o.bigPackets ?? 0;
  const bigSize = o.bigSize ?? 65535;
  const size = 24 + o.flows * (16 + SMALL_FRAME) + big * (16 + bigSize);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, 1, true);
  let p = 24;
  const frame = (i: number, len: number, sec: number, usec: number) => {
    v.setUint32(p, sec, true);
    v.setUint32(p + 4, usec, true);
    v.setUint32(p + 8, len, true);
    v.setUint32(p + 12, len, true);
    const d = p + 16;
    out.set([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00], d);
    out[d + 14] = 0x45;
    v.setUint16(d + 16, len - 14, false);
    out[d + 22] = 64;
    out[d + 23] = 17;
    // Source 10.x.y.z and port from the flow number: 2^24 × 2^16 distinct keys.
    v.setUint32(d + 26, (0x0a000000 | (i & 0xffffff)) >>> 0, false);
    v.setUint32(d + 30, 0xc0a80001, false);
    v.setUint16(d + 34, 1024 + ((i >>> 24) & 0x3fff), false);
    v.setUint16(d + 36, 53, false);
    v.setUint16(d + 38, len - 34, false);
    p = d + len;
  };
  for (let i = 0; i < o.flows; i++) {
    frame(i, SMALL_FRAME, 1_600_000_000 + Math.floor(i / 1e6), i % 1e6);
  }
  for (let i = 0; i < big; i++) frame(0xffffff, bigSize, 1_600_001_000, i);
  return out;
}
