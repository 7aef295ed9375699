/**
 * Choosing the plugins of a run: the built-in set, T2's plugin list files (`-b`), numeric
 * load order and dependency checks (spec/cli.md §2).
 *
 * @module
 */

import type { PluginDefinition } from "./api.ts";

/** A plugin list file or a dependency could not be satisfied. */
export class PluginListError extends Error {
  /** Error class name, `"PluginListError"`. */
  override name = "PluginListError";
}

/**
 * Parse a T2 plugin list (`100_basicFlow.so` or `basicFlow` per line, `#` comments).
 * Returns the plugin names in file order.
 */
export function parsePluginList(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const m = /^(?:\d+_)?([A-Za-z0-9_]+?)(?:\.so)?$/.exec(line);
    if (!m) throw new PluginListError(`Cannot read plugin list entry "${line}"`);
    names.push(m[1]);
  }
  return names;
}

/**
 * Select plugins by name from the available ones, in ascending plugin number (T2's
 * alphasort of `NNN_name.so`), and check their dependencies.
 */
export function selectPlugins(
  available: readonly PluginDefinition[],
  names: readonly string[],
): PluginDefinition[] {
  const byName = new Map(available.map((p) => [p.name, p]));
  const chosen: PluginDefinition[] = [];
  for (const n of names) {
    const p = byName.get(n);
    if (!p) {
      throw new PluginListError(
        `Unknown plugin "${n}" (available: ${available.map((a) => a.name).join(", ")})`,
      );
    }
    if (!chosen.includes(p)) chosen.push(p);
  }
  chosen.sort((a, b) => a.number - b.number || a.name.localeCompare(b.name));
  checkDependencies(chosen);
  return chosen;
}

/** Every dependency must be a loaded plugin with a lower number (T2's rule). */
export function checkDependencies(plugins: readonly PluginDefinition[]): void {
  plugins.forEach((p, i) => {
    for (const dep of p.dependencies ?? []) {
      const j = plugins.findIndex((q) => q.name === dep);
      if (j < 0 || j >= i) {
        throw new PluginListError(
          `Plugin ${p.name} depends on ${dep}, which must be loaded before it` +
            (j < 0 ? " (not loaded)" : ""),
        );
      }
    }
  });
}
