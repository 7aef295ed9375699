/**
 * Where a plugin's data table comes from: T2 opens `portmap.txt` and friends in the plugin
 * folder; here T2's file names stand for the copies built into the program
 * (`plugins/_data/*.ts`), and any other name set with `--set` is a file read at start-up
 * (a relative path from the current directory).
 *
 * @module
 */

/** The text of a table, or the `[ERR]` text of a file that cannot be read. */
export type TableText = { readonly text: string } | { readonly error: string };

/**
 * The table named `name`: `builtin` when `name` is T2's default file name `builtinName`,
 * else the file `name`.
 */
export function tableText(name: string, builtinName: string, builtin: string): TableText {
  if (name === builtinName) return { text: builtin };
  try {
    return { text: Deno.readTextFileSync(name) };
  } catch (e) {
    return { error: `Failed to open file '${name}': ${reason(e)}` };
  }
}

/** C's strerror text for the usual reasons a file cannot be read. */
function reason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "Is a directory";
  return (e as Error).message;
}
