/**
 * The names T2 writes into header descriptions for IP protocol numbers, EtherTypes, LLC SAPs
 * and PPP protocols (facts from T2 0.9.3's hdrDesc tables). Values are host-order numbers;
 * each entry lists the pieces appended, an unknown value yields `:UNK(...)` and stops
 * dissection (the caller sets STPDSCT).
 *
 * @module
 */

import { hdrDescTable } from "./hdr_desc.ts";

function pieces(...names: string[]): number[] {
  return names.map((n) => hdrDescTable.piece(n));
}

function tableOf(entries: Record<number, string[]>, size: number): (number[] | undefined)[] {
  const t: (number[] | undefined)[] = new Array(size).fill(undefined);
  for (const [k, v] of Object.entries(entries)) t[Number(k)] = pieces(...v);
  return t;
}

/** IP protocol number → pieces ([] for "no next header"). */
const IP_PROTO = tableOf({
  0: [":ipv6.hopopts"],
  1: [":icmp"],
  2: [":igmp"],
  4: [":ipv4"],
  6: [":tcp"],
  8: [":egp"],
  9: [":igp"],
  17: [":udp"],
  33: [":dccp"],
  36: [":xtp"],
  37: [":ddp"],
  41: [":ipv6"],
  43: [":ipv6.routing"],
  44: [":ipv6.fraghdr"],
  45: [":idrp"],
  46: [":rsvp"],
  47: [":gre"],
  48: [":dsr"],
  50: [":esp"],
  51: [":ah"],
  53: [":swipe"],
  54: [":nhrp"],
  58: [":icmpv6"],
  59: [],
  60: [":ipv6.dstopts"],
  80: [":osi"],
  83: [":vines"],
  88: [":eigrp"],
  89: [":ospf"],
  93: [":ax25"],
  97: [":etherip"],
  103: [":pim"],
  108: [":ipcomp"],
  112: [":vrrp"],
  113: [":pgm"],
  115: [":l2tp"],
  132: [":sctp"],
  134: [":rsvp-e2ei"],
  135: [":mipv6"],
  136: [":udplite"],
  137: [":mpls"],
  139: [":hip"],
  140: [":shim6"],
}, 256);

/** EtherType (host order) → pieces. */
const ETH_PROTO = new Map<number, number[]>();
for (
  const [type, names] of [
    [0x0000, [":wlccp"]],
    [0x0600, [":idp"]],
    [0x0800, [":ipv4"]],
    [0x2000, [":cdp"]],
    [0x8100, [":vlan"]],
    [0x9000, [":loop"]],
    [0x2001, [":cgmp"]],
    [0x8902, [":cfm"]],
    [0x2003, [":vtp"]],
    [0x6003, [":dec_dna"]],
    [0x0104, [":pagp"]],
    [0x2004, [":dtp"]],
    [0x6004, [":lat"]],
    [0x0806, [":arp"]],
    [0x8906, [":fcoe", ":fc"]],
    [0x8809, [":slow"]],
    [0x010b, [":stp"]],
    [0x880b, [":ppp"]],
    [0x890d, [":wlan"]],
    [0x0111, [":udld"]],
    [0x8021, [":ipcp"]],
    [0xc021, [":lcp"]],
    [0xc223, [":chap"]],
    [0xc029, [":cbcp"]],
    [0x872d, [":wlccp"]],
    [0x8035, [":rarp"]],
    [0x8137, [":ipx"]],
    [0x8038, [":dec_stp"]],
    [0x883e, [":wccp"]],
    [0x8847, [":mpls"]],
    [0x8848, [":mpls"]],
    [0x6558, [":eth"]],
    [0x6002, [":dec_mop"]],
    [0x8863, [":pppoed"]],
    [0x8864, [":pppoes"]],
    [0x886f, [":msnlb"]],
    [0x8870, [":llc"]],
    [0x888e, [":eapol"]],
    [0x809b, [":ddp"]],
    [0x01a1, [":ndp"]],
    [0x01a2, [":ndp"]],
    [0x88a2, [":aoe"]],
    [0x88a8, [":vlan"]],
    [0x9100, [":vlan"]],
    [0x9200, [":vlan"]],
    [0x8899, [":realtek"]],
    [0x0bad, [":vines_ip"]],
    [0x00bb, [":edp"]],
    [0x88bb, [":lwapp"]],
    [0x88be, [":erspan"]],
    [0x88cc, [":lldp"]],
    [0x86dd, [":ipv6"]],
    [0x80f3, [":aarp"]],
    [0x80fd, [":ccp"]],
    [0x88f7, [":ptp"]],
  ] as [number, string[]][]
) ETH_PROTO.set(type, pieces(...names));

/** LLC DSAP → pieces ([] for SAPs T2 leaves unnamed). */
const LLC_PROTO = tableOf({
  0x00: [],
  0x01: [],
  0x02: [],
  0x04: [":sna"],
  0x06: [],
  0x08: [":sna"],
  0x0c: [":sna"],
  0x10: [":ipx"],
  0x14: [":osi"],
  0x20: [":osi"],
  0x34: [":osi"],
  0x40: [":sna"],
  0x42: [":stp"],
  0x54: [":osi"],
  0x7e: [":x25"],
  0x80: [":3comxns"],
  0x82: [":bacnet"],
  0xaa: [],
  0xbc: [":vines_llc"],
  0xc8: [":sna"],
  0xe0: [":ipx"],
  0xf0: [":netbios"],
  0xf8: [":hpext"],
  0xfc: [":rpl"],
  0xfe: [":osi"],
  0xff: [],
}, 256);

/** PPP protocol (host order) → pieces. */
const PPP_PROTO = new Map<number, number[]>();
for (
  const [type, names] of [
    [0x0207, [":cdp"]],
    [0x0021, [":ipv4"]],
    [0x8021, [":ipcp"]],
    [0xc021, [":lcp"]],
    [0x0023, [":osi"]],
    [0xc023, [":pap"]],
    [0xc223, [":chap"]],
    [0x003d, [":ppp", ":mp"]],
    [0x0057, [":ipv6"]],
    [0x0281, [":mpls"]],
    [0x0283, [":mpls"]],
    [0x00fd, [":comp_data"]],
    [0x80fd, [":ccp"]],
  ] as [number, string[]][]
) PPP_PROTO.set(type, pieces(...names));

const hex = (v: number, width: number) => v.toString(16).padStart(width, "0");

/** Pieces naming IP protocol `p`, or `null` when unknown (`:UNK(p)`). */
export function ipProtoPieces(p: number): number[] | null {
  return IP_PROTO[p] ?? null;
}

/** The `:UNK(p)` piece of an unknown IP protocol. */
export function unknownIpProtoPiece(p: number): number {
  return hdrDescTable.piece(`:UNK(${p})`);
}

/** Pieces naming an EtherType, or `null` when unknown. */
export function ethProtoPieces(type: number): number[] | null {
  return ETH_PROTO.get(type) ?? null;
}

/** The `:UNK(0x....)` piece of an unknown EtherType. */
export function unknownEthProtoPiece(type: number): number {
  return hdrDescTable.piece(`:UNK(0x${hex(type, 4)})`);
}

/** Pieces naming an LLC DSAP, or `null` when unknown. */
export function llcProtoPieces(dsap: number): number[] | null {
  return LLC_PROTO[dsap] ?? null;
}

/** The `:UNK(0x..)` piece of an unknown LLC DSAP. */
export function unknownLlcProtoPiece(dsap: number): number {
  return hdrDescTable.piece(`:UNK(0x${hex(dsap, 2)})`);
}

/** Pieces naming a PPP protocol, or `null` when unknown. */
export function pppProtoPieces(proto: number): number[] | null {
  return PPP_PROTO.get(proto) ?? null;
}

/**
 * The `:UNK(0x....)` piece of an unknown PPP protocol. T2 prints the protocol as read from
 * the wire on a little-endian host, i.e. with its two bytes swapped.
 */
export function unknownPppProtoPiece(proto: number): number {
  const swapped = ((proto & 0xff) << 8) | (proto >>> 8);
  return hdrDescTable.piece(`:UNK(0x${hex(swapped, 4)})`);
}
