/**
 * Worker entry of the fuzz runner: runs inputs with {@linkcode runTarget} in its own isolate so
 * that the parent can stop an input that runs past the time bound (a hang) by terminating it.
 *
 * Messages in: `{ type: "init", outDir }` (the scratch directory for the output files, owned by
 * the parent), then `{ type: "run", id, input, keepOutputs }`.
 * Messages out: `{ type: "ready" }`, `{ type: "done", id, outcome }`.
 *
 * @module
 */

/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

import { runTarget } from "./target.ts";
import type { FuzzInput } from "./target.ts";
import type { GeoWithInfo } from "../../src/geo/labels.ts";
import { loadGeoLabels } from "../../src/geo/geo_labels.ts";

let outDir = "";
let geo: GeoWithInfo | null | undefined;

function needsGeo(input: FuzzInput): boolean {
  const last = input.config.settings.filter((s) => s.name === "SUBNET_ON").at(-1);
  return last === undefined || Number(last.value) !== 0;
}

self.onmessage = (e: MessageEvent) => {
  const msg = e.data;
  if (msg.type === "init") {
    outDir = msg.outDir;
    self.postMessage({ type: "ready" });
  } else if (msg.type === "run") {
    const input = msg.input as FuzzInput;
    if (geo === undefined && needsGeo(input)) {
      try {
        geo = loadGeoLabels();
      } catch {
        geo = null;
      }
    }
    const outcome = runTarget(input, { outDir, keepOutputs: msg.keepOutputs, geo: geo ?? null });
    self.postMessage({ type: "done", id: msg.id, outcome });
  }
};
