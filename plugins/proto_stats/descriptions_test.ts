/**
 * protoStats' reading of its tables (spec/plugins/protoStats.md §4): the built-in tables give
 * the descriptions the spec names; made-up lines show the rules (ranges, overrides, line
 * positions, last entry wins, blanks).
 */

import assert from "node:assert/strict";
import { ETHERTYPES_TXT } from "../_data/ethertypes.ts";
import { PORTMAP_TXT } from "../_data/portmap.ts";
import { PROTO_TXT } from "../_data/proto.ts";
import { Scanner } from "../_data/scan.ts";
import {
  parseEtherTypes,
  parsePortDescriptions,
  parseProtocols,
  readRecord,
} from "./descriptions.ts";

Deno.test("descriptions: the built-in EtherType table", () => {
  const eth = parseEtherTypes(ETHERTYPES_TXT);
  assert.equal(eth.filter((d) => d !== "").length, 2036);
  assert.equal(eth[0x0800], "Internet Protocol version 4 (IPv4)");
  assert.equal(eth[0x86dd], "Internet Protocol version 6 (IPv6)");
  assert.equal(eth[0x0806], "Address Resolution Protocol (ARP)");
  assert.equal(eth[0x4242], "PCS Basic Block Protocol (STP/RSTP/MSTP)");
  assert.equal(eth[0x88cc], "Link Layer Discovery Protocol (LLDP)");
  assert.equal(eth[0x2000], "Cisco Discovery Protocol (CDP)");
  assert.equal(eth[0x0808], "Frame Relay ARP");
});

Deno.test("descriptions: EtherType ranges, later lines win, blanks, hex case", () => {
  const eth = parseEtherTypes(
    [
      "0x0100-0x0103 \tA range",
      "0x0102\tInside it",
      "0X0200\tnot 0x: the previous line's values again", // does not parse
      "0x0aBc \t  Mixed case, blanks before  ",
      "0x0300-0x0301\tSecond range",
    ].join("\n") + "\n",
  );
  assert.deepEqual(eth.slice(0x100, 0x104), ["A range", "A range", "Inside it", "A range"]);
  assert.equal(eth[0x0200], "");
  assert.equal(eth[0x0102], "Inside it"); // the unparsed line wrote "Inside it" to 0x0102 again
  assert.equal(eth[0x0abc], "Mixed case, blanks before  "); // leading blanks dropped, trailing kept
  assert.deepEqual(eth.slice(0x300, 0x303), ["Second range", "Second range", ""]);
});

Deno.test("descriptions: the built-in protocol table, by line position", () => {
  const { names, failed } = parseProtocols(PROTO_TXT);
  assert.deepEqual(failed, []);
  assert.equal(names[0], "IPv6 Hop-by-Hop Option");
  assert.equal(names[1], "Internet Control Message Protocol (ICMP)");
  assert.equal(names[6], "Transmission Control Protocol (TCP)");
  assert.equal(names[17], "User Datagram Protocol (UDP)");
  assert.equal(names[47], "General Routing Encapsulation");
  assert.equal(names[58], "Internet Control Message Protocol for IPv6 (ICMPv6)");
  assert.equal(names[132], "Stream Control Transmission Protocol");
  assert.equal(names[143], "-");
});

Deno.test("descriptions: proto.txt's number column is ignored, a short file fails its lines", () => {
  const { names, failed } = parseProtocols("7\tA\tFirst line\n0\tB\tSecond line\n");
  assert.equal(names[0], "First line");
  assert.equal(names[1], "Second line");
  assert.equal(failed.length, 254);
  assert.equal(failed[0], 2);
});

Deno.test("descriptions: the built-in port table — the last entry wins", () => {
  const { tcp, udp } = parsePortDescriptions(PORTMAP_TXT);
  assert.equal(tcp[2049], "Network File System - Sun");
  assert.equal(udp[1701], "Layer 2 Tunneling Protocol (L2TP)");
  assert.equal(udp[1900], "Simple Service Discovery Protocol"); // leading space dropped
  assert.equal(tcp[80], "World Wide Web HTTP");
  assert.equal(udp[53], "Domain Name Server (DNS)");
  assert.equal(tcp[0], "Shirt Pocket netTunes");
  assert.equal(udp[81], "Cobalt cube web access or trojan"); // "81 \tudp"
  assert.equal(udp[27015], "");
});

Deno.test("descriptions: ports beyond 65535 are skipped; what does not read ends the table", () => {
  const long = parsePortDescriptions(
    [
      "70000\ttcp\tbig\tToo big",
      "6\ttcp\tname\t" + "d".repeat(120), // a description of at most 99 characters...
      "7\ttcp\tseven\tSeven", // ...so the rest of line 6 stops the reading before this one
    ].join("\n") + "\n",
  );
  assert.equal(long.tcp[6], "d".repeat(99));
  assert.equal(long.tcp[7], "");
  // "%3[^\n\t]" reads "sct", the name field "p", the description "x"; then "Not..." is no port
  const sctp = parsePortDescriptions("5\tsctp\tx\tNot TCP or UDP\n8\tudp\teight\tEight\n");
  assert.equal(sctp.tcp[5] + sctp.udp[5], "");
  assert.equal(sctp.udp[8], "");
});

Deno.test("descriptions: the fast reading of plain lines gives what T2's fscanf rules give", () => {
  const tcp: string[] = new Array(65536).fill("");
  const udp: string[] = new Array(65536).fill("");
  const s = new Scanner(PORTMAP_TXT);
  let records = 0;
  while (readRecord(s, tcp, udp)) records++;
  assert.equal(records, 11225);
  assert.ok(s.done);
  const fast = parsePortDescriptions(PORTMAP_TXT);
  assert.ok(fast.tcp.every((d, i) => d === tcp[i]), "TCP descriptions");
  assert.ok(fast.udp.every((d, i) => d === udp[i]), "UDP descriptions");
});
