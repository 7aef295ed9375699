/**
 * Protocol numbers by name: link types, EtherTypes, IP protocols, PPP protocols, LLC SAPs. The
 * decoders test these names, never raw numbers; `wiring.ts` maps the numbers to decoders and
 * to the names written into header descriptions.
 *
 * @module
 */

/** Link types (DLT numbers as read from the capture, reserved bits masked). */
export const DLT = {
  NULL: 0,
  EN10MB: 1,
  PPP: 9,
  RAW: 12,
  PPP_SERIAL: 50,
  C_HDLC: 104,
  IEEE802_11: 105,
  FRELAY: 107,
  LOOP: 108,
  LINUX_SLL: 113,
  PRISM_HEADER: 119,
  IEEE802_11_RADIO: 127,
  JUNIPER_ATM1: 137,
  JUNIPER_PPPOE: 167,
  LINUX_LAPD: 177,
  JUNIPER_ETHER: 178,
  PPI: 192,
  LAPD: 203,
  PPP_WITH_DIR: 204,
  C_HDLC_WITH_DIR: 205,
  FRELAY_WITH_DIR: 206,
  IPV4: 228,
  IPV6: 229,
  ETHERNET_MPACKET: 274,
  LINUX_SLL2: 276,
} as const;

/** EtherTypes (host order). */
export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  /** Transparent Ethernet bridging (an Ethernet frame inside GRE). */
  TEB: 0x6558,
  RARP: 0x8035,
  AARP: 0x80f3,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  SLOW: 0x8809,
  PPP: 0x880b,
  WCCP: 0x883e,
  MPLS_UNICAST: 0x8847,
  MPLS_MULTICAST: 0x8848,
  PPPOE_DISCOVERY: 0x8863,
  PPPOE_SESSION: 0x8864,
  /** Jumbo LLC: an 802.3 length field in disguise. */
  LLC_JUMBO: 0x8870,
  EAPOL: 0x888e,
  QINQ: 0x88a8,
  ERSPAN: 0x88be,
  LLDP: 0x88cc,
  VLAN_9100: 0x9100,
  VLAN_9200: 0x9200,
} as const;

/** Largest 802.3 length: a larger type/length field is an EtherType. */
export const MAX_8023_LENGTH = 1500;

/** IP protocol numbers (IPv6 next-header values). */
export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  IGMP: 2,
  IPV4: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  ROUTING: 43,
  FRAGMENT: 44,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NO_NEXT_HEADER: 59,
  DSTOPTS: 60,
  OSPF: 89,
  ETHERIP: 97,
  PIM: 103,
  L2TP: 115,
  SCTP: 132,
  UDPLITE: 136,
} as const;

/** PPP protocol numbers (host order). */
export const PPP_PROTO = {
  IPV4: 0x0021,
  MULTILINK: 0x003d,
  IPV6: 0x0057,
  COMPRESSED: 0x00fd,
  MPLS_UNICAST: 0x0281,
  MPLS_MULTICAST: 0x0283,
} as const;

/** HDLC address and control bytes in front of a PPP protocol field. */
export const PPP_ADDRESS_CONTROL = 0xff03;

/** LLC service access points (DSAP values). */
export const LLC_SAP = {
  /** IP directly after the LLC header. */
  IP: 0x06,
  /** SNAP: a 5-byte SNAP header with an EtherType follows. */
  SNAP: 0xaa,
} as const;
