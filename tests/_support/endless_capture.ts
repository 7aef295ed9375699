/**
 * An endless capture for tests that stream one into `t2 -r -`: a pcap file header, then
 * chunks of UDP packets from many sources, 1 ms apart, so that flows keep timing out and being
 * written while the stream goes on.
 *
 * @module
 */

/** Packets per chunk. */
export const PER_CHUNK = 5000;
const RECORD = 16 + 42;

/** A pcap file header (Ethernet, µs). */
export function fileHeader(): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, 1, true);
  return b;
}

/** `PER_CHUNK` UDP packets from many sources (numbers from `first` on), 1 ms apart. */
export function chunk(first: number): Uint8Array {
  const b = new Uint8Array(PER_CHUNK * RECORD);
  const v = new DataView(b.buffer);
  for (let i = 0; i < PER_CHUNK; i++) {
    const n = first + i;
    const at = i * RECORD;
    const ms = 1_000_000 + n;
    v.setUint32(at, 1_600_000_000 + Math.floor(ms / 1000), true);
    v.setUint32(at + 4, (ms % 1000) * 1000, true);
    v.setUint32(at + 8, 42, true);
    v.setUint32(at + 12, 60, true);
    const p = at + 16;
    b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], p); // Ethernet, IPv4
    b.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0], p + 14);
    v.setUint32(p + 26, 0x0a000000 + (n % 40000), false); // 10.0.x.y
    v.setUint32(p + 30, 0x0a630001, false);
    v.setUint16(p + 34, 1024 + (n % 50000), false);
    v.setUint16(p + 36, 53, false);
    v.setUint16(p + 38, 8, false);
  }
  return b;
}
