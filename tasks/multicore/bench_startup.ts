/**
 * PROTOTYPE (issue 15): what a worker isolate costs before it sees a packet. A child process
 * starts K shard workers (the bundled prototype worker, `dist/proto_worker.js`, which loads the
 * engine, the dissector and the plugins of list `flow`), gives each a capture of one packet,
 * and waits for their last batch. Measured per K, interleaved, medians: whole-process wall time
 * and peak RSS (/usr/bin/time), and inside the child the time from `new Worker` to the
 * worker's module being evaluated and to its engine being ready.
 *
 *     deno run -A tasks/multicore/bench_startup.ts [--runs N]     (after tasks/multicore/bundle.sh)
 *
 * @module
 */

import { median } from "../bench_capture.ts";
import { nowMs, type WorkerConfig } from "./proto_setup.ts";
import type { Batch } from "./rows.ts";

const root = new URL("../../", import.meta.url).pathname;
const CAPTURE = `${root}../shared/captures/http-ipv4-tcp-zerowin.pcap`;

async function child(k: number): Promise<void> {
  const t0 = nowMs();
  const url = `file://${root}dist/proto_worker.js`;
  const stats: Record<string, number>[] = [];
  await Promise.all(Array.from({ length: k }, (_, i) =>
    new Promise<void>((resolve) => {
      const w = new Worker(url, { type: "module" });
      w.onmessage = (e: MessageEvent<Batch>) => {
        if (e.data.done) {
          stats.push(e.data.stats!);
          w.terminate();
          resolve();
        }
      };
      const cfg: WorkerConfig = {
        shard: i,
        shards: k,
        path: CAPTURE,
        ring: null,
        zring: null,
        packetMode: false,
        outputPrefix: `/tmp/t2ts-startup-${Deno.pid}-${i}`,
        spawnedAt: nowMs(),
        textRows: true,
        quick: true,
      };
      w.postMessage(cfg);
    })));
  const loaded = stats.map((s) => s.loadedAt - s.spawnedAt);
  const ready = stats.map((s) => s.readyAt - s.spawnedAt);
  console.log(JSON.stringify({
    k,
    allReadyMs: k ? Math.max(...stats.map((s) => s.readyAt)) - t0 : 0,
    loadedMs: k ? median(loaded) : 0,
    readyMs: k ? median(ready) : 0,
  }));
}

if (Deno.args[0] === "--child") {
  await child(Number(Deno.args[1]));
} else {
  const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1] ?? 7) || 7;
  const ks = [0, 1, 2, 4, 8];
  const res = new Map<number, { wall: number[]; rss: number[]; ready: number[]; all: number[] }>();
  for (let r = 0; r < runs; r++) {
    for (const k of ks) {
      const t = performance.now();
      const o = await new Deno.Command("/usr/bin/time", {
        args: [
          "-f",
          "%M",
          Deno.execPath(),
          "run",
          "--no-check",
          "--v8-flags=--max-semi-space-size=1",
          "-A",
          new URL(import.meta.url).pathname,
          "--child",
          String(k),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const wall = performance.now() - t;
      const j = JSON.parse(new TextDecoder().decode(o.stdout).trim());
      const rss = Number(new TextDecoder().decode(o.stderr).trim().split("\n").at(-1)) / 1024;
      if (!res.has(k)) res.set(k, { wall: [], rss: [], ready: [], all: [] });
      const e = res.get(k)!;
      e.wall.push(wall);
      e.rss.push(rss);
      e.ready.push(j.readyMs);
      e.all.push(j.allReadyMs);
    }
  }
  const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  console.log(`# workers started, medians of ${runs} interleaved runs; load ${load}`);
  console.log("workers\twall_ms\tpeak_rss_mib\tworker_ready_ms\tall_ready_ms");
  for (const [k, e] of res) {
    console.log(
      `${k}\t${median(e.wall).toFixed(0)}\t${median(e.rss).toFixed(1)}\t` +
        `${median(e.ready).toFixed(0)}\t${median(e.all).toFixed(0)}`,
    );
  }
}
