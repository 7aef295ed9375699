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
