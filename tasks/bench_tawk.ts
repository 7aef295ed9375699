/**
 * Speed of `t2 tawk` against plain gawk (issue 13): the filter `tcp() && $pktsSnt > 10` over a
 * flows file of more than a million lines, as `deno task tawk` runs it (whole process: Deno's
 * start, the column names, the library, gawk -M), and the same filter for gawk with the field
 * numbers written out: `NR == 1 || ($18 == 6 && $19 > 10)` (the header too, as tcp() keeps it).
 * Runs alternate so that load on a shared machine hits both alike; medians are reported.
 *
 *     deno run -A tasks/bench_tawk.ts [--runs N] [--packets N] [--flows N]
 *
 * The capture comes from ../shared/tools/gen-manyflows.mjs (needs node), the flows file from
 * t2 with its default plugins; both are kept in .bench-cache/tawk/.
 *
 * @module
 */

import { taskFlags } from "../tests/_support/t2_task.ts";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const cache = `${root}.bench-cache/tawk/`;
const deno = Deno.execPath();

const args = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "5" },
    packets: { type: "string", default: "4000000" },
    flows: { type: "string", default: "1050000" },
  },
});
const runs = Number(args.values.runs);
const packets = Number(args.values.packets);
const flows = Number(args.values.flows);

/** The `deno run` words of a deno.json task, up to main.ts (exclusive). */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function must(cmd: string, argv: string[], what: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args: argv, stdout: "null", stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`${what} failed (exit ${out.code})`);
}

const pcap = `${cache}manyflows-${packets}-${flows}.pcap`;
const flowsFile = `${cache}out/manyflows-${packets}-${flows}_flows.txt`;
Deno.mkdirSync(`${cache}out`, { recursive: true });
if (!exists(pcap)) {
  const gen = `${root}../shared/tools/gen-manyflows.mjs`;
  console.log(`generating ${pcap} (node ${gen})`);
  await must("node", [gen, pcap, String(packets), String(flows), "7"], "gen-manyflows.mjs");
}
if (!exists(flowsFile)) {
  console.log(`t2 -r ${pcap} -w ${cache}out/`);
  await must(
    deno,
    [
      ...taskFlags("t2"),
      `${root}main.ts`,
      "-r",
      pcap,
      "-w",
      `${cache}out/`,
      "--set",
      "SUBNET_ON=0",
    ],
    "t2",
  );
}

// The field numbers, written into the plain gawk program.
const header = await (async () => {
  const f = await Deno.open(flowsFile);
  const buf = new Uint8Array(1 << 16);
  const n = (await f.read(buf)) ?? 0;
  f.close();
  return new TextDecoder().decode(buf.subarray(0, n)).split("\n")[0].replace(/^%/, "").split("\t");
})();
const l4 = header.indexOf("l4Proto") + 1;
const pkts = header.indexOf("pktsSnt") + 1;
const plain = `NR == 1 || ($${l4} == 6 && $${pkts} > 10)`;
const lines = Number(
  new TextDecoder().decode(
    (await new Deno.Command("wc", { args: ["-l", flowsFile] }).output()).stdout,
  )
    .trim().split(/\s+/)[0],
);
const bytes = Deno.statSync(flowsFile).size;
console.log(`${flowsFile}: ${lines} lines, ${(bytes / 1e6).toFixed(0)} MB`);
if (lines < 1_000_000) console.log("warning: fewer than 1 M lines (give more --flows)");

const TAWK = [...taskFlags("tawk"), `${root}main.ts`, "tawk", "tcp() && $pktsSnt > 10", flowsFile];
const GAWK = ["-F", "\t", "-v", "OFS=\t", plain, flowsFile];
const GAWK_M = ["-M", "-v", "PREC=256", ...GAWK];

/** One run: wall seconds, and CPU seconds (user + system, gawk included) when /usr/bin/time exists. */
interface Sample {
  wall: number;
  cpu: number;
}

const hasTime = exists("/usr/bin/time");

/** Run a whole process, output to /dev/null. */
async function time(cmd: string, argv: string[]): Promise<Sample> {
  const t0 = performance.now();
  const out = await new Deno.Command(hasTime ? "/usr/bin/time" : cmd, {
    args: hasTime ? ["-f", "%U %S", cmd, ...argv] : argv,
    stdout: "null",
    stderr: "piped",
  }).output();
  const wall = (performance.now() - t0) / 1000;
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
  const [u, sys] = last.split(" ").map(Number);
  return { wall, cpu: hasTime ? u + sys : NaN };
}

// Same output first: the comparison is only fair for the same work.
const digest = async (cmd: string, argv: string[]) => {
  const out = await new Deno.Command(cmd, { args: argv, stdout: "piped" }).output();
  return new Uint8Array(await crypto.subtle.digest("SHA-256", out.stdout)).join(",");
};
if ((await digest(deno, TAWK)) !== (await digest("gawk", GAWK))) {
  throw new Error("t2 tawk and the plain gawk program print different lines");
}

const samples = { tawk: [] as Sample[], gawk: [] as Sample[], gawkM: [] as Sample[] };
for (let i = 0; i < runs; i++) {
  samples.gawk.push(await time("gawk", GAWK));
  samples.tawk.push(await time(deno, TAWK));
  samples.gawkM.push(await time("gawk", GAWK_M));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = (xs: Sample[]) => median(xs.map((x) => x.wall));
const cpu = (xs: Sample[]) => median(xs.map((x) => x.cpu));
const row = (what: string, xs: Sample[]) =>
  console.log(
    `${what.padEnd(42)} wall ${wall(xs).toFixed(2)} s  cpu ${cpu(xs).toFixed(2)} s  ` +
      `(wall: ${xs.map((x) => x.wall.toFixed(2)).join(" ")})`,
  );
console.log(`${runs} interleaved runs (medians); the machine may be loaded by other work`);
row(`gawk '${plain}'`, samples.gawk);
row("gawk -M (bignums, as t2 tawk runs it)", samples.gawkM);
row("t2 tawk 'tcp() && $pktsSnt > 10'", samples.tawk);
console.log(
  `t2 tawk / gawk: wall ${(wall(samples.tawk) / wall(samples.gawk)).toFixed(2)}x, ` +
    `cpu ${(cpu(samples.tawk) / cpu(samples.gawk)).toFixed(2)}x`,
);
