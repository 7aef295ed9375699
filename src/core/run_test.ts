import assert from "node:assert/strict";
import { type NumberedInputs, run, runAsync, type RunOptions, type RunProgress } from "./run.ts";
import { BUILTIN_PLUGINS } from "../../plugins/mod.ts";
import { selectPlugins } from "../plugin/registry.ts";
import { MemorySink } from "../output/byte_writer.ts";
import { comparableLines } from "../../tools/conformance/compare.ts";
import { OutputFileError } from "../output/output_file.ts";
import type { PluginDefinition } from "../plugin/api.ts";
import type { Clock } from "./clock.ts";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;
const FAF = FIXTURES + "faf-small.pcap";
const ANNOLOC = FIXTURES + "annoloc-small.pcap";
const BASE = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "txtSink"]);

interface Outcome {
  readonly code: number;
  readonly packets: number;
  readonly stopped: boolean;
  readonly report: string;
  readonly stderr: string[];
  readonly flows: string;
}

function options(dir: string, over: Partial<RunOptions>): RunOptions & { sink: MemorySink } {
  const sink = new MemorySink();
  return {
    inputs: [FAF],
    inputName: FAF,
    outputPrefix: dir + "/",
    plugins: BASE,
    settings: [{ name: "SUBNET_ON", value: "0" }],
    packetMode: false,
    commandLine: "t2",
    reportSink: sink,
    color: false,
    ...over,
    sink,
  };
}

async function inTemp(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_run_" });
  try {
    await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

async function go(
  dir: string,
  over: Partial<RunOptions>,
  how: "sync" | "async" = "sync",
  prefix = "faf-small",
): Promise<Outcome> {
  const stderr: string[] = [];
  const o = options(dir, { stderr: (l) => stderr.push(l), ...over });
  const r = how === "sync" ? run(o) : await runAsync(o, { yieldMs: 0 });
  let flows = "";
  try {
    flows = Deno.readTextFileSync(`${dir}/${prefix}_flows.txt`);
  } catch { /* none */ }
  return {
    code: r.exitCode,
    packets: r.packets,
    stopped: r.stopped,
    report: o.sink.takeText(),
    stderr,
    flows,
  };
}

Deno.test("runAsync() writes what run() writes", async () => {
  await inTemp(async (dir) => {
    const a = await go(dir, {}, "sync");
    const b = await go(dir, {}, "async");
    assert.equal(b.code, 0);
    assert.equal(b.flows, a.flows);
    assert.deepEqual(comparableLines("report", b.report), comparableLines("report", a.report));
  });
});

Deno.test("run() ends early, with a complete report and flow file, when a stop is asked", async () => {
  await inTemp(async (dir) => {
    const all = await go(dir, {});
    const r = await go(dir, { stopRequested: () => true });
    assert.equal(r.code, 0);
    assert.equal(r.stopped, true);
    assert.equal(r.packets, 4096); // one chunk
    assert.ok(all.packets > r.packets);
    assert.match(r.report, /^Number of processed packets: 4096 \(4\.10 K\)$/m);
    const flowLines = r.flows.trimEnd().split("\n");
    const columns = flowLines[0].split("\t").length;
    for (const l of flowLines) assert.equal(l.split("\t").length, columns);
    const flows = Number(/^Number of processed {6}flows: (\d+)/m.exec(r.report)![1]);
    assert.equal(flowLines.length - 1, flows);
    assert.match(r.report, /^Aggregated flowStat=0x/m);
  });
});

Deno.test("runAsync() reports its progress between chunks", async () => {
  await inTemp(async (dir) => {
    const seen: RunProgress[] = [];
    const r = await go(dir, { onProgress: (p) => seen.push(p) }, "async");
    assert.equal(r.code, 0);
    assert.ok(seen.length > 0);
    const size = Deno.statSync(FAF).size;
    for (let i = 0; i < seen.length; i++) {
      assert.equal(seen[i].bytesTotal, size);
      assert.ok(seen[i].bytesRead > 0 && seen[i].bytesRead <= size);
      if (i > 0) assert.ok(seen[i].packets >= seen[i - 1].packets);
    }
  });
});

Deno.test("run() checks a -R list as T2: bad entries skipped with an [ERR] line", async () => {
  await inTemp(async (dir) => {
    Deno.writeFileSync(`${dir}/empty.pcap`, new Uint8Array(0));
    Deno.writeTextFileSync(`${dir}/text.pcap`, "not a capture at all\n");
    const listed = [`${dir}/missing.pcap`, `${dir}/empty.pcap`, `${dir}/text.pcap`, FAF];
    const r = await go(
      dir,
      { inputs: listed, inputName: `${dir}/l.txt`, listFile: "l.txt" },
      "sync",
      "l",
    );
    assert.equal(r.code, 0);
    const lines = r.report.split("\n");
    const at = lines.indexOf("Checking list file");
    assert.ok(at > 0 && at < lines.indexOf("Active plugins:"));
    assert.deepEqual(lines.slice(at + 1, at + 5), listed.map((f) => `    checking file '${f}'`));
    assert.deepEqual(r.stderr, [
      `[ERR] Failed to open file '${dir}/missing.pcap' for reading: No such file or directory`,
      `[ERR] PCAP file '${dir}/empty.pcap' is empty`,
      `[ERR] File '${dir}/text.pcap' is not a valid PCAP/PCAP-NG file`,
    ]);
    assert.ok(lines.includes(`Processing file no. 1 of 1: ${FAF}`));
    assert.ok(lines.includes("Percentage completed: 100.00%"));
    assert.ok(lines.includes(`Number of pcap bytes: ${Deno.statSync(FAF).size} (5.93 M)`));
  });
});

Deno.test("run() stops with T2's errors when a -R list has no capture or is binary", async () => {
  await inTemp(async (dir) => {
    const none = await go(dir, { inputs: [`${dir}/nope.pcap`], inputName: "l", listFile: "l" });
    assert.equal(none.code, 1);
    assert.equal(none.stderr.at(-1), "[ERR] No valid files found in l");
    const binary = await go(dir, { inputs: ["\u00e9\u00e9"], inputName: "l", listFile: "l" });
    assert.equal(binary.code, 1);
    assert.deepEqual(binary.stderr, ["[ERR] 'l' is not a valid list of PCAP files"]);
  });
});

Deno.test("run() reads a -R list as one stream: the flows of both files, times unchanged", async () => {
  await inTemp(async (dir) => {
    const list = await go(
      dir,
      { inputs: [ANNOLOC, FAF], inputName: "list.txt", listFile: "list.txt" },
      "sync",
      "list",
    );
    const a = await go(dir, { inputs: [ANNOLOC], inputName: ANNOLOC }, "sync", "annoloc-small");
    const b = await go(dir, {}, "sync", "faf-small");
    const body = (t: string) =>
      t.trimEnd().split("\n").slice(1).map((l) => l.replace(/^(.)\t\d+\t/, "$1\t")).sort();
    assert.deepEqual(body(list.flows), [...body(a.flows), ...body(b.flows)].sort());
    assert.equal(list.packets, a.packets + b.packets);
  });
});

function numbered(names: string[], pollSeconds = 0.05): NumberedInputs {
  return { names: () => names[Symbol.iterator](), resolve: (n) => n, pollSeconds };
}

Deno.test("run() reads numbered inputs until one is missing (no waiting when synchronous)", async () => {
  await inTemp(async (dir) => {
    Deno.copyFileSync(FAF, `${dir}/x.pcap0`);
    const r = await go(
      dir,
      {
        inputs: [],
        inputName: `${dir}/x.pcap0`,
        numbered: numbered([`${dir}/x.pcap0`, `${dir}/x.pcap1`]),
      },
      "sync",
      "x",
    );
    assert.equal(r.code, 0);
    assert.equal(r.report.match(/^Processing file: /gm)?.length, 1);
    assert.ok(r.report.includes("\n.Dump stop : "));
  });
});

Deno.test("runAsync() waits for the next numbered input and reads it", async () => {
  await inTemp(async (dir) => {
    Deno.copyFileSync(FAF, `${dir}/x.pcap0`);
    // The next capture appears while the run waits for it: during its first sleep, on a clock
    // of the test's own, so that nothing depends on how fast the first capture is read.
    // Copied then renamed, as a capture being written would appear.
    let now = 0;
    let sleeps = 0;
    const clock: Clock = {
      now: () => now,
      sleep(ms) {
        now += ms;
        if (sleeps++ === 0) {
          Deno.copyFileSync(ANNOLOC, `${dir}/next.tmp`);
          Deno.renameSync(`${dir}/next.tmp`, `${dir}/x.pcap1`);
        }
        return Promise.resolve();
      },
    };
    const r = await go(
      dir,
      {
        inputs: [],
        inputName: `${dir}/x.pcap0`,
        numbered: numbered([`${dir}/x.pcap0`, `${dir}/x.pcap1`]),
        clock,
      },
      "async",
      "x",
    );
    assert.equal(r.code, 0);
    const processed = r.report.match(/Processing file: .*/g);
    assert.deepEqual(processed, [
      `Processing file: ${dir}/x.pcap0`,
      `Processing file: ${dir}/x.pcap1`,
    ]);
    assert.match(r.report, /\n\.+Processing file: /);
    // T2 counts numbered captures as one file of all the bytes read.
    const size = Deno.statSync(FAF).size + Deno.statSync(ANNOLOC).size;
    assert.ok(r.report.includes(`Number of pcap bytes: ${size} `));
  });
});

Deno.test("runAsync() gives up waiting for the first numbered input on a stop (exit 1)", async () => {
  await inTemp(async (dir) => {
    let polls = 0;
    const r = await go(
      dir,
      {
        inputs: [],
        inputName: `${dir}/x.pcap0`,
        numbered: numbered([`${dir}/x.pcap0`]),
        stopRequested: () => ++polls > 3,
      },
      "async",
      "x",
    );
    assert.equal(r.code, 1);
    assert.equal(r.stopped, true);
    assert.ok(!r.report.includes("Active plugins:"));
  });
});

Deno.test({
  name: "run: an output error mid-run closes the capture and every file the run opened" +
    (openFiles() === null ? " SKIPPED: no `ls -l /proc/PID/fd` to list open files" : ""),
  ignore: openFiles() === null,
  async fn() {
    // Fails at the first flow it writes, after txtSink and -s opened their files.
    const failing: PluginDefinition = {
      name: "diskFull",
      number: 998,
      version: "1",
      create: () => ({
        onFlowTerminate() {
          throw new OutputFileError("write", "x_flows.txt", "No space left on device");
        },
      }),
    };
    for (const how of ["sync", "async"] as const) {
      await inTemp(async (dir) => {
        const r = await go(dir, { plugins: [...BASE, failing], packetMode: true }, how);
        assert.equal(r.code, 1);
        assert.deepEqual(r.stderr, ['[ERR] Cannot write "x_flows.txt": No space left on device']);
        const files = openFiles();
        assert.ok(files, "the open files could not be listed");
        const left = files.filter((f) => f.startsWith(dir) || f === FAF);
        assert.deepEqual(left, [], `${how}: files left open`);
      });
    }
  },
});

/**
 * The files this process has open, null where they cannot be listed. Listed by a child
 * process: Deno lets a program read its own /proc/PID/fd only with --allow-all.
 */
function openFiles(): string[] | null {
  // `ls` fails when a descriptor closes while it lists them (the runtime's own, around the
  // start of the child process): try again.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const out = new Deno.Command("ls", { args: ["-l", `/proc/${Deno.pid}/fd`], stderr: "null" })
        .outputSync();
      if (!out.success) continue;
      return new TextDecoder().decode(out.stdout).split("\n").flatMap((l) => {
        const at = l.indexOf(" -> ");
        return at < 0 ? [] : [l.slice(at + 4)];
      });
    } catch {
      return null;
    }
  }
  return null;
}

/** A sink (after txtSink) that fails (ctx.fail) at init or at the n-th flow. */
function failingSink(at: "init" | number, finalized: string[]): PluginDefinition {
  return {
    name: "failing",
    number: 990,
    version: "0",
    create: (ctx) => {
      let n = 0;
      return {
        init() {
          if (at === "init") ctx.fail("failing: cannot start");
        },
        bufferToSink() {
          if (++n === at) ctx.fail(`failing: gone at flow ${n}`);
        },
        finalize: () => void finalized.push("failing"),
      };
    },
  };
}

Deno.test("run: a plugin that fails at a flow or at init: one line, exit 1, files complete", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const finalized: string[] = [];
    const stderr: string[] = [];
    const r = run(options(dir, {
      plugins: [...BASE, failingSink(5, finalized)],
      stderr: (l) => stderr.push(l),
    }));
    assert.equal(r.exitCode, 1);
    assert.deepEqual(stderr, ["[ERR] failing: gone at flow 5"]);
    // txtSink wrote at least the 5 flows before the failing sink saw the 5th, whole lines.
    const flows = Deno.readTextFileSync(`${dir}/faf-small_flows.txt`);
    const lines = flows.split("\n").slice(0, -1);
    assert.ok(lines.length >= 1 + 5 && flows.endsWith("\n"));
    for (const l of lines) assert.equal(l.split("\t").length, lines[0].split("\t").length);
    // The failing sink is finalized too (it may hold resources).
    assert.deepEqual(finalized, ["failing"]);

    const atInit: string[] = [];
    const stderr2: string[] = [];
    const r2 = run(options(dir, {
      plugins: [...BASE, failingSink("init", atInit)],
      stderr: (l) => stderr2.push(l),
    }));
    assert.equal(r2.exitCode, 1);
    assert.deepEqual(stderr2, ["[ERR] failing: cannot start"]);
    // Plugins started before it are finalized (the flows file has its header line).
    assert.equal(Deno.readTextFileSync(`${dir}/faf-small_flows.txt`).split("\n").length, 2);
    assert.deepEqual(atInit, []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
