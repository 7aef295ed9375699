/**
 * The port rules of T2's tunnel and protocol tests (spec/dissection.md §3, step 3), and the
 * port list of the plain IPv4 path derived from them.
 */

import assert from "node:assert/strict";
import { isSpecialPort, PORTS } from "./ports.ts";

Deno.test("PortRule.matches(): a tunnel port on either side, the other port above 1024", () => {
  assert.ok(PORTS.GTP.matches(2152, 40000));
  assert.ok(PORTS.GTP.matches(40000, 2123));
  assert.ok(!PORTS.GTP.matches(2152, 1024), "the other port must be above 1024");
  assert.ok(!PORTS.GTP.matches(80, 3386));
  assert.ok(PORTS.GENEVE.matches(6081, 6081));
  assert.ok(!PORTS.GENEVE.matches(443, 6081));
});

Deno.test("PortRule.matches(): VXLAN keeps T2's test of the destination port twice", () => {
  // T2: (sport in set && dport > 1024) || (dport in set && dport > 1024).
  assert.ok(PORTS.VXLAN.matches(80, 4789), "any source port passes");
  assert.ok(PORTS.VXLAN.matches(4790, 50000));
  assert.ok(!PORTS.VXLAN.matches(8472, 80));
});

Deno.test("PortRule.matches(): L2TP and NAT-T need the port on either side only; Teredo two high ports", () => {
  assert.ok(PORTS.L2TP.matches(1701, 80) && PORTS.L2TP.matches(53, 1701));
  assert.ok(PORTS.NAT_T.matches(4500, 500) && !PORTS.NAT_T.matches(500, 500));
  assert.ok(PORTS.TEREDO.matches(1025, 60000));
  assert.ok(!PORTS.TEREDO.matches(1024, 60000) && !PORTS.TEREDO.matches(3544, 53));
  assert.ok(PORTS.SSDP.matches(1900, 1025) && !PORTS.SSDP.matches(1900, 1024));
});

Deno.test("isSpecialPort(): every port a rule lists, and nothing else, is left to the general dissector", () => {
  const special = [];
  for (let port = 0; port < 65536; port++) if (isSpecialPort(port)) special.push(port);
  assert.deepEqual(special, [
    1701, // L2TP
    1900, // SSDP
    2123, // GTP
    2152,
    3386,
    4500, // NAT-T
    4789, // VXLAN
    4790,
    5072, // AYIYA
    5246, // CAPWAP
    5247,
    6081, // GENEVE
    8472, // VXLAN
    12222, // LWAPP
    12223,
  ]);
  for (const rule of Object.values(PORTS)) {
    for (const port of rule.ports) assert.ok(isSpecialPort(port), `${rule.name} ${port}`);
  }
});
