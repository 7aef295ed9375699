/**
 * Builds the geo/organisation range tables read by `src/geo/geo_db.ts` from open data on npm
 * (see `docs/geo.md`):
 *
 * - countries: `@ip-location-db/geo-whois-asn-country` (CSV, CC0-1.0; NRO data CC-BY-4.0),
 * - organisations and ASNs: `@ip-location-db/asn` (CSV, CC-BY-4.0: DB-IP, RouteViews, NRO),
 * - plus the special ranges T2 0.9.3 labels itself ({@linkcode SPECIAL_RANGES}).
 *
 * Usage: `deno task geo`, or `deno run -A src/geo/build.ts [--out DIR] [--force] [--quiet]`.
 * Output goes to `data/geo/` by default; nothing is done when `meta.json` there already carries
 * the current build key (package versions, special table, layout version).
 *
 * @module
 */

// Versions are pinned in deno.json "imports" (the only place to change them).
import asnPackage from "@ip-location-db/asn/package.json" with { type: "json" };
import countryPackage from "@ip-location-db/geo-whois-asn-country/package.json" with {
  type: "json",
};
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  DEFAULT_GEO_DIR,
  GEO_FILES,
  GEO_FORMAT_VERSION,
  GEO_HEADER_SIZE,
  GEO_MAGIC,
  GEO_UNKNOWN,
  type GeoDbMeta,
  type GeoSource,
} from "./geo_db.ts";

/** Bump when the merge rules change without a change of inputs, to invalidate old outputs. */
const BUILDER_REVISION = 1;

/** T2 stores organisations in `char org[WHOLEN+1]` with `WHOLEN` 30 (`utils/subnetHL.h`). */
export const ORG_MAX_BYTES = 30;

/** The country data package (version as pinned in deno.json). */
export const COUNTRY_SOURCE: GeoSource = {
  name: countryPackage.name,
  version: countryPackage.version,
  role: "country",
  license: "CC0-1.0 (package); contains NRO RIR statistics, CC-BY-4.0",
  attribution:
    "Country data: ip-location-db geo-whois-asn-country by sapics (CC0 1.0), built from RIR " +
    "data of the Number Resource Organization (https://www.nro.net), licensed CC BY 4.0 " +
    "(https://creativecommons.org/licenses/by/4.0/).",
};

/** The organisation/ASN data package (version as pinned in deno.json). */
export const ASN_SOURCE: GeoSource = {
  name: asnPackage.name,
  version: asnPackage.version,
  role: "organisation",
  license: "CC-BY-4.0",
  attribution: "Organisation/ASN data: ip-location-db asn by sapics " +
    "(https://github.com/sapics/ip-location-db), licensed CC BY 4.0 " +
    "(https://creativecommons.org/licenses/by/4.0/), built from the IP to ASN Lite database " +
    "by DB-IP (https://db-ip.com), Route Views (https://www.routeviews.org) and RIR data of " +
    "the NRO. Modified: merged with the country data and T2's special ranges, organisation " +
    "names cut to 30 bytes.",
};

/** CSV files read from the packages (numeric variants: no address parsing needed). */
const CSV = {
  country4: "geo-whois-asn-country-ipv4-num.csv",
  country6: "geo-whois-asn-country-ipv6-num.csv",
  asn4: "asn-ipv4-num.csv",
  asn6: "asn-ipv6-num.csv",
} as const;

/**
 * One special (non-public) range with the label T2 gives it.
 *
 * `override` ranges win over the open data (most specific special range first); `fallback`
 * ranges only label addresses the open data does not cover (T2 lists 14/8 and 24/8 as /8
 * entries that its more specific whois entries shadow).
 */
export interface SpecialRange {
  /** CIDR, IPv4 or IPv6. */
  readonly cidr: string;
  /** T2's 2-character code. */
  readonly cc: string;
  /** T2's organisation text (stored truncated to {@linkcode ORG_MAX_BYTES}). */
  readonly org: string;
  /** How it combines with the open data. */
  readonly mode: "override" | "fallback";
}

function ov(cidr: string, cc: string, org: string): SpecialRange {
  return { cidr, cc, org, mode: "override" };
}

/**
 * Special ranges and their labels as in T2 0.9.3's `utils/subnet/priv4.txt` / `priv6.txt`
 * (codes and texts are T2's; only a selection of its several hundred IANA multicast group
 * entries is included, the rest fall back to the enclosing `Multicast` block).
 */
export const SPECIAL_RANGES: readonly SpecialRange[] = [
  // IPv4
  ov("10.0.0.0/8", "04", "Private network"),
  { cidr: "14.0.0.0/8", cc: "03", org: "Public data networks", mode: "fallback" },
  { cidr: "24.0.0.0/8", cc: "09", org: "Cable television networks", mode: "fallback" },
  ov("100.64.0.0/10", "20", "Shared address space"),
  ov("127.0.0.0/8", "01", "Loopback"),
  ov("169.254.0.0/16", "02", "Link-local"),
  ov("172.16.0.0/12", "05", "Private network"),
  ov("192.0.0.0/24", "06", "Private network"),
  ov("192.0.2.0/24", "21", "TEST-NET-1"),
  ov("192.88.99.0/24", "60", "IPv6 to IPv4 relay"),
  ov("192.168.0.0/16", "07", "Private network"),
  ov("198.18.0.0/15", "08", "Benchmark testing subnets"),
  ov("198.51.100.0/24", "22", "TEST-NET-2"),
  ov("203.0.113.0/24", "23", "TEST-NET-3"),
  ov("224.0.0.0/4", "10", "Multicast"),
  ov("224.0.0.1/32", "10", "All Systems on this Subnet"),
  ov("224.0.0.2/32", "10", "All Routers on this Subnet"),
  ov("224.0.0.5/32", "10", "OSPF IGP All Routers"),
  ov("224.0.0.6/32", "10", "OSPF IGP Designated Routers"),
  ov("224.0.0.9/32", "10", "RIP2 Routers"),
  ov("224.0.0.10/32", "10", "EIGRP Routers"),
  ov("224.0.0.13/32", "10", "All PIM Routers"),
  ov("224.0.0.18/32", "10", "VRRP"),
  ov("224.0.0.22/32", "10", "IGMP"),
  ov("224.0.0.102/32", "10", "HSRP"),
  ov("224.0.0.251/32", "10", "mDNS"),
  ov("224.0.0.252/32", "10", "Link-local Multicast Name Resolution"),
  ov("224.0.0.253/32", "10", "Teredo"),
  ov("224.0.1.1/32", "10", "NTP Network Time Protocol"),
  ov("224.0.1.129/32", "10", "PTP-primary"),
  ov("233.0.0.0/9", "10", "GLOP Block"),
  ov("233.252.0.0/24", "10", "MCAST-TEST-NET"),
  ov("234.0.0.0/8", "10", "Unicast-Prefix-based Multicast Addr"),
  ov("239.0.0.0/8", "10", "Organization-Local Scope"),
  ov("240.0.0.0/4", "24", "Reserved"),
  ov("255.255.255.255/32", "11", "Broadcast"),
  // IPv6
  ov("::1/128", "01", "Loopback"),
  ov("::ffff:0:0/96", "61", "IPv4 mapped"),
  ov("::ffff:0:0:0/96", "62", "IPv4 translated"),
  ov("64:ff9b::/96", "63", "IPv4/6 translation"),
  ov("100::/64", "25", "Discard prefix"),
  ov("2001::/32", "64", "Teredo"),
  ov("2001:20::/28", "26", "ORCHIDv2"),
  ov("2001:db8::/32", "27", "doc and example source"),
  ov("2002::/16", "65", "6to4 (deprecated)"),
  ov("fc00::/7", "04", "Unique local"),
  ov("fe80::/10", "02", "Link-local"),
  ov("ff00::/8", "10", "Multicast"),
  ov("ff02::1/128", "10", "All Nodes Address"),
  ov("ff02::2/128", "10", "Routers Address"),
  ov("ff02::5/128", "10", "OSPF IGP Link-local"),
  ov("ff02::6/128", "10", "OSPF IGP Designated Routers"),
  ov("ff02::9/128", "10", "RIP Routers"),
  ov("ff02::a/128", "10", "EIGRP Routers"),
  ov("ff02::c/128", "10", "SSDP"),
  ov("ff02::d/128", "10", "PIM Routers"),
  ov("ff02::f/128", "10", "UPnP"),
  ov("ff02::12/128", "10", "VRRP"),
  ov("ff02::16/128", "10", "MLDv2-capable routers"),
  ov("ff02::fb/128", "10", "mDNSv6"),
  ov("ff02::1:2/128", "10", "DHCP_Relay_Agents_and_Servers"),
  ov("ff02::1:3/128", "10", "mulicast name resolution"),
  ov("ff02::1:ff00:0/104", "10", "Solicited node Link-local"),
];

/** Options of {@linkcode buildGeoDb}. */
export interface GeoBuildOptions {
  /** Output directory (default `data/geo/`). */
  outDir?: URL | string;
  /** Rebuild even if the output is up to date. */
  force?: boolean;
  /** Progress sink (default: none). */
  log?: (line: string) => void;
  /** Told once when a build starts (not when the output is up to date). */
  onBuild?: () => void;
}

/** Result of {@linkcode buildGeoDb}. */
export interface GeoBuildResult {
  /** True if the output was already up to date and nothing was written. */
  skipped: boolean;
  /** Where the files are. */
  outDir: URL;
  /** The metadata written (or found). */
  meta: GeoDbMeta;
  /** Wall time in milliseconds. */
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------------
// Address parsing (special table only; the data packages are read in numeric form)

function parseIpv4(s: string): bigint {
  const parts = s.split(".");
  if (parts.length !== 4) throw new Error(`bad IPv4 address ${s}`);
  let v = 0n;
  for (const p of parts) {
    const n = Number(p);
    if (!/^\d{1,3}$/.test(p) || n > 255) throw new Error(`bad IPv4 address ${s}`);
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(s: string): bigint {
  const halves = s.split("::");
  if (halves.length > 2) throw new Error(`bad IPv6 address ${s}`);
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) throw new Error(`bad IPv6 address ${s}`);
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill("0"), ...tail];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new Error(`bad IPv6 address ${s}`);
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** An address range from a CIDR. */
export interface Cidr {
  /** True for IPv6. */
  v6: boolean;
  /** First address. */
  start: bigint;
  /** Last address (inclusive). */
  end: bigint;
}

/** Parse `a.b.c.d/n` or `x:…/n` (host bits must be zero). */
export function parseCidr(cidr: string): Cidr {
  const [addr, lenText] = cidr.split("/");
  const v6 = addr.includes(":");
  const bits = v6 ? 128 : 32;
  const len = Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > bits) throw new Error(`bad prefix ${cidr}`);
  const start = v6 ? parseIpv6(addr) : parseIpv4(addr);
  const host = (1n << BigInt(bits - len)) - 1n;
  if ((start & host) !== 0n) throw new Error(`host bits set in ${cidr}`);
  return { v6, start, end: start | host };
}

// ---------------------------------------------------------------------------------------------
// Range layers

/** Ranges of one source, `val` an index meaningful to the caller. */
interface Ranges {
  start: bigint[];
  end: bigint[];
  val: number[];
}

function emptyRanges(): Ranges {
  return { start: [], end: [], val: [] };
}

/**
 * Turn possibly overlapping ranges into sorted, disjoint ones: where ranges overlap the smallest
 * one wins, on equal size the later row (T2's "most specific subnet" rule; the country CSV has a
 * few hundred nested rows). Adjacent pieces with equal values are merged.
 */
function flatten(r: Ranges): Ranges {
  const n = r.start.length;
  const order = Array.from({ length: n }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (r.start[i] < r.start[i - 1]) {
      sorted = false;
      break;
    }
  }
  if (!sorted) {
    order.sort((a, b) => (r.start[a] < r.start[b] ? -1 : r.start[a] > r.start[b] ? 1 : a - b));
  }
  const size = r.start.map((s, i) => r.end[i] - s);
  // min-heap of row indices: smaller size first, then later row first
  const heap: number[] = [];
  const before = (a: number, b: number) => size[a] < size[b] || (size[a] === size[b] && a > b);
  const push = (x: number) => {
    let i = heap.length;
    heap.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = () => {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const rr = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (rr < heap.length && before(heap[rr], heap[m])) m = rr;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };

  const out = emptyRanges();
  const emit = (s: bigint, e: bigint, v: number) => {
    const k = out.val.length - 1;
    if (k >= 0 && out.val[k] === v && out.end[k] + 1n === s) out.end[k] = e;
    else {
      out.start.push(s);
      out.end.push(e);
      out.val.push(v);
    }
  };
  let i = 0;
  let pos = 0n;
  while (i < n || heap.length > 0) {
    if (heap.length === 0) pos = r.start[order[i]];
    while (i < n && r.start[order[i]] <= pos) push(order[i++]);
    while (heap.length > 0 && r.end[heap[0]] < pos) pop();
    if (heap.length === 0) continue;
    const w = heap[0];
    let segEnd = r.end[w];
    if (i < n && r.start[order[i]] - 1n < segEnd) segEnd = r.start[order[i]] - 1n;
    emit(pos, segEnd, r.val[w]);
    pos = segEnd + 1n;
  }
  return out;
}

/** Interning tables shared by both IP versions (record indices are version independent). */
class Records {
  readonly cc: string[] = [GEO_UNKNOWN];
  readonly org: number[] = [0];
  readonly asn: number[] = [0];
  readonly orgs: string[] = [GEO_UNKNOWN];
  readonly #orgIndex = new Map<string, number>([[GEO_UNKNOWN, 0]]);
  readonly #recIndex = new Map<string, number>([[`${GEO_UNKNOWN}\0${0}\0${0}`, 0]]);

  orgIndex(org: string): number {
    let j = this.#orgIndex.get(org);
    if (j === undefined) {
      j = this.orgs.length;
      this.orgs.push(org);
      this.#orgIndex.set(org, j);
    }
    return j;
  }

  record(cc: string, orgIdx: number, asn: number): number {
    const key = `${cc}\0${orgIdx}\0${asn}`;
    let i = this.#recIndex.get(key);
    if (i === undefined) {
      i = this.cc.length;
      this.cc.push(cc);
      this.org.push(orgIdx);
      this.asn.push(asn);
      this.#recIndex.set(key, i);
    }
    return i;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Cut to at most {@linkcode ORG_MAX_BYTES} UTF-8 bytes, on a character boundary. */
export function truncateOrg(org: string): string {
  if (org.length <= ORG_MAX_BYTES / 3) return org;
  const b = encoder.encode(org);
  if (b.length <= ORG_MAX_BYTES) return org;
  let cut = ORG_MAX_BYTES;
  while (cut > 0 && (b[cut] & 0xc0) === 0x80) cut--;
  return decoder.decode(b.subarray(0, cut));
}

// ---------------------------------------------------------------------------------------------
// CSV reading

/** `file:` URL of a file inside one of the pinned data packages (in Deno's npm cache). */
export function packageFileUrl(source: GeoSource, file: string): URL {
  if (source.name !== COUNTRY_SOURCE.name && source.name !== ASN_SOURCE.name) {
    throw new Error(`unknown data package ${source.name}`);
  }
  // resolved through the deno.json import map, i.e. the pinned version
  return new URL(import.meta.resolve(`${source.name}/${file}`));
}

/** Calls `row(fields)` for each non-empty line; handles `"…"` quoting with `""` escapes. */
export function forEachCsvRow(text: string, row: (fields: string[]) => void): void {
  const fields: string[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = n;
    let end = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    if (end > pos) {
      fields.length = 0;
      let p = pos;
      while (p <= end) {
        if (text.charCodeAt(p) === 34) {
          // quoted field; may contain commas, "" escapes and (in theory) newlines
          let s = "";
          let q = p + 1;
          for (;;) {
            const close = text.indexOf('"', q);
            if (close < 0) throw new Error("unterminated quote in CSV");
            s += text.slice(q, close);
            if (text.charCodeAt(close + 1) === 34) {
              s += '"';
              q = close + 2;
            } else {
              p = close + 1;
              break;
            }
          }
          if (p > end) {
            // the quoted field ran past the line end: re-find the line end
            eol = text.indexOf("\n", p);
            if (eol < 0) eol = n;
            end = text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
          }
          fields.push(s);
          p++; // skip the comma (or step past the end)
        } else {
          let c = text.indexOf(",", p);
          if (c < 0 || c > end) c = end;
          fields.push(text.slice(p, c));
          p = c + 1;
        }
      }
      row(fields);
    }
    pos = eol + 1;
  }
}

async function readCsv(source: GeoSource, file: string): Promise<string> {
  return await Deno.readTextFile(packageFileUrl(source, file));
}

function countryRanges(text: string, ccIndex: Map<string, number>, ccs: string[]): Ranges {
  const r = emptyRanges();
  forEachCsvRow(text, (f) => {
    const cc = f[2].toLowerCase();
    let v = ccIndex.get(cc);
    if (v === undefined) {
      v = ccs.length;
      ccs.push(cc);
      ccIndex.set(cc, v);
    }
    r.start.push(BigInt(f[0]));
    r.end.push(BigInt(f[1]));
    r.val.push(v);
  });
  return r;
}

interface AsnPairs {
  index: Map<string, number>;
  asn: number[];
  org: number[];
}

function asnRanges(text: string, pairs: AsnPairs, records: Records): Ranges {
  const r = emptyRanges();
  const truncated = new Map<string, number>();
  forEachCsvRow(text, (f) => {
    const asn = Number(f[2]);
    const rawOrg = f[3] ?? "";
    let orgIdx = truncated.get(rawOrg);
    if (orgIdx === undefined) {
      const org = truncateOrg(rawOrg);
      orgIdx = org === "" ? 0 : records.orgIndex(org);
      truncated.set(rawOrg, orgIdx);
    }
    const key = `${asn}\0${orgIdx}`;
    let v = pairs.index.get(key);
    if (v === undefined) {
      v = pairs.asn.length;
      pairs.asn.push(asn);
      pairs.org.push(orgIdx);
      pairs.index.set(key, v);
    }
    r.start.push(BigInt(f[0]));
    r.end.push(BigInt(f[1]));
    r.val.push(v);
  });
  return r;
}

function specialRanges(v6: boolean, mode: SpecialRange["mode"], records: Records): Ranges {
  const r = emptyRanges();
  for (const s of SPECIAL_RANGES) {
    const c = parseCidr(s.cidr);
    if (c.v6 !== v6 || s.mode !== mode) continue;
    r.start.push(c.start);
    r.end.push(c.end);
    r.val.push(records.record(s.cc, records.orgIndex(truncateOrg(s.org)), 0));
  }
  return r;
}

/** Sorted range starts and record indices covering the whole address space. */
interface Table {
  start: bigint[];
  rec: number[];
}

/**
 * Sweep the four disjoint layers together. Per elementary segment: an override special range
 * wins; otherwise country and organisation/ASN combine into one record; where neither covers,
 * a fallback special range applies; else record 0.
 */
function mergeLayers(
  max: bigint,
  override: Ranges,
  country: Ranges,
  asn: Ranges,
  fallback: Ranges,
  ccs: string[],
  pairs: AsnPairs,
  records: Records,
): Table {
  const layers = [override, country, asn, fallback];
  const ptr = [0, 0, 0, 0];
  const val = [-1, -1, -1, -1];
  const out: Table = { start: [], rec: [] };
  const combined = new Map<number, number>(); // (cc, pair) -> record
  let cur = 0n;
  for (;;) {
    let next = max + 1n;
    for (let l = 0; l < 4; l++) {
      const L = layers[l];
      let p = ptr[l];
      while (p < L.end.length && L.end[p] < cur) p++;
      ptr[l] = p;
      if (p < L.end.length && L.start[p] <= cur) {
        val[l] = L.val[p];
        if (L.end[p] + 1n < next) next = L.end[p] + 1n;
      } else {
        val[l] = -1;
        if (p < L.end.length && L.start[p] < next) next = L.start[p];
      }
    }
    let rec: number;
    if (val[0] >= 0) rec = val[0];
    else if (val[1] >= 0 || val[2] >= 0) {
      const key = (val[1] + 1) * 0x1000000 + (val[2] + 1);
      let r = combined.get(key);
      if (r === undefined) {
        const cc = val[1] >= 0 ? ccs[val[1]] : GEO_UNKNOWN;
        r = val[2] >= 0
          ? records.record(cc, pairs.org[val[2]], pairs.asn[val[2]])
          : records.record(cc, 0, 0);
        combined.set(key, r);
      }
      rec = r;
    } else if (val[3] >= 0) rec = val[3];
    else rec = 0;
    const k = out.rec.length;
    if (k === 0 || out.rec[k - 1] !== rec) {
      out.start.push(cur);
      out.rec.push(rec);
    }
    if (next > max) break;
    cur = next;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output

function header(magic: string, count: number, extra: number, into: Uint8Array): void {
  for (let i = 0; i < 4; i++) into[i] = magic.charCodeAt(i);
  const dv = new DataView(into.buffer, into.byteOffset, GEO_HEADER_SIZE);
  dv.setUint32(4, GEO_FORMAT_VERSION, true);
  dv.setUint32(8, count, true);
  dv.setUint32(12, extra, true);
}

function encodeTable4(t: Table): Uint8Array {
  const n = t.rec.length;
  const out = new Uint8Array(GEO_HEADER_SIZE + 8 * n);
  header(GEO_MAGIC.v4, n, 0, out);
  const dv = new DataView(out.buffer);
  let o = GEO_HEADER_SIZE;
  for (let i = 0; i < n; i++, o += 4) dv.setUint32(o, Number(t.start[i]), true);
  for (let i = 0; i < n; i++, o += 4) dv.setUint32(o, t.rec[i], true);
  return out;
}

function encodeTable6(t: Table): Uint8Array {
  const n = t.rec.length;
  const out = new Uint8Array(GEO_HEADER_SIZE + 20 * n);
  header(GEO_MAGIC.v6, n, 0, out);
  const dv = new DataView(out.buffer);
  let o = GEO_HEADER_SIZE;
  for (let i = 0; i < n; i++) {
    const s = t.start[i];
    for (let w = 3; w >= 0; w--, o += 4) {
      dv.setUint32(o, Number((s >> BigInt(32 * w)) & 0xffffffffn), true);
    }
  }
  for (let i = 0; i < n; i++, o += 4) dv.setUint32(o, t.rec[i], true);
  return out;
}

function encodeRecords(records: Records): Uint8Array {
  const m = records.cc.length;
  const k = records.orgs.length;
  const orgBytes = records.orgs.map((s) => encoder.encode(s));
  const blobLen = orgBytes.reduce((a, b) => a + b.length, 0);
  const ccLen = (2 * m + 3) & ~3;
  const size = GEO_HEADER_SIZE + ccLen + 8 * m + 4 * (k + 1) + blobLen;
  const out = new Uint8Array(size);
  header(GEO_MAGIC.records, m, k, out);
  const dv = new DataView(out.buffer);
  let o = GEO_HEADER_SIZE;
  for (let i = 0; i < m; i++) {
    const cc = records.cc[i];
    if (cc.length !== (cc === GEO_UNKNOWN ? 1 : 2) || /[^\x20-\x7e]/.test(cc)) {
      throw new Error(`bad country code ${JSON.stringify(cc)}`);
    }
    out[o + 2 * i] = cc.charCodeAt(0);
    out[o + 2 * i + 1] = cc.length > 1 ? cc.charCodeAt(1) : 0;
  }
  o += ccLen;
  for (let i = 0; i < m; i++, o += 4) dv.setUint32(o, records.org[i], true);
  for (let i = 0; i < m; i++, o += 4) dv.setUint32(o, records.asn[i], true);
  let acc = 0;
  for (let j = 0; j < k; j++, o += 4) {
    dv.setUint32(o, acc, true);
    acc += orgBytes[j].length;
  }
  dv.setUint32(o, acc, true);
  o += 4;
  for (const b of orgBytes) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

async function writeAtomic(dir: URL, name: string, data: Uint8Array): Promise<void> {
  const tmp = new URL(`${name}.tmp-${Deno.pid}`, dir);
  await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, new URL(name, dir));
}

/** `YYYY-MM-DD` from a version like `2.3.2026061719` (last component `YYYYMMDDHH`). */
function versionDate(version: string): string {
  const m = /\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  if (!m) throw new Error(`cannot read a date from version ${version}`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Hash over everything that determines the output (stored in `meta.json` as `buildKey`). */
export async function geoBuildKey(): Promise<string> {
  const text = JSON.stringify({
    format: GEO_FORMAT_VERSION,
    builder: BUILDER_REVISION,
    orgMax: ORG_MAX_BYTES,
    sources: [COUNTRY_SOURCE, ASN_SOURCE],
    specials: SPECIAL_RANGES,
  });
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function toDirUrl(dir: URL | string): URL {
  const url = dir instanceof URL
    ? dir
    : /^file:/i.test(dir)
    ? new URL(dir)
    : pathToFileURL(dir.endsWith("/") ? dir : dir + "/");
  return url.href.endsWith("/") ? url : new URL(url.href + "/");
}

async function readMeta(dir: URL): Promise<GeoDbMeta | null> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL(GEO_FILES.meta, dir))) as GeoDbMeta;
  } catch {
    return null;
  }
}

async function filesPresent(dir: URL): Promise<boolean> {
  for (const f of [GEO_FILES.v4, GEO_FILES.v6, GEO_FILES.records]) {
    try {
      await Deno.stat(new URL(f, dir));
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Build (or confirm up to date) the geo tables in `outDir`.
 *
 * Deterministic: the same package versions and special table give byte-identical files.
 */
export async function buildGeoDb(options: GeoBuildOptions = {}): Promise<GeoBuildResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const outDir = toDirUrl(options.outDir ?? DEFAULT_GEO_DIR);
  const key = await geoBuildKey();
  const old = await readMeta(outDir);
  if (!options.force && old?.buildKey === key && await filesPresent(outDir)) {
    log(`geo: ${fileURLToPath(outDir)} is up to date (${old.dataDate})`);
    return { skipped: true, outDir, meta: old, elapsedMs: performance.now() - t0 };
  }

  options.onBuild?.();
  log(
    `geo: reading ${COUNTRY_SOURCE.name}@${COUNTRY_SOURCE.version}, ` +
      `${ASN_SOURCE.name}@${ASN_SOURCE.version}`,
  );
  const [c4, c6, a4, a6] = await Promise.all([
    readCsv(COUNTRY_SOURCE, CSV.country4),
    readCsv(COUNTRY_SOURCE, CSV.country6),
    readCsv(ASN_SOURCE, CSV.asn4),
    readCsv(ASN_SOURCE, CSV.asn6),
  ]);

  const records = new Records();
  const ccIndex = new Map<string, number>();
  const ccs: string[] = [];
  const pairs: AsnPairs = { index: new Map(), asn: [], org: [] };

  const tables: Table[] = [];
  const ranges: number[] = [];
  for (const v6 of [false, true]) {
    const max = v6 ? (1n << 128n) - 1n : (1n << 32n) - 1n;
    // specials first so that their records get small, stable indices
    const override = flatten(specialRanges(v6, "override", records));
    const fallback = flatten(specialRanges(v6, "fallback", records));
    const country = flatten(countryRanges(v6 ? c6 : c4, ccIndex, ccs));
    const asn = flatten(asnRanges(v6 ? a6 : a4, pairs, records));
    const t = mergeLayers(max, override, country, asn, fallback, ccs, pairs, records);
    tables.push(t);
    ranges.push(t.rec.reduce((a, r) => a + (r !== 0 ? 1 : 0), 0));
    log(`geo: IPv${v6 ? 6 : 4}: ${t.rec.length} ranges (${ranges[ranges.length - 1]} labelled)`);
  }

  const dataDate = [versionDate(COUNTRY_SOURCE.version), versionDate(ASN_SOURCE.version)].sort()[0];
  const meta: GeoDbMeta = {
    formatVersion: GEO_FORMAT_VERSION,
    buildKey: key,
    dataDate,
    rev: dataDate.slice(8, 10) + dataDate.slice(5, 7) + dataDate.slice(0, 4),
    ranges4: ranges[0],
    ranges6: ranges[1],
    records: records.cc.length,
    specialRanges: SPECIAL_RANGES.length,
    sources: [COUNTRY_SOURCE, ASN_SOURCE],
  };

  await Deno.mkdir(outDir, { recursive: true });
  await writeAtomic(outDir, GEO_FILES.v4, encodeTable4(tables[0]));
  await writeAtomic(outDir, GEO_FILES.v6, encodeTable6(tables[1]));
  await writeAtomic(outDir, GEO_FILES.records, encodeRecords(records));
  await writeAtomic(outDir, GEO_FILES.meta, encoder.encode(JSON.stringify(meta, null, 2) + "\n"));
  const elapsedMs = performance.now() - t0;
  log(`geo: wrote ${fileURLToPath(outDir)} in ${(elapsedMs / 1000).toFixed(1)} s`);
  return { skipped: false, outDir, meta, elapsedMs };
}

if (import.meta.main) {
  const args = [...Deno.args];
  let outDir: string | undefined;
  let force = false;
  let quiet = false;
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === "--force") force = true;
    else if (a === "--quiet") quiet = true;
    else if (a === "--out" && args.length > 0) outDir = args.shift();
    else {
      console.error("usage: deno run -A src/geo/build.ts [--out DIR] [--force] [--quiet]");
      Deno.exit(2);
    }
  }
  // --quiet (what `deno task geo` runs before every `deno task t2`): nothing when the data is
  // current, one line on stderr when a build starts.
  await buildGeoDb({
    outDir,
    force,
    log: quiet ? undefined : (l) => console.log(l),
    onBuild: quiet
      ? () => console.error("geo: building the geo/organisation data (once, a few seconds)...")
      : undefined,
  });
}
