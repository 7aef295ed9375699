import assert from "node:assert/strict";
import { UsageError } from "./args.ts";
import {
  expandWildcards,
  numberedInputs,
  numberedName,
  numberedNames,
  parseNumbered,
} from "./numbered.ts";

Deno.test("parseNumbered() finds a zero-padded index after the last 'p'", () => {
  const s = parseNumbered("dump.pcap00");
  assert.deepEqual(s, {
    expr: "dump.pcap00",
    head: "dump.pcap",
    tail: "",
    first: 0,
    width: 2,
    stop: 99,
  });
  assert.equal(numberedName(s, 7), "dump.pcap07");
  assert.equal(numberedName(s, 0), "dump.pcap00");
});

Deno.test("parseNumbered() reads tcpdump -C names (no index in the first one)", () => {
  const s = parseNumbered("trace.pcap,3");
  assert.equal(s.first, 0);
  assert.equal(s.width, 0);
  assert.equal(s.stop, 3);
  assert.deepEqual([...numberedNames(s)], [
    "trace.pcap",
    "trace.pcap1",
    "trace.pcap2",
    "trace.pcap3",
  ]);
});

Deno.test("parseNumbered() ends the index at '_', else at '.'", () => {
  const a = parseNumbered("cap_p12_x.pcap:_p,14");
  assert.equal(a.first, 12);
  assert.deepEqual([...numberedNames(a)], ["cap_p12_x.pcap", "cap_p13_x.pcap", "cap_p14_x.pcap"]);
  // Without SCHR the last 'p' counts: here the one ending "pcap" (no index after it).
  assert.equal(parseNumbered("cap_p12_x.pcap").head, "cap_p12_x.pcap");
  const b = parseNumbered("/data/run-p3.trc,4");
  assert.deepEqual([...numberedNames(b)], ["/data/run-p3.trc", "/data/run-p4.trc"]);
});

Deno.test("parseNumbered() takes SCHR after ':' (first occurrence when longer than one)", () => {
  const a = parseNumbered("log-x7.pcap:x,8");
  assert.deepEqual([...numberedNames(a)], ["log-x7.pcap", "log-x8.pcap"]);
  const b = parseNumbered("ab-ab5-ab.cap:ab,6");
  assert.equal(b.head, "ab");
  const c = parseNumbered("f_001.pcap:_");
  assert.equal(c.width, 3);
  assert.equal(c.stop, 999);
  assert.equal(numberedName(c, 12), "f_012.pcap");
});

Deno.test("parseNumbered() reads indexes as decimal (T2 0.9.3 reads 010 as octal)", () => {
  const s = parseNumbered("dump.pcap010,11");
  assert.equal(s.first, 10);
  assert.deepEqual([...numberedNames(s)], ["dump.pcap010", "dump.pcap011"]);
});

Deno.test("parseNumbered() processes the first capture even past STOP", () => {
  assert.deepEqual([...numberedNames(parseNumbered("a.pcap5,2"))], ["a.pcap5"]);
});

Deno.test("parseNumbered() refuses what T2 refuses", () => {
  const msg = "Option '-D': Invalid format, expected 'expr[:schr][,stop]'";
  const bad = (arg: string) =>
    assert.throws(
      () => parseNumbered(arg),
      (e: unknown) => e instanceof UsageError && e.message === msg,
    );
  bad("dumb.cab0"); // no 'p'
  bad("dump.pcap0,-1");
  bad("dump.pcap0,x");
  bad("dump.pcap0:q");
  bad("dump.pcap0:,5");
});

Deno.test("expandWildcards() picks the first matching file of the directory", () => {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_glob_" });
  try {
    for (const n of ["b-2.pcap00", "a-1.pcap00", "a-1.pcap01", ".hidden.pcap00"]) {
      Deno.writeFileSync(`${dir}/${n}`, new Uint8Array(1));
    }
    Deno.mkdirSync(`${dir}/0dir.pcap00`);
    assert.equal(expandWildcards(`${dir}/*.pcap00`), `${dir}/a-1.pcap00`);
    assert.equal(expandWildcards(`${dir}/b-?.pcap00`), `${dir}/b-2.pcap00`);
    assert.equal(expandWildcards(`${dir}/[b]*.pcap00`), `${dir}/b-2.pcap00`);
    assert.equal(expandWildcards(`${dir}/*.pcap02`), `${dir}/*.pcap02`);
    assert.equal(expandWildcards(`${dir}/a-1.pcap01`), `${dir}/a-1.pcap01`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("numberedInputs() polls every 5 s by default", () => {
  const n = numberedInputs(parseNumbered("x.pcap0"));
  assert.equal(n.pollSeconds, 5);
  assert.equal(n.names().next().value, "x.pcap0");
});
