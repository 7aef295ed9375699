/**
 * icmpDecode's run-wide message counters (T2 0.9.3 keeps them in globals) and the two texts
 * made of them: the end-report lines and `PREFIX_icmpStats.txt`
 * (spec/plugins/icmpDecode.md §8-§9). Row names are T2's, in T2's fixed order.
 *
 * @module
 */

import { formatFixed, percent, readableSuffix, type ReportWriter } from "../../mod.ts";

const f32 = Math.fround;

/** IPv4 destination-unreachable codes 0-15, as the summary file names them. */
const V4_UNREACH = [
  "ICMP_NET_UNREACH",
  "ICMP_HOST_UNREACH",
  "ICMP_PROT_UNREACH",
  "ICMP_PORT_UNREACH",
  "ICMP_FRAG_NEEDED",
  "ICMP_SR_FAILED",
  "ICMP_NET_UNKNOWN",
  "ICMP_HOST_UNKNOWN",
  "ICMP_HOST_ISOLATED",
  "ICMP_NET_ANO",
  "ICMP_HOST_ANO",
  "ICMP_NET_UNR_TOS",
  "ICMP_HOST_UNR_TOS",
  "ICMP_PKT_FILTERED",
  "ICMP_PREC_VIOLATION",
  "ICMP_PREC_CUTOFF",
];
const V4_REDIRECT = [
  "ICMP_REDIR_NET",
  "ICMP_REDIR_HOST",
  "ICMP_REDIR_NETTOS",
  "ICMP_REDIR_HOSTTOS",
];
const V4_TIME_EXCEEDED = ["ICMP_EXC_TTL", "ICMP_EXC_FRAGTIME"];

const V6_UNREACH = [
  "ICMP6_NO_ROUTE",
  "ICMP6_COMM_PROHIBIT",
  "ICMP6_BEYOND_SCOPE",
  "ICMP6_ADDR_UNREACH",
  "ICMP6_PORT_UNREACH",
  "ICMP6_SR_FAILED",
  "ICMP6_REJECT",
  "ICMP6_ERROR_HDR",
];
const V6_TIME_EXCEEDED = ["ICMP6_EXC_HOPS", "ICMP6_EXC_FRAGTIME"];
const V6_PARAM = ["ICMP6_ERR_HDR", "ICMP6_UNRECO_NEXT_HDR", "ICMP6_UNRECO_IP6_OPT"];
/** ICMPv6 types 130-158 (158 without its final F, as T2 prints it). */
const V6_NAMED_FIRST = 130;
const V6_NAMED = [
  "ICMP6_MCAST_QUERY",
  "ICMP6_MCAST_REP",
  "ICMP6_MCAST_DONE",
  "ICMP6_RTER_SOLICIT",
  "ICMP6_RTER_ADVERT",
  "ICMP6_NBOR_SOLICIT",
  "ICMP6_NBOR_ADVERT",
  "ICMP6_REDIRECT_MSG",
  "ICMP6_RTER_RENUM",
  "ICMP6_NODE_INFO_QUERY",
  "ICMP6_NODE_INFO_RESP",
  "ICMP6_INV_NBOR_DSM",
  "ICMP6_INV_NBOR_DAM",
  "ICMP6_MLD2",
  "ICMP6_ADDR_DISC_REQ",
  "ICMP6_ADDR_DISC_REP",
  "ICMP6_MOB_PREF_SOL",
  "ICMP6_MOB_PREF_ADV",
  "ICMP6_CERT_PATH_SOL",
  "ICMP6_CERT_PATH_ADV",
  "ICMP6_EXP_MOBI",
  "ICMP6_MRD_ADV",
  "ICMP6_MRD_SOL",
  "ICMP6_MRD_TERM",
  "ICMP6_FMIPV6",
  "ICMP6_RPL_CTRL",
  "ICMP6_ILNP_LOC_UP",
  "ICMP6_DUP_ADDR_REQ",
  "ICMP6_DUP_ADDR_CON",
];

/** Codes kept per ICMPv6 type in the catch-all matrix (codes 0-7 of types 0-254). */
export const V6_OTHER_CODES = 8;
/** Types of the catch-all matrix. */
export const V6_OTHER_TYPES = 255;

/** The ICMP and ICMPv6 messages counted over the whole run. */
export class IcmpCounters {
  v4EchoReq = 0;
  v4EchoRep = 0;
  v4SourceQuench = 0;
  v4Traceroute = 0;
  readonly v4Unreach: Float64Array = new Float64Array(16);
  readonly v4Redirect: Float64Array = new Float64Array(4);
  readonly v4TimeEx: Float64Array = new Float64Array(2);

  v6EchoReq = 0;
  v6EchoRep = 0;
  v6TooBig = 0;
  readonly v6Unreach: Float64Array = new Float64Array(8);
  readonly v6TimeEx: Float64Array = new Float64Array(2);
  readonly v6Param: Float64Array = new Float64Array(3);
  /** `[type * 8 + code]` for the other types, and the high codes of types 3 and 4. */
  readonly v6Other: Float64Array = new Float64Array(V6_OTHER_TYPES * V6_OTHER_CODES);
}

/** Run totals the texts are relative to (the core's counts). */
export interface IcmpTotals {
  /** All packets read. */
  readonly packets: number;
  /** IP flow packets with protocol 1 (the core's `Number of ICMP packets`). */
  readonly icmp: number;
  /** IP flow packets with protocol 58. */
  readonly icmp6: number;
}

/** Echo reply / request ratio as T2 computes it (float32); 0 without requests. */
function echoRatio(rep: number, req: number): number {
  return req === 0 ? 0 : f32(f32(rep) / f32(req));
}

/** The end-report lines (nothing when no ICMP flow was written: `statAll` is 0). */
export function reportLines(
  r: ReportWriter,
  name: string,
  statAll: number,
  c: IcmpCounters,
  t: IcmpTotals,
): void {
  if (statAll === 0) return;
  r.plugin(name, `Aggregated icmpStat=0x${statAll.toString(16).padStart(2, "0")}`);
  const echo = (v: string, req: number, rep: number, total: number) => {
    if (total === 0) return;
    r.pluginNumP(name, `Number of ${v} echo request packets`, req, total);
    r.pluginNumP(name, `Number of ${v} echo reply packets`, rep, total);
    const ratio = echoRatio(rep, req);
    if (ratio !== 0) r.plugin(name, `${v} echo reply / request ratio: ${formatFixed(ratio, 2)}`);
  };
  echo("ICMP", c.v4EchoReq, c.v4EchoRep, t.icmp);
  echo("ICMPv6", c.v6EchoReq, c.v6EchoRep, t.icmp6);
}

/** `label: n (H) [p%]` with p relative to `total` (0.00 when it is 0). */
function countLine(label: string, n: number, total: number): string {
  return `${label}: ${n}${readableSuffix(n)} [${percent(n, total)}%]\n`;
}

/** `type\tcode\t` + the count right-aligned in 30 columns and its share in float32. */
function row(type: string, code: string, n: number, total: number): string {
  const pct = f32(f32(100 * f32(n)) / f32(total));
  return `${type}\t${code}\t${String(n).padStart(30)} [${formatFixed(pct, 2).padStart(6)}%]\n`;
}

/** The text of `PREFIX_icmpStats.txt`. */
export function summaryText(c: IcmpCounters, t: IcmpTotals, noCode: string): string {
  const total = t.icmp + t.icmp6;
  let s = countLine("Total number of ICMP packets", total, t.packets);
  if (total === 0) return s;
  s += "\n";
  if (t.icmp > 0) s += countLine("Number of ICMP packets", t.icmp, t.packets);
  if (t.icmp6 > 0) s += countLine("Number of ICMPv6 packets", t.icmp6, t.packets);
  s += "\n";
  const r4 = echoRatio(c.v4EchoRep, c.v4EchoReq);
  if (r4 !== 0) s += `ICMP echo reply / request ratio: ${formatFixed(r4, 3).padStart(5)}\n`;
  const r6 = echoRatio(c.v6EchoRep, c.v6EchoReq);
  if (r6 !== 0) s += `ICMPv6 echo reply / request ratio: ${formatFixed(r6, 3).padStart(5)}\n`;
  s += "\n";
  if (t.icmp > 0) s += v4Table(c, t.icmp, noCode) + "\n";
  if (t.icmp6 > 0) s += v6Table(c, t.icmp6, noCode);
  return s;
}

function header(what: string): string {
  return `# ${what} Type\tCode\t${"Packets".padStart(30)}\n`;
}

function v4Table(c: IcmpCounters, total: number, noCode: string): string {
  let s = header("ICMP");
  const one = (type: string, code: string, n: number) => {
    if (n > 0) s += row(type, code, n, total);
  };
  one("ICMP_ECHOREQUEST", noCode, c.v4EchoReq);
  one("ICMP_ECHOREPLY", noCode, c.v4EchoRep);
  one("ICMP_SOURCE_QUENCH", noCode, c.v4SourceQuench);
  one("ICMP_TRACEROUTE", noCode, c.v4Traceroute);
  V4_UNREACH.forEach((code, i) => one("ICMP_DEST_UNREACH", code, c.v4Unreach[i]));
  V4_REDIRECT.forEach((code, i) => one("ICMP_REDIRECT", code, c.v4Redirect[i]));
  V4_TIME_EXCEEDED.forEach((code, i) => one("ICMP_TIME_EXCEEDED", code, c.v4TimeEx[i]));
  return s;
}

function v6Table(c: IcmpCounters, total: number, noCode: string): string {
  let s = header("ICMPv6");
  const one = (type: string, code: string, n: number) => {
    if (n > 0) s += row(type, code, n, total);
  };
  one("ICMP6_ECHOREQUEST", noCode, c.v6EchoReq);
  one("ICMP6_ECHOREPLY", noCode, c.v6EchoRep);
  one("ICMP6_PKT_TOO_BIG", noCode, c.v6TooBig);
  V6_UNREACH.forEach((code, i) => one("ICMP6_DEST_UNREACH", code, c.v6Unreach[i]));
  V6_TIME_EXCEEDED.forEach((code, i) => one("ICMP6_TIME_EXCEEDED", code, c.v6TimeEx[i]));
  V6_PARAM.forEach((code, i) => one("ICMP6_PARAM_PROBLEM", code, c.v6Param[i]));
  // The catch-all matrix: named types show no code (one line per code all the same).
  for (let type = 0; type < V6_OTHER_TYPES; type++) {
    const named = type - V6_NAMED_FIRST;
    for (let code = 0; code < V6_OTHER_CODES; code++) {
      const n = c.v6Other[type * V6_OTHER_CODES + code];
      if (named >= 0 && named < V6_NAMED.length) one(V6_NAMED[named], noCode, n);
      else one(String(type), String(code), n);
    }
  }
  return s;
}
