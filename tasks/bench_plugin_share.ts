/**
 * What each plugin of the default set costs in the whole run: the default set, the default
 * set without one plugin (for each plugin) and the flow set, as whole processes of the bundle
 * on the yardstick, interleaved, medians of CPU and wall time.
 *
 *     deno run --no-check -A tasks/bench_plugin_share.ts [--runs N] [--only a,b] [--no-bundle]
 *       [--extra NAME=PLUGIN,PLUGIN...]
 *
 * A plugin's share is the default set's time minus the time without it: its own work and
 * what its memory costs the others (cache misses), plus the core's work it causes (timeout
 * handlers). `--only` limits the plugins left out one at a time; `--extra` adds named lists.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { benchCapture, median } from "./bench_capture.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";
import { loadAverage, type ProcessSample, timedDeno } from "./bench_process.ts";
import { DEFAULT_PLUGINS } from "../plugins/mod.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "5" },
      only: { type: "string" },
      extra: { type: "string", multiple: true, default: [] },
      "no-bundle": { type: "boolean", default: false },
      "no-drops": { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  const capture = await benchCapture();
  if (!values["no-bundle"]) {
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "bundle"],
      cwd: root,
    })
      .output();
    if (!built.success) throw new Error("deno task bundle failed");
  }
  const out = Deno.makeTempDirSync({ prefix: "t2ts-bench-share-" });
  try {
    const lists: Record<string, string[]> = {
      flow: ["basicFlow", "basicStats", "tcpWin", "txtSink"],
      dflt: [...DEFAULT_PLUGINS],
    };
    const only = values.only?.split(",");
    if (!values["no-drops"]) {
      for (const p of DEFAULT_PLUGINS) {
        if (p === "txtSink" || (only && !only.includes(p))) continue;
        lists[`-${p}`] = DEFAULT_PLUGINS.filter((n) => n !== p);
      }
    }
    for (const e of values.extra) {
      const [name, plugins] = e.split("=");
      lists[name] = plugins.split(",");
    }
    const common = [...t2TaskFlags(), "dist/t2.js", "-r", capture, "--set", "SUBNET_ON=0"];
    const cmds: Record<string, string[]> = {};
    for (const [name, plugins] of Object.entries(lists)) {
      const file = `${out}/${name}.txt`;
      Deno.writeTextFileSync(file, plugins.join("\n") + "\n");
      cmds[name] = [...common, "-w", `${out}/${name}/`, "-b", file];
    }
    const names = Object.keys(cmds);
    const samples: Record<string, ProcessSample[]> = Object.fromEntries(names.map((n) => [n, []]));
    const loads: string[] = [loadAverage()];
    for (let i = 0; i < runs; i++) {
      for (const n of names) samples[n].push(await timedDeno(cmds[n], root));
      loads.push(loadAverage());
      console.error(`round ${i + 1}/${runs} done, load ${loads.at(-1)}`);
    }
    const cpu = (n: string) => median(samples[n].map((s) => s.cpu));
    const sec = (n: string) => median(samples[n].map((s) => s.sec));
    const rss = (n: string) => median(samples[n].map((s) => s.rssMiB));
    console.log(`load average during the runs: ${loads.join(" | ")}`);
    console.log(
      `${"list".padEnd(16)} ${"CPU s".padStart(6)} ${"wall s".padStart(7)} ` +
        `${"RSS MiB".padStart(8)}  dflt-this (CPU)`,
    );
    for (const n of names) {
      const share = n.startsWith("-") ? (cpu("dflt") - cpu(n)).toFixed(2) : "";
      console.log(
        `${n.padEnd(16)} ${cpu(n).toFixed(2).padStart(6)} ${sec(n).toFixed(2).padStart(7)} ` +
          `${rss(n).toFixed(1).padStart(8)}  ${share}`,
      );
    }
    console.log(
      `dflt/flow: CPU ${(cpu("dflt") / cpu("flow")).toFixed(2)}x, wall ` +
        `${(sec("dflt") / sec("flow")).toFixed(2)}x, RSS ${
          (rss("dflt") / rss("flow")).toFixed(2)
        }x`,
    );
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
}

if (import.meta.main) await main();
