/**
 * Test helper: one analyzer run in process, on a capture file or on capture bytes, into a
 * fresh temporary directory whose output files are read back into memory (and the directory
 * removed) before returning.
 *
 * @module
 */

import { run } from "../../src/core/run.ts";
import type { PluginDefinition } from "../../src/plugin/api.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";

/** What {@linkcode runCapture} runs. */
export interface RunCaptureOptions {
  /** A capture path, or a name and the bytes of a capture. */
  readonly input: string | { readonly name: string; readonly bytes: Uint8Array };
  /** Plugins in load order. */
  readonly plugins: readonly PluginDefinition[];
  /** `--set` assignments besides `SUBNET_ON=0`, which is always applied. */
  readonly settings?: readonly SettingAssignment[];
  /** `-s`. */
  readonly packetMode?: boolean;
}

/** Outputs of a run. */
export interface CaptureOutputs {
  readonly exitCode: number;
  /** The end report (standard output). */
  readonly report: string;
  /** Lines written to standard error. */
  readonly stderr: readonly string[];
  /** Output files by suffix after the prefix: `flows`, `headers`, `packets`, `tcpwin`... */
  readonly files: ReadonlyMap<string, string>;
}

/** Run the analyzer once and collect every output file. */
export function runCapture(opts: RunCaptureOptions): CaptureOutputs {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-test-" });
  const report = new MemorySink();
  const stderr: string[] = [];
  const name = typeof opts.input === "string" ? opts.input : opts.input.name;
  try {
    const r = run({
      inputs: [opts.input],
      inputName: name,
      outputPrefix: dir + "/",
      plugins: opts.plugins,
      settings: [{ name: "SUBNET_ON", value: "0" }, ...(opts.settings ?? [])],
      packetMode: opts.packetMode ?? false,
      commandLine: "t2",
      reportSink: report,
      color: false,
      stderr: (l) => stderr.push(l),
    });
    const files = new Map<string, string>();
    const stem = r.prefix.slice(r.prefix.lastIndexOf("/") + 1);
    for (const e of Deno.readDirSync(dir)) {
      if (!e.isFile || !e.name.startsWith(stem + "_")) continue;
      const suffix = e.name.slice(stem.length + 1).replace(/\.txt$/, "");
      files.set(suffix, Deno.readTextFileSync(`${dir}/${e.name}`));
    }
    return { exitCode: r.exitCode, report: report.takeText(), stderr, files };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** A tab-separated output file as a header and rows of fields (`%` and `#` lines skipped). */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Index of a column; throws when it does not exist. */
  col(name: string): number;
}

/** Parse a tab-separated output file whose first line names the columns (after `%`). */
export function parseTable(text: string): Table {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = lines[0].replace(/^[%#] ?/, "").split("\t");
  const rows = lines.slice(1).filter((l) => !l.startsWith("#")).map((l) => l.split("\t"));
  return {
    columns: header,
    rows,
    col(name: string): number {
      const i = header.indexOf(name);
      if (i < 0) throw new RangeError(`Cannot find column "${name}" in: ${header.join(" ")}`);
      return i;
    },
  };
}
