/**
 * The benchmark capture: the synthetic annoloc trace of issue 6, generated once with
 * `../shared/tools/gen-captures.mjs` into `.bench-cache/` (git-ignored) and reused.
 *
 * @module
 */

import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Packets of the yardstick (the tutorial's annoloc2 trace). */
export const YARDSTICK_PACKETS = 1219015;

/** Path of the annoloc capture with `packets` packets and `seed`, generated when missing. */
export async function benchCapture(packets = YARDSTICK_PACKETS, seed = 1): Promise<string> {
  const cacheDir = fileURLToPath(new URL("../.bench-cache/", import.meta.url));
  const out = `${cacheDir}annoloc-${packets}-seed${seed}.pcap`;
  if (existsSync(out)) return out;
  const gen = fileURLToPath(new URL("../../shared/tools/gen-captures.mjs", import.meta.url));
  if (!existsSync(gen)) {
    throw new TypeError(`Cannot generate the benchmark capture: "${gen}" does not exist`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.part`;
  console.log(`generating ${out} (${packets} packets)...`);
  const { code } = await new Deno.Command("node", {
    args: [gen, "--profile", "annoloc", "--packets", String(packets), "--seed", String(seed)]
      .concat(["--out", tmp]),
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) throw new TypeError(`Cannot generate the benchmark capture: node exited ${code}`);
  Deno.renameSync(tmp, out);
  return out;
}

/**
 * Path of the many-flows capture of issue 15 (`../shared/tools/gen-manyflows.mjs`: 1 M packets,
 * 200 k directional flows), generated when missing.
 */
export async function manyFlowsBenchCapture(): Promise<string> {
  const cacheDir = fileURLToPath(new URL("../.bench-cache/", import.meta.url));
  const out = `${cacheDir}manyflows-1M.pcap`;
  if (existsSync(out)) return out;
  const gen = fileURLToPath(new URL("../../shared/tools/gen-manyflows.mjs", import.meta.url));
  mkdirSync(cacheDir, { recursive: true });
  const { code } = await new Deno.Command("node", { args: [gen, `${out}.part`] }).output();
  if (code !== 0) {
    throw new TypeError(`Cannot generate the many-flows capture: node exited ${code}`);
  }
  Deno.renameSync(`${out}.part`, out);
  return out;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
