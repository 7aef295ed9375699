import assert from "node:assert/strict";
import { inDirectory, outputPrefix, type PrefixFs, stem } from "./output_prefix.ts";

function fakeFs(dirs: string[]): PrefixFs & { made: string[] } {
  const made: string[] = [];
  return {
    made,
    isDirectory: (p) => dirs.includes(p.replace(/\/$/, "")) || made.includes(p.replace(/\/$/, "")),
    mkdirp: (p) => void made.push(p),
  };
}

Deno.test("outputPrefix() without -w cuts the input at its last dot (stdin for -)", () => {
  const fs = fakeFs([]);
  assert.equal(outputPrefix("~/data/annoloc2.pcap", undefined, fs), "~/data/annoloc2");
  assert.equal(outputPrefix("dir.v2/trace", undefined, fs), "dir");
  assert.equal(outputPrefix("-", undefined, fs), "stdin");
  assert.equal(outputPrefix("x.pcap", "-", fs), "x");
  assert.deepEqual(fs.made, []);
});

Deno.test("outputPrefix() with a directory appends the input's stem, creating parents", () => {
  const fs = fakeFs(["res"]);
  assert.equal(outputPrefix("/d/annoloc2.pcap", "res", fs), "res/annoloc2");
  assert.equal(outputPrefix("-", "new/", fs), "new/stdin");
  assert.deepEqual(fs.made, ["new"]);
  assert.equal(outputPrefix("a.pcap", "out/run1", fs), "out/run1");
  assert.deepEqual(fs.made, ["new", "out"]);
  assert.equal(outputPrefix("a.pcap", "/abs", fs), "/abs"); // a slash at 0 creates nothing
});

Deno.test("stem() and inDirectory() are the pieces of the prefix", () => {
  assert.equal(stem("a.b.pcap"), "a.b");
  assert.equal(stem("noext"), "noext");
  assert.equal(stem("x.pcap.gz"), "x");
  assert.equal(stem("x.pcapng.zst"), "x");
  assert.equal(stem("x.gz"), "x");
  assert.equal(stem(".gz"), "");
  assert.equal(inDirectory("/x/y/cap.pcapng", "out"), "out/cap");
  assert.equal(inDirectory("cap.pcap", "out/"), "out/cap");
});
