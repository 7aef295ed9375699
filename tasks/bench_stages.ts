/**
 * One pipeline stage of the benchmark, timed inside this process (`tasks/bench.ts` starts one
 * process per stage so that no stage warms the JIT or the page cache for another by accident).
 *
 *     deno run --no-check -A tasks/bench_stages.ts STAGE FILE
 *
 * Stages are cumulative; the difference between two consecutive ones is the cost of a stage:
 *  - `read`:    iterate the capture records;
 *  - `dissect`: + dissect every packet (L2 to L4) into the reusable packet view, report its
 *               notices and add it to the run counters, as the engine does;
 *  - `flows`:   + flow lookup and creation, timeouts, A/B linking (the engine, no plugins);
 *  - `plugins`: + basicFlow, basicStats and tcpWin (flow columns built, nothing written);
 *  - `output`:  + txtSink writing the flow and header files (the whole run, in-process).
 *
 * Prints one JSON line: `{"stage": ..., "ms": ..., "cpuMs": ..., "packets": ...}` (wall and
 * CPU time of the stage; CPU time includes the JIT compiler's threads).
 *
 * @module
 */

import { cpuUsage } from "node:process";
import { openCapture } from "../src/capture/open.ts";
import { Counters } from "../src/base/counters.ts";
import { run } from "../src/core/run.ts";
import { dissectPacket } from "../src/dissect/dissect.ts";
import { Packet } from "../src/dissect/packet.ts";
import { reportNotices } from "../src/dissect/notices.ts";
import { countPacket } from "../src/dissect/tally.ts";
import { basicFlow } from "../plugins/basic_flow/mod.ts";
import { basicStats } from "../plugins/basic_stats/mod.ts";
import { tcpWin } from "../plugins/tcp_win/mod.ts";
import { txtSink } from "../plugins/txt_sink/mod.ts";
import type { PluginDefinition } from "../src/plugin/api.ts";

/** Stage names in pipeline order. */
export const STAGES = ["read", "dissect", "flows", "plugins", "output"] as const;
/** One of {@linkcode STAGES}. */
export type Stage = typeof STAGES[number];

/** Results fold into this, so the JIT cannot drop the measured work as unused. */
export let benchSink = 0;

function readOnly(path: string): number {
  const reader = openCapture(path);
  let n = 0;
  let bytes = 0;
  while (reader.next()) {
    n++;
    bytes += reader.capLen;
  }
  reader.close();
  benchSink += bytes;
  return n;
}

function dissectOnly(path: string): number {
  const reader = openCapture(path);
  const counters = new Counters();
  const quiet = { warn() {}, unsupportedLinkType() {} };
  const p = new Packet();
  let n = 0;
  let status = 0;
  while (reader.next()) {
    p.reset(reader.data, reader.offset, reader.capLen, reader.wireLen);
    p.linkType = reader.linkType;
    dissectPacket(p);
    counters.numPackets++;
    if (p.noticeCount !== 0) reportNotices(p, counters, quiet);
    countPacket(counters, p);
    status |= p.statusLo;
    n++;
  }
  reader.close();
  benchSink ^= status;
  return n;
}

function runWith(path: string, plugins: PluginDefinition[], prefix: string): number {
  const result = run({
    inputs: [path],
    inputName: path,
    outputPrefix: prefix,
    plugins,
    settings: [{ name: "SUBNET_ON", value: "0" }],
    packetMode: false,
    commandLine: "bench",
    reportSink: { writeSync: (b) => b.length },
  });
  return result.packets;
}

/** Run one stage over `path`; returns the packets seen. */
export function runStage(stage: Stage, path: string, outDir: string): number {
  switch (stage) {
    case "read":
      return readOnly(path);
    case "dissect":
      return dissectOnly(path);
    case "flows":
      return runWith(path, [], `${outDir}/flows`);
    case "plugins":
      return runWith(path, [basicFlow, basicStats, tcpWin], `${outDir}/plugins`);
    case "output":
      return runWith(path, [basicFlow, basicStats, tcpWin, txtSink], `${outDir}/output`);
  }
}

if (import.meta.main) {
  const [stage, path] = Deno.args;
  if (!STAGES.includes(stage as Stage) || !path) {
    console.error(`usage: bench_stages.ts {${STAGES.join("|")}} FILE`);
    Deno.exit(2);
  }
  const outDir = Deno.makeTempDirSync({ prefix: "t2ts-bench-" });
  const t0 = performance.now();
  const cpu0 = cpuUsage();
  const packets = runStage(stage as Stage, path, outDir);
  const cpu = cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  Deno.removeSync(outDir, { recursive: true });
  const round = (x: number) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({ stage, ms: round(ms), cpuMs: round(cpuMs), packets }));
}
