/**
 * The awk library: every public function is documented (-d, -g), and the values the spec
 * (../shared/spec/tools/tawk.md §5-§6) states, computed by gawk with the library loaded.
 * The gawk part skips, saying so, where gawk is not installed.
 */

import assert from "node:assert/strict";
import { FUNCTION_DOCS } from "./docs.ts";
import { LIBRARY } from "./library.ts";

const publicFunctions = [...LIBRARY.matchAll(/^function ([A-Za-z][A-Za-z0-9_]*)\(/gm)]
  .map((m) => m[1]);

Deno.test("tawk library: each public function has its -d text, and each text a function", () => {
  const documented = Object.keys(FUNCTION_DOCS).filter((n) => n !== "_validate_col").sort();
  assert.deepEqual([...publicFunctions].sort(), documented);
  assert.match(LIBRARY, /^function _validate_col\(/m);
  for (const [name, doc] of Object.entries(FUNCTION_DOCS)) {
    assert.ok(doc.startsWith(name + "("), `${name}: the text starts with the signature`);
  }
});

let hasGawk = true;
try {
  new Deno.Command("gawk", { args: ["--version"], stdout: "null" }).outputSync();
} catch {
  hasGawk = false;
}

/** Print `expr` for each expression in a BEGIN rule of gawk with the library loaded. */
function evaluate(exprs: string[], bignum = true): string[] {
  const prog = `BEGIN {\n${exprs.map((e) => `  print ${e}`).join("\n")}\n}`;
  const out = new Deno.Command("gawk", {
    args: [...(bignum ? ["-M", "-v", "PREC=256"] : []), "-e", LIBRARY, "-e", prog],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const d = new TextDecoder();
  assert.equal(out.code, 0, d.decode(out.stderr));
  assert.equal(d.decode(out.stderr), "");
  return d.decode(out.stdout).split("\n").slice(0, -1);
}

Deno.test({
  name: `tawk library: values stated by the spec${
    hasGawk ? "" : " SKIPPED: gawk is not installed"
  }`,
  ignore: !hasGawk,
  fn() {
    const cases: [string, string][] = [
      ['bitsanyset("0x0400000200004001", 1)', "1"], // exact with -M (§5)
      ['bitsallset("0x0400000200004001", "0x0400000000000001")', "1"],
      ['bfeq("0x10", 16)', "1"],
      ['ip2num("1.2.3.4")', "16909060"],
      ['ip2num("0x0a000001")', "167772161"],
      ['ip2num("::1")', "1"],
      ['ip2num("2001:db8::")', "42540766411282592856903984951653826560"],
      ['ip2hex("10.0.0.1")', "0x0a000001"],
      ["ip2str(16909060)", "1.2.3.4"],
      ['ip6compress("2001:0db8:0000:0000:0001:0000:0000:0001")', "2001:db8::1:0:0:1"],
      ['ip6expand("2001:db8::1")', "2001:0db8:0000:0000:0000:0000:0000:0001"],
      ['ipinnet("10.1.2.3", "10.0.0.0/8")', "1"],
      ['ipinnet("11.1.2.3", "10.0.0.0", "255.0.0.0")', "0"],
      ['ipinnet("10.1.2.3", "fe80::/10")', "0"],
      ['ipinnet("fe80::1", "fe80::/10")', "1"],
      ['ipinrange("10.0.0.5", "10.0.0.1", "10.0.0.9")', "1"],
      ["mask2ipstr(20)", "255.255.240.0"],
      ['ip2mask("255.255.240.0")', "20"],
      ['privip("172.31.255.1") privip("172.32.0.1") privip("192.168.0.1")', "101"],
      ['mcast("224.0.0.251") mcast("ff02::fb") loopback("127.0.0.1") loopback("::1")', "1111"],
      [
        'isipstr("010.1.1.1") isipstr("256.1.1.1") isiphex("0x0a000001") isipnum("167772161")',
        "1011",
      ],
      // isnum() is awk's comparison: a field "1e3" is a number, the string constant is not
      ['isint("-12") isint("012") isuint("-1") isfloat("1x5") isnum("1e3")', "10010"],
      ['splitr("a;b;c", 2)', "b"],
      ['t2split("\\"x\\";\\"y\\"", ";", 2)', "y"],
      ['splitc("a_b_c", "1;3", "-")', "a-c"],
      ['unquote("\\"a\\\\\\"b\\"")', 'a"b'],
      ['quote("a\\"b")', '"a\\"b"'],
      [
        'streq("\\"A\\"", "a", 1) strneq("a", "a") strisempty("\\"\\"") isset(0) isset("")',
        "10110",
      ],
      ['contains("abc", "c") hasprefix("\\"abc\\"", "ab") hassuffixi("abC", "bc")', "311"],
      ['valcontains("a;b;c", ";", "b") cvalcontains("x_y", "y") rvalcontains("p;q", "z")', "110"],
      ["max2(3, 7) min3(5, 2, 9) abs(-4)", "724"],
      [
        "proto2str(6) proto2str(17) proto2str(1) proto2str(58) proto2str(250)",
        "TCPUDPICMPICMP6250",
      ],
      ["hrnum(19982)", "19.98 K"],
      ["utc(0)", "1970-01-01 00:00:00Z"],
      ['utc("1022171701.692762000")', "2002-05-23 16:35:01.692762000Z"],
      ["tcp(6) udp(6) icmp(1) sctp(132) not(0)", "10111"],
    ];
    const got = evaluate(cases.map(([e]) => e));
    cases.forEach(([e, want], i) => assert.equal(got[i], want, e));
  },
});

Deno.test({
  name: `tawk library: loads without bignums too${
    hasGawk ? "" : " SKIPPED: gawk is not installed"
  }`,
  ignore: !hasGawk,
  fn() {
    assert.deepEqual(evaluate(['ip2num("1.2.3.4")', "tcp(6)"], false), ["16909060", "1"]);
  },
});
