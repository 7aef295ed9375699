import { strict as assert } from "node:assert";
import * as S from "../base/flow_status.ts";
import type { Packet } from "../dissect/packet.ts";
import {
  type Conversation,
  ethernet,
  ipv4,
  reversed,
  TCP,
  tcp,
  udp,
  udpFrame,
} from "../../tests/_support/capture_builder.ts";
import { dissectFrame } from "../../tests/_support/dissect_frame.ts";
import { END_AUTOPILOT, END_FLUSH, END_TIMEOUT, FlowTable } from "./flow_table.ts";

/** A flow table that records what it tells its owner, as `created 3` and `end 3 timeout`. */
function table(capacity = 16, flowTimeout = 10): { t: FlowTable; log: string[] } {
  const log: string[] = [];
  const names = { [END_TIMEOUT]: "timeout", [END_AUTOPILOT]: "autopilot", [END_FLUSH]: "flush" };
  const t: FlowTable = new FlowTable({
    capacity,
    flowTimeout,
    life: {
      flowCreated: (_p, flow) => void log.push(`created ${flow}`),
      pairEnding(flow, end) {
        const opp = t.flows.opposite[flow];
        log.push(`end ${flow}${opp >= 0 ? `+${opp}` : ""} ${names[end as keyof typeof names]}`);
      },
    },
  });
  return { t, log };
}

let pktNo = 0;
/** Frame `frame` dissected as packet number `no` (default: the next one) at second `sec`. */
function packet(frame: Uint8Array, sec = 0, no = ++pktNo): Packet {
  const p = dissectFrame(frame).p;
  p.pktNo = no;
  p.tsSec = sec;
  return p;
}

const client: Conversation = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 53 };

function tcpFrame(c: Conversation, flags: number): Uint8Array {
  return ethernet(
    { type: 0x0800 },
    ipv4({ src: c.src, dst: c.dst, proto: 6 }, tcp({ sport: c.sport, dport: c.dport, flags })),
  );
}

/** A UDP datagram's fragment: `fragment` is the IPv4 flags/offset word; the first has ports. */
function udpFragment(c: Conversation, id: number, fragment: number): Uint8Array {
  const first = (fragment & 0x1fff) === 0;
  const body = first
    ? udp({ sport: c.sport, dport: c.dport }, new Uint8Array(8))
    : new Uint8Array(16);
  return ethernet(
    { type: 0x0800 },
    ipv4({ src: c.src, dst: c.dst, proto: 17, id, fragment }, body),
  );
}

Deno.test("FlowTable: a packet's flow is created once; the reply is its B flow, linked both ways", () => {
  const { t, log } = table();
  const a = t.ipFlow(packet(udpFrame(client)));
  assert.equal(t.ipFlow(packet(udpFrame(client))), a);
  const b = t.ipFlow(packet(udpFrame(reversed(client))));
  assert.deepEqual(log, [`created ${a}`, `created ${b}`]);
  assert.notEqual(a, b);
  assert.equal(t.flows.opposite[a], b);
  assert.equal(t.flows.opposite[b], a);
  assert.ok(!t.flows.isReply(a) && t.flows.isReply(b));
  assert.equal(t.size, 2);
  assert.ok(t.flows.statusLo[a] & S.L2_IPV4);
  assert.ok(t.warnLo & S.L2_IPV4, "status bits the table sets reach the run's flowStat");
});

Deno.test("FlowTable: a lone flow from a well-known port, or starting with SYN-ACK, is a reply", () => {
  const { t } = table();
  assert.ok(t.flows.isReply(t.ipFlow(packet(udpFrame(reversed(client))))));
  const web: Conversation = { src: "10.0.0.3", dst: "10.0.0.4", sport: 40000, dport: 80 };
  assert.ok(!t.flows.isReply(t.ipFlow(packet(tcpFrame(web, TCP.SYN)))));
  const other: Conversation = { ...web, sport: 40001 };
  assert.ok(t.flows.isReply(t.ipFlow(packet(tcpFrame(other, TCP.SYN | TCP.ACK)))));
});

Deno.test("FlowTable: TCP to its own address and port is a land attack, an A flow alone", () => {
  const { t } = table();
  const land: Conversation = { src: "10.0.0.1", dst: "10.0.0.1", sport: 80, dport: 80 };
  const f = t.ipFlow(packet(tcpFrame(land, TCP.SYN)));
  assert.ok(t.flows.statusHi[f] & S.LANDATTACK_H);
  assert.equal(t.flows.opposite[f], -1);
  assert.ok(!t.flows.isReply(f), "no direction guess for it");
});

Deno.test("FlowTable: later fragments find the flow of their first fragment; the last one ends it", () => {
  const { t, log } = table();
  const first = packet(udpFragment(client, 7, 0x2000));
  const f = t.ipFlow(first);
  assert.ok(t.fragment);
  assert.ok(first.statusHi & S.IPV4_FRAG_H);
  assert.ok(t.flows.statusHi[f] & S.IPV4_FRAG_PENDING_H);
  assert.equal(t.ipFlow(packet(udpFragment(client, 7, 0x2002))), f);
  assert.ok(t.fragment);
  assert.equal(t.ipFlow(packet(udpFragment(client, 7, 0x0004))), f);
  assert.ok(!(t.flows.statusHi[f] & S.IPV4_FRAG_PENDING_H), "the last fragment ends the datagram");
  assert.equal(t.ipFlow(packet(udpFrame(client))), f);
  assert.ok(!t.fragment);
  assert.deepEqual(log, [`created ${f}`]);
  assert.equal(t.flows.statusHi[f] & (S.IPV4_FRAG_ERR_H | S.IPV4_FRAG_HDSEQ_ERR_H), 0);
});

Deno.test("FlowTable: a fragment whose first fragment was not seen gets a flow of its own, flagged", () => {
  const { t } = table();
  const f = t.ipFlow(packet(udpFragment(client, 9, 0x2002)));
  assert.ok(t.fragment);
  assert.ok(t.flows.statusHi[f] & S.IPV4_FRAG_HDSEQ_ERR_H);
  assert.ok(t.warnHi & S.IPV4_FRAG_H && t.warnHi & S.IPV4_FRAG_HDSEQ_ERR_H);
});

Deno.test("FlowTable: a pair times out once both flows are old enough, and ends in one call", () => {
  const { t, log } = table(16, 10);
  const a = t.ipFlow(packet(udpFrame(client), 0));
  const b = t.ipFlow(packet(udpFrame(reversed(client)), 5));
  t.cycle(12, 0);
  assert.deepEqual(log.slice(2), [], "B is 7 s old");
  t.cycle(15, 0);
  // The first cycle's walk passed A (its B too young) and stops at B: B's walk ends the pair.
  assert.deepEqual(log.slice(2), [`end ${b}+${a} timeout`]);
  assert.equal(t.size, 0);
});

Deno.test("FlowTable: the LRU order is the order of each flow's last packet number", () => {
  const { t, log } = table();
  const c = (i: number): Conversation => ({ ...client, sport: 40000 + i });
  const flows = [0, 1, 2, 3].map((i) => t.ipFlow(packet(udpFrame(c(i)), 0, 10 + i)));
  t.ipFlow(packet(udpFrame(c(1)), 0, 20)); // flow 1 becomes the newest
  t.ipFlow(packet(udpFragment(c(2), 3, 0x2002), 0, 21)); // found by fragment key: no LRU move
  const byLastPkt = [...flows].sort((x, y) => t.lastPktNo[x] - t.lastPktNo[y]);
  t.flush();
  const ended = log.filter((l) => l.startsWith("end")).map((l) => Number(l.split(" ")[1]));
  assert.deepEqual(ended.filter((f) => flows.includes(f)), byLastPkt);
  assert.deepEqual(byLastPkt, [flows[0], flows[2], flows[3], flows[1]]);
  assert.ok(log.every((l) => !l.startsWith("end") || l.endsWith("flush")));
});

Deno.test("FlowTable: a full table ends its oldest pair first (autopilot), flagged", () => {
  const { t, log } = table(2);
  const a = t.ipFlow(packet(udpFrame(client), 0));
  const b = t.ipFlow(packet(udpFrame(reversed(client)), 1));
  const other: Conversation = { ...client, sport: 40001 };
  const c = t.ipFlow(packet(udpFrame(other), 2));
  assert.deepEqual(log, [
    `created ${a}`,
    `created ${b}`,
    `end ${a}+${b} autopilot`,
    `created ${c}`,
  ]);
  assert.ok(t.flows.statusHi[a] & S.RMFLOW_HFULL_H);
  assert.equal(t.size, 1);
  assert.equal(t.ipFlow(packet(udpFrame(other), 3)), c, "the new flow has its own key");
});

Deno.test("FlowTable: the autopilot's victim with a fragment pending does not change the new flow's key", () => {
  const { t, log } = table(1);
  t.ipFlow(packet(udpFragment(client, 5, 0x2000), 0));
  const other: Conversation = { ...client, sport: 40001 };
  const c = t.ipFlow(packet(udpFrame(other), 1));
  assert.ok(t.warnHi & S.IPV4_FRAG_PENDING_H, "a pair removed with a datagram pending");
  assert.equal(t.ipFlow(packet(udpFrame(other), 2)), c);
  assert.equal(log.filter((l) => l.startsWith("created")).length, 2);
});

Deno.test("FlowTable: layer-2 flows pair by swapped MACs", () => {
  const { t } = table();
  const arp = (dst: string, src: string) =>
    ethernet({ dst, src, type: 0x0806 }, new Uint8Array(28));
  const a = t.l2Flow(packet(arp("00:00:00:00:00:02", "00:00:00:00:00:01")));
  const b = t.l2Flow(packet(arp("00:00:00:00:00:01", "00:00:00:00:00:02")));
  assert.equal(t.flows.opposite[a], b);
  assert.ok(t.flows.statusLo[a] & S.L2_FLOW);
  assert.ok(t.flows.isReply(b));
});
