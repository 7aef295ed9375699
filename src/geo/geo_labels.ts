/**
 * Adapts the generated geo database (geo_db.ts) to the {@linkcode GeoLabels} interface the
 * core uses (IPv6 addresses as 32-bit words).
 *
 * @module
 */

import { loadGeoDb } from "./geo_db.ts";
import type { GeoLabels, GeoWithInfo } from "./labels.ts";

/** Load the default geo database; null when it was not generated (`deno task geo`). */
export function loadGeoLabels(dir?: URL | string): GeoWithInfo | null {
  const db = loadGeoDb(dir);
  if (!db) return null;
  const bytes = new Uint8Array(16);
  const labels: GeoLabels = {
    lookup4: (addr) => db.lookup4(addr),
    lookup6: (words, off) => {
      for (let i = 0; i < 4; i++) {
        const w = words[off + i];
        bytes[4 * i] = w >>> 24;
        bytes[4 * i + 1] = (w >>> 16) & 255;
        bytes[4 * i + 2] = (w >>> 8) & 255;
        bytes[4 * i + 3] = w & 255;
      }
      return db.lookup6(bytes, 0);
    },
    countryCode: (i) => db.countryCode(i),
    organization: (i) => db.organization(i),
  };
  return { labels, rev: db.meta.rev, ranges4: db.meta.ranges4, ranges6: db.meta.ranges6 };
}
