/**
 * Loader and lookup for the generated geo/organisation range tables (the stand-in for T2's
 * `subnets4_HLP.bin` / `subnets6_HLP.bin`), used for the `srcIPCC`/`srcIPOrg`/`dstIPCC`/`dstIPOrg`
 * columns.
 *
 * The files are produced by `src/geo/build.ts` into `data/geo/` (see `docs/geo.md`):
 *
 * | file | content |
 * |---|---|
 * | `geo4.bin` | header, `u32 start[n]`, `u32 rec[n]`: IPv4 range starts (sorted, `start[0] = 0`) |
 * | `geo6.bin` | header, `u32 start[4n]` (4 words per start, most significant first), `u32 rec[n]`|
 * | `records.bin` | header, `u8 cc[2m]` (padded to 4), `u32 org[m]`, `u32 asn[m]`, |
 * |  | `u32 orgOff[k+1]`, UTF-8 organisation blob (`m` records, `k` organisations) |
 * | `meta.json` | sources, versions, licences, data date, counts, build key |
 *
 * Every header is 16 bytes: 4 magic bytes, `u32` format version, `u32` count, `u32` extra. All
 * integers are little endian. Range `i` covers `[start[i], start[i+1])` (the last one runs to the
 * top of the address space); record 0 means "not found" (`-`/`-`), so gaps are explicit ranges
 * with record 0 and a lookup is a single "last start ≤ address" binary search.
 *
 * @module
 */

import { fileUrl } from "../fs/file_url.ts";
import { rootUrl } from "../root.ts";

/** Version of the binary layout; the build task writes it, the loader checks it. */
export const GEO_FORMAT_VERSION = 1;

/** File names inside the geo data directory. */
export const GEO_FILES = {
  v4: "geo4.bin",
  v6: "geo6.bin",
  records: "records.bin",
  meta: "meta.json",
} as const;

/** Magic bytes (ASCII) at the start of each binary file. */
export const GEO_MAGIC = { v4: "T2G4", v6: "T2G6", records: "T2GR" } as const;

/** Size of the common binary header in bytes. */
export const GEO_HEADER_SIZE = 16;

/** Representation of an unknown country or organisation (T2's `SUBNET_UNK`). */
export const GEO_UNKNOWN = "-";

/**
 * The default data directory: `data/geo/` at the repository root (embeddable with
 * `deno compile --include data/geo`).
 */
export const DEFAULT_GEO_DIR: URL = rootUrl("data/geo/");

/** One upstream data package the tables were built from. */
export interface GeoSource {
  /** npm package name, e.g. `@ip-location-db/asn`. */
  readonly name: string;
  /** Exact package version. */
  readonly version: string;
  /** What the package contributed (`country`, `organisation`). */
  readonly role: string;
  /** Licence identifier(s) of the data. */
  readonly license: string;
  /** Attribution text the licence asks for. */
  readonly attribution: string;
}

/** Contents of `meta.json`. */
export interface GeoDbMeta {
  /** Binary layout version ({@linkcode GEO_FORMAT_VERSION}). */
  readonly formatVersion: number;
  /** Hash over everything that determines the output; the build skips work when it matches. */
  readonly buildKey: string;
  /** Date of the upstream data, `YYYY-MM-DD` (from the package versions). */
  readonly dataDate: string;
  /** The same date as T2 prints its subnet file revision: `DDMMYYYY`. */
  readonly rev: string;
  /** Number of labelled IPv4 ranges (gaps not counted). */
  readonly ranges4: number;
  /** Number of labelled IPv6 ranges (gaps not counted). */
  readonly ranges6: number;
  /** Number of distinct (country, organisation, ASN) records, record 0 included. */
  readonly records: number;
  /** Number of entries of the built-in special-range table merged in. */
  readonly specialRanges: number;
  /** Upstream packages. */
  readonly sources: readonly GeoSource[];
}

/** A loaded geo database. Record indices are shared by IPv4 and IPv6; 0 means "not found". */
export interface GeoDb {
  /** Metadata of the generated files (for the report line and attribution). */
  readonly meta: GeoDbMeta;
  /** Number of ranges in the IPv4 table, gaps included. */
  readonly size4: number;
  /** Number of ranges in the IPv6 table, gaps included (reading it if not done yet). */
  readonly size6: number;
  /**
   * Record index for an IPv4 address given as unsigned 32-bit number, first octet most
   * significant (e.g. `0xc0a80169` for 192.168.1.105); 0 if not found.
   */
  lookup4(addr: number): number;
  /** Record index for the 16-byte IPv6 address at `bytes[off..off+16]`; 0 if not found. */
  lookup6(bytes: Uint8Array, off: number): number;
  /** Lower-case 2-character country code of record `i` (`07` private, …); `-` for 0. */
  countryCode(i: number): string;
  /** Organisation of record `i` (at most 30 UTF-8 bytes, as T2); `-` for 0. */
  organization(i: number): string;
  /** Autonomous system number of record `i`; 0 if unknown. */
  asn(i: number): number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toDirUrl(dir: URL | string): URL {
  const url = dir instanceof URL
    ? dir
    : /^file:/i.test(dir)
    ? new URL(dir)
    : fileUrl(dir.endsWith("/") ? dir : dir + "/");
  return url.href.endsWith("/") ? url : new URL(url.href + "/");
}

function readOrNull(url: URL): Uint8Array | null {
  try {
    return Deno.readFileSync(url);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Uint32 view over `bytes[off..off+4n]`, copying only if the offset is not 4-aligned. */
function u32View(bytes: Uint8Array, off: number, n: number): Uint32Array {
  const abs = bytes.byteOffset + off;
  if (abs % 4 === 0) return new Uint32Array(bytes.buffer, abs, n);
  return new Uint32Array(bytes.slice(off, off + 4 * n).buffer);
}

interface Header {
  count: number;
  extra: number;
}

function readHeader(bytes: Uint8Array, magic: string, name: string): Header {
  if (bytes.length < GEO_HEADER_SIZE) throw new Error(`geo: ${name} is truncated`);
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== magic.charCodeAt(i)) throw new Error(`geo: ${name} has a bad magic`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== GEO_FORMAT_VERSION) {
    throw new Error(
      `geo: ${name} has format ${version}, expected ${GEO_FORMAT_VERSION}; ` +
        "regenerate with src/geo/build.ts",
    );
  }
  return { count: dv.getUint32(8, true), extra: dv.getUint32(12, true) };
}

function expectSize(bytes: Uint8Array, size: number, name: string): void {
  if (bytes.length !== size) {
    throw new Error(`geo: ${name} has ${bytes.length} bytes, expected ${size}`);
  }
}

class LoadedGeoDb implements GeoDb {
  readonly meta: GeoDbMeta;
  readonly size4: number;
  readonly #start4: Uint32Array;
  readonly #rec4: Uint32Array;
  readonly #url6: URL;
  #start6: Uint32Array | undefined;
  #rec6: Uint32Array | undefined;
  readonly #cc: Uint8Array;
  readonly #org: Uint32Array;
  readonly #asn: Uint32Array;
  readonly #orgOff: Uint32Array;
  readonly #blob: Uint8Array;
  readonly #ccCache = new Map<number, string>();
  readonly #orgCache: (string | undefined)[];
  readonly #decoder = new TextDecoder();

  constructor(meta: GeoDbMeta, b4: Uint8Array, url6: URL, br: Uint8Array) {
    this.meta = meta;
    this.#url6 = url6;
    const h = GEO_HEADER_SIZE;

    const n4 = readHeader(b4, GEO_MAGIC.v4, GEO_FILES.v4).count;
    expectSize(b4, h + 8 * n4, GEO_FILES.v4);
    this.#start4 = u32View(b4, h, n4);
    this.#rec4 = u32View(b4, h + 4 * n4, n4);
    this.size4 = n4;

    const { count: m, extra: k } = readHeader(br, GEO_MAGIC.records, GEO_FILES.records);
    const ccLen = (2 * m + 3) & ~3;
    let off = h;
    this.#cc = br.subarray(off, off + 2 * m);
    off += ccLen;
    this.#org = u32View(br, off, m);
    off += 4 * m;
    this.#asn = u32View(br, off, m);
    off += 4 * m;
    this.#orgOff = u32View(br, off, k + 1);
    off += 4 * (k + 1);
    const blobLen = this.#orgOff[k];
    expectSize(br, off + blobLen, GEO_FILES.records);
    this.#blob = br.subarray(off, off + blobLen);
    this.#orgCache = new Array(k);

    if (n4 === 0 || this.#start4[0] !== 0) throw new Error("geo: IPv4 table must start at 0");
  }

  /** The IPv6 table is read on first use (IPv4-only captures never pay for it). */
  #load6(): Uint32Array {
    const b6 = Deno.readFileSync(this.#url6);
    const h = GEO_HEADER_SIZE;
    const n6 = readHeader(b6, GEO_MAGIC.v6, GEO_FILES.v6).count;
    expectSize(b6, h + 20 * n6, GEO_FILES.v6);
    const start6 = u32View(b6, h, 4 * n6);
    if (n6 === 0 || (start6[0] | start6[1] | start6[2] | start6[3]) !== 0) {
      throw new Error("geo: IPv6 table must start at ::");
    }
    this.#rec6 = u32View(b6, h + 16 * n6, n6);
    this.#start6 = start6;
    return start6;
  }

  get size6(): number {
    return (this.#start6 ?? this.#load6()).length >>> 2;
  }

  lookup4(addr: number): number {
    const a = addr >>> 0;
    const s = this.#start4;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid] <= a) lo = mid;
      else hi = mid - 1;
    }
    return this.#rec4[lo];
  }

  lookup6(bytes: Uint8Array, off: number): number {
    const w0 =
      ((bytes[off] << 24) | (bytes[off + 1] << 16) | (bytes[off + 2] << 8) | bytes[off + 3]) >>>
      0;
    const w1 = ((bytes[off + 4] << 24) | (bytes[off + 5] << 16) | (bytes[off + 6] << 8) |
      bytes[off + 7]) >>> 0;
    const w2 = ((bytes[off + 8] << 24) | (bytes[off + 9] << 16) | (bytes[off + 10] << 8) |
      bytes[off + 11]) >>> 0;
    const w3 = ((bytes[off + 12] << 24) | (bytes[off + 13] << 16) | (bytes[off + 14] << 8) |
      bytes[off + 15]) >>> 0;
    const s = this.#start6 ?? this.#load6();
    let lo = 0;
    let hi = (s.length >>> 2) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const k = mid << 2;
      // start[mid] <= addr ?
      let le: boolean;
      const x0 = s[k];
      if (x0 !== w0) le = x0 < w0;
      else {
        const x1 = s[k + 1];
        if (x1 !== w1) le = x1 < w1;
        else {
          const x2 = s[k + 2];
          le = x2 !== w2 ? x2 < w2 : s[k + 3] <= w3;
        }
      }
      if (le) lo = mid;
      else hi = mid - 1;
    }
    return this.#rec6![lo];
  }

  countryCode(i: number): string {
    if (i <= 0 || i >= this.#org.length) return GEO_UNKNOWN;
    const code = (this.#cc[2 * i] << 8) | this.#cc[2 * i + 1];
    let s = this.#ccCache.get(code);
    if (s === undefined) {
      s = String.fromCharCode(this.#cc[2 * i], this.#cc[2 * i + 1]);
      this.#ccCache.set(code, s);
    }
    return s;
  }

  organization(i: number): string {
    if (i <= 0 || i >= this.#org.length) return GEO_UNKNOWN;
    const j = this.#org[i];
    let s = this.#orgCache[j];
    if (s === undefined) {
      s = this.#decoder.decode(this.#blob.subarray(this.#orgOff[j], this.#orgOff[j + 1]));
      this.#orgCache[j] = s;
    }
    return s;
  }

  asn(i: number): number {
    if (i <= 0 || i >= this.#asn.length) return 0;
    return this.#asn[i];
  }
}

/**
 * Load the generated geo tables from `dir` (default {@linkcode DEFAULT_GEO_DIR}).
 *
 * The binary files are read whole and accessed through typed-array views (no parsing); the IPv6
 * table is only read on the first IPv6 lookup; strings are decoded lazily and cached.
 *
 * @param dir Directory holding the files (URL, `file:` URL string or path).
 * @returns The database, or `null` if any of the files is missing (not generated yet).
 * @throws Error if a file exists but is truncated, corrupt or of another format version.
 */
export function loadGeoDb(dir: URL | string = DEFAULT_GEO_DIR): GeoDb | null {
  if (!LITTLE_ENDIAN) throw new Error("geo: big-endian hosts are not supported");
  const base = toDirUrl(dir);
  const metaBytes = readOrNull(new URL(GEO_FILES.meta, base));
  const b4 = readOrNull(new URL(GEO_FILES.v4, base));
  const url6 = new URL(GEO_FILES.v6, base);
  const br = readOrNull(new URL(GEO_FILES.records, base));
  if (metaBytes === null || b4 === null || br === null || !exists(url6)) return null;
  const meta = JSON.parse(new TextDecoder().decode(metaBytes)) as GeoDbMeta;
  if (meta.formatVersion !== GEO_FORMAT_VERSION) {
    throw new Error(
      `geo: ${GEO_FILES.meta} has format ${meta.formatVersion}, expected ${GEO_FORMAT_VERSION}; ` +
        "regenerate with src/geo/build.ts",
    );
  }
  return new LoadedGeoDb(meta, b4, url6, br);
}
