/**
 * libpcap's names of link types (spec/link-types.md §5): as the report and T2's link-type
 * errors print them.
 */

import assert from "node:assert/strict";
import { linkTypeFailure, linkTypeText } from "./link_type_text.ts";

Deno.test("linkTypeText(): libpcap 1.10.3's description and name, byte for byte", () => {
  assert.equal(linkTypeText(1), "Ethernet [EN10MB/1]");
  assert.equal(linkTypeText(113), "Linux cooked v1 [LINUX_SLL/113]");
  assert.equal(linkTypeText(127), "802.11 plus radiotap header [IEEE802_11_RADIO/127]");
  assert.equal(linkTypeText(258), "Apple DLT_PKTAP [PKTAP/258]");
  assert.equal(
    linkTypeText(241),
    "Ethernet with Hilscher netANALYZER pseudo-header and with preamble and SFD " +
      "[NETANALYZER_TRANSPARENT/241]",
  );
  assert.equal(linkTypeText(289), "ATSC Link-Layer Protocol packets [ATSC_ALP/289]");
});

Deno.test("linkTypeText(): (null) for the 149 values of 0..300 libpcap does not name, and above", () => {
  let unnamed = 0;
  for (let dlt = 0; dlt <= 300; dlt++) {
    if (linkTypeText(dlt) === `(null) [(null)/${dlt}]`) unnamed++;
  }
  assert.equal(unnamed, 149);
  for (const dlt of [2, 14, 101, 160, 204, 205, 206, 270, 301, 65537, 33554433]) {
    assert.equal(linkTypeText(dlt), `(null) [(null)/${dlt}]`);
  }
});

Deno.test("linkTypeFailure(): T2's error for a link type, LAPD's own words and hint", () => {
  assert.deepStrictEqual(linkTypeFailure(271), {
    error: "Unsupported link-layer type: Linux vsock [VSOCK/271]",
  });
  for (const dlt of [177, 203]) {
    const f = linkTypeFailure(dlt);
    assert.equal(f.error, "Support for LAPD flows currently disabled");
    assert.equal(
      f.info,
      "Activate it as follows: t2conf -D LAPD_ACTIVATE=1 tranalyzer2 && t2build -R -r",
    );
  }
});
