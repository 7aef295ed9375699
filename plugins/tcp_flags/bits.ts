/**
 * The bit fields tcpFlags writes (spec/plugins/tcpFlags.md §7), by name.
 *
 * @module
 */

/** `tcpFStat` bits (per packet in `-s`, OR'ed per flow). */
export const FStat = {
  /** Set after every packet: every IP flow has it. */
  PKT: 0x0001,
  /** First non-decreasing TCP timestamp seen. */
  TS_FIRST: 0x0002,
  /** TSval lower than the highest seen. */
  TS_BACK: 0x0004,
  /** Options not captured, or an option of length 0. */
  OPT_BAD: 0x0008,
  /** First TCP packet processed (window initialised). */
  WIN_INIT: 0x0010,
  /** Window update. */
  WIN_UPDATE: 0x0020,
  /** Zero-window probe. */
  ZWIN_PROBE: 0x0040,
  /** Answer to a zero-window probe. */
  ZWIN_PROBE_ACK: 0x0080,
  /** Effective window below WINMIN. */
  WIN_LOW: 0x0100,
  /** Window scaling in force (a SYN-ACK with a window scale option seen in either direction). */
  WS_ON: 0x0200,
  /** Bytes in flight reach the opposite side's window. */
  WIN_FULL: 0x0400,
  /** Window direction "up" (sticky). */
  WIN_UP: 0x0800,
  /** Layer-4 checksum pending: a first fragment with more to come. */
  L4SUM_PENDING: 0x1000,
  /** SACK option seen. */
  SACK: 0x4000,
  /** MPTCP option seen. */
  MPTCP: 0x8000,
} as const;

/** `ipFlags` bits. */
export const IpFlag = {
  /** IP options not captured, IP length below the header length, or an option of length 0. */
  OPT_BAD: 0x0001,
  /** IPv4 ID lower than the previous packet's. */
  ID_BACK: 0x0004,
  /** Fragment with more to come and IP length below 48. */
  FRAG_SHORT: 0x0008,
  /** Next expected fragment position beyond 0x1fff. */
  FRAG_OVER: 0x0010,
  /** IPv4 MF (IPv6: fragment offset bit 9). */
  MF: 0x0020,
  /** IPv4 DF (IPv6: fragment offset bit 10). */
  DF: 0x0040,
  /** IPv4 reserved bit (IPv6: fragment offset bit 11). */
  RESERVED: 0x0080,
  /** Fragment position more than one unit beyond the expected one. */
  FRAG_GAP: 0x0100,
  /** Fragment error (flow status), or the opposite side ended while a fragment was pending. */
  FRAG_ERR: 0x0200,
  /** IPv4 header not captured, or header checksum mismatch. */
  IP_SUM: 0x0400,
  /** Layer-4 checksum mismatch or layer 4 not captured. */
  L4_SUM: 0x0800,
  /** Header not captured for the checksum. */
  SNAPPED: 0x1000,
  /** UDP length differs from the captured bytes, or UDP-Lite coverage invalid. */
  UDP_LEN: 0x2000,
  /** Two consecutive packets with the same timestamp. */
  SAME_TIME: 0x4000,
  /** Timestamp lower than the previous packet's. */
  TIME_BACK: 0x8000,
} as const;

/** `tcpFlags` column bits beyond the raw flags byte (0x01 FIN ... 0x80 CWR). */
export const FlagCombo = {
  FIN_ACK: 0x0100,
  SYN_ACK: 0x0200,
  RST_ACK: 0x0400,
  /** None of the low six flag bits. */
  NULL: 0x0800,
  SYN_FIN: 0x1000,
  SYN_FIN_RST: 0x2000,
  FIN_RST: 0x4000,
  /** FIN, PSH and URG, nothing else of the low six. */
  XMAS: 0x8000,
} as const;

/** `tcpAnomaly` bits. */
export const Anomaly = {
  /** SYN repeated more than 0.9 s after a SYN. */
  SYN_RETRY: 0x0001,
  /** Retransmission after a timeout. */
  TIMEOUT_RETRANS: 0x0002,
  /** Fast retransmission. */
  FAST_RETRANS: 0x0004,
  /** Duplicate ACK. */
  DUP_ACK: 0x0008,
  KEEP_ALIVE: 0x0010,
  KEEP_ALIVE_ACK: 0x0020,
  /** Sequence number out of order. */
  SEQ_OUT_OF_ORDER: 0x0040,
  /** The opposite side acknowledged beyond this sequence number. */
  SEQ_MESS: 0x0080,
  /** ACK of bytes the opposite side never sent. */
  ACK_UNSEEN: 0x0100,
  /** Sequence gap: a packet was not captured. */
  SEQ_GAP: 0x0200,
  SCAN: 0x1000,
  SCAN_SUCCESS: 0x2000,
  /** SYN with payload. */
  SYN_DATA: 0x4000,
} as const;
