/**
 * A V8 CPU profile of one `t2` run, and where its time went by function and by source file.
 *
 *     deno run --no-check -A --v8-flags=--max-semi-space-size=1 tasks/cpu_profile.ts \
 *       [--out FILE.cpuprofile] [--interval MICROSECONDS] [--top N] [--lines N] -- T2 ARGS...
 *     deno run --no-check -A tasks/cpu_profile.ts --read FILE.cpuprofile [--top N] [--lines N]
 *
 * Runs the program's `main` from the sources in this process under the inspector's sampling
 * profiler (`node:inspector`; Deno 2.9 has no `--cpu-prof`, and its V8 log does not match
 * the tick processor of the installed Node), writes the profile (open it in Chrome's
 * DevTools) and prints self time per function (`name file:line`) and per file (so per
 * plugin: one folder each), and with `--lines N` the hottest lines of the N hottest
 * functions. Self time is where the samples fell; a function inlined into its caller counts
 * for the caller.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Session } from "node:inspector";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; scriptId: string };
  hitCount?: number;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

interface Profile {
  nodes: ProfileNode[];
  /** Added here: the (transpiled) source text of scripts, by scriptId, for line ticks. */
  sources?: Record<string, string>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function post<T>(s: Session, method: string, params: Record<string, unknown> = {}): Promise<T> {
  return new Promise((resolve, reject) =>
    s.post(method, params, (e, r) => e ? reject(e) : resolve(r as T))
  );
}

const root = new URL("../", import.meta.url).href;

function shortUrl(url: string): string {
  return url.startsWith(root) ? url.slice(root.length) : url || "(native)";
}

/** Self milliseconds per function and per file, largest first. */
export function summarize(p: Profile, top: number): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    selfMs.set(p.samples[i], (selfMs.get(p.samples[i]) ?? 0) + dt);
  }
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const f = byId.get(id)!.callFrame;
    const where = shortUrl(f.url);
    const key = `${f.functionName || "(anonymous)"} ${where}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    const folder = where.startsWith("plugins/") ? where.split("/").slice(0, 2).join("/") : where;
    file.set(folder, (file.get(folder) ?? 0) + ms);
    total += ms;
  }
  const rows = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) =>
      `${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)} %  ${k}`
    ).join("\n");
  return `total sampled ${total.toFixed(0)} ms\n\nself time by function:\n${rows(fn)}\n\n` +
    `self time by file (plugins by folder):\n${rows(file)}\n`;
}

/**
 * The hottest lines of the `top` hottest functions (samples per line of the transpiled
 * source the profile recorded, with that line's text).
 */
export function hotLines(p: Profile, top: number, perFunction = 8): string {
  const fns = new Map<string, { ticks: number; lines: Map<number, number>; script: string }>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
    const e = fns.get(key) ?? { ticks: 0, lines: new Map(), script: f.scriptId };
    e.ticks += n.hitCount ?? 0;
    for (const t of n.positionTicks ?? []) {
      e.lines.set(t.line, (e.lines.get(t.line) ?? 0) + t.ticks);
    }
    fns.set(key, e);
  }
  const out: string[] = [];
  for (const [key, e] of [...fns].sort((a, b) => b[1].ticks - a[1].ticks).slice(0, top)) {
    out.push(`${key} (${e.ticks} samples)`);
    const text = p.sources?.[e.script]?.split("\n") ?? [];
    for (const [line, ticks] of [...e.lines].sort((a, b) => b[1] - a[1]).slice(0, perFunction)) {
      out.push(
        `  ${String(ticks).padStart(6)}  ${line}: ${(text[line - 1] ?? "").trim().slice(0, 90)}`,
      );
    }
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const dash = Deno.args.indexOf("--");
  const own = dash < 0 ? Deno.args : Deno.args.slice(0, dash);
  const t2Args = dash < 0 ? [] : Deno.args.slice(dash + 1);
  const { values } = parseArgs({
    args: own,
    options: {
      out: { type: "string", default: "t2.cpuprofile" },
      read: { type: "string" },
      interval: { type: "string", default: "200" },
      top: { type: "string", default: "40" },
      lines: { type: "string", default: "0" },
    },
  });
  const top = Number(values.top);
  const lines = Number(values.lines);
  if (values.read) {
    const profile = JSON.parse(Deno.readTextFileSync(values.read));
    console.log(summarize(profile, top));
    if (lines) console.log(hotLines(profile, lines));
    return;
  }
  if (t2Args.length === 0) throw new Error("usage: cpu_profile.ts [options] -- T2 ARGUMENTS");
  const { main: t2Main } = await import("../src/cli/main.ts");
  const s = new Session();
  s.connect();
  await post(s, "Profiler.enable");
  await post(s, "Profiler.setSamplingInterval", { interval: Number(values.interval) });
  await post(s, "Profiler.start");
  const code = await t2Main(t2Args);
  const { profile } = await post<{ profile: Profile }>(s, "Profiler.stop");
  // The sources, after the run (the debugger on during the run would change the code).
  const ids = new Set(profile.nodes.map((n) => n.callFrame.scriptId));
  await post(s, "Debugger.enable");
  profile.sources = {};
  for (const id of ids) {
    try {
      const r = await post<{ scriptSource: string }>(s, "Debugger.getScriptSource", {
        scriptId: id,
      });
      if (r.scriptSource.length < 2_000_000) profile.sources[id] = r.scriptSource;
    } catch { /* native or gone */ }
  }
  s.disconnect();
  Deno.writeTextFileSync(values.out!, JSON.stringify(profile));
  console.error(`t2 exited ${code}; profile in ${values.out}`);
  console.error(summarize(profile, top));
  if (lines) console.error(hotLines(profile, lines));
}

if (import.meta.main) await main();
