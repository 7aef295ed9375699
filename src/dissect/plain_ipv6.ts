/**
 * The common IPv6 case, as plain_ipv4.ts does for IPv4: an Ethernet frame (with at most one
 * 802.1Q tag) with an IPv6 header followed directly by a TCP or UDP header (of which at least
 * 8 bytes are captured: a TCP header cut by the snap length is common), on ports and with a
 * payload that no check of T2 looks at (SSDP, L2TP, DTLS), is dissected straight through
 * here, with the same result as the dissector for all cases (`dissectAllCases` in dissect.ts),
 * which handles every other packet.
 *
 * Why: the general dissector pays an indirect call for each choice it looks up in its tables
 * (link type, EtherType, next header), which made plain IPv6 packets about half as slow again
 * as before it was table-driven. `plain_ipv6_test.ts` checks field by field that both ways
 * agree, on the captures and on random variations of such packets.
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { hdrDescTable } from "./hdr_desc.ts";
import { plainEtherTypeAt, setPlainEthernet } from "./plain_ethernet.ts";
import { finishIpv6, setOuterLengths } from "./ip/ipv6.ts";
import type { Packet } from "./packet.ts";
import { P } from "./pieces.ts";
import { isSpecialPort } from "./ports.ts";
import { startsDtlsRecord } from "./transport/dtls.ts";

/** Bytes of the fixed IPv6 header. */
const IPV6_HEADER = 40;

const ETH = hdrDescTable.child(0, P.ETH);
const ETH_IPV6 = hdrDescTable.child(ETH, P.IPV6);
const ETH_VLAN_IPV6 = hdrDescTable.child(hdrDescTable.child(ETH, P.VLAN), P.IPV6);
const ETH_IPV6_TCP = hdrDescTable.child(ETH_IPV6, P.TCP);
const ETH_IPV6_UDP = hdrDescTable.child(ETH_IPV6, P.UDP);
const ETH_VLAN_IPV6_TCP = hdrDescTable.child(ETH_VLAN_IPV6, P.TCP);
const ETH_VLAN_IPV6_UDP = hdrDescTable.child(ETH_VLAN_IPV6, P.UDP);

/**
 * Dissect `p` when it is a plain Ethernet/IPv6 TCP or UDP packet (see the module comment);
 * returns false, with `p` untouched, for any other packet.
 */
export function dissectPlainIpv6(p: Packet): boolean {
  const type = plainEtherTypeAt(p);
  if (type < 0) return false;
  const data = p.data;
  const start = p.start;
  const end = p.end;
  const tagged = type === start + 16;
  const ip = type + 2;
  const l4 = ip + IPV6_HEADER;
  if (end < l4 + 8) return false;
  if (data[type] !== 0x86 || data[type + 1] !== 0xdd || (data[ip] & 0xf0) !== 0x60) return false;
  const nxt = data[ip + 6];
  if (nxt !== 6 && nxt !== 17) return false;
  const tcp = nxt === 6;
  const sport = (data[l4] << 8) | data[l4 + 1];
  const dport = (data[l4 + 2] << 8) | data[l4 + 3];
  if (isSpecialPort(sport) || isSpecialPort(dport)) return false;
  if (!tcp && startsDtlsRecord(p, l4 + 8)) return false;

  // What the Ethernet decoder, the type field and the IPv6 decoder do.
  setPlainEthernet(
    p,
    start,
    tagged,
    0x86dd,
    tcp ? ETH_IPV6_TCP : ETH_IPV6_UDP,
    tcp ? ETH_VLAN_IPV6_TCP : ETH_VLAN_IPV6_UDP,
  );
  p.l3Off = ip;
  p.statusHi |= S.FS_IPV6_PKT_H;
  setOuterLengths(p, ip);
  // The TCP or UDP decoder of the IPv6 walk, then its end.
  p.l4Off = l4;
  let l4HdrLen = 8;
  if (tcp && end - l4 < 20) { // ports need a whole TCP header
    p.statusHi |= S.L4HDRSHRTLEN_H;
    l4HdrLen = p.statusHi & S.L3SNAPLENGTH_H ? 20 : (p.u8(l4 + 12) >> 4) << 2;
  } else {
    if (tcp) l4HdrLen = (data[l4 + 12] >> 4) << 2;
    p.srcPort = sport;
    p.dstPort = dport;
  }
  finishIpv6(p, nxt, IPV6_HEADER, l4HdrLen, -1);
  return true;
}
