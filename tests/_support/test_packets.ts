/**
 * Private test helpers of the fuzzer: small Ethernet/IPv4/TCP and UDP packets and captures.
 *
 * @module
 */

import { pcapFile, type PcapRecord } from "./capture_files.ts";

/** An Ethernet + IPv4 + TCP (or UDP) packet with `payload` bytes of payload. */
export function ipv4Packet(
  o: {
    src?: number;
    dst?: number;
    sport?: number;
    dport?: number;
    udp?: boolean;
    payload?: number;
  } = {},
): Uint8Array {
  const l4 = o.udp ? 8 : 20;
  const payload = o.payload ?? 10;
  const d = new Uint8Array(14 + 20 + l4 + payload);
  const v = new DataView(d.buffer);
  d.set([0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10], 0);
  v.setUint16(12, 0x0800);
  d[14] = 0x45;
  v.setUint16(16, 20 + l4 + payload);
  d[22] = 64;
  d[23] = o.udp ? 17 : 6;
  v.setUint32(26, o.src ?? 0x0a000001);
  v.setUint32(30, o.dst ?? 0x0a000002);
  v.setUint16(34, o.sport ?? 1234);
  v.setUint16(36, o.dport ?? 80);
  if (o.udp) v.setUint16(38, 8 + payload);
  else {
    d[46] = 0x50;
    d[47] = 0x18;
    v.setUint16(48, 8192);
  }
  for (let i = 0; i < payload; i++) d[14 + 20 + l4 + i] = 0x41 + (i % 26);
  return d;
}

/** A classic pcap of `n` packets, alternating TCP and UDP, one second apart. */
export function smallCapture(n = 6): Uint8Array {
  const recs: PcapRecord[] = [];
  for (let i = 0; i < n; i++) {
    recs.push({
      sec: 1_000_000 + i,
      frac: 0,
      data: ipv4Packet({ udp: i % 2 === 1, sport: 1000 + (i >> 1), payload: 5 + i }),
    });
  }
  return pcapFile(recs);
}
