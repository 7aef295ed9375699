import assert from "node:assert/strict";
import { openCapture, openCaptureBytes } from "./open.ts";
import { CaptureFormatError } from "./capture_error.ts";
import { PcapngReader } from "./pcapng.ts";
import type { CaptureDamage } from "./types.ts";
import {
  block,
  concat,
  epb,
  idb,
  pattern,
  readAll,
  shb,
  spb,
} from "../../tests/_support/capture_files.ts";

/** libpcap's conversion of a tick count, in exact 64-bit arithmetic (the test oracle). */
function oracle(ticks: bigint, tsresol: number, tsoffset: bigint): [bigint, bigint] {
  const binary = (tsresol & 0x80) !== 0;
  const res = binary ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  const sec = BigInt.asIntN(64, BigInt.asUintN(64, ticks / res + tsoffset));
  let frac = ticks % res;
  if (res === 1000000000n) { /* pass through */ }
  else if (binary) frac = BigInt.asUintN(64, frac * 1000000000n) / res;
  else if (res < 1000000000n) frac *= 1000000000n / res;
  else frac /= res / 1000000000n;
  return [sec, frac];
}

function onlyIf(le = true, o: Parameters<typeof idb>[0] = {}): Uint8Array {
  return concat(shb(le), idb({ le, ...o }));
}

Deno.test("PcapngReader reads one interface in both byte orders", async (t) => {
  for (const le of [true, false]) {
    await t.step(le ? "LE" : "BE", () => {
      const file = concat(
        onlyIf(le),
        epb({ le, ticks: 1490976022526783n, data: 74 }),
        epb({ le, ticks: 1490976198776068n, data: pattern(1514, 3), lenField: 1600 }),
      );
      const reader = openCaptureBytes(file, "x.pcapng");
      assert.ok(reader instanceof PcapngReader);
      assert.equal(reader.format, "pcapng");
      assert.equal(reader.firstLinkType, 1);
      assert.equal(reader.firstSnapLen, 65535);
      const recs = readAll(reader);
      assert.equal(reader.damage, null);
      assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNs, r.capLen, r.wireLen, r.linkType]), [
        [1490976022, 526783000, 74, 74, 1],
        [1490976198, 776068000, 1514, 1600, 1],
      ]);
      assert.deepEqual(recs[0].bytes, pattern(74));
      assert.deepEqual(recs[1].bytes, pattern(1514, 3));
      assert.equal(recs[0].recordOffset, 28 + 20);
    });
  }
});

Deno.test("PcapngReader converts timestamps exactly for every if_tsresol", () => {
  const resolutions = [
    ...Array.from({ length: 20 }, (_, i) => i),
    ...Array.from({ length: 64 }, (_, i) => 0x80 | i),
  ];
  const offsets = [0n, 1000n, -5n, 1n << 40n];
  let seed = 7n;
  const rand64 = () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return seed;
  };
  const ticksList = [
    0n,
    1n,
    999999n,
    (1n << 53n) - 1n,
    1n << 53n,
    (1n << 53n) + 1n,
    1422527998578402281n, // ns in 2015
    0xffffffffe1dfd279n, // the multi-interface sample's bogus µs times
    (1n << 64n) - 1n,
  ];
  for (let i = 0; i < 40; i++) ticksList.push(rand64() >> BigInt(i % 40));
  for (const tsresol of resolutions) {
    for (const tsoffset of offsets) {
      const file = concat(
        onlyIf(true, { tsresol, tsoffset }),
        ...ticksList.map((ticks) => epb({ ticks, data: 1 })),
      );
      const recs = readAll(openCaptureBytes(file));
      assert.equal(recs.length, ticksList.length);
      ticksList.forEach((ticks, i) => {
        const [sec, ns] = oracle(ticks, tsresol, tsoffset);
        const what = `tsresol 0x${tsresol.toString(16)}, offset ${tsoffset}, ticks ${ticks}`;
        assert.equal(recs[i].tsNs, Number(ns), what);
        if (sec >= -(2n ** 53n) && sec <= 2n ** 53n) assert.equal(recs[i].tsSec, Number(sec), what);
        else assert.ok(Math.abs(recs[i].tsSec / Number(sec) - 1) < 1e-12, what);
      });
    }
  }
});

Deno.test("PcapngReader reads several interfaces, each with its own settings", () => {
  const file = concat(
    shb(),
    idb({ linkType: 1, snapLen: 0, tsresol: 9 }),
    idb({ linkType: 113, snapLen: 128 }),
    block(4, new Uint8Array(8)), // name resolution block: skipped
    idb({ linkType: 101, snapLen: 2000, tsresol: 0x80 | 10, tsoffset: 100n }),
    epb({ ifId: 0, ticks: 1422527998578402281n, data: 66 }),
    epb({ ifId: 1, ticks: 1422528000000001n, data: 128, lenField: 1444 }),
    block(5, new Uint8Array(20)), // interface statistics: skipped
    block(0x40000bad, new Uint8Array(12)), // custom block: skipped
    epb({ ifId: 2, ticks: 3n * 1024n + 512n, data: 40 }),
    epb({ ifId: 0, ticks: 1422528033092194163n, data: 60 }),
  );
  const reader = openCaptureBytes(file) as PcapngReader;
  assert.equal(reader.firstLinkType, 1);
  assert.equal(reader.firstSnapLen, 262144);
  const seen: [number, number, number, number, number][] = [];
  while (reader.next()) {
    seen.push([reader.interfaceId, reader.linkType, reader.snapLen, reader.tsSec, reader.tsNs]);
  }
  assert.deepEqual(seen, [
    [0, 1, 262144, 1422527998, 578402281],
    [1, 113, 128, 1422528000, 1000],
    [2, 12, 2000, 103, 500000000],
    [0, 1, 262144, 1422528033, 92194163],
  ]);
  assert.equal(reader.damage, null);
  assert.equal(reader.skipped, 0);
});

Deno.test("PcapngReader starts afresh at each section, in either byte order", () => {
  const skips: CaptureDamage[] = [];
  const file = concat(
    shb(true),
    idb({ le: true, linkType: 1 }),
    idb({ le: true, linkType: 113 }),
    epb({ le: true, ifId: 1, ticks: 1000000n, data: 20 }),
    shb(false),
    idb({ le: false, linkType: 101, tsresol: 9 }),
    epb({ le: false, ifId: 1, ticks: 5n, data: 20 }), // interface 1 no longer exists
    epb({ le: false, ifId: 0, ticks: 2000000001n, data: 30 }),
  );
  const reader = openCaptureBytes(file);
  reader.onSkip = (s) => skips.push(s);
  const recs = readAll(reader);
  assert.deepEqual(recs.map((r) => [r.linkType, r.tsSec, r.tsNs, r.capLen]), [
    [113, 1, 0, 20],
    [12, 2, 1, 30],
  ]);
  assert.equal(reader.damage, null);
  assert.equal(skips.length, 1);
  assert.equal(
    skips[0].t2Warning,
    "pcap_dispatch failed: a packet arrived on interface 1, but there's no Interface Description Block for that interface",
  );
});

Deno.test("PcapngReader reads simple and obsolete packet blocks", () => {
  const file = concat(
    onlyIf(true, { snapLen: 100, tsoffset: 50n }),
    spb(pattern(60), 60),
    spb(pattern(100), 1500), // captured length = min(len, snaplen)
    epb({ obsolete: true, ticks: 7000001n, data: 42 }),
    epb({ ticks: 8000000n, data: 10, opts: [[1, new TextEncoder().encode("comment")]] }),
  );
  const recs = readAll(openCaptureBytes(file));
  assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNs, r.capLen, r.wireLen]), [
    [50, 0, 60, 60],
    [50, 0, 100, 1500],
    [57, 1000, 42, 42],
    [58, 0, 10, 10],
  ]);
  assert.deepEqual(recs[1].bytes, pattern(100));
  assert.deepEqual(recs[2].bytes, pattern(42));
  assert.deepEqual(recs[3].bytes, pattern(10));
});

Deno.test("PcapngReader skips unusable packet blocks and reads on", () => {
  const skips: CaptureDamage[] = [];
  const shortEpb = block(6, new Uint8Array(16));
  const file = concat(
    onlyIf(true, { snapLen: 100 }),
    epb({ ticks: 1000000n, data: 10 }),
    epb({ ifId: 3, data: 10 }),
    epb({ data: 200 }), // caplen above the snapshot length
    epb({ data: 10, capField: 90 }), // caplen beyond the block
    shortEpb,
    idb({ tsresol: 0x80 | 64 }), // rejected by libpcap: interface 1 unusable
    epb({ ifId: 1, data: 10 }),
    epb({ ticks: 2000000n, data: 20 }),
  );
  const reader = openCaptureBytes(file) as PcapngReader;
  reader.onSkip = (s) => skips.push(s);
  const recs = readAll(reader);
  assert.deepEqual(recs.map((r) => [r.tsSec, r.capLen]), [[1, 10], [2, 20]]);
  assert.equal(reader.damage, null);
  assert.equal(reader.skipped, 6);
  assert.deepEqual(skips.map((s) => s.message), [
    "a packet arrived on interface 3, but there's no Interface Description Block for that interface",
    "invalid packet capture length 200, bigger than snaplen of 100",
    "block of type 6 in pcapng dump file is too short",
    "block of type 6 in pcapng dump file is too short",
    "Interface Description Block if_tsresol option resolution 2^-64 is too high",
    "a packet arrived on interface 1, but there's no Interface Description Block for that interface",
  ]);
  const epb10 = 12 + 20 + 12;
  assert.equal(skips[0].offset, 28 + 20 + epb10);
  assert.equal(skips[1].offset, 28 + 20 + 2 * epb10);
});

Deno.test("PcapngReader stops at a block whose framing is broken", async (t) => {
  const head = concat(onlyIf(), epb({ ticks: 1000000n, data: 10 }));
  const good = epb({ ticks: 2000000n, data: 20 });
  const cases: [string, Uint8Array, string][] = [
    [
      "file ends inside a block header",
      good.subarray(0, 3),
      "truncated pcapng dump file; tried to read 8 bytes, only got 3",
    ],
    [
      "file ends inside a block",
      good.subarray(0, 30),
      `truncated pcapng dump file; tried to read ${good.length - 8} bytes, only got 22`,
    ],
    [
      "length below 12",
      block(6, new Uint8Array(0), true, { header: 8 }),
      "block in pcapng dump file has a length of 8 < 12",
    ],
    [
      "length not a multiple of 4",
      block(6, new Uint8Array(8), true, { header: 18 }),
      "block in pcapng dump file has a length of 18 that is not a multiple of 4",
    ],
    [
      "trailer differs",
      block(6, new Uint8Array(8), true, { trailer: 24 }),
      "block total length in header and trailer don't match",
    ],
    [
      "block too large",
      block(6, new Uint8Array(8), true, { header: 32 * 1024 * 1024 }),
      `pcapng block size ${32 * 1024 * 1024} > maximum ${16 * 1024 * 1024}`,
    ],
    [
      "section with a bad byte-order magic",
      concat(new Uint8Array([10, 13, 13, 10, 28, 0, 0, 0, 1, 2, 3, 4]), new Uint8Array(16)),
      "the file has a section with a bad byte order magic field",
    ],
    [
      "section of an unknown major version",
      shb(true, 2, 0),
      "unknown pcapng savefile major version number 2",
    ],
  ];
  for (const [what, tail, pcapError] of cases) {
    await t.step(what, () => {
      // A truncated block can only be the last one.
      const truncated = what.startsWith("file ends");
      const reader = openCaptureBytes(truncated ? concat(head, tail) : concat(head, tail, good));
      assert.equal(readAll(reader).length, 1);
      assert.equal(reader.damage?.offset, head.length, what);
      assert.equal(reader.damage?.t2Warning, `pcap_dispatch failed: ${pcapError}`);
      assert.ok(reader.damage!.message.length > 0);
      assert.equal(reader.next(), false);
    });
  }
  await t.step("clean end", () => {
    const reader = openCaptureBytes(head);
    assert.equal(readAll(reader).length, 1);
    assert.equal(reader.damage, null);
  });
});

Deno.test("PcapngReader refuses files that libpcap cannot open", () => {
  const bomBad = shb();
  bomBad.set([1, 2, 3, 4], 8);
  const cases: [Uint8Array, string][] = [
    [shb().subarray(0, 10), "section header truncated (10 of 28 bytes)"],
    [bomBad, "unknown file format (pcapng block type but byte-order magic 0x01020304)"],
    [
      block(0x0a0d0d0a, new Uint8Array([0x4d, 0x3c, 0x2b, 0x1a])),
      "section header block length 16 is out of range (28 to 1048576)",
    ],
    [shb(true, 1, 1), "unsupported pcapng version 1.1"],
    [shb(true, 2, 0), "unsupported pcapng version 2.0"],
    [shb(), "no interface description block"],
    [concat(shb(), epb()), "packet block before the first interface description block"],
    [
      concat(shb(), idb({ tsresol: 20 })),
      "Interface Description Block if_tsresol option resolution 10^-20 is too high",
    ],
    [
      concat(shb(), idb().subarray(0, 12)),
      "truncated block of type 1: the file ends after 12 of 20 bytes",
    ],
  ];
  for (const [bytes, reason] of cases) {
    assert.throws(() => openCaptureBytes(bytes, "x.pcapng"), (e: unknown) => {
      assert.ok(e instanceof CaptureFormatError);
      assert.equal(e.message, `Cannot read capture "x.pcapng": ${reason}`);
      return true;
    });
  }
  // Version 1.2 is accepted, as by libpcap; blocks before the first IDB are skipped.
  const ok = openCaptureBytes(concat(shb(true, 1, 2), block(4, new Uint8Array(4)), idb()));
  assert.equal(ok.next(), false);
  assert.equal(ok.damage, null);
});

Deno.test("PcapngReader reads files through a small buffer exactly like in memory", () => {
  const file = concat(
    shb(false),
    idb({ le: false, tsresol: 9 }),
    ...[60, 1514, 9000, 0, 33, 200].map((n, i) =>
      epb({ le: false, ticks: 1422527998578402281n + BigInt(i), data: pattern(n, i) })
    ),
  );
  const expected = readAll(openCaptureBytes(file));
  const path = Deno.makeTempFileSync({ suffix: ".pcapng" });
  try {
    for (const cut of [file.length, file.length - 7]) {
      Deno.writeFileSync(path, file.subarray(0, cut));
      const mem = openCaptureBytes(file.subarray(0, cut));
      const want = readAll(mem);
      if (cut === file.length) assert.deepEqual(want, expected);
      for (const bufferSize of [64, 256, 4096]) {
        const reader = openCapture(path, { bufferSize });
        assert.deepEqual(readAll(reader), want, `cut ${cut}, buffer ${bufferSize}`);
        assert.deepEqual(reader.damage, mem.damage);
        reader.close();
      }
    }
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("PcapngReader never throws on mutated files and keeps views in bounds", () => {
  const base = concat(
    shb(),
    idb({ tsresol: 9 }),
    idb({ linkType: 113, snapLen: 64 }),
    ...Array.from(
      { length: 12 },
      (_, i) => epb({ ifId: i % 2, ticks: BigInt(i) << 40n, data: 10 + i * 11 }),
    ),
    spb(pattern(30)),
  );
  let seed = 99;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  let opened = 0;
  for (let iter = 0; iter < 800; iter++) {
    const bytes = base.slice(0, 60 + rand(base.length - 59));
    const flips = 1 + rand(6);
    for (let i = 0; i < flips; i++) bytes[28 + rand(bytes.length - 28)] = rand(256);
    let reader;
    try {
      reader = openCaptureBytes(bytes);
    } catch (e) {
      assert.ok(e instanceof CaptureFormatError, String(e));
      continue;
    }
    opened++;
    reader.onSkip = () => {};
    while (reader.next()) {
      assert.ok(reader.offset + reader.capLen <= reader.data.length);
      assert.ok(reader.capLen <= reader.snapLen);
    }
  }
  assert.ok(opened > 100);
});
