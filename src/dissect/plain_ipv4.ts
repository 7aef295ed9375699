/**
 * The common case first: an Ethernet frame (with at most one 802.1Q tag) with a plain IPv4
 * header and a whole TCP or UDP header, on ports and with a payload that no tunnel, SSDP,
 * NAT-T, DTLS or Teredo check of T2 looks at, is dissected straight through here, with the
 * same result as the dissector for all cases (`dissectAllCases` in dissect.ts), which handles
 * every other packet.
 *
 * Why: most packets are such packets (89 % of the benchmark capture's), and reading them in one
 * pass, without T2's generic walk over link types, EtherTypes, tunnels and header-description
 * lookups, took a whole run over the benchmark capture from 0.61 to 0.535 s (medians of 10
 * interleaved runs; README, Performance). Frames with a VLAN tag came here too when the
 * general dissector became table-driven (its dispatch costs indirect calls): they are common
 * on trunk ports and in the benchmark trace. `plain_ipv4_test.ts` checks field by field that
 * both ways agree, on the captures and on random variations of such packets.
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { hdrDescTable } from "./hdr_desc.ts";
import { plainEtherTypeAt, setPlainEthernet } from "./plain_ethernet.ts";
import { setIpv4Lengths, setPayloadLengths } from "./ip/ipv4_lengths.ts";
import { setIpPadding } from "./l2/padding.ts";
import { type Packet, PacketKind } from "./packet.ts";
import { P } from "./pieces.ts";
import { isSpecialPort } from "./ports.ts";
import { startsDtlsRecord } from "./transport/dtls.ts";
import { teredoIpv6At } from "./tunnel/teredo.ts";

const ETH_IPV4 = hdrDescTable.child(hdrDescTable.child(0, P.ETH), P.IPV4);
const ETH_IPV4_TCP = hdrDescTable.child(ETH_IPV4, P.TCP);
const ETH_IPV4_UDP = hdrDescTable.child(ETH_IPV4, P.UDP);
const ETH_VLAN_IPV4 = hdrDescTable.child(
  hdrDescTable.child(hdrDescTable.child(0, P.ETH), P.VLAN),
  P.IPV4,
);
const ETH_VLAN_IPV4_TCP = hdrDescTable.child(ETH_VLAN_IPV4, P.TCP);
const ETH_VLAN_IPV4_UDP = hdrDescTable.child(ETH_VLAN_IPV4, P.UDP);

/**
 * Where the IPv4 header of `p` (reset, with its link type) begins when it is a plain
 * Ethernet/IPv4 TCP or UDP packet (see the module comment), else -1. Reads `p`'s bytes only:
 * a shard of a run over several threads finds the addresses of such packets here without
 * dissecting them.
 */
export function plainIpv4At(p: Packet): number {
  const type = plainEtherTypeAt(p);
  if (type < 0) return -1;
  const data = p.data;
  const end = p.end;
  const ip = type + 2;
  if (end < ip + 20) return -1;
  if (data[type] !== 0x08 || data[type + 1] !== 0x00) return -1;
  const vihl = data[ip];
  const hl = (vihl & 0x0f) << 2;
  const proto = data[ip + 9];
  if ((vihl & 0xf0) !== 0x40 || hl < 20 || (proto !== 6 && proto !== 17)) return -1;
  if ((((data[ip + 6] << 8) | data[ip + 7]) & 0x1fff) !== 0) return -1; // a later fragment
  const l4 = ip + hl;
  const tcp = proto === 6;
  if (end - l4 < (tcp ? 20 : 8)) return -1;
  // Ports some rule of ports.ts looks at (tunnels, SSDP, NAT-T) are for the general dissector,
  if (isSpecialPort((data[l4] << 8) | data[l4 + 1])) return -1;
  if (isSpecialPort((data[l4 + 2] << 8) | data[l4 + 3])) return -1;
  // and so are DTLS records and Teredo, recognised by the payload whatever the ports.
  if (!tcp && (startsDtlsRecord(p, l4 + 8) || teredoIpv6At(p, l4 + 8) >= 0)) return -1;
  return ip;
}

/**
 * Dissect `p` when it is a plain Ethernet/IPv4 TCP or UDP packet (see the module comment);
 * returns false, with `p` untouched, for any other packet.
 */
export function dissectPlainIpv4(p: Packet): boolean {
  const ip = plainIpv4At(p);
  if (ip < 0) return false;
  const data = p.data;
  const start = p.start;
  const end = p.end;
  const tagged = ip === start + 18;
  const hl = (data[ip] & 0x0f) << 2;
  const proto = data[ip + 9];
  const ipOff = (data[ip + 6] << 8) | data[ip + 7];
  const l4 = ip + hl;
  const tcp = proto === 6;
  const sport = (data[l4] << 8) | data[l4 + 1];
  const dport = (data[l4 + 2] << 8) | data[l4 + 3];

  setPlainEthernet(
    p,
    start,
    tagged,
    0x0800,
    tcp ? ETH_IPV4_TCP : ETH_IPV4_UDP,
    tcp ? ETH_VLAN_IPV4_TCP : ETH_VLAN_IPV4_UDP,
  );
  p.l3Off = ip;
  p.statusHi |= S.FS_IPV4_PKT_H;
  p.l3HdrLen = hl;
  p.l4Off = l4;
  const l3Len = setIpv4Lengths(p, ip);

  p.l4Proto = proto;
  const l4HdrOff = tcp ? (data[l4 + 12] >> 4) << 2 : 8;
  if ((p.statusHi & S.L3SNAPLENGTH_H) && end - l4 < l4HdrOff) p.statusHi |= S.L4HDRSHRTLEN_H;
  p.l4HdrLen = l4HdrOff;
  setPayloadLengths(p, ip, l3Len, l4HdrOff);

  const a = p.addr;
  a[0] = (data[ip + 12] << 24) | (data[ip + 13] << 16) | (data[ip + 14] << 8) | data[ip + 15];
  a[4] = (data[ip + 16] << 24) | (data[ip + 17] << 16) | (data[ip + 18] << 8) | data[ip + 19];
  p.ipId = (data[ip + 4] << 8) | data[ip + 5];
  p.ipOff = ipOff;
  if (l3Len < (tcp ? 40 : 28)) p.statusHi |= S.L4HDRSHRTLEN_H; // ports stay 0
  else {
    p.srcPort = sport;
    p.dstPort = dport;
  }
  p.statusLo |= S.L2_IPV4;
  p.kind = PacketKind.IPV4;
  setIpPadding(p);
  return true;
}
