import assert from "node:assert/strict";
import { parseTawkArgs, programParts, TawkUsageError } from "./options.ts";

const files = new Set(["f.txt", "names.txt"]);
const isFile = (p: string) => files.has(p);
const parse = (...a: string[]) => parseTawkArgs(a, isFile);

Deno.test("tawk options: the last argument is the input file when it is a regular file", () => {
  const o = parse("-v", "f=1;2", "flow(f)", "f.txt");
  assert.equal(o.input, "f.txt");
  assert.deepEqual(o.gawkArgs, ["-v", "f=1;2", "flow(f)"]);
  const none = parse("tcp()", "missing.txt");
  assert.equal(none.input, null);
  assert.deepEqual(none.gawkArgs, ["tcp()", "missing.txt"]);
  // an earlier file goes to gawk, only the last one gives the names
  assert.deepEqual(parse("tcp()", "names.txt", "f.txt").gawkArgs, ["tcp()", "names.txt"]);
});

Deno.test("tawk options: T2's spellings of -N, -s, -F, -O, -H, -l, -g, -d, -c", () => {
  assert.equal(parse("-N", "3", "x", "f.txt").headerRow, 3);
  assert.equal(parse("-N3", "x", "f.txt").headerRow, 3);
  assert.equal(parse("-N=3", "x", "f.txt").headerRow, 3);
  assert.equal(parse("--header-row=3", "x", "f.txt").headerRow, 3);
  assert.equal(parse("-s", "#", "x", "f.txt").prefix, "#");
  assert.equal(parse("-s#", "x", "f.txt").prefix, "#");
  assert.equal(parse("-s", "", "x", "f.txt").prefix, "");
  assert.equal(parse("--special-header", "#", "x", "f.txt").prefix, "#");
  assert.equal(parse("-F", ",", "x", "f.txt").fs, ",");
  assert.equal(parse("-F,", "x", "f.txt").fs, ",");
  assert.equal(parse("-O", ";", "x", "f.txt").ofs, ";");
  assert.equal(parse("-O=;", "x", "f.txt").ofs, ";");
  assert.equal(parse("--ofs=;", "x", "f.txt").ofs, ";");
  assert.equal(parse("--output-field-separator", ";", "x", "f.txt").ofs, ";");
  assert.equal(parse("-H", "x", "f.txt").noHeader, true);
  assert.equal(parse("-l", "f.txt").list, 1);
  assert.equal(parse("-l=3", "f.txt").list, 3);
  assert.equal(parse("--list=2", "f.txt").list, 2);
  assert.equal(parse("-g").funcs, 1);
  assert.equal(parse("-g=4").funcs, 4);
  assert.deepEqual(parse("-d", "tcp,flow").doc, ["tcp", "flow"]);
  assert.equal(parse("-c", "x", "f.txt").comment, "");
  assert.equal(parse("-c=u", "x", "f.txt").comment, "u");
  const csv = parse("--csv", "x", "f.txt");
  assert.deepEqual([csv.fs, csv.ofs, csv.prefix], [",", ",", ""]);
  assert.equal(parse("-h").help, true);
  assert.equal(parse("-I", "names.txt", "tcp()").input, "names.txt");
});

Deno.test("tawk options: T2's errors", () => {
  assert.throws(() => parse("-N", "x", "p"), /Option '-N' requires a numeric argument/);
  assert.throws(() => parse("-s"), /Option '-s' requires an argument/);
  assert.throws(() => parse("-N", "-H", "p"), /Option '-N' requires an argument/);
  assert.throws(() => parse("-I", "missing.txt", "p"), TawkUsageError);
  assert.throws(() => parse("-V", "flowStat=1"), /not provided/);
  assert.throws(() => parse("-k", "tcp()", "f.txt"), /not provided/);
});

Deno.test("tawk options: gawk's options keep their values; the program is the first operand", () => {
  const o = parse("-v", "a=1", "-vb=2", "-M", "--", "prog", "x=3", "f.txt");
  assert.deepEqual(o.gawkArgs, ["-v", "a=1", "-vb=2", "-M", "--", "prog", "x=3"]);
  const p = programParts(o.gawkArgs);
  assert.equal(o.gawkArgs[p.programIndex], "prog");
  assert.deepEqual(p.assigned, ["a", "b", "x"]);
  const withFile = programParts(parse("-f", "prog.awk", "-i", "lib.awk", "f.txt").gawkArgs);
  assert.equal(withFile.programIndex, -1);
  assert.deepEqual(withFile.files, ["prog.awk"]);
  assert.deepEqual(withFile.includes, ["lib.awk"]);
  const included = programParts(parse("-i", "lib.awk", "tcp()", "f.txt").gawkArgs);
  assert.equal(included.programIndex, 2);
});

Deno.test("tawk options: a program named like an object property is a program", () => {
  for (const program of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    assert.deepEqual(parse(program, "f.txt").gawkArgs, [program]);
  }
});
