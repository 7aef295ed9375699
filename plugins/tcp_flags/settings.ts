/**
 * tcpFlags' settings (T2's compile-time switches of tcpFlags.h, spec/plugins/tcpFlags.md §2)
 * with T2's defaults, and their values for one run.
 *
 * @module
 */

import type { PluginContext, SettingSpecs } from "../../mod.ts";

/** The settings, changeable with `--set NAME=VALUE`. */
export const SETTINGS: SettingSpecs = {
  IPTOS: {
    type: "int",
    default: 0,
    min: 0,
    max: 2,
    description: "ToS column: 0 ipToS (hex), 1 ipToSDscp_ecn (DSCP, ECN), 2 ipToSPrec_ecn",
  },
  RTT_ESTIMATE: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "Round-trip and trip time estimates (7 columns)",
  },
  IPCHECKSUM: {
    type: "int",
    default: 2,
    min: 0,
    max: 2,
    description: "Checksums checked: 0 none, 1 IPv4 header, 2 IPv4 header and layer 4",
  },
  WINDOWSIZE: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "TCP window statistics (8 columns)",
  },
  WINMIN: {
    type: "int",
    default: 1,
    min: 0,
    description: "A TCP window below this counts as low",
  },
  SEQ_ACK_NUM: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "TCP sequence and ACK analysis (8 columns, 11 packet-mode columns)",
  },
  FRAG_ANALYZE: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "IP fragment checks",
  },
  NAT_BT_EST: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "TCP timestamps, up-time and boot-time estimate (5 columns)",
  },
  SCAN_DETECTOR: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "Classify scans when a flow ends",
  },
  MPTCP: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "MPTCP option columns (4)",
  },
  TCPJA4T: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "Column tcpJA4T (JA4T/JA4TS fingerprint)",
  },
  JA4TOPTMX: {
    type: "int",
    default: 20,
    min: 0,
    max: 255,
    description: "Option kinds remembered for the JA4T fingerprint",
  },
  TCPFLGCNT: {
    type: "int",
    default: 0,
    min: 0,
    max: 1,
    description: "Column of per-flag packet counts after tcpAnomaly",
  },
  SPKTMD_SEQACKREL: {
    type: "int",
    default: 0,
    min: 0,
    max: 1,
    description: "Packet mode: sequence and ACK numbers relative to the first ones seen",
  },
  SPKTMD_SEQACKHEX: {
    type: "int",
    default: 0,
    min: 0,
    max: 1,
    description: "Packet mode: sequence and ACK numbers in hex",
  },
};

/** The settings of one run, as numbers and flags. */
export interface Config {
  readonly ipTos: number;
  readonly rtt: boolean;
  readonly checksum: number;
  readonly window: boolean;
  readonly winMin: number;
  readonly seqAck: boolean;
  readonly frag: boolean;
  readonly natBt: boolean;
  readonly scan: boolean;
  readonly mptcp: boolean;
  readonly ja4t: boolean;
  readonly ja4Max: number;
  readonly flagCount: boolean;
  readonly seqAckRel: boolean;
  readonly seqAckHex: boolean;
}

/** The settings' values for a run. */
export function readConfig(ctx: PluginContext): Config {
  const on = (name: string) => ctx.num(name) !== 0;
  return {
    ipTos: ctx.num("IPTOS"),
    rtt: on("RTT_ESTIMATE"),
    checksum: ctx.num("IPCHECKSUM"),
    window: on("WINDOWSIZE"),
    winMin: ctx.num("WINMIN"),
    seqAck: on("SEQ_ACK_NUM"),
    frag: on("FRAG_ANALYZE"),
    natBt: on("NAT_BT_EST"),
    scan: on("SCAN_DETECTOR"),
    mptcp: on("MPTCP"),
    ja4t: on("TCPJA4T"),
    ja4Max: ctx.num("JA4TOPTMX"),
    flagCount: on("TCPFLGCNT"),
    seqAckRel: on("SPKTMD_SEQACKREL"),
    seqAckHex: on("SPKTMD_SEQACKHEX"),
  };
}
