/**
 * Fenced code blocks of Markdown documents, for the tests that run or compare the tutorials'
 * code.
 *
 * @module
 */

/** One fenced block of a Markdown document. */
export interface Block {
  /** Language and attributes, e.g. `ts file=plugins/x/mod.ts`. */
  readonly info: string;
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** The fenced blocks of a Markdown text (``` fences, any indentation). */
export function fencedBlocks(md: string): Block[] {
  const lines = md.split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trimStart().startsWith(fence); j++) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    out.push({ info: info.trim(), body: body.join("\n") + "\n", line: i + 1 });
    i = j;
  }
  return out;
}

/** Whether the actual lines match the expected ones (`...` lines and in-line wildcards). */
export function matchesOutput(expected: readonly string[], actual: readonly string[]): boolean {
  const lineRe = (l: string) =>
    new RegExp(
      "^" + l.split("...").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$",
    );
  const res = expected.map((l) => (l === "..." ? null : lineRe(l)));
  const memo = new Map<string, boolean>();
  const go = (e: number, a: number): boolean => {
    const key = `${e},${a}`;
    if (memo.has(key)) return memo.get(key)!;
    let ok: boolean;
    if (e === res.length) ok = a === actual.length;
    else if (res[e] === null) ok = go(e + 1, a) || (a < actual.length && go(e, a + 1));
    else ok = a < actual.length && res[e]!.test(actual[a]) && go(e + 1, a + 1);
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}
