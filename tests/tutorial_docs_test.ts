/**
 * The tutorials (docs/tutorials/*.md) are run as written, in order, in a scratch copy of the
 * repository, so the documents cannot drift from the code:
 *
 * - ```` ```ts file=PATH ```` blocks are written to PATH (the reader's plugin at that step);
 * - ```` ```ts part=PATH ```` blocks must appear in the next `file=PATH` block, and
 *   ```` ```ts from=PATH ```` blocks in PATH as it is at that point (leading spaces ignored, a
 *   line `// ...` skips lines);
 * - ```` ```sh ```` blocks are run (`sh -e`, from the repository root) and must succeed; `t2` in
 *   them is the program as the deno.json tasks run it (`t2 tawk` → `deno task tawk`, `t2 tcol`
 *   → `deno task tcol`, anything else → `deno task t2`), what the compiled binary does; the
 *   ```` ```text ```` block right after one is its expected standard output, compared after
 *   dropping the lines that differ from run to run (tools/conformance/compare.ts) and the spaces at
 *   the ends of lines (`t2 tcol` pads cells); a line `...` stands for any lines, `...` inside a
 *   line for any characters;
 * - ```` ```sh no-test ```` and ```` ```text no-test ```` blocks are not run or compared.
 *
 * The documents also compare the reader's plugins with the real T2's outputs in golden/.
 */

import assert from "node:assert/strict";
import { comparableLines } from "../tools/conformance/compare.ts";
import { makeSandbox, REPO, sh } from "./_repo_sandbox.ts";
import { fencedBlocks, matchesOutput } from "./_markdown.ts";

/** Attribute `key=value` of a block's info string. */
function attr(info: string, key: string): string | undefined {
  return info.split(/\s+/).find((w) => w.startsWith(key + "="))?.slice(key.length + 1);
}

/** Whether `excerpt` appears in `text` (trimmed lines; `// ...` lines skip lines). */
export function containsExcerpt(text: string, excerpt: string): boolean {
  const have = text.split("\n").map((l) => l.trim());
  const segments: string[][] = [[]];
  for (const l of excerpt.split("\n").map((l) => l.trim())) {
    if (l === "// ...") segments.push([]);
    else if (l !== "") segments.at(-1)!.push(l);
  }
  const want = segments.filter((s) => s.length);
  let from = 0;
  const nonEmpty = have.map((l, i) => [l, i] as const).filter(([l]) => l !== "");
  for (const seg of want) {
    let found = -1;
    for (let k = from; k + seg.length <= nonEmpty.length; k++) {
      if (seg.every((l, n) => nonEmpty[k + n][0] === l)) {
        found = k;
        break;
      }
    }
    if (found < 0) return false;
    from = found + seg.length;
  }
  return true;
}

/** The tutorials, in reading order. */
export function tutorialFiles(): string[] {
  return [...Deno.readDirSync(`${REPO}/docs/tutorials`)]
    .map((e) => e.name)
    .filter((n) => /^\d\d_.*\.md$/.test(n))
    .sort();
}

Deno.test("tutorial docs: helpers", () => {
  const md = "a\n```ts file=x.ts\nconst a = 1;\n```\n  ```sh\n  echo hi\n  ```\n";
  assert.deepEqual(fencedBlocks(md), [
    { info: "ts file=x.ts", body: "const a = 1;\n", line: 2 },
    { info: "sh", body: "echo hi\n", line: 5 },
  ]);
  assert.ok(
    containsExcerpt("class A {\n  f() {\n    x();\n\n    y();\n  }\n}\n", "f() {\nx();\ny();"),
  );
  assert.ok(containsExcerpt("a\nb\nc\nd\n", "a\n// ...\nd"));
  assert.ok(!containsExcerpt("a\nb\nc\n", "a\nc"));
  assert.ok(!containsExcerpt("a\nb\n", "b\n// ...\na"));
  assert.ok(matchesOutput(["a", "...", "d"], ["a", "b", "c", "d"]));
  assert.ok(matchesOutput(["a", "...", "b", "..."], ["a", "b"]));
  assert.ok(matchesOutput(["ok | 2 passed (...)"], ["ok | 2 passed (31ms)"]));
  assert.ok(!matchesOutput(["a", "c"], ["a", "b", "c"]));
  assert.ok(!matchesOutput(["a.c"], ["abc"]));
  assert.ok(tutorialFiles().length >= 4);
});

/** A `t2` command for the documents' shell blocks: the deno.json task of each subcommand. */
const T2_SHIM = `#!/bin/sh
case "$1" in
  tawk|tcol) task="$1"; shift ;;
  *) task=t2 ;;
esac
exec deno task --quiet "$task" "$@"
`;

Deno.test("tutorial docs: every command, output and code block holds", async (t) => {
  const box = makeSandbox("t2ts_tutorials_");
  Deno.mkdirSync(`${box.root}/.bin`);
  Deno.writeTextFileSync(`${box.root}/.bin/t2`, T2_SHIM, { mode: 0o755 });
  try {
    for (const name of tutorialFiles()) {
      await t.step(name, () => {
        const blocks = fencedBlocks(Deno.readTextFileSync(`${REPO}/docs/tutorials/${name}`));
        let lastOutput: { cmd: string; stdout: string } | null = null;
        blocks.forEach((b, i) => {
          const where = `docs/tutorials/${name}:${b.line}`;
          const [lang, ...rest] = b.info.split(/\s+/);
          if (rest.includes("no-test")) return;
          const prev = lastOutput;
          lastOutput = null;
          if (lang === "ts") {
            const file = attr(b.info, "file");
            const part = attr(b.info, "part");
            const from = attr(b.info, "from");
            if (file) {
              Deno.mkdirSync(`${box.root}/${file.replace(/\/[^/]*$/, "")}`, { recursive: true });
              Deno.writeTextFileSync(`${box.root}/${file}`, b.body);
            } else if (part) {
              const next = blocks.slice(i + 1).find((n) => attr(n.info, "file") === part);
              assert.ok(next, `${where}: no later \`ts file=${part}\` block holds this part`);
              assert.ok(
                containsExcerpt(next.body, b.body),
                `${where}: this part is not in the \`file=${part}\` block of line ${next.line}`,
              );
            } else if (from) {
              const now = Deno.readTextFileSync(`${box.root}/${from}`);
              assert.ok(containsExcerpt(now, b.body), `${where}: not in ${from} at this point`);
            } else {
              assert.fail(`${where}: a ts block needs file=, part= or from= (or no-test)`);
            }
          } else if (lang === "sh") {
            const r = sh(box.root, `set -e\nPATH="${box.root}/.bin:$PATH"\n` + b.body);
            assert.equal(r.code, 0, `${where}: exit code ${r.code}\n${r.stdout}${r.stderr}`);
            lastOutput = { cmd: b.body.trim(), stdout: r.stdout };
          } else if (lang === "text") {
            assert.ok(prev, `${where}: a text block must follow a sh block (or say no-test)`);
            const trim = (ls: string[]) => ls.map((l) => l.trimEnd());
            const want = trim(comparableLines("report", b.body.trimEnd()));
            const got = trim(comparableLines("report", prev.stdout.trimEnd()));
            assert.ok(
              matchesOutput(want, got),
              `${where}: the output of\n  ${prev.cmd}\nis now:\n${got.join("\n")}`,
            );
          }
        });
      });
    }
  } finally {
    box.remove();
  }
});
