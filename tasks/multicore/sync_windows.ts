/**
 * PROTOTYPE (issue 15): how often would a sharded run have to walk its timeout lists in step?
 * A shard's timeout walk can stop at another place than one thread's only while the LRU list
 * is not ordered by last-packet time (docs/multicore.md, "Timeouts"): after a packet whose
 * time goes back, and after a later IPv4 fragment (it refreshes its flow's time without moving
 * it in the list). Each such packet opens, for every timeout value H, a window of packet times
 * in which walks must be coordinated:
 *
 * - time going back at packet m (time t < latest time T before it): [t + H, T + H);
 * - a later IPv4 fragment at time t whose first fragment came at time h: [h + H, t + H);
 *
 * widened by a margin for float32 ages. This scan counts, per capture, the packets whose time
 * falls into a window, for the timeout values of plugin list `flow` (182) and of T2's default
 * set (tcpStates: 0.1 10 120 182 610).
 *
 *     deno run -A tasks/multicore/sync_windows.ts [CAPTURE | DIR]...
 *
 * @module
 */

import { openCapture } from "../../src/capture/open.ts";
import { dissectPacket } from "../../src/dissect/dissect.ts";
import { Packet, PacketKind } from "../../src/dissect/packet.ts";

const SETS: Record<string, number[]> = { flow: [182], dflt: [0.1, 10, 120, 182, 610] };

interface Scan {
  packets: number;
  backwards: number;
  laterFrags: number;
  sync: Record<string, number>;
}

function scan(path: string): Scan {
  const reader = openCapture(path);
  const p = new Packet();
  const heads = new Map<string, number>();
  // Windows per set: [from, to) in seconds, for each H.
  const windows: Record<string, [number, number][]> = { flow: [], dflt: [] };
  const out: Scan = { packets: 0, backwards: 0, laterFrags: 0, sync: { flow: 0, dflt: 0 } };
  let latest = -Infinity;
  const open = (from: number, to: number) => {
    for (const [set, hs] of Object.entries(SETS)) {
      for (const h of hs) {
        const m = Math.max(1e-3, h * 2 ** -20);
        windows[set].push([from + h - m, to + h + m]);
      }
    }
  };
  while (reader.next()) {
    const t = reader.tsSec + reader.tsNs / 1e9;
    out.packets++;
    for (const set of Object.keys(SETS)) {
      const w = windows[set];
      // Drop windows already passed (in time order they are not sorted: scan all; few).
      let inside = false;
      for (let i = 0; i < w.length; i++) if (t >= w[i][0] && t < w[i][1]) inside = true;
      if (inside) out.sync[set]++;
      if (w.length > 64) windows[set] = w.filter(([, to]) => to > latest - 1000);
    }
    if (t < latest) {
      out.backwards++;
      open(t, latest);
    }
    if (t > latest) latest = t;
    if (reader.capLen === 0) continue;
    p.reset(reader.data, reader.offset, reader.capLen, reader.wireLen);
    p.linkType = reader.linkType;
    try {
      dissectPacket(p);
    } catch {
      continue;
    }
    if (p.kind !== PacketKind.IPV4) continue;
    const key = `${p.addr[0]},${p.addr[4]},${p.l4Proto},${p.ipId}`;
    const mf = (p.ipOff & 0x2000) !== 0;
    if (p.firstFragment) {
      if (mf) heads.set(key, t);
    } else {
      const h = heads.get(key);
      if (h !== undefined) {
        out.laterFrags++;
        if (t > h) open(h, t);
        if (!mf) heads.delete(key);
      }
    }
  }
  reader.close();
  return out;
}

const args = Deno.args.length > 0 ? Deno.args : [
  new URL("../../../shared/captures", import.meta.url).pathname,
  new URL("../../../shared/captures/wide", import.meta.url).pathname,
];
const files: string[] = [];
for (const a of args) {
  if (Deno.statSync(a).isDirectory) {
    for (const e of Deno.readDirSync(a)) {
      if (e.isFile && /\.(pcap|pcapng|cap)$/.test(e.name)) files.push(`${a}/${e.name}`);
    }
  } else files.push(a);
}
files.sort();
let total = { packets: 0, withIrregular: 0, syncFlow: 0, syncDflt: 0 };
console.log("capture\tpackets\tbackwards\tlater_frags\tsync_flow\tsync_dflt");
for (const f of files) {
  let s: Scan;
  try {
    s = scan(f);
  } catch {
    continue;
  }
  total = {
    packets: total.packets + s.packets,
    withIrregular: total.withIrregular + (s.backwards + s.laterFrags > 0 ? 1 : 0),
    syncFlow: total.syncFlow + s.sync.flow,
    syncDflt: total.syncDflt + s.sync.dflt,
  };
  if (s.backwards + s.laterFrags > 0 || args.length === Deno.args.length) {
    console.log(
      `${f.slice(f.lastIndexOf("/") + 1)}\t${s.packets}\t${s.backwards}\t${s.laterFrags}\t` +
        `${s.sync.flow}\t${s.sync.dflt}`,
    );
  }
}
console.log(
  `# ${files.length} captures, ${total.packets} packets; ${total.withIrregular} captures with ` +
    `time going back or later fragments; packets in a window: ${total.syncFlow} (flow), ` +
    `${total.syncDflt} (dflt)`,
);
