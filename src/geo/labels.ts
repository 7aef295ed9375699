/**
 * What the core and basicFlow need from a geo/organisation database: a record number per
 * address (0 = unknown) and the labels of a record.
 *
 * @module
 */

/** Geo/organisation labelling of IP addresses. */
export interface GeoLabels {
  /** Record of an IPv4 address (first octet most significant); 0 when unknown. */
  lookup4(addr: number): number;
  /** Record of an IPv6 address given as four 32-bit words; 0 when unknown. */
  lookup6(words: Uint32Array, off: number): number;
  /** Two-letter country code of a record (`-` for 0). */
  countryCode(record: number): string;
  /** Organisation of a record (`-` for 0). */
  organization(record: number): string;
}

/** Geo labels plus the facts of the report's `IPv4 Ver:` lines. */
export interface GeoWithInfo {
  /** Address-to-record lookups and record labels. */
  readonly labels: GeoLabels;
  /** Database revision as T2 prints it (`DDMMYYYY`). */
  readonly rev: string;
  /** Number of IPv4 ranges loaded. */
  readonly ranges4: number;
  /** Number of IPv6 ranges loaded. */
  readonly ranges6: number;
}
