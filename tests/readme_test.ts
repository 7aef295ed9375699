/**
 * The README's commands run as written, in order, in a scratch copy of the repository, with the
 * conventions of the tutorials' test (tutorial_docs_test.ts): ```` ```sh ```` blocks run with
 * `sh -e` and must succeed, `t2` being the program as the deno.json tasks start it (the
 * installed command runs the same program: tests/install_test.ts); a ```` ```text ```` block
 * right after one is its expected standard output (`...` for any lines or characters);
 * `no-test` blocks (installing, network, the test suite itself) are not run.
 *
 * Also: the README stays short (a guide for users; engineering notes live in docs/), its links
 * to files lead somewhere, and it shows `deno task` only as `deno task -q`, so that Deno's own
 * "Task ..." line stays off standard error, where t2's diagnostics go.
 */

import assert from "node:assert/strict";
import { comparableLines } from "../tools/conformance/compare.ts";
import { makeSandbox, REPO, sh } from "./_repo_sandbox.ts";
import { fencedBlocks, matchesOutput } from "./_markdown.ts";
import { BUILTIN_PLUGINS, DEFAULT_PLUGINS } from "../plugins/mod.ts";

const README = Deno.readTextFileSync(`${REPO}/README.md`);

/**
 * `t2` for the README's shell blocks: the deno.json task of each subcommand. Until T2's default
 * set is built in whole, a run without `-b` or `-p` gets a list of its built-in part (as the
 * golden test and `deno task bench:dflt` do): the files the README shows are the same.
 */
function t2Shim(defaultList: string | null): string {
  const withList = defaultList === null ? "" : `case " $* " in
  *" -b "*|*" -p "*|*" -h "*|*" -V "*) ;;
  *) set -- -b '${defaultList}' "$@" ;;
esac
`;
  return `#!/bin/sh
case "$1" in
  tawk|tcol) task="$1"; shift; exec deno task --quiet "$task" "$@" ;;
esac
${withList}exec deno task --quiet t2 "$@"
`;
}

/** The default set's plugins that are not built in yet. */
const missing = DEFAULT_PLUGINS.filter((n) => !BUILTIN_PLUGINS.some((p) => p.name === n));

Deno.test("README: short, with a table of contents, deno task always with -q, links that lead somewhere", () => {
  const lines = README.split("\n");
  assert.ok(lines.length < 300, `${lines.length} lines`);
  const headings = lines.filter((l) => l.startsWith("## ")).map((l) => l.slice(3));
  for (const h of headings) {
    const anchor = h.toLowerCase().replace(/[^\w\s-]/g, "").replace(/\s/g, "-");
    assert.ok(README.includes(`](#${anchor})`), `the table of contents links to "${h}"`);
  }
  // Only the test command is kept as it has always been written (with and without npx).
  const bare = [...README.matchAll(/deno(?:@[\d.]+)? task (?!-q |--quiet )\S+/g)].map((m) => m[0])
    .filter((m) => m !== "deno@2.9.6 task test" && m !== "deno task test");
  assert.deepEqual(bare, [], "deno task without -q");
  for (const [, target] of README.matchAll(/\]\(((?:docs\/|ARCHITECTURE)[^)#]*)/g)) {
    assert.ok(Deno.statSync(`${REPO}/${target}`), target);
  }
});

Deno.test("README: the two commands for a fresh machine are there as written", () => {
  assert.match(README, /^npx -y deno@2\.9\.6 task -q t2 -r fixtures\/faf-small\.pcap -w out\/$/m);
  assert.match(README, /^npx -y deno@2\.9\.6 task test$/m);
  // CI runs the same test command.
  assert.match(Deno.readTextFileSync(`${REPO}/.ci/run`), /^npx -y deno@2\.9\.6 task test$/m);
});

Deno.test("README: every command and output block holds", async (t) => {
  const fixtures = () => [...Deno.readDirSync(`${REPO}/fixtures`)].map((e) => e.name).sort();
  const before = fixtures();
  const box = makeSandbox("t2ts_readme_");
  Deno.mkdirSync(`${box.root}/.bin`);
  let defaultList: string | null = null;
  if (missing.length > 0) {
    console.warn(
      `README: runs without -b use the default set without ${
        missing.join(", ")
      } (not built in yet)`,
    );
    defaultList = `${box.root}/.bin/default-built-in.txt`;
    Deno.writeTextFileSync(
      defaultList,
      DEFAULT_PLUGINS.filter((n) => !missing.includes(n)).join("\n"),
    );
  }
  Deno.writeTextFileSync(`${box.root}/.bin/t2`, t2Shim(defaultList), { mode: 0o755 });
  try {
    let last: { cmd: string; stdout: string } | null = null;
    for (const b of fencedBlocks(README)) {
      const [lang, ...flags] = b.info.split(/\s+/);
      if (flags.includes("no-test") || (lang !== "sh" && lang !== "text")) {
        last = null;
        continue;
      }
      await t.step(`README.md:${b.line}`, () => {
        if (lang === "sh") {
          const r = sh(box.root, `set -e\nmkdir -p out\nPATH="${box.root}/.bin:$PATH"\n` + b.body);
          assert.equal(r.code, 0, `exit code ${r.code}\n${r.stdout}${r.stderr}`);
          last = { cmd: b.body.trim(), stdout: r.stdout };
        } else {
          assert.ok(last, "a text block must follow a sh block (or say no-test)");
          const want = comparableLines("report", b.body.trimEnd()).map((l) => l.trimEnd());
          const got = comparableLines("report", last.stdout.trimEnd()).map((l) => l.trimEnd());
          assert.ok(
            matchesOutput(want, got),
            `the output of\n  ${last.cmd}\nis now:\n${got.join("\n")}`,
          );
        }
      });
    }
    // What the blocks say they write.
    assert.ok(Deno.statSync(`${box.root}/out/gz/faf_flows.txt`).isFile);
    assert.ok(Deno.statSync(`${box.root}/out/json/faf-small_flows.json`).isFile);
    assert.ok(Deno.statSync(`${box.root}/out/loop/annoloc-small_log.txt`).isFile);
    // The sandbox links fixtures/: nothing may be written beside its captures.
    assert.deepEqual(fixtures(), before);
  } finally {
    box.remove();
  }
});
