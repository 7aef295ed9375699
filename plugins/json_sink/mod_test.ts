import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { run } from "../../src/core/run.ts";
import { BUILTIN_PLUGINS } from "../mod.ts";
import { selectPlugins } from "../../src/plugin/registry.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import { allTypes } from "../../tests/_all_types_plugin.ts";
import { FAF, inTemp as inTempCli, LISTS, t2 } from "../../tests/_cli.ts";

const BASE = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "jsonSink"]);
const WITH_TYPES = [...selectPlugins(BUILTIN_PLUGINS, ["basicFlow"]), allTypes, ...BASE.slice(2)];

interface Out {
  readonly exitCode: number;
  readonly stderr: string[];
  /** Output files by name. */
  readonly files: Map<string, Uint8Array>;
}

/** Run faf-small with the plugins and settings; every output file's bytes. */
function runJson(plugins = BASE, settings: SettingAssignment[] = []): Out {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_jsonsink_" });
  try {
    const stderr: string[] = [];
    const r = run({
      inputs: [FAF],
      inputName: FAF,
      outputPrefix: dir + "/",
      plugins,
      settings: [{ name: "SUBNET_ON", value: "0" }, ...settings],
      packetMode: false,
      commandLine: "t2",
      reportSink: new MemorySink(),
      stderr: (l) => stderr.push(l),
    });
    const files = new Map<string, Uint8Array>();
    for (const e of Deno.readDirSync(dir)) files.set(e.name, Deno.readFileSync(`${dir}/${e.name}`));
    return { exitCode: r.exitCode, stderr, files };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const set = (name: string, value: string | number): SettingAssignment => ({
  part: "jsonSink",
  name,
  value: String(value),
});

const WHOLE = runJson();
const LINES = text(WHOLE.files.get("faf-small_flows.json")).split("\n").slice(0, -1);

Deno.test("jsonSink writes one JSON object per flow and line, nothing else", () => {
  assert.equal(WHOLE.exitCode, 0);
  assert.deepEqual([...WHOLE.files.keys()], ["faf-small_flows.json"]);
  assert.ok(LINES.length > 10);
  for (const l of LINES) {
    const o = JSON.parse(l);
    assert.equal(Object.keys(o)[0], "dir");
    assert.ok(o.dir === "A" || o.dir === "B");
  }
});

Deno.test("jsonSink: the text of every value type (jsonSink.md §3, §4)", () => {
  const out = runJson(WITH_TYPES);
  assert.equal(out.exitCode, 0, out.stderr.join("\n"));
  const line = text(out.files.get("faf-small_flows.json")).split("\n")[0];
  const from = line.indexOf(',"tI8"');
  const to = line.length - 1;
  assert.ok(from > 0 && to > from, line);
  assert.equal(
    line.slice(from, to),
    ',"tI8":-3,"tI16":-300,"tI32":-70000,"tI64":-5000000000000,"tU8":255,"tU16":65535,' +
      '"tU32":4294967295,"tU64":9007199254740991,"tH8":"0x21","tH16":"0x86dd",' +
      '"tH32":"0xdeadbeef","tH64":"0x8000000000008001","tF":0.01052966620773077,' +
      '"tFneg":-1.0,"tD":6.8999999999999997e-5,"tC":"x",' +
      '"tS":"a\\"b\\\\c\\nd\'e\\u001B\\tf é/","tSC":"unknown",' +
      '"tTime":"921159929.611369123","tDur":"1.991979500","tMac":"00:c0:4f:1e:ce:15",' +
      '"tIP4":"138.212.184.63","tIP6":"2001:db8::1","tIPX4":"138.212.184.63",' +
      '"tIPX6":"2001:db8::1","tIPX0":"-","tCmp":["0x00000000","0x00000008","0x0001"],' +
      '"tRep":[3,118],"tRepCmp":[["00:c0:4f:1e:ce:15","00:00:86:05:80:da",3]],' +
      '"tRepS":["x\\"y","p\\\\q"]',
  );
  // The escaped string reads back as the plugin's value.
  assert.equal(JSON.parse(line).tS, "a\"b\\c\nd'e\x1b\tf é/");
});

Deno.test("jsonSink: JSON_SUPPRESS_EMPTY_ARRAY=0 writes empty repeating columns as []", () => {
  const out = runJson(WITH_TYPES, [set("JSON_SUPPRESS_EMPTY_ARRAY", 0)]);
  const line = text(out.files.get("faf-small_flows.json")).split("\n")[0];
  assert.ok(line.includes(',"tRep":[3,118],"tRepEmpty":[],"tRepCmp":'), line);
  assert.ok(line.includes('"vlanID":[]'), line);
  assert.ok(!LINES[0].includes('"vlanID"'));
});

Deno.test("jsonSink: JSON_NO_SPACES=0 puts a space after every , and : between values", () => {
  const out = runJson(BASE, [set("JSON_NO_SPACES", 0)]);
  const lines = text(out.files.get("faf-small_flows.json")).split("\n").slice(0, -1);
  assert.equal(lines.length, LINES.length);
  assert.ok(lines[0].startsWith('{"dir": "A", "flowInd": '), lines[0]);
  lines.forEach((l, i) => assert.deepEqual(JSON.parse(l), JSON.parse(LINES[i])));
});

Deno.test("jsonSink: JSON_ROOT_NODE=1 makes the file one JSON array", () => {
  const out = runJson(BASE, [set("JSON_ROOT_NODE", 1)]);
  const t = text(out.files.get("faf-small_flows.json"));
  assert.ok(t.startsWith("[\n{") && t.endsWith("}\n]\n"));
  assert.equal(t, "[\n" + LINES.map((l, i) => (i ? "," : "") + l + "\n").join("") + "]\n");
  assert.equal(JSON.parse(t).length, LINES.length);
});

Deno.test("jsonSink: JSON_GZ_COMPRESS=1 writes PREFIX_flows.json.gz with the same lines", () => {
  const out = runJson(BASE, [set("JSON_GZ_COMPRESS", 1)]);
  assert.deepEqual([...out.files.keys()], ["faf-small_flows.json.gz"]);
  const gz = out.files.get("faf-small_flows.json.gz")!;
  assert.deepEqual([gz[0], gz[1]], [0x1f, 0x8b]);
  assert.equal(text(gunzipSync(gz)), text(WHOLE.files.get("faf-small_flows.json")));
});

Deno.test("jsonSink: JSON_SUFFIX names the file", () => {
  const out = runJson(BASE, [set("JSON_SUFFIX", ".ndjson")]);
  assert.deepEqual([...out.files.keys()], ["faf-small.ndjson"]);
});

Deno.test("jsonSink: -W splits into numbered parts as txtSink does, unless JSON_SPLIT=0", () => {
  const split = (size: number, flows: boolean, start: number) => [
    set("JSON_SPLIT_SIZE", size),
    set("JSON_SPLIT_FLOWS", flows ? 1 : 0),
    set("JSON_SPLIT_START", start),
  ];
  const whole = text(WHOLE.files.get("faf-small_flows.json"));
  const parts = (o: Out) =>
    [...o.files.keys()].sort((a, b) => Number(a.slice(20)) - Number(b.slice(20)));
  const bySize = runJson(BASE, split(5000, false, 0));
  const names = parts(bySize);
  assert.ok(names.length > 2);
  assert.deepEqual(names, names.map((_, i) => `faf-small_flows.json${i}`));
  assert.equal(names.map((n) => text(bySize.files.get(n))).join(""), whole);
  for (const n of names.slice(0, -1)) {
    const b = bySize.files.get(n)!;
    const last = new TextEncoder().encode(text(b).trimEnd().split("\n").at(-1)! + "\n").length;
    assert.ok(b.length >= 5000 && b.length - last < 5000);
  }
  const byFlows = runJson(BASE, split(10, true, 3));
  const names2 = parts(byFlows);
  assert.equal(names2[0], "faf-small_flows.json3");
  assert.equal(names2.length, Math.floor(LINES.length / 10) + 1);
  assert.equal(names2.map((n) => text(byFlows.files.get(n))).join(""), whole);
  const off = runJson(BASE, [...split(10, true, 0), set("JSON_SPLIT", 0)]);
  assert.deepEqual([...off.files.keys()], ["faf-small_flows.json"]);
});

Deno.test("jsonSink: JSON_SELECT=1 writes only the columns of JSON_SELECT_FILE", () => {
  const file = Deno.makeTempFileSync();
  try {
    Deno.writeTextFileSync(file, "# comment\nsrcIP\ndstPort\r\nbogus\nflowInd\n#dir\n");
    const out = runJson(BASE, [set("JSON_SELECT", 1), set("JSON_SELECT_FILE", file)]);
    const lines = text(out.files.get("faf-small_flows.json")).split("\n").slice(0, -1);
    assert.equal(lines.length, LINES.length);
    lines.forEach((l, i) => {
      const all = JSON.parse(LINES[i]);
      // Column order, not file order.
      assert.equal(
        l,
        JSON.stringify({ flowInd: all.flowInd, srcIP: all.srcIP, dstPort: all.dstPort }),
      );
    });
    const missing = runJson(BASE, [set("JSON_SELECT", 1), set("JSON_SELECT_FILE", file + ".no")]);
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr.join("\n"), /jsonSink: Failed to open file '.*\.no'/);
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("jsonSink: with -w - the JSON lines are the records on standard output", async () => {
  await inTempCli(async (dir) => {
    // A copy of the capture: nothing is written beside it (the report goes to stderr).
    Deno.copyFileSync(FAF, `${dir}/faf-small.pcap`);
    const list = `${dir}/json.txt`;
    Deno.writeTextFileSync(list, Deno.readTextFileSync(`${LISTS}/json.txt`));
    const r = await t2(["-r", "faf-small.pcap", "-w", "-", "-b", list, "--set", "SUBNET_ON=0"], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").slice(0, -1), LINES);
    // No JSON file was written.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "faf-small.pcap",
      "json.txt",
    ]);
  });
});

Deno.test("jsonSink: t2 -W splits the JSON file as it does the flows file", async () => {
  await inTempCli(async (dir) => {
    const list = `${dir}/list.txt`;
    Deno.writeTextFileSync(list, "basicFlow\nbasicStats\ntxtSink\njsonSink\n");
    const r = await t2(["-r", FAF, "-W", `${dir}/:20f,2`, "-b", list, "--set", "SUBNET_ON=0"]);
    assert.equal(r.code, 0, r.stderr);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    const json = names.filter((n) => n.startsWith("faf-small_flows.json")).sort();
    const txt = names.filter((n) => n.startsWith("faf-small_flows.txt")).sort();
    assert.deepEqual(json.map((n) => n.slice(20)), txt.map((n) => n.slice(19)));
    assert.equal(json[0], "faf-small_flows.json2");
    const lines = json.sort((a, b) => Number(a.slice(20)) - Number(b.slice(20)))
      .flatMap((n) => Deno.readTextFileSync(`${dir}/${n}`).split("\n").slice(0, -1));
    assert.deepEqual(lines, LINES);
  });
});
