import assert from "node:assert/strict";
import { parseGawkVersion, StderrFilter } from "./gawk.ts";

Deno.test("tawk gawk: version and bignum support from gawk --version", () => {
  assert.deepEqual(
    parseGawkVersion("GNU Awk 5.2.1, API 3.2, PMA Avon 8-g1, (GNU MPFR 4.2.0, GNU MP 6.2.1)\n"),
    { major: 5, minor: 2, bignum: true },
  );
  assert.deepEqual(parseGawkVersion("GNU Awk 4.1.4, API: 1.1\n"), {
    major: 4,
    minor: 1,
    bignum: false,
  });
  assert.equal(parseGawkVersion("mawk 1.3.4"), null);
});

Deno.test("tawk gawk: a syntax error becomes one line; other messages pass unchanged", () => {
  const out: string[] = [];
  const f = new StderrFilter(
    (l) => out.push(l),
    (e) => `E ${e.source} ${e.line}:${e.column} ${e.message} [${e.text}]`,
  );
  f.line("gawk: cmd. line:1: tcp() && ($pktsSnt > 3");
  f.line("gawk: cmd. line:1:                       ^ unexpected newline or end of string");
  f.line("gawk: cmd. line:1: tcp() && ($pktsSnt > 3");
  f.line("gawk: cmd. line:1:                       ^ syntax error");
  f.line("gawk: cmd. line:1: (FILENAME=x FNR=3) fatal: division by zero attempted");
  f.line("gawk: cmd. line:2: warning: something");
  f.line("plain text from the program");
  f.flush();
  assert.deepEqual(out, [
    "E cmd. line 1:23 unexpected newline or end of string [tcp() && ($pktsSnt > 3]",
    "gawk: cmd. line:1: (FILENAME=x FNR=3) fatal: division by zero attempted",
    "gawk: cmd. line:2: warning: something",
    "plain text from the program",
  ]);
  assert.equal(f.syntaxError?.line, 1);
});

Deno.test("tawk gawk: a located line without a caret line is passed on", () => {
  const out: string[] = [];
  const f = new StderrFilter((l) => out.push(l), () => "never");
  f.line("gawk: prog.awk:4: some message");
  f.line("next");
  f.line("gawk: prog.awk:5: last");
  f.flush();
  assert.deepEqual(out, ["gawk: prog.awk:4: some message", "next", "gawk: prog.awk:5: last"]);
});
