import assert from "node:assert/strict";
import { closestNames, columnUses, tokenize, unknownNames } from "./program_check.ts";

const COLS = ["dir", "flowInd", "pktsSnt", "pktsRcvd", "l4Proto", "tcpWinThCnt", "tcpWinSzThRt"];

Deno.test("tawk check: strings, comments and regular expressions are not names", () => {
  const t = tokenize('$a / 2 ~ /$b/ # $c\n"$d" x /= 3');
  assert.deepEqual(t.filter((x) => x.kind === "name").map((x) => x.text), ["a", "x"]);
  assert.deepEqual(t.filter((x) => x.kind === "regex").map((x) => x.text), ["/$b/"]);
  assert.deepEqual(tokenize("/[/]x/").map((x) => x.kind), ["regex"]);
});

Deno.test("tawk check: $name, $(name) and column arguments are uses", () => {
  const { uses } = columnUses(["$a > 1 && $(b) && $c[1] && $d() { t2sort(e); max(f, 2) }"]);
  assert.deepEqual(uses.map((u) => u.use.name), ["a", "b", "e", "f"]);
});

Deno.test("tawk check: assigned names, parameters and -v are not columns", () => {
  const src = "function f(p) { return $p } { c = 3; n++ } $c > 1 && $n && $k && $v " +
    "{ for (i in a) print $i; getline g; print $g }";
  const unknown = unknownNames([src], COLS, ["v"]);
  assert.deepEqual(unknown.map((u) => u.name), ["k"]);
});

Deno.test("tawk check: a 0.9.1 name is named with its 0.9.3 one; typos get the closest", () => {
  const [u] = unknownNames(["hdr() || ($tcpWinThCnt / $numPktsSnt) > 0.9"], COLS, []);
  assert.equal(u.name, "numPktsSnt");
  assert.equal(u.renamedTo, "pktsSnt");
  assert.deepEqual([u.line, u.column], [1, 27]);
  assert.deepEqual(closestNames("pktSnt", COLS), ["pktsSnt", "pktsRcvd"].slice(0, 1));
  assert.deepEqual(closestNames("tcpWinThCount", COLS), ["tcpWinThCnt"]);
  assert.deepEqual(closestNames("zzz", COLS), []);
  assert.deepEqual(unknownNames(["$NF > 1 && $NR && $pktsSnt"], COLS, []), []);
});
