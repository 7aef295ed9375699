/**
 * Capture reader benchmark: how fast can all packets of a large classic pcap be iterated?
 *
 *     deno task bench:reader [FILE] [--iterations N]
 *
 * Without FILE, the 1.22 M-packet synthetic annoloc capture is generated once with
 * `../shared/tools/gen-captures.mjs` into `.bench-cache/` (git-ignored) and reused.
 *
 * Measures, in one run, the median of N iterations (default 5) of:
 *  (a) iterating every packet with `npm:pcap-parser` (stream based, one object per packet),
 *  (b) iterating every packet with our reader (`src/capture/open.ts`),
 *  (c) for reference, reading the whole file with `Deno.readFileSync` (no parsing at all).
 *
 * @module
 */

import { parseArgs } from "node:util";
// Pinned inline, and resolved with this folder's own deno.json and lockfile: only this
// benchmark uses it, and an entry in the product's deno.lock would make every run on a fresh
// Deno cache download it (Deno installs all npm packages of a lockfile at the first npm import).
// deno-lint-ignore no-import-prefix
import pcapParser from "npm:pcap-parser@0.2.1";
import { openCapture } from "../../src/capture/open.ts";
import { benchCapture, median } from "../bench_capture.ts";

interface Result {
  name: string;
  packets: number;
  ms: number[];
}

/** (a) npm:pcap-parser: resolves with the number of packets once the stream has ended. */
function iteratePcapParser(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let packets = 0;
    const parser = pcapParser.parse(path);
    parser.on("packet", () => packets++);
    parser.on("error", reject);
    parser.on("end", () => resolve(packets));
  });
}

/** (b) our reader. */
function iterateOurs(path: string): number {
  const reader = openCapture(path);
  let packets = 0;
  let bytes = 0;
  try {
    while (reader.next()) {
      packets++;
      bytes += reader.capLen;
    }
  } finally {
    reader.close();
  }
  if (bytes < 0) throw new RangeError("unreachable"); // keeps `bytes` live
  return packets;
}

/** (c) whole file into memory, no parsing. */
function readWhole(path: string): number {
  return Deno.readFileSync(path).length > 0 ? 0 : 0;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { iterations: { type: "string", short: "n", default: "5" } },
  });
  const iterations = Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`Cannot run the benchmark: iterations "${values.iterations}" is invalid`);
  }
  const path = positionals[0] ?? await benchCapture();
  const size = Deno.statSync(path).size;
  console.log(
    `file: ${path} (${(size / 1e6).toFixed(1)} MB), median of ${iterations} iteration(s)`,
  );

  const results: Result[] = [
    { name: "npm:pcap-parser@0.2.1", packets: 0, ms: [] },
    { name: "ours (src/capture)", packets: 0, ms: [] },
    { name: "Deno.readFileSync only", packets: 0, ms: [] },
  ];
  // One warm-up round, then interleaved timed rounds.
  await iteratePcapParser(path);
  iterateOurs(path);
  readWhole(path);
  for (let i = 0; i < iterations; i++) {
    let t0 = performance.now();
    results[0].packets = await iteratePcapParser(path);
    results[0].ms.push(performance.now() - t0);
    t0 = performance.now();
    results[1].packets = iterateOurs(path);
    results[1].ms.push(performance.now() - t0);
    t0 = performance.now();
    results[2].packets = readWhole(path);
    results[2].ms.push(performance.now() - t0);
  }

  console.log(
    `${"reader".padEnd(26)}${"packets".padStart(10)}${"ms".padStart(10)}${
      "packets/s".padStart(14)
    }${"MB/s".padStart(10)}`,
  );
  for (const r of results) {
    const ms = median(r.ms);
    const rate = r.packets > 0 ? Math.round(r.packets / (ms / 1000)).toString() : "-";
    const mbs = (size / 1e6 / (ms / 1000)).toFixed(0);
    console.log(
      `${r.name.padEnd(26)}${String(r.packets || "-").padStart(10)}${ms.toFixed(1).padStart(10)}${
        rate.padStart(14)
      }${mbs.padStart(10)}`,
    );
  }
  const theirs = median(results[0].ms);
  const ours = median(results[1].ms);
  if (results[0].packets !== results[1].packets) {
    console.log(
      `note: packet counts differ (pcap-parser ${results[0].packets}, ours ${results[1].packets})`,
    );
  }
  console.log(
    `choice: our reader (synchronous, one reusable buffer, zero-copy views), ${
      (theirs / ours).toFixed(1)
    }x faster than npm:pcap-parser here, which also reads only microsecond pcap (no ns magic, ` +
      `no pcapng, no libpcap length rules)`,
  );
}

if (import.meta.main) await main();
