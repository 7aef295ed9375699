import assert from "node:assert/strict";
import { run } from "../../src/core/run.ts";
import { BUILTIN_PLUGINS } from "../mod.ts";
import { selectPlugins } from "../../src/plugin/registry.ts";
import type { SettingAssignment } from "../../src/plugin/settings.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import type { Column } from "../../mod.ts";

const FAF = new URL("../../fixtures/faf-small.pcap", import.meta.url).pathname;
const PLUGINS = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "txtSink"]);

/** Run faf-small into `dir` with extra settings; the names of the flow files in order. */
function runWith(dir: string, settings: SettingAssignment[]): string[] {
  const r = run({
    inputs: [FAF],
    inputName: FAF,
    outputPrefix: dir + "/",
    plugins: PLUGINS,
    settings: [{ name: "SUBNET_ON", value: "0" }, ...settings],
    packetMode: false,
    commandLine: "t2",
    reportSink: new MemorySink(),
  });
  assert.equal(r.exitCode, 0);
  const index = (n: string) => Number(n.slice("faf-small_flows.txt".length) || -1);
  return [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => n.startsWith("faf-small_flows.txt")).sort((a, b) => index(a) - index(b));
}

function split(size: number, flows: boolean, start = 0): SettingAssignment[] {
  return [
    { part: "txtSink", name: "TFS_SPLIT_SIZE", value: String(size) },
    { part: "txtSink", name: "TFS_SPLIT_FLOWS", value: flows ? "1" : "0" },
    { part: "txtSink", name: "TFS_SPLIT_START", value: String(start) },
  ];
}

function inTemp(fn: (dir: string, whole: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_txtsink_" });
  try {
    runWith(dir, []);
    const whole = Deno.readTextFileSync(`${dir}/faf-small_flows.txt`);
    Deno.removeSync(`${dir}/faf-small_flows.txt`);
    fn(dir, whole);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("txtSink splits the flow file by size: header only in the first, T2's names", () => {
  inTemp((dir, whole) => {
    const names = runWith(dir, split(5000, false));
    assert.ok(names.length > 2);
    assert.deepEqual(names, names.map((_, i) => `faf-small_flows.txt${i}`));
    const texts = names.map((n) => Deno.readTextFileSync(`${dir}/${n}`));
    assert.equal(texts.join(""), whole);
    assert.ok(texts[0].startsWith("%dir\t"));
    for (const t of texts.slice(1)) assert.ok(!t.includes("%dir"));
    // Every file but the last ends with the first flow line that reached the size.
    const enc = new TextEncoder();
    for (const t of texts.slice(0, -1)) {
      const bytes = enc.encode(t).length;
      const lastLine = enc.encode(t.trimEnd().split("\n").at(-1)! + "\n").length;
      assert.ok(bytes >= 5000 && bytes - lastLine < 5000, `${bytes} ${lastLine}`);
    }
  });
});

Deno.test("txtSink splits by flow count from START (f), opening the next file at once", () => {
  inTemp((dir, whole) => {
    const flows = whole.trimEnd().split("\n").length - 1;
    const per = 10;
    const names = runWith(dir, split(per, true, 7));
    // T2 opens the next file as soon as one is full, so a full last file leaves an empty one.
    assert.equal(names.length, Math.floor(flows / per) + 1);
    assert.equal(names[0], "faf-small_flows.txt7");
    const texts = names.map((n) => Deno.readTextFileSync(`${dir}/${n}`));
    assert.equal(texts.join(""), whole);
    const counts = texts.map((t) => t.split("\n").filter((l) => l && !l.startsWith("%")).length);
    assert.deepEqual(counts.slice(0, -1), counts.slice(0, -1).map(() => per));
    assert.equal(counts.at(-1), flows % per);
  });
});

Deno.test("txtSink writes one flow file unless TFS_SPLIT_SIZE is set", () => {
  inTemp((dir) => {
    assert.deepEqual(runWith(dir, []), ["faf-small_flows.txt"]);
  });
});

Deno.test("txtSink's flowLine writes the line bufferToSink writes and finds the flow index", async () => {
  const { txtSink } = await import("./mod.ts");
  const { ByteWriter: Writer } = await import("../../src/output/byte_writer.ts");
  const { ColumnBuilder, OutputBuffer } = await import("../../mod.ts");
  const columns: Column[] = [];
  new ColumnBuilder("core", columns).add("dir", "Direction", "DIR").add("flowInd", "Index", "U64")
    .add("addr", "Address", "IP4").add("name", "Name", "S");
  const out = new OutputBuffer();
  out.dir(1);
  out.u64(40213);
  out.ip4(0x0a000001);
  out.str("x");
  const w = new Writer(null, 4);
  w.text("earlier\n");
  const at = txtSink.flowLine!(out, columns, w);
  const line = new TextDecoder().decode(w.takeBytes());
  assert.equal(line, 'earlier\nB\t40213\t10.0.0.1\t"x"\n');
  assert.equal(line.slice(at, at + 5), "40213");
  // No U64 at the flow index's slot: nothing to splice.
  const other: Column[] = [];
  new ColumnBuilder("core", other).add("dir", "Direction", "DIR").add("count", "Count", "U32");
  const o2 = new OutputBuffer();
  o2.dir(0);
  o2.u32(7);
  assert.equal(txtSink.flowLine!(o2, other, new Writer(null)), -1);
});
