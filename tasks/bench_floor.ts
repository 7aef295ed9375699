/**
 * A floor for the benchmark: the least a JavaScript flow analyzer must do per packet, timed in
 * this process, so that the whole program's figure can be read against what this machine and
 * V8 allow at all (issue 6 asks for T2's 0.37 s on the yardstick capture).
 *
 *     deno run --no-check -A tasks/bench_floor.ts VARIANT FILE
 *
 * Every variant reads the capture with the project's reader, takes the IPv4 addresses,
 * protocol and ports of plain Ethernet frames (no checks, no status bits, no header
 * description, no tunnels) and finds or inserts the flow in the project's hash table; flows
 * are never removed, no plugin runs and nothing is written. Then, per packet:
 *  - `lookup`: nothing more;
 *  - `soa`:    adds to {@linkcode FIELDS} per-flow values kept as one array per field, as the
 *              core and the plugins keep their state (about 30 arrays are touched per packet
 *              of the yardstick run);
 *  - `record`: the same values kept side by side in one record per flow.
 *
 * Prints one JSON line like `tasks/bench_stages.ts`: `{"stage", "ms", "packets"}`. Nothing of
 * Node's layer is imported (it costs 6 MiB), so `/usr/bin/time` shows the floor's peak RSS too.
 *
 * @module
 */

import { openCapture } from "../src/capture/open.ts";
import { KEY_WORDS, KeyTable } from "../src/flow/key_table.ts";

/** Variant names. */
export const FLOOR_VARIANTS = ["lookup", "soa", "record"] as const;
/** One of {@linkcode FLOOR_VARIANTS}. */
export type FloorVariant = typeof FLOOR_VARIANTS[number];

/** Per-flow values updated per packet by the `soa` and `record` variants. */
export const FIELDS = 30;

/** Flow slots (the engine's default capacity). */
const CAPACITY = 262144;

/** Results fold into this, so the JIT cannot drop the measured work as unused. */
export let floorSink = 0;

/** Run one variant over `path`; returns the packets read and the flows found. */
export function runFloor(
  variant: FloorVariant,
  path: string,
): { packets: number; flows: number } {
  const reader = openCapture(path);
  const table = new KeyTable(CAPACITY);
  const key = new Uint32Array(KEY_WORDS);
  const perField: Float64Array[] = [];
  if (variant === "soa") {
    for (let i = 0; i < FIELDS; i++) perField.push(new Float64Array(CAPACITY));
  }
  const records = new Float64Array(variant === "record" ? CAPACITY * FIELDS : 0);
  let packets = 0;
  while (reader.next()) {
    packets++;
    const d = reader.data;
    const s = reader.offset;
    const end = s + reader.capLen;
    if (end - s < 38 || d[s + 12] !== 0x08 || d[s + 13] !== 0x00) continue;
    const ip = s + 14;
    const l4 = ip + ((d[ip] & 0x0f) << 2);
    key[0] = (d[ip + 12] << 24) | (d[ip + 13] << 16) | (d[ip + 14] << 8) | d[ip + 15];
    key[4] = (d[ip + 16] << 24) | (d[ip + 17] << 16) | (d[ip + 18] << 8) | d[ip + 19];
    key[11] = 0x08000000;
    key[12] = l4 + 4 <= end ? (d[l4] << 24) | (d[l4 + 1] << 16) | (d[l4 + 2] << 8) | d[l4 + 3] : 0;
    key[13] = d[ip + 9];
    let flow = table.lookup(key, 0);
    if (flow < 0) flow = table.insert(key, 0);
    const v = reader.wireLen;
    if (variant === "soa") {
      for (let i = 0; i < FIELDS; i++) perField[i][flow] += v;
    } else if (variant === "record") {
      const base = flow * FIELDS;
      for (let i = 0; i < FIELDS; i++) records[base + i] += v;
    }
  }
  reader.close();
  floorSink += (perField[0]?.[0] ?? 0) + (records[0] ?? 0);
  return { packets, flows: table.count };
}

if (import.meta.main) {
  const [variant, path] = Deno.args;
  if (!FLOOR_VARIANTS.includes(variant as FloorVariant) || !path) {
    console.error(`usage: bench_floor.ts {${FLOOR_VARIANTS.join("|")}} FILE`);
    Deno.exit(2);
  }
  const t0 = performance.now();
  const { packets } = runFloor(variant as FloorVariant, path);
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  console.log(JSON.stringify({ stage: variant, ms, packets }));
}
