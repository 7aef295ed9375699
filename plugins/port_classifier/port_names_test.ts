/**
 * portClassifier's reading of the port table (spec/plugins/portClassifier.md §3), on the
 * built-in table and on lines written to show each rule.
 */

import assert from "node:assert/strict";
import { PORTMAP_TXT } from "../_data/portmap.ts";
import { parsePortNames, readLine } from "./port_names.ts";

Deno.test("port names: the built-in table — first name wins, no warning", () => {
  const t = parsePortNames(PORTMAP_TXT);
  assert.deepEqual(t.warnings, []);
  assert.equal(t.tcp[2049], "shilp"); // then nfs
  assert.equal(t.udp[1701], "l2f"); // then l2tp
  assert.equal(t.tcp[3478], "stun");
  assert.equal(t.udp[81], "CBC"); // the line "81 \tudp..." (a space after the number)
  assert.equal(t.tcp[80], "http");
  assert.equal(t.udp[5353], "mdns");
  assert.equal(t.tcp[0], "spr-itunes");
  assert.equal(t.udp[47002], "");
  assert.equal(t.tcp.length, 65536);
  assert.equal(t.udp.length, 65536);
});

Deno.test("port names: skipped lines, warnings, limits", () => {
  const t = parsePortNames(
    [
      "# comment",
      " 7\ttcp\tindented", // a leading blank: skipped
      "\t8\ttcp\ttabbed",
      "",
      "9\ttcp", // no name
      "70000\ttcp\ttoobig",
      "10\tsctp\tp", // %3s reads "sct", then "p" is the name: protocol sct is invalid
      "11\ttcpx\tx", // %3s reads "tcp", then "x" is the name
      "12\tudp\t" + "n".repeat(70) + "\tdescription", // a name of at most 63 characters
      "13  udp   spaced", // any blanks between the fields
      "x\ttcp\tname",
    ].join("\n") + "\n",
  );
  assert.equal(t.tcp[7], "");
  assert.equal(t.tcp[8], "");
  assert.equal(t.tcp[9], "");
  assert.equal(t.tcp[11], "x");
  assert.equal(t.udp[12], "n".repeat(63));
  assert.equal(t.udp[13], "spaced");
  assert.deepEqual(t.warnings, [
    "failed to parse line '9\ttcp\n': expected port <tab> proto <tab> name",
    "invalid port 70000",
    "invalid protocol 'sct'",
    "failed to parse line 'x\ttcp\tname\n': expected port <tab> proto <tab> name",
  ]);
});

Deno.test("port names: a last line without newline still counts", () => {
  assert.equal(parsePortNames("22\ttcp\tssh").tcp[22], "ssh");
});

Deno.test("port names: the fast reading of plain lines gives what T2's line rules give", () => {
  const tcp: string[] = new Array(65536).fill("");
  const udp: string[] = new Array(65536).fill("");
  const warnings: string[] = [];
  for (const line of PORTMAP_TXT.split(/(?<=\n)/)) {
    const w = readLine(line, tcp, udp);
    if (w) warnings.push(w);
  }
  const t = parsePortNames(PORTMAP_TXT);
  assert.deepEqual(t.warnings, warnings);
  assert.ok(t.tcp.every((n, i) => n === tcp[i]), "TCP names");
  assert.ok(t.udp.every((n, i) => n === udp[i]), "UDP names");
  assert.equal(tcp.filter((n) => n).length, 5667); // distinct TCP ports of the file
  assert.equal(udp.filter((n) => n).length, 5530);
});
