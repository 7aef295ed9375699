/**
 * The `t2` command end to end (child processes): every option of spec/cli.md this program
 * supports, T2's error messages and exit codes for bad usage, and outputs compared with the
 * real T2's (golden/, ../shared/reference/list-R) wherever T2 defines them.
 */

import assert from "node:assert/strict";
import { ANNOLOC, FAF, flowsWithoutIndex, inTemp, LISTS, readOrNull, REPO, t2 } from "./_cli.ts";
import {
  comparableLines,
  describe,
  firstDifference,
  kindOf,
} from "../tools/conformance/compare.ts";
import { sharedDir } from "../tools/conformance/cases.ts";
import { USAGE } from "../src/cli/args.ts";
import { VERSION } from "../src/core/run_report.ts";

const HINT = "Try 't2 -h' for more information.\n";
const NO_GEO = ["--set", "SUBNET_ON=0"];
/** An explicit plugin list (`flow`) for tests about other things than the default set. */
const FLOW = ["-b", `${LISTS}/flow.txt`];

/**
 * T2's bad usage: `[ERR] text` on stderr (then our `extra` line, after a T2 text kept as it
 * is), the hint on stdout, exit code 1.
 */
async function badUsage(args: string[], err: string | RegExp, extra?: string): Promise<void> {
  const r = await t2([...FLOW, ...args]);
  assert.equal(r.code, 1, `exit code of t2 ${args.join(" ")}`);
  assert.equal(r.stdout, HINT);
  const [line, ...more] = r.stderr.trimEnd().split("\n");
  if (typeof err === "string") assert.equal(line, `[ERR] ${err}`);
  else assert.match(line, err);
  assert.deepEqual(more, extra === undefined ? [] : [extra]);
}

const SEVERAL = "[INF] To read several captures: -R LIST reads them as one stream, " +
  "--jobs N -r A -r B ... processes each on its own (t2 -h)";

/** Compare the files of a golden set with what a run wrote into `dir` (report: stdout). */
function assertGolden(
  set: string,
  stem: string,
  dir: string,
  report: string,
  skip: string[] = [],
): void {
  const ref = `${REPO}/golden/${stem}/${set}/`;
  for (const e of Deno.readDirSync(ref)) {
    if (e.name === "rc" || e.name === "stderr.txt" || skip.includes(e.name)) continue;
    const actual = e.name.endsWith("_report.txt") ? report : readOrNull(`${dir}/${e.name}`);
    assert.notEqual(actual, null, `${e.name} missing`);
    const d = firstDifference(kindOf(e.name), Deno.readTextFileSync(ref + e.name), actual!);
    assert.equal(d, null, d ? describe(e.name, d) : "");
  }
}

Deno.test("cli: no argument prints the usage and exits 1; -h exits 0; -V the version", async () => {
  const none = await t2([]);
  assert.equal(none.code, 1);
  assert.equal(none.stdout, USAGE + "\n");
  const help = await t2(["-h"]);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, USAGE + "\n");
  const longHelp = await t2(["--help"]);
  assert.equal(longHelp.stdout, help.stdout);
  const version = await t2(["-V"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, VERSION + "\n");
});

Deno.test("cli: T2's usage errors", async (t) => {
  const cases: [string[], string | RegExp, string?][] = [
    [["-w", "out"], "One of '-r', '-R', '-D' or '-i' option is required"],
    [["-r", FAF, "-R", "l.txt"], "'-r', '-R', '-D' and '-i' options can only be used exclusively"],
    [
      ["-r", FAF, "-r", ANNOLOC],
      "'-r', '-R', '-D' and '-i' options can only be used exclusively",
      SEVERAL,
    ],
    [["-r", FAF, "-Q"], "Unknown option '-Q'"],
    [["-r", FAF, "--bogus"], "Unknown option '--bogus'"],
    [["-r"], "Option '-r' requires an argument"],
    [["-r", FAF, "-f", "0"], "Option '-f': Hash factor must be greater than 0"],
    [["-r", FAF, "-P", "30"], "Priority MUST be between 0 and 20 (highest to lowest)"],
    [["-D", "dumb.cab0"], "Option '-D': Invalid format, expected 'expr[:schr][,stop]'"],
    [["-r", FAF, "-W", "out:big"], /^\[ERR\] Option '-W': invalid size 'big'/],
    [["-i", "eth0"], "Live capture (-i) is not supported: read a capture with -r"],
    [
      ["-r", FAF, "tcp", "port", "80"],
      "BPF filters are not supported (got 'tcp port 80'): filter with tcpdump first: " +
      `tcpdump -r ${FAF} -w - 'tcp port 80' | t2 -r - ...`,
    ],
    [
      ["-r", FAF, "-F", "filter.txt"],
      "BPF filters are not supported (-F filter.txt): filter with tcpdump first: " +
      `tcpdump -r ${FAF} -w - -F filter.txt | t2 -r - ...`,
    ],
    [
      ["-r", FAF, ANNOLOC],
      `'${ANNOLOC}' is not an option: read several captures with -R LIST (one stream) or ` +
      "--jobs N -r A -r B ... (one output set each)",
    ],
    [["-R", "l.txt", "--jobs", "2"], "Option '--jobs' processes several -r captures; not -R or -D"],
    [
      ["-r", FAF, "--set", "FLOW_TIMEOT=5"],
      /no loaded part declares FLOW_TIMEOT \(did you mean FLOW_TIMEOUT\?\)$/,
    ],
    [
      ["-r", FAF, "--set", "FLOW_TIMEOUT=soon"],
      'Cannot set FLOW_TIMEOUT to "soon": expected a number',
    ],
    [["-r", FAF, "--set", "SUBNET_ON=2"], 'Cannot set SUBNET_ON to "2": maximum is 1'],
    [["-r", FAF, "--set", "SUBNET_ON"], 'Cannot parse setting "SUBNET_ON": expected NAME=VALUE'],
    [
      ["-r", FAF, "--config", "/nonexistent/t2.conf"],
      'Cannot read config file "/nonexistent/t2.conf": No such file or directory',
    ],
  ];
  for (const [args, err, extra] of cases) {
    await t.step(args.join(" "), () => badUsage(args, err, extra));
  }
});

Deno.test("cli: a file the command line names that is missing: its name, why, where", async () => {
  await inTemp(async (dir) => {
    const missing = (args: string[], err: string) =>
      t2(args, { cwd: dir }).then((r) => {
        assert.equal(r.code, 1);
        assert.equal(r.stdout, HINT);
        assert.equal(r.stderr, `[ERR] ${err}\n`);
      });
    const here = Deno.realPathSync(dir);
    await missing(
      ["-r", FAF, "-b", "missing.txt"],
      `Cannot read plugin list "missing.txt": No such file or directory (in ${here})`,
    );
    await missing(
      ["-r", FAF, ...FLOW, "--config", "t2.conf"],
      `Cannot read config file "t2.conf": No such file or directory (in ${here})`,
    );
    await missing(
      ["-r", FAF, "-b", `${here}/none.txt`],
      `Cannot read plugin list "${here}/none.txt": No such file or directory`,
    );
  });
});

Deno.test("cli: a bad --config line is named by its file and line number", async () => {
  await inTemp(async (dir) => {
    const conf = `${dir}/t2.conf`;
    const bad = async (text: string, err: string) => {
      Deno.writeTextFileSync(conf, text);
      await badUsage(["-r", FAF, "--config", conf], `Config file "${conf}" ${err}`);
    };
    await bad(
      "# comment\nSUBNET_ON=0\n\nFOO\n",
      'line 4: Cannot parse setting "FOO": expected NAME=VALUE',
    );
    await bad(
      "SUBNET_ON=0\nFLOW_TIMEOT=5\n",
      "line 2: Cannot set FLOW_TIMEOT: no loaded part declares FLOW_TIMEOT (did you mean FLOW_TIMEOUT?)",
    );
    await bad("SUBNET_ON=7 # no\n", 'line 1: Cannot set SUBNET_ON to "7": maximum is 1');
  });
});

Deno.test("cli: an unreadable capture is an [ERR] line and exit code 1", async () => {
  await inTemp(async (dir) => {
    const r = await t2(["-r", `${dir}/none.pcap`, "-w", `${dir}/`, ...FLOW, ...NO_GEO]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\[ERR\] Cannot read capture ".*none\.pcap": no such file$/m);
  });
});

Deno.test("cli: -r -w DIR/ -b -s writes T2's files (flow-s set equals golden)", async () => {
  await inTemp(async (dir) => {
    const r = await t2(["-r", FAF, "-w", `${dir}/`, "-b", `${LISTS}/flow.txt`, "-s", ...NO_GEO]);
    assert.equal(r.code, 0, r.stderr);
    assertGolden("flow-s", "faf-small", dir, r.stdout);
  });
});

Deno.test("cli: -w PREFIX (not a directory) and the default prefix", async () => {
  await inTemp(async (dir) => {
    Deno.copyFileSync(FAF, `${dir}/in.pcap`);
    const a = await t2(["-r", "in.pcap", "-w", "sub/run1", ...FLOW, ...NO_GEO], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    assert.ok(readOrNull(`${dir}/sub/run1_flows.txt`));
    const b = await t2(["-r", "in.pcap", ...FLOW, ...NO_GEO], { cwd: dir });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(readOrNull(`${dir}/in_flows.txt`), readOrNull(`${dir}/sub/run1_flows.txt`));
  });
});

Deno.test("cli: -r - reads standard input (prefix stdin, no percentage)", async () => {
  await inTemp(async (dir) => {
    const r = await t2(["-r", "-", "-w", `${dir}/`, "-b", `${LISTS}/base.txt`, ...NO_GEO], {
      stdin: FAF,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("Processing file: -\n"));
    assert.ok(!r.stdout.includes("Percentage completed"));
    const golden = Deno.readTextFileSync(`${REPO}/golden/faf-small/base/faf-small_flows.txt`);
    assert.equal(readOrNull(`${dir}/stdin_flows.txt`), golden);
  });
});

Deno.test("cli: -l writes the report to PREFIX_log.txt", async () => {
  await inTemp(async (dir) => {
    const r = await t2(["-r", FAF, "-w", `${dir}/`, "-l", "-b", `${LISTS}/base.txt`, ...NO_GEO]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assertGolden("base", "faf-small", dir, readOrNull(`${dir}/faf-small_log.txt`)!);
  });
});

Deno.test("cli: -w - writes only the flows to stdout and the report to stderr (not PREFIX_log.txt)", async () => {
  await inTemp(async (dir) => {
    Deno.copyFileSync(FAF, `${dir}/faf-small.pcap`);
    const r = await t2(["-r", "faf-small.pcap", "-w", "-", "-b", `${LISTS}/base.txt`, ...NO_GEO], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const golden = Deno.readTextFileSync(`${REPO}/golden/faf-small/base/faf-small_flows.txt`);
    assert.equal(r.stdout, golden);
    assert.equal(readOrNull(`${dir}/faf-small_flows.txt`), null);
    // A deliberate departure from T2, whose -w - implies -l (the log beside the capture).
    assert.equal(readOrNull(`${dir}/faf-small_log.txt`), null);
    assertGolden("base", "faf-small", dir, r.stderr, ["faf-small_flows.txt"]);
    assert.ok(readOrNull(`${dir}/faf-small_headers.txt`));
    // -l still asks for the log file.
    const l = await t2([
      "-r",
      "faf-small.pcap",
      "-w",
      "-",
      "-l",
      "-b",
      `${LISTS}/base.txt`,
      ...NO_GEO,
    ], {
      cwd: dir,
    });
    assert.equal(l.stdout, golden);
    assert.equal(l.stderr, "");
    assert.ok(readOrNull(`${dir}/faf-small_log.txt`)?.includes("Number of processed packets"));
  });
});

Deno.test("cli: -W splits the flow file (PREFIX_flows.txtN from START)", async () => {
  await inTemp(async (dir) => {
    const r = await t2(["-r", FAF, "-W", `${dir}/:20f,2`, "-b", `${LISTS}/base.txt`, ...NO_GEO]);
    assert.equal(r.code, 0, r.stderr);
    const golden = Deno.readTextFileSync(`${REPO}/golden/faf-small/base/faf-small_flows.txt`);
    const parts = [2, 3, 4, 5].map((i) => readOrNull(`${dir}/faf-small_flows.txt${i}`));
    assert.ok(parts.every((p) => p !== null));
    assert.equal(readOrNull(`${dir}/faf-small_flows.txt6`), null);
    assert.equal(parts.join(""), golden);
    assert.equal(parts[0]!.split("\n").length - 1, 21); // header + 20 flows
    // Headers and report are those of a run without -W.
    assertGolden("base", "faf-small", dir, r.stdout, ["faf-small_flows.txt"]);
  });
});

Deno.test("cli: -x sets the sensor id, -f the hash factor", async () => {
  await inTemp(async (dir) => {
    const r = await t2(["-r", FAF, "-w", `${dir}/`, "-x", "42", "-f", "2", ...FLOW, ...NO_GEO]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PID: \d+, Prio: 0, SID: 42\n/);
    assert.match(readOrNull(`${dir}/faf-small_headers.txt`)!, /^# SensorID: 42$/m);
    assert.match(r.stdout, /^Max number of flows in memory: \d+ \[0\.0\d%\]$/m);
  });
});

Deno.test("cli: --list-settings lists every setting with its value after --config and --set", async () => {
  await inTemp(async (dir) => {
    Deno.writeTextFileSync(`${dir}/t2.conf`, "# timeouts\nFLOW_TIMEOUT = 60  # shorter\n\n");
    const r = await t2([
      "--list-settings",
      ...FLOW,
      "--config",
      `${dir}/t2.conf`,
      "--set",
      "tcpWin.TCPWIN_THRES=5",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    const line = (name: string) => lines.find((l) => l.startsWith(name + "="));
    assert.match(line("core.FLOW_TIMEOUT")!, /^core\.FLOW_TIMEOUT=60\t\(float 0\.\.\) /);
    assert.match(line("core.SUBNET_ON")!, /^core\.SUBNET_ON=1\t\(int 0\.\.1\) Label addresses/);
    assert.match(line("tcpWin.TCPWIN_THRES")!, /^tcpWin\.TCPWIN_THRES=5\t/);
    assert.match(line("txtSink.TFS_SPLIT_SIZE")!, /^txtSink\.TFS_SPLIT_SIZE=-1\t/);
    for (const l of lines) assert.match(l, /^\w+\.\w+=[^\t]*\t\(\w+[^)]*\) \S/);
  });
});

Deno.test("cli: --config applies NAME=VALUE lines before --set", async () => {
  await inTemp(async (dir) => {
    Deno.writeTextFileSync(`${dir}/t2.conf`, "SUBNET_ON=1\nSUBNET_ON=0 # no geo columns\n");
    const r = await t2(["-r", FAF, "-w", `${dir}/`, ...FLOW, "--config", `${dir}/t2.conf`]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!readOrNull(`${dir}/faf-small_flows.txt`)!.split("\n")[0].includes("srcIPCC"));
  });
});

/** Report lines that depend on packet times (T2 0.9.3 misprints them with -R). */
const TIME_LINES =
  /^(Dump start|Dump stop|Total dump duration|basicStats: Flow max\(b\/s\)|Number of processed .*packets\/s|<Number of processed flows\/s>|<Bandwidth>|<Snapped bandwidth>|<Raw bandwidth>)/;
const TIME_COLUMNS = new Set([
  "timeFirst",
  "timeLast",
  "duration",
  "minIAT",
  "maxIAT",
  "avgIAT",
  "stdIAT",
  "pktps",
  "bytps",
]);

function maskTimes(flows: string): string[] {
  const lines = flows.trimEnd().split("\n");
  const names = lines[0].slice(1).split("\t");
  return lines.map((l, i) =>
    i === 0 ? l : l.split("\t").map((v, c) => TIME_COLUMNS.has(names[c]) ? "T" : v).join("\t")
  );
}

Deno.test("cli: -R reads the list as one stream; times equal the single-file runs", async () => {
  await inTemp(async (dir) => {
    Deno.writeTextFileSync(`${dir}/list.txt`, `# two fixtures\n${ANNOLOC}\n${FAF}\r\n`);
    const r = await t2(["-R", "list.txt", "-w", "out/", "-b", `${LISTS}/base.txt`, ...NO_GEO], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split("\n");
    assert.deepEqual(
      lines.slice(lines.indexOf("Checking list file"), lines.indexOf("Checking list file") + 3),
      [
        "Checking list file",
        `    checking file '${ANNOLOC}'`,
        `    checking file '${FAF}'`,
      ],
    );
    assert.ok(lines.includes("Processing list file: list.txt"));
    assert.ok(lines.includes(`Processing file no. 2 of 2: ${FAF}`));
    const flows = Deno.readTextFileSync(`${dir}/out/list_flows.txt`);
    // Each flow keeps the times it has in a run on its own file (golden: the real T2's).
    const single = [ANNOLOC, FAF].map((f) => {
      const stem = f.slice(f.lastIndexOf("/") + 1, -5);
      return Deno.readTextFileSync(`${REPO}/golden/${stem}/base/${stem}_flows.txt`);
    });
    assert.deepEqual(flowsWithoutIndex(flows), flowsWithoutIndex(single.join("")));

    // Everything that does not depend on time equals T2's -R run.
    const shared = sharedDir();
    if (!shared) {
      console.log("cli -R: ../shared/reference/list-R absent: T2's -R outputs not compared");
      return;
    }
    const ref = `${shared}reference/list-R/base/`;
    assert.deepEqual(maskTimes(flows), maskTimes(Deno.readTextFileSync(ref + "list_flows.txt")));
    const hd = firstDifference(
      "headers",
      Deno.readTextFileSync(ref + "list_headers.txt"),
      Deno.readTextFileSync(`${dir}/out/list_headers.txt`),
    );
    assert.equal(hd, null, hd ? describe("list_headers.txt", hd) : "");
    const report = (t: string) => comparableLines("report", t).filter((l) => !TIME_LINES.test(l));
    assert.deepEqual(report(r.stdout), report(Deno.readTextFileSync(ref + "list_report.txt")));
  });
});

Deno.test("cli: -D reads numbered files up to STOP as one stream", async () => {
  await inTemp(async (dir) => {
    Deno.copyFileSync(ANNOLOC, `${dir}/dump.pcap08`);
    Deno.copyFileSync(FAF, `${dir}/dump.pcap09`);
    Deno.copyFileSync(FAF, `${dir}/dump.pcap10`);
    const r = await t2(
      ["-D", "dump.pcap08,9", "-w", "out/", "-b", `${LISTS}/base.txt`, ...NO_GEO],
      {
        cwd: dir,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.match(/^Processing file: .*$/gm), [
      "Processing file: dump.pcap08",
      "Processing file: dump.pcap09",
    ]);
    const size = Deno.statSync(ANNOLOC).size + Deno.statSync(FAF).size;
    assert.ok(r.stdout.includes(`Number of pcap bytes: ${size} (`));
    assert.ok(r.stdout.includes("Percentage completed: 100.00%"));
    const single = ["annoloc-small", "faf-small"].map((s) =>
      Deno.readTextFileSync(`${REPO}/golden/${s}/base/${s}_flows.txt`)
    );
    assert.deepEqual(
      flowsWithoutIndex(Deno.readTextFileSync(`${dir}/out/dump_flows.txt`)),
      flowsWithoutIndex(single.join("")),
    );
  });
});

Deno.test("cli: a plugin writing values that do not fit its columns is an [ERR] line, exit 1", async () => {
  await inTemp(async (dir) => {
    Deno.mkdirSync(`${dir}/plugins`);
    Deno.writeTextFileSync(
      `${dir}/plugins/bad.ts`,
      `import type { PluginDefinition } from "${REPO}/mod.ts";
export const bad: PluginDefinition = {
  name: "badCols", number: 777, version: "0.0.1",
  create: () => ({
    columns(c) { c.add("badCol", "declared U32", "U32"); },
    onFlowTerminate(_flow, out) { out.h8(1); },
  }),
};
`,
    );
    Deno.writeTextFileSync(`${dir}/plugins/plugins.txt`, "777_badCols.so\n901_txtSink.so\n");
    const r = await t2(["-r", FAF, "-w", `${dir}/out/`, "-p", `${dir}/plugins`, ...NO_GEO]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^\[ERR\] Column badCol \(plugin badCols\): expected type U32, got H8$/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
});
