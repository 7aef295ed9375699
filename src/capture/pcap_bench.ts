/**
 * Benchmarks of the capture readers: iterate every packet of a synthetic capture.
 *
 *     deno bench --allow-read --allow-write src/capture/pcap_bench.ts
 *
 * Adds the 1.22 M-packet annoloc capture when `deno task bench:reader` (tasks/reader_bench/) has generated it into
 * `.bench-cache/`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { openCapture, openCaptureBytes } from "./open.ts";
import type { CaptureReader } from "./types.ts";
import { concat, epb, idb, pattern, pcapFile, shb } from "../../tests/_support/capture_files.ts";

const PACKETS = 100_000;
const SIZES = [60, 66, 1514, 54, 590, 66, 40, 1200];

const pcapBytes = pcapFile(
  Array.from({ length: PACKETS }, (_, i) => ({
    sec: 1022171701 + (i >> 12),
    frac: (i * 37) % 1000000,
    data: pattern(SIZES[i & 7], i & 7),
  })),
);

const pcapngBytes = concat(
  shb(),
  idb({ tsresol: 9, snapLen: 0 }),
  ...Array.from(
    { length: PACKETS },
    (_, i) => epb({ ticks: 1422527998578402281n + BigInt(i) * 1000n, data: pattern(SIZES[i & 7]) }),
  ),
);

const pcapPath = Deno.makeTempFileSync({ suffix: ".pcap" });
Deno.writeFileSync(pcapPath, pcapBytes);
globalThis.addEventListener("unload", () => Deno.removeSync(pcapPath));

const annoloc = fileURLToPath(
  new URL("../../.bench-cache/annoloc-1219015-seed1.pcap", import.meta.url),
);
let haveAnnoloc = false;
try {
  haveAnnoloc = Deno.statSync(annoloc).isFile;
} catch {
  // not generated: that bench is ignored
}

/** Iterates all records, touching their length and one byte. */
function drain(reader: CaptureReader): number {
  let n = 0;
  let x = 0;
  while (reader.next()) {
    n++;
    x += reader.capLen + reader.data[reader.offset];
  }
  reader.close();
  if (x < 0) throw new RangeError("unreachable");
  return n;
}

/** The same as {@linkcode drain}, kept apart so that each call site sees one reader class. */
function drainNg(reader: CaptureReader): number {
  let n = 0;
  let x = 0;
  while (reader.next()) {
    n++;
    x += reader.capLen + reader.data[reader.offset];
  }
  reader.close();
  if (x < 0) throw new RangeError("unreachable");
  return n;
}

Deno.bench({
  name: "pcap, 100k packets, in memory",
  group: "100k",
  baseline: true,
  fn() {
    drain(openCaptureBytes(pcapBytes));
  },
});

Deno.bench({
  name: "pcap, 100k packets, from a file (default 256 KiB buffer)",
  group: "100k",
  fn() {
    drain(openCapture(pcapPath));
  },
});

Deno.bench({
  name: "pcap, 100k packets, from a file (64 KiB buffer)",
  group: "100k",
  fn() {
    drain(openCapture(pcapPath, { bufferSize: 65536 }));
  },
});

Deno.bench({
  name: "pcapng (ns, if_tsresol 9), 100k packets, in memory",
  group: "100k",
  fn() {
    drainNg(openCaptureBytes(pcapngBytes));
  },
});

Deno.bench({
  name: "pcap, annoloc 1.22 M packets, from a file",
  ignore: !haveAnnoloc,
  n: 10,
  fn() {
    drain(openCapture(annoloc));
  },
});
