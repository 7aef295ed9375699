import assert from "node:assert/strict";
import { openCapture, openCaptureBytes } from "./open.ts";
import { CaptureFormatError } from "./capture_error.ts";
import { PcapReader } from "./pcap.ts";
import { pattern, pcapFile, type PcapRecord, readAll } from "../../tests/_support/capture_files.ts";

Deno.test("PcapReader reads both byte orders with µs and ns timestamps", async (t) => {
  for (const littleEndian of [true, false]) {
    for (const nanosecond of [false, true]) {
      await t.step(`${littleEndian ? "LE" : "BE"} ${nanosecond ? "ns" : "µs"}`, () => {
        const maxFrac = nanosecond ? 999999999 : 999999;
        const file = pcapFile([
          { sec: 1000, frac: 5, data: 60 },
          { sec: 0xffffffff, frac: maxFrac, data: 1514 },
          { sec: 0, frac: 0, data: 0 },
        ], { littleEndian, nanosecond });
        const reader = openCaptureBytes(file, "x.pcap");
        assert.ok(reader instanceof PcapReader);
        assert.equal(reader.format, "pcap");
        assert.equal(reader.firstLinkType, 1);
        assert.equal(reader.firstSnapLen, 65535);
        assert.equal(reader.fileSize, file.length);
        assert.equal((reader as PcapReader).bigEndian, !littleEndian);
        assert.equal((reader as PcapReader).nanosecond, nanosecond);
        const recs = readAll(reader);
        assert.equal(reader.damage, null);
        assert.equal(reader.next(), false);
        assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNs, r.capLen, r.wireLen, r.recordOffset]), [
          [1000, nanosecond ? 5 : 5000, 60, 60, 24],
          [0xffffffff, nanosecond ? maxFrac : maxFrac * 1000, 1514, 1514, 24 + 16 + 60],
          [0, 0, 0, 0, 24 + 16 + 60 + 16 + 1514],
        ]);
        assert.deepEqual(recs[0].bytes, pattern(60, 1000));
        assert.deepEqual(recs[1].bytes, pattern(1514, 0xffffffff));
        assert.ok(recs.every((r) => r.linkType === 1 && r.snapLen === 65535));
      });
    }
  }
});

Deno.test("PcapReader hands out views into one buffer, without copies", () => {
  const file = pcapFile([{ sec: 1, frac: 0, data: 100 }, { sec: 2, frac: 0, data: 100 }]);
  const reader = openCaptureBytes(file);
  assert.ok(reader.next());
  assert.equal(reader.data, file);
  assert.equal(reader.offset, 24 + 16);
  assert.ok(reader.next());
  assert.equal(reader.data, file);
  assert.equal(reader.offset, 24 + 16 + 100 + 16);
});

Deno.test("PcapReader masks the reserved link type bits and maps LINKTYPE_ to DLT_", () => {
  const cases: [number, number][] = [
    [0x30000001, 1], // FCS length bits over Ethernet
    [0x40000000, 0], // NULL
    [101, 12], // LINKTYPE_RAW -> DLT_RAW on Linux
    [0x04000065, 12],
    [113, 113],
    [276, 276],
    [228, 228],
  ];
  for (const [field, dlt] of cases) {
    const reader = openCaptureBytes(pcapFile([{ sec: 1, frac: 0, data: 20 }], { linkType: field }));
    assert.equal(reader.firstLinkType, dlt, `0x${field.toString(16)}`);
    assert.ok(reader.next());
    assert.equal(reader.linkType, dlt);
    assert.equal((reader as PcapReader).linkTypeField, field);
  }
});

Deno.test("PcapReader adjusts the snapshot length as libpcap does", () => {
  const cases: [number, number, number][] = [
    [0, 1, 262144],
    [0x80000000, 1, 262144],
    [0xffffffff, 1, 262144],
    [300000, 1, 300000], // above the maximum but a valid int: kept
    [68, 1, 68],
    [0, 231, 128 * 1024 * 1024], // DLT_DBUS
    [0, 249, 1024 * 1024], // DLT_USBPCAP
  ];
  for (const [field, linkType, snap] of cases) {
    const reader = openCaptureBytes(pcapFile([], { snapLen: field, linkType }));
    assert.equal(reader.firstSnapLen, snap, `snaplen ${field}, link type ${linkType}`);
  }
});

Deno.test("PcapReader swaps captured and wire length for versions before 2.3", async (t) => {
  // Stored [caplen field, len field]; expected [capLen, wireLen].
  const rec = (cap: number, len: number, n: number): PcapRecord => ({
    sec: 1,
    frac: 0,
    data: n,
    capField: cap,
    lenField: len,
  });
  await t.step("2.2 and 543.0: always swapped", () => {
    for (const [major, minor] of [[2, 2], [2, 0], [543, 0]]) {
      const file = pcapFile([rec(1500, 60, 60), rec(60, 60, 60)], { major, minor });
      const recs = readAll(openCaptureBytes(file));
      assert.deepEqual(recs.map((r) => [r.capLen, r.wireLen]), [[60, 1500], [60, 60]]);
    }
  });
  await t.step("2.3: swapped only when caplen > len", () => {
    const file = pcapFile([rec(1500, 60, 60), rec(60, 1500, 60)], { minor: 3 });
    const recs = readAll(openCaptureBytes(file));
    assert.deepEqual(recs.map((r) => [r.capLen, r.wireLen]), [[60, 1500], [60, 1500]]);
  });
  await t.step("2.4: never swapped, caplen > len accepted as libpcap does", () => {
    const file = pcapFile([rec(60, 40, 60), rec(60, 60, 60)]);
    const reader = openCaptureBytes(file);
    const recs = readAll(reader);
    assert.deepEqual(recs.map((r) => [r.capLen, r.wireLen]), [[60, 40], [60, 60]]);
    assert.equal(reader.damage, null);
  });
});

Deno.test("PcapReader reads a corrupt v2.0 header as libpcap does (nsec fraction >= 1e9)", () => {
  // Like malformed/corrupt-file-header-nsec-truncated.pcap: ns magic, version 2.0, snaplen 0,
  // link type 0x40000000, one record whose fields are swapped, then 2 stray bytes.
  const file = pcapFile([{
    sec: 980658802,
    frac: 1882137472,
    data: 197,
    capField: 524501,
    lenField: 197,
  }], { nanosecond: true, major: 2, minor: 0, snapLen: 0, linkType: 0x40000000 });
  const bytes = new Uint8Array(file.length + 2);
  bytes.set(file);
  const reader = openCaptureBytes(bytes, "c.pcap");
  assert.equal(reader.firstLinkType, 0);
  assert.equal(reader.firstSnapLen, 262144);
  const recs = readAll(reader);
  assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNs, r.capLen, r.wireLen]), [
    [980658802, 1882137472, 197, 524501],
  ]);
  assert.deepEqual(reader.damage, {
    offset: 237,
    message: "truncated record header: the file ends after 2 of 16 bytes",
    t2Warning:
      "pcap_dispatch failed: truncated dump file; tried to read 16 header bytes, only got 2",
  });
  // (24 + 197 + 16) / 239 = 99.16 %, as T2 printed.
  assert.equal(((24 + 197 + 16) * 100 / bytes.length).toFixed(2), "99.16");
});

Deno.test("PcapReader cuts a record longer than the snapshot length", () => {
  const file = pcapFile([
    { sec: 1, frac: 0, data: 100 },
    { sec: 2, frac: 0, data: 30 },
  ], { snapLen: 68 });
  const recs = readAll(openCaptureBytes(file));
  assert.deepEqual(recs.map((r) => [r.tsSec, r.capLen, r.wireLen]), [[1, 68, 100], [2, 30, 30]]);
  assert.deepEqual(recs[0].bytes, pattern(100, 1).subarray(0, 68));
  assert.deepEqual(recs[1].bytes, pattern(30, 2));
});

Deno.test("PcapReader stops at an impossible record header instead of resynchronising", async (t) => {
  await t.step("caplen above 262144 (libpcap's message)", () => {
    const file = pcapFile([
      { sec: 1, frac: 0, data: 60 },
      { sec: 2, frac: 0, data: 60 },
      { sec: 3, frac: 1952268070, data: 40, capField: 3925868813, lenField: 3925868549 },
      { sec: 4, frac: 0, data: 60 },
    ], { snapLen: 0 });
    const reader = openCaptureBytes(file);
    const recs = readAll(reader);
    assert.equal(recs.length, 2);
    assert.equal(reader.next(), false);
    const d = reader.damage!;
    assert.equal(d.offset, 24 + 2 * (16 + 60));
    assert.equal(
      d.t2Warning,
      "pcap_dispatch failed: invalid packet capture length 3925868813, bigger than snaplen of 262144",
    );
    assert.match(d.message, /captured length 3925868813 exceeds the maximum of 262144/);
    assert.match(d.message, /microsecond field 1952268070 >= 1000000/);
  });
  await t.step("caplen above the maximum but within a bigger snapshot length", () => {
    const file = pcapFile([{ sec: 1, frac: 0, data: 10, capField: 280000 }], { snapLen: 300000 });
    const reader = openCaptureBytes(file);
    assert.equal(reader.next(), false);
    assert.equal(
      reader.damage?.t2Warning,
      "pcap_dispatch failed: invalid packet capture length 280000, bigger than maximum of 262144",
    );
  });
  await t.step("fraction out of range and caplen > len together (libpcap would accept it)", () => {
    const file = pcapFile([
      { sec: 1, frac: 0, data: 60 },
      { sec: 2, frac: 2000000, data: 100, lenField: 50 },
    ]);
    const reader = openCaptureBytes(file);
    assert.equal(readAll(reader).length, 1);
    assert.equal(reader.damage?.offset, 24 + 16 + 60);
    assert.equal(reader.damage?.t2Warning, undefined);
    assert.match(reader.damage!.message, /^implausible record header/);
  });
  await t.step("fraction out of range alone is read as is", () => {
    const file = pcapFile([{ sec: 2, frac: 2000000, data: 60 }]);
    const reader = openCaptureBytes(file);
    const recs = readAll(reader);
    assert.deepEqual(recs.map((r) => [r.tsSec, r.tsNs]), [[2, 2000000000]]);
    assert.equal(reader.damage, null);
  });
});

Deno.test("PcapReader reports a file cut inside a record with libpcap's text", async (t) => {
  const full = pcapFile([{ sec: 1, frac: 0, data: 60 }, { sec: 2, frac: 0, data: 100 }]);
  const second = 24 + 16 + 60;
  await t.step("clean end at a record boundary", () => {
    const reader = openCaptureBytes(full.subarray(0, second));
    assert.equal(readAll(reader).length, 1);
    assert.equal(reader.damage, null);
  });
  await t.step("file header only", () => {
    const reader = openCaptureBytes(full.subarray(0, 24));
    assert.equal(reader.next(), false);
    assert.equal(reader.damage, null);
  });
  for (const got of [1, 15]) {
    await t.step(`${got} of 16 header bytes`, () => {
      const reader = openCaptureBytes(full.subarray(0, second + got));
      assert.equal(readAll(reader).length, 1);
      assert.deepEqual(reader.damage, {
        offset: second,
        message: `truncated record header: the file ends after ${got} of 16 bytes`,
        t2Warning:
          `pcap_dispatch failed: truncated dump file; tried to read 16 header bytes, only got ${got}`,
      });
    });
  }
  await t.step("inside the record data", () => {
    const reader = openCaptureBytes(full.subarray(0, second + 16 + 40));
    assert.equal(readAll(reader).length, 1);
    assert.equal(reader.damage?.offset, second);
    assert.equal(
      reader.damage?.t2Warning,
      "pcap_dispatch failed: truncated dump file; tried to read 100 captured bytes, only got 40",
    );
  });
  await t.step("inside a record longer than the snapshot length", () => {
    const file = pcapFile([{ sec: 1, frac: 0, data: 100 }], { snapLen: 68 });
    let reader = openCaptureBytes(file.subarray(0, 24 + 16 + 40));
    assert.equal(reader.next(), false);
    assert.equal(
      reader.damage?.t2Warning,
      "pcap_dispatch failed: truncated dump file; tried to read 68 captured bytes, only got 40",
    );
    reader = openCaptureBytes(file.subarray(0, 24 + 16 + 80));
    assert.equal(reader.next(), false);
    assert.equal(
      reader.damage?.t2Warning,
      "pcap_dispatch failed: truncated dump file; tried to read 100 captured bytes, only got 80",
    );
  });
});

Deno.test("PcapReader rejects unusable file headers with a SyntaxError", () => {
  const valid = pcapFile([]);
  const cases: [Uint8Array, string, string][] = [
    [
      new Uint8Array(0),
      "empty file",
      "truncated dump file; tried to read 4 file header bytes, only got 0",
    ],
    [
      valid.subarray(0, 3),
      "file header truncated (3 bytes)",
      "truncated dump file; tried to read 4 file header bytes, only got 3",
    ],
    [
      new Uint8Array([0x12, 0x34, 0x56, 0x78, 0, 0]),
      "unknown file format (magic 0x12345678)",
      "unknown file format",
    ],
    [
      valid.subarray(0, 10),
      "file header truncated (10 of 24 bytes)",
      "truncated dump file; tried to read 24 file header bytes, only got 6",
    ],
    [
      pcapFile([], { major: 1, minor: 0 }),
      "unsupported pcap version 1.0 (archaic format)",
      "archaic pcap savefile format",
    ],
    [
      pcapFile([], { major: 2, minor: 5 }),
      "unsupported pcap version 2.5",
      "unsupported pcap savefile version 2.5",
    ],
    [
      pcapFile([], { major: 3, minor: 0 }),
      "unsupported pcap version 3.0",
      "unsupported pcap savefile version 3.0",
    ],
  ];
  for (const [bytes, reason, pcapError] of cases) {
    assert.throws(() => openCaptureBytes(bytes, "x.pcap"), (e: unknown) => {
      assert.ok(e instanceof SyntaxError);
      assert.ok(e instanceof CaptureFormatError);
      assert.equal(e.message, `Cannot read capture "x.pcap": ${reason}`);
      assert.equal(e.pcapError, pcapError);
      return true;
    });
  }
});

Deno.test("openCapture reads files through a small buffer exactly like in memory", () => {
  const sizes = [60, 1514, 0, 200, 9000, 33, 64, 65, 300000 >> 4];
  const file = pcapFile(sizes.map((n, i) => ({ sec: 100 + i, frac: i * 17, data: n })), {
    littleEndian: false,
  });
  const expected = readAll(openCaptureBytes(file));
  const path = Deno.makeTempFileSync({ suffix: ".pcap" });
  try {
    for (const cut of [file.length, file.length - 5, file.length - 20]) {
      Deno.writeFileSync(path, file.subarray(0, cut));
      const mem = openCaptureBytes(file.subarray(0, cut));
      const want = readAll(mem);
      if (cut === file.length) assert.deepEqual(want, expected);
      for (const bufferSize of [64, 100, 1000, 4096, 4 * 1024 * 1024]) {
        const reader = openCapture(path, { bufferSize });
        assert.equal(reader.fileSize, cut);
        assert.deepEqual(readAll(reader), want, `cut ${cut}, buffer ${bufferSize}`);
        assert.deepEqual(reader.damage, mem.damage);
        reader.close();
        reader.close(); // idempotent
      }
    }
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("openCapture throws Deno's error for a missing file", () => {
  assert.throws(() => openCapture("/nonexistent/x.pcap"), Deno.errors.NotFound);
});

Deno.test("openCapture reads standard input for '-'", async () => {
  const file = pcapFile([{ sec: 7, frac: 1, data: 1000 }, { sec: 8, frac: 2, data: 50 }], {
    nanosecond: true,
  });
  const openUrl = new URL("./open.ts", import.meta.url).href;
  const code = `import { openCapture } from ${JSON.stringify(openUrl)};
const r = openCapture("-");
const out = [];
while (r.next()) out.push([r.tsSec, r.tsNs, r.capLen]);
console.log(JSON.stringify({ out, size: r.fileSize, damage: r.damage }));`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(file);
  await writer.close();
  const { code: rc, stdout, stderr } = await child.output();
  assert.equal(rc, 0, new TextDecoder().decode(stderr));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(stdout)), {
    out: [[7, 1, 1000], [8, 2, 50]],
    size: 0,
    damage: null,
  });
});

Deno.test("PcapReader never throws on mutated files and keeps views in bounds", () => {
  const base = pcapFile(
    Array.from({ length: 20 }, (_, i) => ({ sec: i, frac: i, data: 20 + i * 13 })),
    { minor: 3 },
  );
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let iter = 0; iter < 500; iter++) {
    const bytes = base.slice(0, 24 + rand(base.length - 23));
    const flips = 1 + rand(8);
    for (let i = 0; i < flips; i++) bytes[24 + rand(bytes.length - 24 || 1)] = rand(256);
    const reader = openCaptureBytes(bytes);
    let n = 0;
    while (reader.next()) {
      assert.ok(reader.offset + reader.capLen <= reader.data.length);
      assert.ok(reader.capLen <= reader.snapLen);
      n++;
    }
    assert.ok(n <= 20 + bytes.length / 16);
    assert.equal(reader.next(), false);
  }
});
