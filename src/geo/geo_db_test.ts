import assert from "node:assert/strict";
import { type GeoDb, loadGeoDb } from "./geo_db.ts";
import {
  ASN_SOURCE,
  buildGeoDb,
  COUNTRY_SOURCE,
  forEachCsvRow,
  geoBuildKey,
  ORG_MAX_BYTES,
  packageFileUrl,
  parseCidr,
  SPECIAL_RANGES,
  truncateOrg,
} from "./build.ts";

/** IPv4 text to the unsigned 32-bit form `lookup4` takes. */
function ip4(s: string): number {
  return s.split(".").reduce((a, b) => a * 256 + Number(b), 0);
}

/** 128-bit value to 16 bytes at offset 3 of a larger buffer (exercises `off`). */
function bytes6(v: bigint): Uint8Array {
  const b = new Uint8Array(3 + 16 + 5).fill(0xee);
  for (let i = 15; i >= 0; i--) {
    b[3 + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

function ip6(s: string): bigint {
  return parseCidr(`${s}/128`).start;
}

function lookup6(db: GeoDb, v: bigint): number {
  return db.lookup6(bytes6(v), 3);
}

function label4(db: GeoDb, s: string): [string, string] {
  const r = db.lookup4(ip4(s));
  return [db.countryCode(r), db.organization(r)];
}

function label6(db: GeoDb, s: string): [string, string] {
  const r = lookup6(db, ip6(s));
  return [db.countryCode(r), db.organization(r)];
}

/**
 * The generated tables: `data/geo/` if it is there and current, else a fresh build into a
 * temporary directory (removed by the caller).
 */
async function openDb(): Promise<{ db: GeoDb; tmp?: string }> {
  const key = await geoBuildKey();
  const existing = loadGeoDb();
  if (existing !== null && existing.meta.buildKey === key) return { db: existing };
  const tmp = await Deno.makeTempDir({ prefix: "geo_db_test_" });
  console.log(
    `geo_db_test: data/geo/ ${existing === null ? "absent" : "stale"}; building into ${tmp}`,
  );
  await buildGeoDb({ outDir: tmp });
  const db = loadGeoDb(tmp);
  assert.ok(db !== null);
  return { db, tmp };
}

const overrides = SPECIAL_RANGES.filter((s) => s.mode === "override").map((s) => parseCidr(s.cidr));

function inOverride(v6: boolean, start: bigint, end: bigint): boolean {
  return overrides.some((c) => c.v6 === v6 && c.start <= end && start <= c.end);
}

interface Row {
  start: bigint;
  end: bigint;
  fields: string[];
}

/**
 * Rows of a package CSV that overlap no other row of the same file and no override special
 * range, every `step`-th of them.
 */
async function sampleRows(url: URL, v6: boolean, step: number): Promise<Row[]> {
  const rows: Row[] = [];
  forEachCsvRow(await Deno.readTextFile(url), (f) => {
    rows.push({ start: BigInt(f[0]), end: BigInt(f[1]), fields: [...f] });
  });
  const out: Row[] = [];
  let maxEnd = -1n;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const alone = r.start > maxEnd && (i + 1 === rows.length || rows[i + 1].start > r.end);
    if (r.end > maxEnd) maxEnd = r.end;
    if (alone && i % step === 0 && !inOverride(v6, r.start, r.end)) out.push(r);
  }
  return out;
}

function lookupAny(db: GeoDb, v6: boolean, v: bigint): number {
  return v6 ? lookup6(db, v) : db.lookup4(Number(v));
}

Deno.test("geo db", async (t) => {
  const { db, tmp } = await openDb();
  try {
    await t.step("meta", () => {
      const m = db.meta;
      assert.match(m.dataDate, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(
        m.rev,
        m.dataDate.slice(8, 10) + m.dataDate.slice(5, 7) + m.dataDate.slice(0, 4),
      );
      assert.deepEqual(m.sources.map((s) => s.name), [COUNTRY_SOURCE.name, ASN_SOURCE.name]);
      assert.ok(m.ranges4 > 100_000 && m.ranges4 <= db.size4, `ranges4 ${m.ranges4}`);
      assert.ok(m.ranges6 > 10_000 && m.ranges6 <= db.size6, `ranges6 ${m.ranges6}`);
      assert.equal(m.specialRanges, SPECIAL_RANGES.length);
    });

    await t.step("record 0 is unknown", () => {
      assert.equal(db.countryCode(0), "-");
      assert.equal(db.organization(0), "-");
      assert.equal(db.asn(0), 0);
      assert.equal(db.countryCode(-1), "-");
      assert.equal(db.organization(db.meta.records), "-");
    });

    await t.step("IPv4 special ranges (T2 codes and texts)", () => {
      const cases: [string, string, string][] = [
        ["192.168.1.105", "07", "Private network"], // tutorials
        ["192.168.1.104", "07", "Private network"],
        ["192.168.0.0", "07", "Private network"],
        ["192.168.255.255", "07", "Private network"],
        ["10.0.0.1", "04", "Private network"],
        ["172.16.0.1", "05", "Private network"],
        ["172.31.255.255", "05", "Private network"],
        ["192.0.0.8", "06", "Private network"],
        ["127.0.0.1", "01", "Loopback"],
        ["169.254.10.20", "02", "Link-local"],
        ["100.64.0.1", "20", "Shared address space"],
        ["100.127.255.255", "20", "Shared address space"],
        ["192.0.2.55", "21", "TEST-NET-1"],
        ["198.51.100.1", "22", "TEST-NET-2"],
        ["203.0.113.9", "23", "TEST-NET-3"],
        ["198.18.3.4", "08", "Benchmark testing subnets"],
        ["192.88.99.1", "60", "IPv6 to IPv4 relay"],
        ["224.0.0.1", "10", "All Systems on this Subnet"],
        ["224.0.0.251", "10", "mDNS"],
        ["224.0.0.252", "10", "Link-local Multicast Name Reso"], // 30 bytes, as T2
        ["224.0.0.3", "10", "Multicast"],
        ["230.1.2.3", "10", "Multicast"],
        ["239.255.255.250", "10", "Organization-Local Scope"],
        ["240.0.0.1", "24", "Reserved"],
        ["255.255.255.254", "24", "Reserved"],
        ["255.255.255.255", "11", "Broadcast"],
      ];
      for (const [ip, cc, org] of cases) assert.deepEqual(label4(db, ip), [cc, org], ip);
      // neighbours of the private blocks are not private
      assert.notEqual(label4(db, "172.32.0.1")[0], "05");
      assert.notEqual(label4(db, "192.169.0.1")[0], "07");
      assert.notEqual(label4(db, "11.0.0.1")[0], "04");
    });

    await t.step("IPv6 special ranges (T2 codes and texts)", () => {
      const cases: [string, string, string][] = [
        ["::1", "01", "Loopback"],
        ["fe80::1", "02", "Link-local"],
        ["febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "02", "Link-local"],
        ["fc00::1", "04", "Unique local"],
        ["fd12:3456:789a::1", "04", "Unique local"],
        ["ff02::1", "10", "All Nodes Address"],
        ["ff02::fb", "10", "mDNSv6"],
        ["ff02::1:2", "10", "DHCP_Relay_Agents_and_Servers"],
        ["ff02::1:ff12:3456", "10", "Solicited node Link-local"],
        ["ff05::1:3", "10", "Multicast"],
        ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "10", "Multicast"],
        ["2001:db8::1", "27", "doc and example source"],
        ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "64", "Teredo"],
        ["2002:c000:204::1", "65", "6to4 (deprecated)"],
        ["::ffff:c000:201", "61", "IPv4 mapped"],
        ["64:ff9b::808:808", "63", "IPv4/6 translation"],
        ["100::1", "25", "Discard prefix"],
      ];
      for (const [ip, cc, org] of cases) assert.deepEqual(label6(db, ip), [cc, org], ip);
    });

    await t.step("unknown addresses", () => {
      assert.equal(db.lookup4(0), 0); // 0.0.0.0/8 is not in T2's list nor in the data
      assert.equal(lookup6(db, 0n), 0); // ::
      // tutorial addresses T2 prints as `-  "-"`
      assert.equal(lookup6(db, ip6("cfb6:1c18:5010:faf0:7f66:0:101:80a")), 0);
      assert.equal(lookup6(db, ip6("6c2:6a7f:1:384b::c100")), 0);
    });

    await t.step("public IPv4 addresses get a country and an organisation", () => {
      for (const ip of ["8.8.8.8", "1.1.1.1", "143.166.11.10", "36.152.156.46"]) {
        const [cc, org] = label4(db, ip);
        assert.match(cc, /^[a-z]{2}$/, ip);
        assert.notEqual(org, "-", ip);
      }
      assert.equal(db.asn(db.lookup4(ip4("8.8.8.8"))), 15169);
      // input is coerced to unsigned 32 bit
      assert.equal(db.lookup4(ip4("192.168.1.105") | 0), db.lookup4(ip4("192.168.1.105")));
    });

    await t.step("nested country rows: the more specific one wins", () => {
      // geo-whois-asn-country: 37405696-37406207 DE contains 37405967 BE
      const cc = (n: number) => db.countryCode(db.lookup4(n));
      assert.equal(cc(37405967), "be");
      assert.equal(cc(37405966), "de");
      assert.equal(cc(37405968), "de");
    });

    for (const v6 of [false, true]) {
      const v = v6 ? 6 : 4;
      await t.step(`country CSV rows, IPv${v}`, async () => {
        const url = packageFileUrl(COUNTRY_SOURCE, `geo-whois-asn-country-ipv${v}-num.csv`);
        const rows = await sampleRows(url, v6, 97);
        assert.ok(rows.length > 500, `${rows.length} rows sampled`);
        for (const r of rows) {
          const want = r.fields[2].toLowerCase();
          for (const a of [r.start, r.end, (r.start + r.end) / 2n]) {
            assert.equal(db.countryCode(lookupAny(db, v6, a)), want, `${a} in ${r.fields}`);
          }
        }
      });
      await t.step(`ASN CSV rows, IPv${v}`, async () => {
        const url = packageFileUrl(ASN_SOURCE, `asn-ipv${v}-num.csv`);
        const rows = await sampleRows(url, v6, 97);
        assert.ok(rows.length > 500, `${rows.length} rows sampled`);
        for (const r of rows) {
          const org = truncateOrg(r.fields[3]);
          for (const a of [r.start, r.end]) {
            const i = lookupAny(db, v6, a);
            assert.equal(db.organization(i), org, `${a} in ${r.fields}`);
            assert.equal(db.asn(i), Number(r.fields[2]), `${a} in ${r.fields}`);
          }
        }
      });
    }

    await t.step("organisation names are cut to 30 bytes like T2", () => {
      assert.equal(ORG_MAX_BYTES, 30);
      assert.equal(
        truncateOrg("China Mobile Communications Corporation"),
        "China Mobile Communications Co",
      );
      assert.equal(truncateOrg("Dell, Inc."), "Dell, Inc.");
      // never splits a UTF-8 sequence: 29 ASCII bytes + "é" (2 bytes) -> 29 bytes
      const s = "x".repeat(29) + "é";
      assert.equal(truncateOrg(s), "x".repeat(29));
    });

    if (tmp !== undefined) {
      await t.step("rebuilding an up-to-date directory is skipped", async () => {
        const r = await buildGeoDb({ outDir: tmp });
        assert.equal(r.skipped, true);
        assert.equal(r.meta.buildKey, db.meta.buildKey);
      });
    }
  } finally {
    if (tmp !== undefined) {
      assert.ok(db.size6 > 0); // the lazily read IPv6 table must be in memory before removal
      await Deno.remove(tmp, { recursive: true });
    }
  }
});

Deno.test("loadGeoDb returns null when the files are absent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "geo_db_empty_" });
  try {
    assert.equal(loadGeoDb(dir), null);
    assert.equal(loadGeoDb(new URL(`file://${dir}/nothing/`)), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadGeoDb rejects a corrupt file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "geo_db_bad_" });
  try {
    const meta = { formatVersion: 1 };
    await Deno.writeTextFile(`${dir}/meta.json`, JSON.stringify(meta));
    for (const f of ["geo4.bin", "geo6.bin", "records.bin"]) {
      await Deno.writeFile(`${dir}/${f}`, new Uint8Array(20));
    }
    assert.throws(() => loadGeoDb(dir), /bad magic/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
