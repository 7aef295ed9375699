/**
 * `Link layer type:` text of the report: libpcap's description and name of a DLT.
 *
 * @module
 */

const NAMES: Record<number, [string, string]> = {
  0: ["BSD loopback", "NULL"],
  1: ["Ethernet", "EN10MB"],
  9: ["PPP", "PPP"],
  12: ["Raw IP", "RAW"],
  14: ["Raw IP", "RAW"],
  50: ["PPP over serial", "PPP_SERIAL"],
  104: ["Cisco HDLC", "C_HDLC"],
  107: ["Frame Relay", "FRELAY"],
  108: ["OpenBSD loopback", "LOOP"],
  113: ["Linux cooked v1", "LINUX_SLL"],
  204: ["PPP with Directional Info", "PPP_WITH_DIR"],
  205: ["Cisco HDLC with Directional Info", "C_HDLC_WITH_DIR"],
  206: ["Frame Relay with Directional Info", "FRELAY_WITH_DIR"],
  228: ["Raw IPv4", "IPV4"],
  229: ["Raw IPv6", "IPV6"],
  276: ["Linux cooked v2", "LINUX_SLL2"],
};

/** `description [NAME/number]`, e.g. `Ethernet [EN10MB/1]`. */
export function linkTypeText(dlt: number): string {
  const n = NAMES[dlt];
  return n ? `${n[0]} [${n[1]}/${dlt}]` : `DLT ${dlt} [DLT_${dlt}/${dlt}]`;
}
