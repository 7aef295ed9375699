/**
 * The column file of `JSON_SELECT=1`: one column name per line; lines starting with `#` are
 * comments. Only a trailing newline (and CR before it) is removed, so names match exactly.
 *
 * @module
 */

/**
 * The column names listed in a select file's text.
 *
 * @example
 * ```ts
 * import { selectedColumns } from "./select_file.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...selectedColumns("# ids\nsrcIP\ndstPort\n")], ["srcIP", "dstPort"]);
 * ```
 */
export function selectedColumns(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    names.add(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
  return names;
}
