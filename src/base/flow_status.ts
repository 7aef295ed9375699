/**
 * flowStat bits (T2's 64-bit status register), split into two 32-bit words so that the hot
 * path never touches BigInt. Names without suffix live in the low word (bits 0-31); names
 * with the `_H` suffix are bits 32-63, shifted down by 32.
 *
 * @module
 */

// Low word: bits 0..31
/** Bit 0: flow is the reverse (B) direction of a bidirectional pair. */
export const L3FLOWINVERT = 0x00000001;
/** Bit 1: link layer is something other than Ethernet. */
export const L2_NO_ETH = 0x00000002;
/** Bit 2: layer-2 flow: the frame carries no IP. */
export const L2_FLOW = 0x00000004;
/** Bit 3: PPPoE discovery stage (EtherType 0x8863). */
export const L2_PPPOE_D = 0x00000008;
/** Bit 4: PPPoE session stage (EtherType 0x8864). */
export const L2_PPPOE_S = 0x00000010;
/** Bit 5: LLDP frame (EtherType 0x88cc). */
export const L2_LLDP = 0x00000020;
/** Bit 6: ARP or AppleTalk ARP frame. */
export const L2_ARP = 0x00000040;
/** Bit 7: reverse ARP frame. */
export const L2_RARP = 0x00000080;
/** Bit 8: one or more VLAN tags present. */
export const L2_VLAN = 0x00000100;
/** Bit 9: MPLS unicast label stack. */
export const L2_MPLS_UCAST = 0x00000200;
/** Bit 10: MPLS multicast label stack. */
export const L2_MPLS_MCAST = 0x00000400;
/** Bit 11: L2TP tunnel (v2 over UDP 1701 or v3 over IP protocol 115). */
export const L2_L2TP = 0x00000800;
/** Bit 12: GRE encapsulation. */
export const L2_GRE = 0x00001000;
/** Bit 13: PPP header present (PPP link type, or inside GRE, L2TP or PPPoE). */
export const L2_PPP = 0x00002000;
/** Bit 14: IPv4 flow or packet. */
export const L2_IPV4 = 0x00004000;
/** Bit 15: IPv6 flow or packet. */
export const L2_IPV6 = 0x00008000;
/** Bit 16: IP EtherType whose header has an unexpected version nibble. */
export const L3_IPVX = 0x00010000;
/** Bit 17: IP-in-IP: IPv4 or IPv6 carried inside IPv4 or IPv6. */
export const L3_IPIP = 0x00020000;
/** Bit 18: etherIP: Ethernet frames carried over IP. */
export const L3_ETHIPF = 0x00040000;
/** Bit 19: teredo tunnel. */
export const L3_TRDO = 0x00080000;
/** Bit 20: AYIYA tunnel. */
export const L3_AYIYA = 0x00100000;
/** Bit 21: GTP tunnel, decapsulated or not. */
export const L3_GTP = 0x00200000;
/** Bit 22: VXLAN or VXLAN-GPE encapsulation. */
export const L3_VXLAN = 0x00400000;
/** Bit 23: CAPWAP or LWAPP tunnel. */
export const L3_CAPWAP = 0x00800000;
/** Bit 24: SCTP transport. */
export const L4_SCTP = 0x01000000;
/** Bit 25: SSDP/UPnP: TCP or UDP port 1900 with the other port above 1024. */
export const L4_UPNP = 0x02000000;
/** Bit 26: ERSPAN encapsulation. */
export const L2_ERSPAN = 0x04000000;
/** Bit 27: WCCP redirection inside GRE. */
export const L2_WCCP = 0x08000000;
/** Bit 28: SIP/RTP; set by plugins, not by the core. */
export const L7_SIPRTP = 0x10000000;
/** Bit 29: GENEVE encapsulation. */
export const L3_GENEVE = 0x20000000;
/** Bit 30: IPsec Authentication Header. */
export const L3_IPSEC_AH = 0x40000000;
/** Bit 31: IPsec ESP (IP protocol 50 or UDP 4500); stored as a negative int32. */
export const L3_IPSEC_ESP = 0x80000000 | 0;

// High word: bits 32..63 (value = bit >> 32)
/** Bit 32: capture shorter than the minimal layer-2 header. */
export const L2SNAPLENGTH_H = 0x00000001;
/** Bit 33: captured layer-3 bytes fewer than the IP length field says. */
export const L3SNAPLENGTH_H = 0x00000002;
/** Bit 34: IP length below 20 bytes. */
export const L3HDRSHRTLEN_H = 0x00000004;
/** Bit 35: layer-4 header missing from the capture or truncated. */
export const L4HDRSHRTLEN_H = 0x00000008;
/** Bit 36: IPv4 or IPv6 fragmentation seen. */
export const IPV4_FRAG_H = 0x00000010;
/** Bit 37: fragment error (new head or unfragmented packet while pending, ID mismatch). */
export const IPV4_FRAG_ERR_H = 0x00000020;
/** Bit 38: a non-first fragment arrived with no first fragment before it. */
export const IPV4_FRAG_HDSEQ_ERR_H = 0x00000040;
/** Bit 39: datagram still incomplete; in the aggregate, a flow ended with one pending. */
export const IPV4_FRAG_PENDING_H = 0x00000080;
/** Bit 40: flow timed out (defined by T2 but never set by its core). */
export const FLWTMOUT_H = 0x00000100;
/** Bit 41: flow removed by force mode or by the flow-duration limit. */
export const RMFLOW_H = 0x00000200;
/** Bit 42: flow removed by the autopilot because the hash table was full. */
export const RMFLOW_HFULL_H = 0x00000400;
/** Bit 43: dissection stopped early (later fragment, unknown protocol, undecoded payload...). */
export const STPDSCT_H = 0x00000800;
/** Bit 44: consecutive packets of the flow (3rd on) share the same non-zero IPv4 ID. */
export const DUPIPID_H = 0x00001000;
/** Bit 45: compressed PPP whose header cannot be read. */
export const PPP_NRHD_H = 0x00002000;
/** Bit 46: IPv4 IHL gives fewer than 20 header bytes; the packet gets no flow. */
export const IPV4_HL_TOO_SHORT_H = 0x00004000;
/** Bit 47: IP length is 0 (TSO) with data present, or (IPv6) exceeds the framed bytes. */
export const IP_PL_MSMTCH_H = 0x00008000;
/** Bit 48: header description over 127 characters, or more than 4 distinct ones in a flow. */
export const HDOVRN_H = 0x00010000;
/** Bit 49: flow selected by alarm mode / pcapd. */
export const FL_ALARM_H = 0x00020000;
/** Bit 50: land attack, a TCP flow whose reversed key equals its own key. */
export const LANDATTACK_H = 0x00040000;
/** Bit 51: negative inter-arrival time (only computed in packet mode, `-s`). */
export const TIMEJUMP_H = 0x00080000;
/** Bit 52: set by the liveXtr plugin. */
export const LIVEXTR_H = 0x00100000;
/** Bit 55: subnet tested (defined by T2 but never set by its core). */
export const SUBN_FLW_TST_H = 0x00800000;
/** Bit 56: source or destination subnet is flagged as a Tor address. */
export const TORADD_H = 0x01000000;
/** Bit 57: a VLAN tag with VLAN ID 0 (priority tag). */
export const FS_VLAN0_H = 0x02000000;
/** Bit 58: an IPv4 header was dissected at some layer. */
export const FS_IPV4_PKT_H = 0x04000000;
/** Bit 59: an IPv6 header was dissected at some layer. */
export const FS_IPV6_PKT_H = 0x08000000;
/** Bit 60: LAPD flow. */
export const LAPD_FLOW_H = 0x10000000;
/** Bit 61: DTLS. */
export const L7_DTLS_H = 0x20000000;
/** Bit 62: subflow cut by the flow-duration limit keeps the original findex. */
export const FDLSIDX_H = 0x40000000;
/** Bit 63: caplen cut down by I/O buffering; stored as a negative int32. */
export const PCAPSNPD_H = 0x80000000 | 0;

/** Either MPLS bit. */
export const L2_MPLS = L2_MPLS_UCAST | L2_MPLS_MCAST;

const HEX = "0123456789abcdef";

/** `0x%016x` of a status split in two words. */
export function statusHex(lo: number, hi: number): string {
  let s = "0x";
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(hi >>> shift) & 15];
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(lo >>> shift) & 15];
  return s;
}

/** One end-report status line: the bit test and the text, in T2's order. */
interface StatusLine {
  readonly lo: number;
  readonly hi: number;
  readonly level: "wrn" | "inf";
  readonly text: string;
}

/** The status lines of the end report, in the order T2 prints them. */
export const STATUS_REPORT_LINES: readonly StatusLine[] = [
  { lo: 0, hi: L2SNAPLENGTH_H, level: "wrn", text: "L2 header snapped" },
  { lo: 0, hi: L3SNAPLENGTH_H, level: "wrn", text: "L3 SnapLength < Length in IP header" },
  { lo: 0, hi: L3HDRSHRTLEN_H, level: "wrn", text: "L3 header snapped" },
  { lo: 0, hi: L4HDRSHRTLEN_H, level: "wrn", text: "L4 header snapped" },
  { lo: 0, hi: LANDATTACK_H, level: "wrn", text: "Land attack" },
  {
    lo: 0,
    hi: TIMEJUMP_H,
    level: "wrn",
    text: "Timestamp jump, probably due to multi-path packet delay or NTP operation",
  },
  { lo: 0, hi: DUPIPID_H, level: "wrn", text: "Consecutive duplicate IP ID" },
  {
    lo: 0,
    hi: PCAPSNPD_H,
    level: "wrn",
    text: "PCAP packet length > IO_BUFFER_MAX_MTU, caplen reduced",
  },
  { lo: 0, hi: HDOVRN_H, level: "wrn", text: "Header description overrun" },
  { lo: L3_IPVX, hi: 0, level: "wrn", text: "IPvX L3 header bogus packets" },
  { lo: 0, hi: IPV4_HL_TOO_SHORT_H, level: "wrn", text: "IPv4 header length < 20 bytes" },
  { lo: 0, hi: IP_PL_MSMTCH_H, level: "wrn", text: "IPv4/6 payload length > framing length" },
  {
    lo: 0,
    hi: IPV4_FRAG_HDSEQ_ERR_H,
    level: "wrn",
    text: "IPv4/6 fragmentation header packet missing",
  },
  {
    lo: 0,
    hi: IPV4_FRAG_PENDING_H,
    level: "wrn",
    text: "IPv4/6 packet fragmentation sequence not finished",
  },
  {
    lo: 0,
    hi: STPDSCT_H,
    level: "inf",
    text: "Stop dissecting: Clipped packet, unhandled protocol or subsequent fragment",
  },
  { lo: L2_FLOW, hi: 0, level: "inf", text: "Layer 2 flows" },
  { lo: 0, hi: LAPD_FLOW_H, level: "inf", text: "LAPD flows" },
  { lo: L2_IPV4, hi: FS_IPV4_PKT_H, level: "inf", text: "IPv4 flows" },
  { lo: L2_IPV6, hi: FS_IPV6_PKT_H, level: "inf", text: "IPv6 flows" },
  { lo: L4_SCTP, hi: 0, level: "inf", text: "SCTP" },
  { lo: L2_NO_ETH, hi: 0, level: "inf", text: "No Ethernet header" },
  { lo: L2_ARP, hi: 0, level: "inf", text: "ARP" },
  { lo: L2_RARP, hi: 0, level: "inf", text: "RARP" },
  { lo: L2_LLDP, hi: 0, level: "inf", text: "LLDP" },
  { lo: L3_ETHIPF, hi: 0, level: "inf", text: "EtherIP" },
  { lo: L2_VLAN, hi: 0, level: "inf", text: "VLAN encapsulation" },
  { lo: 0, hi: FS_VLAN0_H, level: "inf", text: "VLAN ID 0 (priority tag)" },
  { lo: 0, hi: IPV4_FRAG_H, level: "inf", text: "IPv4/6 fragmentation" },
  { lo: L3_IPIP, hi: 0, level: "inf", text: "IPv4/6 in IPv4/6" },
  { lo: L3_VXLAN, hi: 0, level: "inf", text: "VXLAN encapsulation" },
  { lo: L3_GENEVE, hi: 0, level: "inf", text: "GENEVE encapsulation" },
  { lo: L2_MPLS, hi: 0, level: "inf", text: "MPLS encapsulation" },
  { lo: L2_L2TP, hi: 0, level: "inf", text: "L2TP encapsulation" },
  { lo: L2_PPP, hi: 0, level: "inf", text: "PPP/HDLC encapsulation" },
  { lo: L2_GRE, hi: 0, level: "inf", text: "GRE encapsulation" },
  { lo: L2_ERSPAN, hi: 0, level: "inf", text: "ERSPAN encapsulation" },
  { lo: L2_WCCP, hi: 0, level: "inf", text: "WCCP encapsulation" },
  { lo: L3_AYIYA, hi: 0, level: "inf", text: "AYIYA tunnel" },
  { lo: L3_GTP, hi: 0, level: "inf", text: "GTP tunnel" },
  { lo: L3_TRDO, hi: 0, level: "inf", text: "Teredo tunnel" },
  { lo: L3_CAPWAP, hi: 0, level: "inf", text: "CAPWAP/LWAPP tunnel" },
  { lo: L3_IPSEC_AH, hi: 0, level: "inf", text: "IPsec AH" },
  { lo: L3_IPSEC_ESP, hi: 0, level: "inf", text: "IPsec ESP" },
  { lo: L4_UPNP, hi: 0, level: "inf", text: "SSDP/UPnP" },
  { lo: L7_SIPRTP, hi: 0, level: "inf", text: "SIP/RTP" },
  { lo: 0, hi: L7_DTLS_H, level: "inf", text: "DTLS" },
  { lo: 0, hi: TORADD_H, level: "inf", text: "Tor addresses" },
  { lo: 0, hi: FL_ALARM_H, level: "inf", text: "IPAlarm" },
];
