/**
 * The wiring of the dissector: which decoder takes which link type, EtherType, IP protocol
 * (after IPv4, in the IPv6 walk), PPP protocol and tunnel port, and the names T2 writes into
 * header descriptions for those numbers (facts from T2 0.9.3's hdrDesc tables). The dispatch
 * loop (`dissect.ts`) reads only these tables; a number without a decoder is named from them,
 * `:UNK(..)` when unknown.
 *
 * To add a protocol: write its decoder in a module of its own (`(packet, offset, walk) → next`,
 * see `walk.ts`) and give it a row here (its number a name in `numbers.ts`). A new link type,
 * e.g. Symantec firewall (DLT 99): `link/symantec.ts` exporting `decodeSymantec`, and
 * `[DLT.SYMANTEC_FIREWALL, decodeSymantec]` in {@linkcode LINK_TYPES}. A link decoder that ends
 * at an EtherType field continues with `decodeTypeField(p, offset, walk)` (l2/type_field.ts); one
 * that wraps another link type continues with `walk.via(Space.LINK, dlt, offset, orElse)`, as
 * PPI does (link/ppi.ts); the 802.11 routine is `wlanHeader` (link/ieee80211.ts).
 *
 * @module
 */

import { STPDSCT_H } from "../base/flow_status.ts";
import { hdrDescTable } from "./hdr_desc.ts";
import { decodeIpv4, decodeIpv4Encapsulated, decodeIpv4InIpv4 } from "./ip/ipv4.ts";
import { decodeIpv6, decodeIpv6InIpv6 } from "./ip/ipv6.ts";
import { decodeFragment, decodeOptions, decodeRouting } from "./ip/ipv6_ext.ts";
import { decodeAarp, decodeArp, decodeRarp } from "./l2/arp.ts";
import { decodeErspan } from "./l2/erspan.ts";
import { decodeIpByEtherType } from "./l2/ip_type.ts";
import { decodeLldp } from "./l2/lldp.ts";
import { decodeMpls } from "./l2/mpls.ts";
import { decodePppoeDiscovery, decodePppoeSession } from "./l2/pppoe.ts";
import { decodeSlow } from "./l2/slow.ts";
import { decodeEthernet } from "./link/ethernet.ts";
import { decodeCiscoHdlc, decodeCiscoHdlcWithDir } from "./link/hdlc.ts";
import { decodeFrameRelay, decodeFrameRelayWithDir } from "./link/hdlc.ts";
import { decodeIeee80211 } from "./link/ieee80211.ts";
import { decodeJuniperAtm1, decodeJuniperEther } from "./link/juniper.ts";
import { decodeMpacket } from "./link/mpacket.ts";
import { decodeLoop, decodeNull } from "./link/null_loop.ts";
import { decodePpi } from "./link/ppi.ts";
import { decodePrism } from "./link/prism.ts";
import { decodeRadiotap } from "./link/radiotap.ts";
import { decodePppLink, decodePppWithDir } from "./link/ppp.ts";
import { decodeIpv4Link, decodeIpv6Link, decodeRawIp } from "./link/raw_ip.ts";
import { decodeSll, decodeSll2 } from "./link/sll.ts";
import { DLT, ETHERTYPE, IPPROTO, PPP_PROTO } from "./numbers.ts";
import type { Packet } from "./packet.ts";
import { P } from "./pieces.ts";
import { type PortRule, PORTS } from "./ports.ts";
import { decodeIcmpv6 } from "./transport/icmpv6.ts";
import { decodeIgmp } from "./transport/igmp.ts";
import { decodeAhAfterIpv4, decodeAhInIpv6, decodeEsp } from "./transport/ipsec.ts";
import { decodeOspfInIpv6 } from "./transport/ospf.ts";
import { decodePimAfterIpv4, decodePimInIpv6 } from "./transport/pim.ts";
import { decodeSctpAfterIpv4, decodeSctpInIpv6 } from "./transport/sctp.ts";
import { decodeTcpAfterIpv4, decodeTcpInIpv6 } from "./transport/tcp.ts";
import { decodeUdpAfterIpv4, decodeUdpInIpv6 } from "./transport/udp.ts";
import { decodeAyiya } from "./tunnel/ayiya.ts";
import { decodeCapwap, decodeLwapp } from "./tunnel/capwap.ts";
import { decodeEtherIpInIpv6, decodeEtherIpOnIpv4 } from "./tunnel/etherip.ts";
import { decodeGeneve } from "./tunnel/geneve.ts";
import { decodeGreAfterIpv4, decodeGreInIpv6, decodeGreOnIpv4 } from "./tunnel/gre.ts";
import { decodeGtp } from "./tunnel/gtp.ts";
import { decodeL2tp, decodeL2tpv3AfterIpv4, decodeL2tpv3InIpv6 } from "./tunnel/l2tp.ts";
import { decodeTeredo } from "./tunnel/teredo.ts";
import { decodeVxlan } from "./tunnel/vxlan.ts";
import { DECLINED, type Decoder, Space, Stage, type Walk } from "./walk.ts";

// ------------------------------------------------------------------------------ link types

/** Link types → decoder of the record's first header. */
const LINK_TYPES: readonly [number, Decoder][] = [
  [DLT.NULL, decodeNull],
  [DLT.LOOP, decodeLoop],
  [DLT.EN10MB, decodeEthernet],
  [DLT.RAW, decodeRawIp],
  [DLT.IPV4, decodeIpv4Link],
  [DLT.IPV6, decodeIpv6Link],
  [DLT.LINUX_SLL, decodeSll],
  [DLT.LINUX_SLL2, decodeSll2],
  [DLT.PPP, decodePppLink],
  [DLT.PPP_SERIAL, decodePppLink],
  [DLT.PPP_WITH_DIR, decodePppWithDir],
  [DLT.C_HDLC, decodeCiscoHdlc],
  [DLT.C_HDLC_WITH_DIR, decodeCiscoHdlcWithDir],
  [DLT.FRELAY, decodeFrameRelay],
  [DLT.FRELAY_WITH_DIR, decodeFrameRelayWithDir],
  [DLT.IEEE802_11, decodeIeee80211],
  [DLT.IEEE802_11_RADIO, decodeRadiotap],
  [DLT.PRISM_HEADER, decodePrism],
  [DLT.PPI, decodePpi],
  [DLT.JUNIPER_ETHER, decodeJuniperEther],
  [DLT.JUNIPER_PPPOE, decodeJuniperEther],
  [DLT.JUNIPER_ATM1, decodeJuniperAtm1],
  [DLT.ETHERNET_MPACKET, decodeMpacket],
];

// ------------------------------------------------------------------------------ EtherTypes

/**
 * EtherTypes (host order): name, and the decoder after a link layer, VLAN tags, LLC/SNAP,
 * MPLS or ERSPAN. A type without a decoder ends an L2 frame (named).
 */
const ETHER_TYPES: readonly [number, string, Decoder?][] = [
  [0x0000, ":wlccp"],
  [0x0104, ":pagp"],
  [0x010b, ":stp"],
  [0x0111, ":udld"],
  [0x00bb, ":edp"],
  [0x01a1, ":ndp"],
  [0x01a2, ":ndp"],
  [0x0600, ":idp"],
  [ETHERTYPE.IPV4, ":ipv4", decodeIpByEtherType],
  [ETHERTYPE.ARP, ":arp", decodeArp],
  [0x0bad, ":vines_ip"],
  [0x2000, ":cdp"],
  [0x2001, ":cgmp"],
  [0x2003, ":vtp"],
  [0x2004, ":dtp"],
  [0x6002, ":dec_mop"],
  [0x6003, ":dec_dna"],
  [0x6004, ":lat"],
  [ETHERTYPE.TEB, ":eth"],
  [0x8021, ":ipcp"],
  [ETHERTYPE.RARP, ":rarp", decodeRarp],
  [0x8038, ":dec_stp"],
  [0x809b, ":ddp"],
  [ETHERTYPE.AARP, ":aarp", decodeAarp],
  [0x80fd, ":ccp"],
  [ETHERTYPE.VLAN, ":vlan"], // tags left over after the VLAN stack (at the frame's end)
  [0x8137, ":ipx"],
  [0x872d, ":wlccp"],
  [ETHERTYPE.IPV6, ":ipv6", decodeIpByEtherType],
  [ETHERTYPE.SLOW, ":slow", decodeSlow],
  [ETHERTYPE.PPP, ":ppp"],
  [ETHERTYPE.WCCP, ":wccp"],
  [ETHERTYPE.MPLS_UNICAST, ":mpls", decodeMpls],
  [ETHERTYPE.MPLS_MULTICAST, ":mpls", decodeMpls],
  [ETHERTYPE.PPPOE_DISCOVERY, ":pppoed", decodePppoeDiscovery],
  [ETHERTYPE.PPPOE_SESSION, ":pppoes", decodePppoeSession],
  [0x886f, ":msnlb"],
  [ETHERTYPE.LLC_JUMBO, ":llc"],
  [ETHERTYPE.EAPOL, ":eapol"],
  [0x8899, ":realtek"],
  [0x88a2, ":aoe"],
  [ETHERTYPE.QINQ, ":vlan"],
  [0x88bb, ":lwapp"],
  [ETHERTYPE.ERSPAN, ":erspan", decodeErspan],
  [ETHERTYPE.LLDP, ":lldp", decodeLldp],
  [0x88f7, ":ptp"],
  [0x8902, ":cfm"],
  [0x8906, ":fcoe:fc"],
  [0x890d, ":wlan"],
  [0x9000, ":loop"],
  [ETHERTYPE.VLAN_9100, ":vlan"],
  [ETHERTYPE.VLAN_9200, ":vlan"],
  [0xc021, ":lcp"],
  [0xc029, ":cbcp"],
  [0xc223, ":chap"],
];

/**
 * EtherTypes of an Ethernet frame inside VXLAN or GENEVE, past IPv4 and IPv6
 * (tunnel/tunnel_ethernet.ts); any other is named and the tunnel gives up.
 */
const ETHER_TYPES_IN_TUNNEL: readonly [number, Decoder][] = [
  [ETHERTYPE.PPPOE_DISCOVERY, decodePppoeDiscovery],
  [ETHERTYPE.PPPOE_SESSION, decodePppoeSession],
];

// ------------------------------------------------------------------------------ IP protocols

/**
 * IP protocols: name, decoder after the innermost IPv4 header, decoder in the IPv6 walk. A
 * protocol without a decoder is named and ends the IP header's dissection. (T2's two code
 * paths differ: ESP, IGMP are only decoded after IPv4; the extension headers, ICMPv6 and
 * OSPF only in IPv6.)
 */
const IP_PROTOCOLS: readonly [number, string, Decoder?, Decoder?][] = [
  [IPPROTO.HOPOPTS, ":ipv6.hopopts", undefined, decodeOptions],
  [IPPROTO.ICMP, ":icmp"],
  [IPPROTO.IGMP, ":igmp", decodeIgmp],
  [IPPROTO.IPV4, ":ipv4", decodeIpv4InIpv4, decodeIpv4],
  [IPPROTO.TCP, ":tcp", decodeTcpAfterIpv4, decodeTcpInIpv6],
  [8, ":egp"],
  [9, ":igp"],
  [IPPROTO.UDP, ":udp", decodeUdpAfterIpv4, decodeUdpInIpv6],
  [33, ":dccp"],
  [36, ":xtp"],
  [37, ":ddp"],
  [IPPROTO.IPV6, ":ipv6", undefined, decodeIpv6InIpv6],
  [IPPROTO.ROUTING, ":ipv6.routing", undefined, decodeRouting],
  [IPPROTO.FRAGMENT, ":ipv6.fraghdr", undefined, decodeFragment],
  [45, ":idrp"],
  [46, ":rsvp"],
  [IPPROTO.GRE, ":gre", decodeGreAfterIpv4, decodeGreInIpv6],
  [48, ":dsr"],
  [IPPROTO.ESP, ":esp", decodeEsp],
  [IPPROTO.AH, ":ah", decodeAhAfterIpv4, decodeAhInIpv6],
  [53, ":swipe"],
  [54, ":nhrp"],
  [IPPROTO.ICMPV6, ":icmpv6", undefined, decodeIcmpv6],
  [IPPROTO.NO_NEXT_HEADER, ""],
  [IPPROTO.DSTOPTS, ":ipv6.dstopts", undefined, decodeOptions],
  [80, ":osi"],
  [83, ":vines"],
  [88, ":eigrp"],
  [IPPROTO.OSPF, ":ospf", undefined, decodeOspfInIpv6],
  [93, ":ax25"],
  [IPPROTO.ETHERIP, ":etherip", undefined, decodeEtherIpInIpv6],
  [IPPROTO.PIM, ":pim", decodePimAfterIpv4, decodePimInIpv6],
  [108, ":ipcomp"],
  [112, ":vrrp"],
  [113, ":pgm"],
  [IPPROTO.L2TP, ":l2tp", decodeL2tpv3AfterIpv4, decodeL2tpv3InIpv6],
  [IPPROTO.SCTP, ":sctp", decodeSctpAfterIpv4, decodeSctpInIpv6],
  [134, ":rsvp-e2ei"],
  [135, ":mipv6"],
  [IPPROTO.UDPLITE, ":udplite", decodeUdpAfterIpv4, decodeUdpInIpv6],
  [137, ":mpls"],
  [139, ":hip"],
  [140, ":shim6"],
];

// ------------------------------------------------------------------------------ PPP, LLC

/** PPP protocols (host order): name, decoder (the same after a PPP link, PPPoE and L2TP). */
const PPP_PROTOCOLS: readonly [number, string, Decoder?][] = [
  [PPP_PROTO.IPV4, ":ipv4", decodeIpv4],
  [0x0023, ":osi"],
  [PPP_PROTO.MULTILINK, ":ppp:mp"],
  [PPP_PROTO.IPV6, ":ipv6", decodeIpv6],
  [PPP_PROTO.COMPRESSED, ":comp_data"],
  [0x0207, ":cdp"],
  [PPP_PROTO.MPLS_UNICAST, ":mpls"], // decoded after a PPP link only (link/ppp.ts)
  [PPP_PROTO.MPLS_MULTICAST, ":mpls"],
  [0x8021, ":ipcp"],
  [0x80fd, ":ccp"],
  [0xc021, ":lcp"],
  [0xc023, ":pap"],
  [0xc223, ":chap"],
];

/** LLC DSAPs: names only ("" for SAPs T2 leaves unnamed). */
const LLC_SAPS: readonly [number, string][] = [
  [0x00, ""],
  [0x01, ""],
  [0x02, ""],
  [0x04, ":sna"],
  [0x06, ""],
  [0x08, ":sna"],
  [0x0c, ":sna"],
  [0x10, ":ipx"],
  [0x14, ":osi"],
  [0x20, ":osi"],
  [0x34, ":osi"],
  [0x40, ":sna"],
  [0x42, ":stp"],
  [0x54, ":osi"],
  [0x7e, ":x25"],
  [0x80, ":3comxns"],
  [0x82, ":bacnet"],
  [0xaa, ""],
  [0xbc, ":vines_llc"],
  [0xc8, ":sna"],
  [0xe0, ":ipx"],
  [0xf0, ":netbios"],
  [0xf8, ":hpext"],
  [0xfc, ":rpl"],
  [0xfe, ":osi"],
  [0xff, ""],
];

// ------------------------------------------------------------------------------ tunnels by port

/** A tunnel T2 tries by the transport ports of an IPv4 header (on the rule's protocols). */
interface PortTunnel {
  readonly rule: PortRule;
  /** Decoder of the transport payload; {@linkcode DECLINED} lets the next one try. */
  readonly decode: Decoder;
}

/** T2 appends `:udp` once, before the first UDP tunnel it tries. */
function afterUdpPiece(decode: Decoder): Decoder {
  return (p, off, w) => {
    if (!w.l4Named) {
      p.addHdr(P.UDP);
      w.l4Named = true;
    }
    return decode(p, off, w);
  };
}

/** Tunnels tried by port on an IPv4 header, in T2's order, while dissection is not stopped. */
const IPV4_PORT_TUNNELS: readonly PortTunnel[] = [
  { rule: PORTS.AYIYA, decode: decodeAyiya },
  { rule: PORTS.GTP, decode: afterUdpPiece(decodeGtp) },
  { rule: PORTS.VXLAN, decode: afterUdpPiece(decodeVxlan) },
  { rule: PORTS.GENEVE, decode: afterUdpPiece(decodeGeneve) },
  { rule: PORTS.CAPWAP, decode: afterUdpPiece(decodeCapwap) },
  { rule: PORTS.LWAPP, decode: afterUdpPiece(decodeLwapp) },
  { rule: PORTS.L2TP, decode: afterUdpPiece(decodeL2tp) },
  { rule: PORTS.TEREDO, decode: afterUdpPiece(decodeTeredo) },
];

/** {@linkcode IPV4_PORT_TUNNELS} by IP protocol. */
const PORT_TUNNELS_BY_PROTOCOL: readonly PortTunnel[][] = Array.from(
  { length: 256 },
  (_, proto) => IPV4_PORT_TUNNELS.filter((t) => t.rule.protocols.includes(proto)),
);

/** Try the tunnels of {@linkcode IPV4_PORT_TUNNELS} on the transport payload at `off`. */
function tryIpv4PortTunnels(p: Packet, off: number, w: Walk): number {
  const tunnels = PORT_TUNNELS_BY_PROTOCOL[p.u8(p.l3Off + 9)];
  for (let i = 0; i < tunnels.length; i++) {
    if (p.statusHi & STPDSCT_H) break;
    const t = tunnels[i];
    if (!t.rule.matches(p.srcPort, p.dstPort)) continue;
    const next = t.decode(p, off, w);
    if (next !== DECLINED) return next;
  }
  return decodeIpv4Encapsulated(p, off, w);
}

// ------------------------------------------------------------------------------ stages

/** Internal decoders by {@linkcode Stage}. */
const STAGES: readonly [number, Decoder][] = [
  [Stage.IPV4_PORT_TUNNELS, tryIpv4PortTunnels],
  [Stage.GRE_ON_IPV4, decodeGreOnIpv4],
  [Stage.ETHERIP_ON_IPV4, decodeEtherIpOnIpv4],
];

// ------------------------------------------------------------------------------ derived tables

/** The names of one space's numbers. */
export class Names {
  readonly #pieces = new Map<number, number[]>();

  constructor(
    rows: readonly (readonly [number, string, ...unknown[]])[],
    /** The text of an unknown number. */
    readonly unknownText: (code: number) => string,
  ) {
    for (const [code, name] of rows) this.#pieces.set(code, piecesOf(name));
  }

  /** Pieces naming `code`, or null when it is unknown. */
  pieces(code: number): number[] | null {
    return this.#pieces.get(code) ?? null;
  }

  /** The `:UNK(..)` piece of an unknown number. */
  unknown(code: number): number {
    return hdrDescTable.piece(this.unknownText(code));
  }
}

/** `":fcoe:fc"` → the pieces `:fcoe`, `:fc`; `""` → none. */
function piecesOf(name: string): number[] {
  return name === "" ? [] : name.split(/(?=:)/).map((n) => hdrDescTable.piece(n));
}

const hex = (v: number, width: number) => v.toString(16).padStart(width, "0");

const ETHER_NAMES = new Names(ETHER_TYPES, (t) => `:UNK(0x${hex(t, 4)})`);
const IP_NAMES = new Names(IP_PROTOCOLS, (p) => `:UNK(${p})`);
// T2 prints an unknown PPP protocol as read on a little-endian host: its two bytes swapped.
const PPP_NAMES = new Names(
  PPP_PROTOCOLS,
  (p) => `:UNK(0x${hex(((p & 0xff) << 8) | (p >>> 8), 4)})`,
);
const LLC_NAMES = new Names(LLC_SAPS, (sap) => `:UNK(0x${hex(sap, 2)})`);

/** One entry per {@linkcode Space}, in the order of their numbers. */
function bySpace<T>(entries: Record<number, T>): T[] {
  return Object.values(Space).map((space) => {
    if (!(space in entries)) throw new Error(`wiring: nothing for space ${space}`);
    return entries[space];
  });
}

type Rows = readonly (readonly [number, Decoder | undefined])[];

/** The rows of decoders, by {@linkcode Space}. */
const ROWS: readonly Rows[] = bySpace<Rows>({
  [Space.STAGE]: STAGES,
  [Space.LINK]: LINK_TYPES,
  [Space.ETHER]: ETHER_TYPES.map(([code, , decode]) => [code, decode] as const),
  [Space.ETHER_IN_TUNNEL]: ETHER_TYPES_IN_TUNNEL,
  [Space.IPV4_NEXT]: IP_PROTOCOLS.map(([code, , afterIpv4]) => [code, afterIpv4] as const),
  [Space.IPV6_NEXT]: IP_PROTOCOLS.map(([code, , , inIpv6]) => [code, inIpv6] as const),
  [Space.PPP]: PPP_PROTOCOLS.map(([code, , decode]) => [code, decode] as const),
  [Space.ETHER_NAME]: [],
  [Space.IP_NAME]: [],
  [Space.PPP_NAME]: [],
  [Space.LLC_NAME]: [],
});

function noDecoder(): number {
  throw new Error("dissector: no decoder");
}

/** Every decoder of the tables, once; index 0 means "none". */
export const DECODERS: readonly Decoder[] = [
  noDecoder,
  ...new Set(ROWS.flatMap((rows) => rows.flatMap(([, decode]) => decode ? [decode] : []))),
];

/**
 * The decoder of each number that has one, as an index into {@linkcode DECODERS}, keyed by
 * `space * 0x10000 + number` (the value `Walk.via` returns) in an open-addressing hash table:
 * a few loads per step, and a few kilobytes instead of an array over every number.
 */
const INDEX_KEYS = new Int32Array(512).fill(-1);
const INDEX_VALUES = new Uint8Array(512);

function slot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 23; // the top 9 bits: 512 slots
}

ROWS.forEach((rows, space) => {
  if (DECODERS.length > 256) throw new Error("wiring: more than 255 decoders");
  for (const [code, decode] of rows) {
    if (decode === undefined) continue;
    const key = space * 0x10000 + code;
    let i = slot(key);
    while (INDEX_KEYS[i] !== -1 && INDEX_KEYS[i] !== key) i = (i + 1) & 511;
    INDEX_KEYS[i] = key;
    INDEX_VALUES[i] = DECODERS.indexOf(decode);
  }
});

/** The index into {@linkcode DECODERS} of the decoder of `key` (a `Walk.via` value), 0: none. */
export function decoderIndex(key: number): number {
  let i = slot(key);
  for (;;) {
    const k = INDEX_KEYS[i];
    if (k === key) return INDEX_VALUES[i];
    if (k === -1) return 0;
    i = (i + 1) & 511;
  }
}

/** Whether `code` of `space` has a decoder. */
export function hasDecoder(space: number, code: number): boolean {
  return code >= 0 && code < 0x10000 && decoderIndex(space * 0x10000 + code) !== 0;
}

/** Names by {@linkcode Space} (null: the numbers of the space are not named). */
export const NAMES: readonly (Names | null)[] = bySpace<Names | null>({
  [Space.STAGE]: null,
  [Space.LINK]: null,
  [Space.ETHER]: ETHER_NAMES,
  [Space.ETHER_IN_TUNNEL]: ETHER_NAMES,
  [Space.IPV4_NEXT]: IP_NAMES,
  [Space.IPV6_NEXT]: IP_NAMES,
  [Space.PPP]: PPP_NAMES,
  [Space.ETHER_NAME]: ETHER_NAMES,
  [Space.IP_NAME]: IP_NAMES,
  [Space.PPP_NAME]: PPP_NAMES,
  [Space.LLC_NAME]: LLC_NAMES,
});

/** Whether the dissector handles this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return hasDecoder(Space.LINK, linkType);
}
