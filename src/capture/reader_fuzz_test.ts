/**
 * Differential fuzz test of the readers: mutated captures (pcap and pcapng, see tools/fuzz/) read
 * from a file through small reusable buffers (records straddle the buffer end, buffers grow)
 * must give exactly what reading them in memory gives — same records, same bytes, same damage —
 * and neither way may throw on a file's contents.
 */

import assert from "node:assert/strict";
import { openCapture, openCaptureBytes } from "./open.ts";
import { CaptureFormatError } from "./capture_error.ts";
import type { CaptureDamage, CaptureReader } from "./types.ts";
import {
  concat,
  epb,
  idb,
  readAll,
  type ReadRecord,
  shb,
} from "../../tests/_support/capture_files.ts";
import { mutate } from "../../tools/fuzz/mutators.ts";
import { Prng } from "../../tools/fuzz/prng.ts";
import { ipv4Packet, smallCapture } from "../../tests/_support/test_packets.ts";

interface Read {
  error: string | null;
  records: ReadRecord[];
  damage: CaptureDamage | null;
  skipped: CaptureDamage[];
}

function readWith(open: () => CaptureReader): Read {
  let reader: CaptureReader;
  try {
    reader = open();
  } catch (e) {
    if (e instanceof CaptureFormatError) {
      return { error: e.message, records: [], damage: null, skipped: [] };
    }
    throw e;
  }
  const skipped: CaptureDamage[] = [];
  reader.onSkip = (d) => skipped.push(d);
  try {
    const records = readAll(reader);
    return { error: null, records, damage: reader.damage, skipped };
  } finally {
    reader.close();
  }
}

function seeds(): Uint8Array[] {
  const ng = (le: boolean) =>
    concat(
      shb(le),
      idb({ le, linkType: 1, snapLen: 0, tsresol: 9 }),
      ...Array.from(
        { length: 12 },
        (_, i) => epb({ le, data: ipv4Packet({ payload: 40 + 13 * i }), ticks: BigInt(1e18 + i) }),
      ),
      idb({ le, linkType: 101, snapLen: 96 }),
      epb({ le, ifId: 1, data: ipv4Packet().subarray(14) }),
    );
  return [smallCapture(30), ng(true), ng(false)];
}

Deno.test("readers: a file through small buffers reads like memory, on 600 mutated captures", () => {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-reader-fuzz-" });
  try {
    const corpus = seeds();
    for (let i = 0; i < 600; i++) {
      const prng = new Prng(0x5eed + i);
      const src = corpus[i % corpus.length];
      const bytes = mutate(prng, src, { maxWindow: 20 }).bytes;
      const path = `${dir}/in.pcap`;
      Deno.writeFileSync(path, bytes);
      const want = readWith(() => openCaptureBytes(bytes, path));
      const bufferSize = prng.pick([64, 80, 100, 256, 1000]);
      const got = readWith(() => openCapture(path, { bufferSize }));
      assert.deepEqual(got, want, `input ${i} (buffer ${bufferSize})`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
