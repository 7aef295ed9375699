/**
 * Writes `src/tcol/width_table.ts`: the code points (from U+0080) that util-linux `column`
 * shows 0 or 2 cells wide, measured by running the system's `column -t -s TAB` in the C.UTF-8
 * locale over one line per code point. The widths are glibc's (`wcwidth`, `iswprint`): the
 * table of the reference system (Debian 12: util-linux 2.38.1, glibc 2.36, Unicode 15.0) is
 * the one committed; run this again only to follow another system on purpose.
 *
 *   deno run --allow-run=column --allow-write=src/tcol tasks/tcol_width_table.ts
 *
 * @module
 */

const enc = new TextEncoder();

/** Code points measured: all but ASCII and the surrogates (which UTF-8 cannot carry). */
function codePoints(): number[] {
  const out: number[] = [];
  for (let cp = 0x80; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) out.push(cp);
  return out;
}

/** The width `column` gives each code point: line `a<char>\tx`, from the padding before x. */
async function measure(cps: number[]): Promise<Map<number, number>> {
  const input = enc.encode(cps.map((cp) => `a${String.fromCodePoint(cp)}\tx\n`).join(""));
  const child = new Deno.Command("column", {
    args: ["-t", "-s", "\t"],
    env: { LC_ALL: "C.UTF-8" },
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  const writing = w.write(input).then(() => w.close());
  const out = await child.output();
  await writing;
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  // Every cell is `a` + one character, the widest 3 cells: width = 3 - (spaces - 2) - 1.
  const widths = new Map<number, number>();
  cps.forEach((cp, i) => {
    const line = lines[i];
    const x = line.lastIndexOf("x");
    const cell = line.slice(0, x).replace(/ +$/, "");
    widths.set(cp, 4 - (x - cell.length));
  });
  return widths;
}

function ranges(widths: Map<number, number>, want: number): number[] {
  const out: number[] = [];
  let first = -1;
  let prev = -2;
  for (const [cp, w] of widths) {
    if (w !== want) continue;
    const adjacent = cp === prev + 1 || (prev === 0xd7ff && cp === 0xe000);
    if (!adjacent) {
      if (first >= 0) out.push(first, prev);
      first = cp;
    }
    prev = cp;
  }
  if (first >= 0) out.push(first, prev);
  return out;
}

/** A table as lines of `first-last` hex ranges (compact, and left as it is by deno fmt). */
function table(name: string, doc: string, values: number[]): string {
  const items: string[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const [a, b] = [values[i].toString(16), values[i + 1].toString(16)];
    items.push(a === b ? a : `${a}-${b}`);
  }
  const lines: string[] = [];
  let line = "";
  for (const it of items) {
    if (line.length + it.length + 1 > 88) {
      lines.push(`  "${line}",`);
      line = "";
    }
    line += line ? " " + it : it;
  }
  if (line) lines.push(`  "${line}",`);
  return `/** ${doc} */\nexport const ${name}: readonly string[] = [\n${lines.join("\n")}\n];\n`;
}

const widths = await measure(codePoints());
const text = `/**
 * Widths of non-ASCII code points in util-linux \`column\` (glibc's \`wcwidth\`/\`iswprint\` of
 * the reference system: Debian 12, glibc 2.36, Unicode 15.0): sorted hex ranges \`first-last\`
 * (or one code point). Every other code point from U+0080 is 1 cell wide.
 * Written by tasks/tcol_width_table.ts.
 *
 * @module
 */

${
  table(
    "ZERO_WIDTH",
    "Code points that take no cell: controls, marks, format and unassigned ones.",
    ranges(widths, 0),
  )
}
${
  table(
    "DOUBLE_WIDTH",
    "Code points that take two cells (East Asian wide and fullwidth).",
    ranges(widths, 2),
  )
}`;
Deno.writeTextFileSync(new URL("../src/tcol/width_table.ts", import.meta.url), text);
console.log("wrote src/tcol/width_table.ts");
