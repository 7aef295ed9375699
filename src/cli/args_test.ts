import assert from "node:assert/strict";
import { checkInputs, cInteger, parseArgs, parseOutputSplit, UsageError } from "./args.ts";

function usage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof UsageError && e.message === message);
}

Deno.test("parseArgs() reads T2's short options, clustered, attached or separate", () => {
  const o = parseArgs(["-sl", "-rfile.pcap", "-w", "out/", "-b", "list.txt", "-x", "7", "-f2"]);
  assert.deepEqual(o.read, ["file.pcap"]);
  assert.equal(o.write, "out/");
  assert.equal(o.pluginList, "list.txt");
  assert.equal(o.packetMode, true);
  assert.equal(o.logFile, true);
  assert.equal(o.sensorId, 7);
  assert.equal(o.hashFactor, 2);
});

Deno.test("parseArgs() reads long options with = or a separate value", () => {
  const o = parseArgs([
    "--pcap=a.pcap",
    "--output-prefix",
    "o",
    "--packets",
    "--set",
    "FLOW_TIMEOUT=5",
    "--config=c.txt",
    "--jobs",
    "3",
    "--threads=4",
    "--list-settings",
  ]);
  assert.deepEqual(o.read, ["a.pcap"]);
  assert.equal(o.write, "o");
  assert.equal(o.packetMode, true);
  assert.deepEqual(o.settings, ["FLOW_TIMEOUT=5"]);
  assert.deepEqual(o.configFiles, ["c.txt"]);
  assert.equal(o.jobs, 3);
  assert.equal(o.threads, 4);
  assert.equal(o.listSettings, true);
});

Deno.test("parseArgs() gives the remaining words to the BPF filter", () => {
  assert.deepEqual(parseArgs(["-r", "x", "tcp", "port", "80"]).bpf, ["tcp", "port", "80"]);
  assert.deepEqual(parseArgs(["-r", "x", "--", "-not-an-option"]).bpf, ["-not-an-option"]);
});

Deno.test("parseArgs() stops at -h and -V as T2 does", () => {
  assert.equal(parseArgs(["-h", "--bogus"]).help, true);
  assert.equal(parseArgs(["--version", "-Q"]).version, true);
  usage(() => parseArgs(["--bogus", "-h"]), "Unknown option '--bogus'");
});

Deno.test("parseArgs() reports T2's usage errors", async (t) => {
  await t.step("unknown short option", () => usage(() => parseArgs(["-Q"]), "Unknown option '-Q'"));
  await t.step("missing argument", () => {
    usage(() => parseArgs(["-r"]), "Option '-r' requires an argument");
    usage(() => parseArgs(["--pcap"]), "Option '-r' requires an argument");
    usage(() => parseArgs(["--set"]), "Option '--set' requires an argument");
  });
  await t.step("no-argument long option given one", () => {
    usage(() => parseArgs(["--packets=1"]), "Option '--packets' takes no argument");
  });
  await t.step("hash factor 0", () => {
    usage(() => parseArgs(["-f", "0"]), "Option '-f': Hash factor must be greater than 0");
    usage(() => parseArgs(["-f", "0x0"]), "Option '-f': Hash factor must be greater than 0");
  });
  await t.step("bad numbers", () => {
    usage(() => parseArgs(["-f", "two"]), "Option '-f': invalid number 'two'");
    usage(() => parseArgs(["-x", "-1"]), "Option '-x': invalid number '-1'");
    usage(() => parseArgs(["--jobs", "0"]), "Option '--jobs': invalid number '0'");
    usage(() => parseArgs(["--threads", "0"]), "Option '--threads': invalid number '0'");
  });
  await t.step("priority, monitoring interval, buffer size, snap length", () => {
    usage(() => parseArgs(["-P", "-1"]), "Only root can assign priority < 0");
    usage(() => parseArgs(["-P", "21"]), "Priority MUST be between 0 and 20 (highest to lowest)");
    usage(
      () => parseArgs(["-M", "-0.5"]),
      "Option '-M': Monitoring interval must be greater than 0.0",
    );
    usage(() => parseArgs(["-B", "-1"]), "Option '-B': Buffer size must be greater than 0");
    usage(() => parseArgs(["-S", "-1"]), "Option '-S': Snapshot length must be greater than 0");
  });
});

Deno.test("parseArgs() accepts the options T2 has for live capture and tuning", () => {
  const o = parseArgs(["-r", "x", "-c", "1", "-P", "5", "-M", "2.5", "-S", "100", "-B", "9", "-m"]);
  assert.deepEqual(o.ignored, ["-c", "-P", "-M", "-S", "-B"]);
  assert.equal(o.monFile, true);
});

Deno.test("checkInputs() wants exactly one input kind", () => {
  usage(
    () => checkInputs(parseArgs(["-w", "x"])),
    "One of '-r', '-R', '-D' or '-i' option is required",
  );
  const both = "'-r', '-R', '-D' and '-i' options can only be used exclusively";
  usage(() => checkInputs(parseArgs(["-r", "a", "-R", "l"])), both);
  usage(() => checkInputs(parseArgs(["-D", "a0", "-i", "eth0"])), both);
  usage(() => checkInputs(parseArgs(["-r", "a", "-r", "b"])), both);
  checkInputs(parseArgs(["-r", "a", "-r", "b", "--jobs", "2"]));
});

Deno.test("parseOutputSplit() reads -W PREFIX[:SIZE][,START] as T2", () => {
  assert.deepEqual(parseOutputSplit("out"), { prefix: "out", size: 5e8, flows: false, start: 0 });
  assert.deepEqual(parseOutputSplit("out/:10K"), {
    prefix: "out/",
    size: 10000,
    flows: false,
    start: 0,
  });
  assert.deepEqual(parseOutputSplit("o:1e5,3"), { prefix: "o", size: 1e5, flows: false, start: 3 });
  assert.deepEqual(parseOutputSplit("o:2.5Mf"), {
    prefix: "o",
    size: 2.5e6,
    flows: true,
    start: 0,
  });
  assert.deepEqual(parseOutputSplit("o:10Kf,0x10"), {
    prefix: "o",
    size: 1e4,
    flows: true,
    start: 16,
  });
  assert.deepEqual(parseOutputSplit("o:3G"), { prefix: "o", size: 3e9, flows: false, start: 0 });
  assert.deepEqual(parseOutputSplit("o,2"), { prefix: "o", size: 5e8, flows: false, start: 2 });
  assert.deepEqual(parseOutputSplit("a:b:7"), { prefix: "a:b", size: 7, flows: false, start: 0 });
});

Deno.test("parseOutputSplit() refuses sizes and indexes that are not numbers", () => {
  assert.throws(() => parseOutputSplit("o:ten"), UsageError);
  assert.throws(() => parseOutputSplit("o:-5"), UsageError);
  assert.throws(() => parseOutputSplit("o:5X"), UsageError);
  assert.throws(() => parseOutputSplit("o:5,x"), UsageError);
});

Deno.test("cInteger() reads C's decimal, hex and octal forms", () => {
  assert.equal(cInteger("42"), 42);
  assert.equal(cInteger("0x1F"), 31);
  assert.equal(cInteger("010"), 8);
  assert.equal(cInteger("0"), 0);
  assert.equal(cInteger(" -3 "), -3);
  assert.equal(cInteger("08"), null);
  assert.equal(cInteger("1.5"), null);
  assert.equal(cInteger(""), null);
});
