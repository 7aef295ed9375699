/**
 * Notices: what the dissector leaves in the packet for the run to print, and T2's rules for
 * printing it (the snap-length warning once per run, an unsupported link type fatal).
 */

import assert from "node:assert/strict";
import { Counters } from "../base/counters.ts";
import { L3SNAPLENGTH_H } from "../base/flow_status.ts";
import { addNotice, Notice, reportNotices } from "./notices.ts";
import { MAX_NOTICES, Packet } from "./packet.ts";

function collect(p: Packet, c: Counters) {
  const warnings: string[] = [];
  const fatal: number[] = [];
  reportNotices(p, c, {
    warn: (t) => warnings.push(t),
    unsupportedLinkType: (lt) => fatal.push(lt),
  });
  return { warnings, fatal };
}

Deno.test("reportNotices(): the snap-length warning is printed once per run, others every time", () => {
  const c = new Counters();
  const p = new Packet();
  for (let i = 0; i < 2; i++) {
    p.reset(new Uint8Array(0), 0, 0, 0);
    addNotice(p, Notice.L3_SNAPPED_IPV4, 66, 52, 1500);
    addNotice(p, Notice.RAW_IP_VERSION, 5);
    const { warnings } = collect(p, c);
    assert.deepEqual(
      warnings,
      i === 0
        ? [
          "snapL2Length: 66 - snapL3Length: 52 - IP length in header: 1500",
          "Unknown IP protocol 5 in raw pcap",
        ]
        : ["Unknown IP protocol 5 in raw pcap"],
    );
  }
  assert.ok(c.globalWarnHi & L3SNAPLENGTH_H, "remembered in the run's aggregated status");
  // The IPv6 variant is the same warning: not printed again either.
  p.reset(new Uint8Array(0), 0, 0, 0);
  addNotice(p, Notice.L3_SNAPPED_IPV6, 66, 52, 1500);
  assert.deepEqual(collect(p, c).warnings, []);
});

Deno.test("reportNotices(): an unsupported link type goes to the fatal callback with its number", () => {
  const p = new Packet();
  p.reset(new Uint8Array(0), 0, 0, 0);
  addNotice(p, Notice.UNSUPPORTED_LINK_TYPE, 147);
  assert.deepEqual(collect(p, new Counters()), { warnings: [], fatal: [147] });
});

Deno.test("addNotice(): at most MAX_NOTICES per packet; reset forgets them", () => {
  const p = new Packet();
  p.reset(new Uint8Array(0), 0, 0, 0);
  for (let i = 0; i < MAX_NOTICES + 2; i++) addNotice(p, Notice.NULL_FAMILY, i);
  assert.equal(p.noticeCount, MAX_NOTICES);
  assert.equal(
    collect(p, new Counters()).warnings.at(-1),
    "Null/Loopback header: unhandled family 3",
  );
  p.reset(new Uint8Array(0), 0, 0, 0);
  assert.equal(p.noticeCount, 0);
  assert.deepEqual(collect(p, new Counters()).warnings, []);
});
