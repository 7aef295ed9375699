/**
 * `deno run --allow-read --allow-write --allow-env --allow-run tasks/flow_memory.ts`
 *
 * Measures the memory a concurrent flow costs: each scenario runs in a fresh process that builds
 * a capture of N distinct one-packet UDP flows in memory (all alive at the end: no timeout in
 * the capture), runs the plugin list `flow` (basicFlow, basicStats, tcpWin, txtSink; SUBNET_ON=0)
 * with `-f F`, and samples the whole-process resident set size (RSS) during and after the run.
 * The cost per flow is the slope between a small and a large N at the same F. Prints a
 * Markdown table (for the README). Not a test: figures depend on the machine.
 *
 * @module
 */

import { manyFlowsCapture } from "../tools/fuzz/many_flows.ts";
import { run } from "../src/core/run.ts";
import { MemorySink } from "../src/output/byte_writer.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { selectPlugins } from "../src/plugin/registry.ts";

interface Sample {
  flows: number;
  hashFactor: number;
  /** RSS after building the capture, before the run (bytes). */
  before: number;
  /** Highest RSS seen during and right after the run (bytes). */
  peak: number;
  /** Flows in memory at the peak (report "Max number of flows in memory"). */
  maxInMemory: number;
  captureBytes: number;
  seconds: number;
}

function child(flows: number, hashFactor: number): Sample {
  const bytes = manyFlowsCapture({ flows });
  const before = Deno.memoryUsage().rss;
  let peak = before;
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-mem-" });
  const report = new MemorySink();
  const t0 = performance.now();
  try {
    run({
      inputs: [{ name: "many.pcap", bytes }],
      inputName: "many.pcap",
      outputPrefix: `${dir}/out`,
      plugins: selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "tcpWin", "txtSink"]),
      settings: [{ name: "SUBNET_ON", value: "0" }],
      packetMode: false,
      hashFactor,
      commandLine: "t2",
      reportSink: report,
      color: false,
      onProgress: () => {
        peak = Math.max(peak, Deno.memoryUsage().rss);
      },
    });
    peak = Math.max(peak, Deno.memoryUsage().rss);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  const line = report.takeText().split("\n").find((l) => l.startsWith("Max number of flows"));
  const maxInMemory = Number(line?.match(/: (\d+)/)?.[1] ?? 0);
  return { flows, hashFactor, before, peak, maxInMemory, captureBytes: bytes.length, seconds };
}

async function measure(flows: number, hashFactor: number): Promise<Sample> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      new URL(import.meta.url).pathname,
      "--child",
      String(flows),
      String(hashFactor),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`Cannot measure ${flows} flows with -f ${hashFactor}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const MB = 1024 * 1024;

if (Deno.args[0] === "--child") {
  console.log(JSON.stringify(child(Number(Deno.args[1]), Number(Deno.args[2]))));
} else {
  const scenarios: [number, number][] = [
    [1_000, 1],
    [100_000, 1],
    [262_144, 1],
    [1_000_000, 1],
    [1_000, 8],
    [1_000_000, 8],
    [2_000_000, 8],
  ];
  const samples: Sample[] = [];
  console.log(
    "| flows in capture | -f | flows in memory (peak) | RSS before run | RSS peak | run |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [n, f] of scenarios) {
    const s = await measure(n, f);
    samples.push(s);
    console.log(
      `| ${n} | ${f} | ${s.maxInMemory} | ${(s.before / MB).toFixed(0)} MiB | ` +
        `${(s.peak / MB).toFixed(0)} MiB | ${s.seconds.toFixed(1)} s |`,
    );
  }
  const slope = (a: Sample, b: Sample) =>
    ((b.peak - b.before) - (a.peak - a.before)) / (b.maxInMemory - a.maxInMemory);
  const find = (n: number, f: number) => samples.find((s) => s.flows === n && s.hashFactor === f)!;
  console.log(
    `\nper concurrent flow: ${slope(find(1_000, 1), find(262_144, 1)).toFixed(0)} bytes (-f 1, ` +
      `1000 → 262144 flows), ${slope(find(1_000, 8), find(2_000_000, 8)).toFixed(0)} bytes ` +
      `(-f 8, 1000 → 2000000 flows)`,
  );
}
