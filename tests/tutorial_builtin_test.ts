/**
 * The tutorials end with the built-in plugins: the last `ts file=` block of a tutorial's plugin
 * is the built-in plugin's module under another name, number and version (module
 * documentation aside). So the built-in tcpWin and tcpWinTMT are the code the tutorials teach,
 * and a change to either shows in both.
 */

import assert from "node:assert/strict";
import { fencedBlocks } from "./_markdown.ts";

const REPO = new URL("../", import.meta.url).pathname;

/** The last `ts file=PATH` block of a tutorial. */
function lastFileBlock(doc: string, path: string): string {
  const text = Deno.readTextFileSync(`${REPO}docs/tutorials/${doc}`);
  const blocks = fencedBlocks(text).filter((b) => b.info === `ts file=${path}`);
  assert.ok(blocks.length > 0, `${doc} has no ts file=${path} block`);
  return blocks.at(-1)!.body;
}

/** A module without its first documentation comment (`/** ... *\/`). */
function withoutModuleDoc(source: string): string {
  assert.ok(source.startsWith("/**"), "a plugin module starts with its documentation");
  return source.slice(source.indexOf("*/") + 2);
}

/** The tutorial's plugin under the built-in plugin's identity. */
function asBuiltin(
  source: string,
  names: readonly [string, string][],
  number: [number, number],
): string {
  let s = source;
  for (const [from, to] of names) s = s.replaceAll(new RegExp(`\\b${from}\\b`, "g"), to);
  s = s.replace(`number: ${number[0]},`, `number: ${number[1]},`);
  return s.replace(`version: "0.1.0",`, `version: "0.9.3",`);
}

function assertSameLines(actual: string, expected: string, what: string): void {
  const a = actual.split("\n");
  const e = expected.split("\n");
  const i = a.findIndex((l, n) => l !== e[n]);
  if (i < 0 && a.length === e.length) return;
  const at = i < 0 ? Math.min(a.length, e.length) : i;
  assert.fail(
    `${what}: first difference at line ${at + 1} after the module documentation:\n` +
      `  tutorial: ${JSON.stringify(a[at])}\n  built-in: ${JSON.stringify(e[at])}`,
  );
}

Deno.test("tutorial 4 ends with the built-in tcpWinTMT (as myTcpWinTMT, 156, 0.1.0)", () => {
  const tutorial = lastFileBlock("04_flow_timeouts.md", "plugins/my_tcp_win_tmt/mod.ts");
  const builtin = Deno.readTextFileSync(`${REPO}plugins/tcp_win_tmt/mod.ts`);
  assertSameLines(
    asBuiltin(
      withoutModuleDoc(tutorial),
      [["myTcpWinTMT", "tcpWinTMT"], ["MyTcpWinTMT", "TcpWinTMT"]],
      [156, 151],
    ),
    withoutModuleDoc(builtin),
    "tutorial 4's myTcpWinTMT and plugins/tcp_win_tmt/mod.ts",
  );
});

Deno.test("tutorial 3 ends with the built-in tcpWin (as myTcpWin, 155, 0.1.0)", () => {
  const tutorial = lastFileBlock("03_packet_mode.md", "plugins/my_tcp_win/mod.ts");
  const builtin = Deno.readTextFileSync(`${REPO}plugins/tcp_win/mod.ts`);
  assertSameLines(
    asBuiltin(
      withoutModuleDoc(tutorial),
      [["myTcpWin", "tcpWin"], ["MyTcpWin", "TcpWin"]],
      [155, 150],
    ),
    withoutModuleDoc(builtin),
    "tutorial 3's myTcpWin and plugins/tcp_win/mod.ts",
  );
});

Deno.test("the comparison sees a difference", () => {
  const tutorial = lastFileBlock("04_flow_timeouts.md", "plugins/my_tcp_win_tmt/mod.ts");
  const changed = tutorial.replace("ctx.setTimeout(flow, this.#tmtAbrt);", "");
  assert.throws(
    () => assertSameLines(changed, tutorial, "changed"),
    /first difference at line \d+/,
  );
});
