/**
 * The header-description pieces the decoders append (`eth`, `:ipv4`, ...), interned once.
 *
 * @module
 */

import { hdrDescTable } from "./hdr_desc.ts";
import type { Packet } from "./packet.ts";

const piece = (s: string) => hdrDescTable.piece(s);

/** Header-description pieces appended by the decoders. */
export const P = {
  ETH: piece("eth"),
  ETH_C: piece(":eth"),
  ISL: piece("isl:"),
  NULL: piece("null"),
  RAW: piece("raw"),
  SLL: piece("sll"),
  SLL2: piece("sll2"),
  PPP_LINK: piece("ppp"),
  CHDLC_LINK: piece("chdlc"),
  FR_LINK: piece("fr"),
  WLAN_LINK: piece("wlan"),
  WLAN: piece(":wlan"),
  RADIOTAP: piece("radiotap"),
  PRISM: piece("prism"),
  PPI: piece("ppi:"),
  JUNIPER: piece("juniper"),
  FPP: piece("fpp:"),
  LLC: piece(":llc"),
  IPVX: piece(":ipvx"),
  IPV4: piece(":ipv4"),
  IPV6: piece(":ipv6"),
  VLAN: piece(":vlan"),
  MPLS: piece(":mpls"),
  PWETHCW: piece(":pwethcw"),
  ERSPAN: piece(":erspan"),
  AARP: piece(":aarp"),
  ARP: piece(":arp"),
  RARP: piece(":rarp"),
  PPPOED: piece(":pppoed"),
  PPPOES: piece(":pppoes"),
  PPP: piece(":ppp"),
  CHDLC: piece(":chdlc"),
  MP: piece(":mp"),
  LLDP: piece(":lldp"),
  SLOW: piece(":slow"),
  LACP: piece(":lacp"),
  MARKER: piece(":marker"),
  OAMPDU: piece(":oampdu"),
  OSSP: piece(":ossp"),
  TCP: piece(":tcp"),
  UDP: piece(":udp"),
  UDPLITE: piece(":udplite"),
  SCTP: piece(":sctp"),
  SSDP: piece(":ssdp"),
  DTLS12: piece(":dtls1.2"),
  DTLS10: piece(":dtls1.0"),
  DTLS: piece(":dtls"),
  UDPENCAP: piece(":udpencap"),
  ESP: piece(":esp"),
  ISAKMP: piece(":isakmp"),
  AH: piece(":ah"),
  L2TP: piece(":l2tp"),
  IGMP: piece(":igmp"),
  DVMRP: piece(":dvmrp"),
  PIM: piece(":pim"),
  RGMP: piece(":rgmp"),
  GRE: piece(":gre"),
  COMP_DATA: piece(":comp_data"),
  WCCP: piece(":wccp"),
  ETHERIP: piece(":etherip"),
  GTP: piece(":gtp"),
  VXLAN: piece(":vxlan"),
  VXLAN_GPE: piece(":vxlan_gpe"),
  NSH: piece(":nsh"),
  GENEVE: piece(":geneve"),
  CAPWAP: piece(":capwap"),
  CAPWAP_DATA: piece(":capwap.data"),
  EAPOL: piece(":eapol"),
  LWAPP: piece(":lwapp"),
  TEREDO: piece(":teredo"),
  AYIYA: piece(":ayiya"),
  HOPOPTS: piece(":ipv6.hopopts"),
  DSTOPTS: piece(":ipv6.dstopts"),
  ROUTING: piece(":ipv6.routing"),
  FRAGHDR: piece(":ipv6.fraghdr"),
  ICMPV6: piece(":icmpv6"),
  OSPF: piece(":ospf"),
} as const;

/** `{n}` piece of an aggregated repeated header. */
function repeatPiece(n: number): number {
  return hdrDescTable.piece(`{${n}}`);
}

/**
 * T2's aggregated repeated header (VLAN tags, MPLS labels): `piece`, then `{n}` when n >= 2;
 * counts n headers in all.
 */
export function addRepeated(p: Packet, piece: number, n: number): void {
  p.addHdr(piece);
  if (n < 2) return;
  p.addHdr(repeatPiece(n));
  p.numHdrs += n - 2;
}
