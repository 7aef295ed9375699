/**
 * Protocol numbers by name, for plugins that compare a flow's or packet's protocol, EtherType
 * or TCP flags (IANA's assignments; the names follow the usual C headers).
 *
 * @example Counting the TCP SYN packets of each flow
 * ```ts
 * import { IpProto, TcpFlag } from "./protocols.ts";
 * import type { Packet } from "../dissect/packet.ts";
 *
 * const syns = new Uint32Array(16);
 * function onLayer4(p: Packet, flow: number): void {
 *   if (p.l4Proto !== IpProto.TCP || !p.firstFragment) return;
 *   if ((p.tcpFlags() & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) syns[flow]++;
 * }
 * ```
 *
 * @module
 */

/** IP protocol numbers (IPv4 protocol, IPv6 next header). */
export const IpProto = {
  /** IPv6 hop-by-hop options. */
  HOPOPTS: 0,
  ICMP: 1,
  IGMP: 2,
  /** IPv4 in IP. */
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  /** IPv6 in IP. */
  IPV6: 41,
  /** IPv6 routing header. */
  ROUTING: 43,
  /** IPv6 fragment header. */
  FRAGMENT: 44,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  /** IPv6: no next header. */
  NONE: 59,
  /** IPv6 destination options. */
  DSTOPTS: 60,
  OSPF: 89,
  PIM: 103,
  L2TP: 115,
  SCTP: 132,
  UDPLITE: 136,
} as const;

/** EtherTypes (Ethernet II type field, VLAN and PPPoE inner types). */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  /** Cisco Discovery Protocol (T2's type for CDP frames, which are 802.3). */
  CDP: 0x2000,
  /** Spanning tree (T2's type for STP frames, which are 802.3 with LLC). */
  STP: 0x4242,
  RARP: 0x8035,
  /** 802.1Q VLAN tag. */
  VLAN: 0x8100,
  IPV6: 0x86dd,
  PPP: 0x880b,
  MPLS_UCAST: 0x8847,
  MPLS_MCAST: 0x8848,
  PPPOE_DISCOVERY: 0x8863,
  PPPOE_SESSION: 0x8864,
  /** 802.1ad service VLAN tag (QinQ). */
  QINQ: 0x88a8,
  LLDP: 0x88cc,
  /** Old QinQ tags. */
  VLAN_9100: 0x9100,
  VLAN_9200: 0x9200,
} as const;

/** Bits of the TCP flags byte (`Packet.tcpFlags()`). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;
