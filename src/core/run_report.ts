/**
 * The report lines of a run before and between the packets (spec/report.md §0-§3): banner,
 * active plugins, geo data, the head of each capture and the end of the dump. The statistics
 * after the flows are end_report.ts.
 *
 * @module
 */

import type { Counters } from "../base/counters.ts";
import { dumpDuration, elapsedText } from "./end_report.ts";
import { linkTypeText } from "../dissect/link_type_text.ts";
import type { CaptureReader } from "../capture/types.ts";
import type { GeoWithInfo } from "../geo/labels.ts";
import type { PluginDefinition } from "../plugin/api.ts";
import { readableSuffix } from "../output/readable.ts";
import type { ReportWriter } from "../output/report_writer.ts";
import { dateText, durationText } from "../output/time_text.ts";

/** Version text of this program. */
export const VERSION = "t2ts 0.1.0 (Tranalyzer 0.9.3 compatible)";

/** The banner: version, PID and sensor id, the wall-clock date, what flows are made of. */
export function writeBanner(r: ReportWriter, sensorId: number, wall: Date): void {
  r.line("=".repeat(80));
  r.line(`${VERSION}. PID: ${Deno.pid}, Prio: 0, SID: ${sensorId}`);
  r.line("=".repeat(80));
  const wallSec = Math.floor(wall.getTime() / 1000);
  r.line(`Date: ${dateText(wallSec, (wall.getTime() - wallSec * 1000) * 1000, false)}`);
  r.info("Creating flows for L2, IPv4, IPv6");
}

/** The plugins in load order, numbered from 01. */
export function writeActivePlugins(r: ReportWriter, plugins: readonly PluginDefinition[]): void {
  r.line("Active plugins:");
  plugins.forEach((p, i) => {
    r.line(`    ${String(i + 1).padStart(2, "0")}: ${p.name}, ${p.version}`);
  });
}

/** The geo data loaded (T2's subnet file lines), or a warning saying how to build it. */
export function writeGeoInfo(r: ReportWriter, g: GeoWithInfo | null): void {
  if (!g) {
    r.warn(
      "No geo/organisation data (build it with `deno task geo`): country and organisation " +
        "columns print '-'",
    );
    return;
  }
  for (const [v, ranges] of [[4, g.ranges4], [6, g.ranges6]]) {
    r.info(
      `IPv${v} Ver: 5, Rev: ${g.rev}, Range Mode: 0, subnet ranges loaded: ${ranges}${
        readableSuffix(ranges)
      }`,
    );
  }
}

/** Where a capture stands in a `-R` list. */
export interface ListPosition {
  readonly listFile: string;
  /** 0 for the first capture. */
  readonly index: number;
  /** Captures in the checked list. */
  readonly files: number;
}

/** The lines before a capture's packets: its name (and place in a list), link type, snap length. */
export function writeCaptureStart(
  r: ReportWriter,
  name: string,
  reader: CaptureReader,
  list: ListPosition | null,
): void {
  if (list) {
    if (list.index === 0) r.line(`Processing list file: ${list.listFile}`);
    r.line(`Processing file no. ${list.index + 1} of ${list.files}: ${name}`);
  } else {
    r.line(`Processing file: ${name}`);
  }
  r.line(`Link layer type: ${linkTypeText(reader.firstLinkType)}`);
  r.num0("Snapshot length", reader.firstSnapLen);
}

/** The lines after the last packet: its time, the dump's duration, the time taken so far. */
export function writeDumpEnd(r: ReportWriter, c: Counters, elapsedSec: number): void {
  r.line(`Dump stop : ${dateText(c.lastSec, c.lastNs, true)}`);
  const [dSec, dNs] = dumpDuration(c);
  r.line(`Total dump duration: ${durationText(dSec, dNs)}`);
  r.line(`Finished processing. Elapsed time: ${elapsedText(elapsedSec)}`);
}
