/**
 * What the built-in data tables (plugins/_data/) cost at start-up:
 *
 *     deno run -A tasks/bench_tables.ts [--runs N] [--before OLD/dist/t2.js]
 *
 * 1. In process: parsing each table as its plugin does (portClassifier's names, protoStats'
 *    EtherType, protocol and port descriptions), median of N parses.
 * 2. Whole processes, interleaved, medians of N: `t2 -V` of this bundle (`dist/t2.js`, built
 *    first) and, with `--before`, of an older bundle without the tables (the module text of
 *    the 11k-line port table is part of every start); then a run of `fixtures/faf-small.pcap`
 *    with the plugin list basicFlow txtSink against basicFlow portClassifier txtSink (the
 *    parse at `init`) and protoStats basicFlow txtSink (the parses at `finalize`).
 *
 * Wall time and peak RSS (`/usr/bin/time`). Not a test: the figures depend on the machine.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { median } from "./bench_capture.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";
import { ETHERTYPES_TXT } from "../plugins/_data/ethertypes.ts";
import { PORTMAP_TXT } from "../plugins/_data/portmap.ts";
import { PROTO_TXT } from "../plugins/_data/proto.ts";
import { parsePortNames } from "../plugins/port_classifier/port_names.ts";
import {
  parseEtherTypes,
  parsePortDescriptions,
  parseProtocols,
} from "../plugins/proto_stats/descriptions.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

interface Sample {
  ms: number;
  rssMiB: number;
}

async function timed(args: string[]): Promise<Sample> {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", Deno.execPath(), ...args],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`Benchmark run failed (${args.join(" ")}):\n${err}`);
  return { ms, rssMiB: Number(err.split("\n").at(-1)) / 1024 };
}

/** Run the commands in turn, `runs` rounds; the medians of each. */
async function interleaved(commands: Record<string, string[]>, runs: number): Promise<void> {
  const samples: Record<string, Sample[]> = {};
  for (const k in commands) samples[k] = [];
  for (let i = 0; i < runs; i++) {
    for (const [k, args] of Object.entries(commands)) samples[k].push(await timed(args));
  }
  for (const [k, s] of Object.entries(samples)) {
    const ms = median(s.map((x) => x.ms));
    const rss = median(s.map((x) => x.rssMiB));
    console.log(`  ${k.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms  ${rss.toFixed(1)} MiB`);
  }
}

function parseTimes(runs: number): void {
  const cases: [string, () => unknown][] = [
    ["portClassifier: portmap.txt names", () => parsePortNames(PORTMAP_TXT)],
    ["protoStats: portmap.txt descriptions", () => parsePortDescriptions(PORTMAP_TXT)],
    ["protoStats: ethertypes.txt", () => parseEtherTypes(ETHERTYPES_TXT)],
    ["protoStats: proto.txt", () => parseProtocols(PROTO_TXT)],
  ];
  console.log(`parse, in process (median of ${runs}; first parse in brackets):`);
  for (const [what, f] of cases) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    }
    console.log(
      `  ${what.padEnd(44)} ${median(times).toFixed(2).padStart(7)} ms  (${times[0].toFixed(2)})`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { runs: { type: "string", default: "15" }, before: { type: "string" } },
  });
  const runs = Number(values.runs);
  parseTimes(runs);

  const built = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "bundle"],
    cwd: root,
  })
    .output();
  if (!built.success) throw new Error("deno task bundle failed");
  const flags = t2TaskFlags();
  console.log(`\nt2 -V (whole process, interleaved, median of ${runs}):`);
  const version: Record<string, string[]> = {
    "empty Deno program": ["eval", "0"],
    "t2 -V (dist/t2.js, with the tables)": [...flags, "dist/t2.js", "-V"],
  };
  if (values.before) version[`t2 -V (${values.before})`] = [...flags, values.before, "-V"];
  await interleaved(version, runs);

  const dir = Deno.makeTempDirSync({ prefix: "t2ts-tables-" });
  try {
    const list = (name: string, plugins: string) => {
      Deno.writeTextFileSync(`${dir}/${name}.txt`, plugins.replaceAll(" ", "\n") + "\n");
      return [
        ...flags,
        "dist/t2.js",
        "-r",
        "fixtures/faf-small.pcap",
        "-w",
        `${dir}/${name}/`,
        "-b",
        `${dir}/${name}.txt`,
        "--set",
        "SUBNET_ON=0",
      ];
    };
    console.log(`\nfaf-small.pcap (whole process, interleaved, median of ${runs}):`);
    await interleaved({
      "basicFlow txtSink": list("plain", "basicFlow txtSink"),
      "basicFlow portClassifier txtSink": list("classes", "basicFlow portClassifier txtSink"),
      "protoStats basicFlow txtSink": list("protocols", "protoStats basicFlow txtSink"),
    }, runs);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
