/**
 * The UDP/TCP port tests of T2: which ports make it look for a tunnel (AYIYA, GTP, VXLAN,
 * GENEVE, CAPWAP, LWAPP, L2TP, Teredo) or name a protocol (SSDP, NAT-T). `wiring.ts` pairs the
 * tunnel rules with their decoders; the plain IPv4 path (`plain_ipv4.ts`) leaves every port
 * named here to the general dissector. A rule exists only through {@linkcode portRule}, so no
 * port test can be added without the plain path seeing its ports.
 *
 * @module
 */

import { IPPROTO } from "./numbers.ts";

/** What the port that did not match must be. */
type OtherPort =
  /** Any port. */
  | "any"
  /** Above 1024 (T2's test against well-known ports). */
  | "above1024";

/** One port test. */
export interface PortRule {
  /** Protocol name, for messages and tables. */
  readonly name: string;
  /** IP protocols whose ports T2 tests. */
  readonly protocols: readonly number[];
  /**
   * Ports that select the protocol on either side. A rule without ports selects every packet
   * whose two ports are above 1024 (Teredo: the payload decides).
   */
  readonly ports: readonly number[];
  /** Whether a packet with these ports passes the rule. */
  readonly matches: (sport: number, dport: number) => boolean;
}

/** For each port, the bits of the rules that list it. */
const PORT_BITS = new Uint16Array(65536);
/** For each IP protocol, the bits of the rules with ports that test it. */
const PROTOCOL_BITS = new Uint16Array(256);
/** For each IP protocol, whether a rule without ports tests it. */
const PROTOCOL_HIGH_PORTS = new Uint8Array(256);
let rules = 0;

/**
 * Define a port rule (every rule of the dissector is made here). `testsDestinationTwice`:
 * T2's VXLAN quirk: when the destination port matches, T2 tests the destination port again
 * instead of the source port, so the source port is not checked.
 */
function portRule(
  name: string,
  protocols: readonly number[],
  ports: readonly number[],
  other: OtherPort,
  testsDestinationTwice = false,
): PortRule {
  if (rules === 16) throw new Error("ports: more than 16 rules"); // the bits are 16-bit
  const bit = 1 << rules++;
  for (const port of ports) PORT_BITS[port] |= bit;
  for (const proto of protocols) {
    if (ports.length === 0) PROTOCOL_HIGH_PORTS[proto] = 1;
    else PROTOCOL_BITS[proto] |= bit;
  }
  return { name, protocols, ports, matches: matcher(ports, other, testsDestinationTwice, bit) };
}

/** The test of a rule, specialised (each call site then sees one small function). */
function matcher(
  ports: readonly number[],
  other: OtherPort,
  testsDestinationTwice: boolean,
  bit: number,
): (sport: number, dport: number) => boolean {
  if (ports.length === 0) return (s, d) => s > 1024 && d > 1024;
  if (ports.length === 1) {
    const port = ports[0];
    if (other === "any") return (s, d) => s === port || d === port;
    return (s, d) => (s === port && d > 1024) || (d === port && s > 1024);
  }
  if (other === "any") return (s, d) => ((PORT_BITS[s] | PORT_BITS[d]) & bit) !== 0;
  if (testsDestinationTwice) {
    return (s, d) => d > 1024 && ((PORT_BITS[s] | PORT_BITS[d]) & bit) !== 0;
  }
  return (s, d) =>
    ((PORT_BITS[s] & bit) !== 0 && d > 1024) || ((PORT_BITS[d] & bit) !== 0 && s > 1024);
}

const { TCP, UDP, UDPLITE, SCTP } = IPPROTO;

/** The port rules, by protocol. */
export const PORTS = {
  AYIYA: portRule("ayiya", [TCP, UDP, UDPLITE, SCTP], [5072], "above1024"),
  GTP: portRule("gtp", [UDP], [2152, 2123, 3386], "above1024"),
  VXLAN: portRule("vxlan", [UDP], [4789, 4790, 8472], "above1024", true),
  GENEVE: portRule("geneve", [UDP], [6081], "above1024"),
  CAPWAP: portRule("capwap", [UDP], [5246, 5247], "above1024"),
  LWAPP: portRule("lwapp", [UDP], [12222, 12223], "above1024"),
  L2TP: portRule("l2tp", [UDP], [1701], "any"),
  TEREDO: portRule("teredo", [UDP], [], "above1024"),
  SSDP: portRule("ssdp", [TCP, UDP], [1900], "above1024"),
  NAT_T: portRule("nat-t", [UDP], [4500], "any"),
} as const;

/**
 * Whether some rule for IP protocol `proto` may take these ports: false means no rule does (a
 * quick test; true can still end in no match).
 */
export function somePortRuleMayMatch(proto: number, sport: number, dport: number): boolean {
  return ((PORT_BITS[sport] | PORT_BITS[dport]) & PROTOCOL_BITS[proto]) !== 0 ||
    (PROTOCOL_HIGH_PORTS[proto] !== 0 && sport > 1024 && dport > 1024);
}

/** Whether some port rule lists `port` (such packets are not for the plain IPv4 path). */
export function isSpecialPort(port: number): boolean {
  return PORT_BITS[port] !== 0;
}
