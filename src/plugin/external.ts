/**
 * Plugins from a folder (`t2 -p DIR`) and T2's load-time checks.
 *
 * T2 loads every `NNN_name.so` of its plugin folder, in number order, keeps those its plugin
 * list names, and rejects a plugin whose name or version is unusable or whose dependencies are
 * not loaded before it (`[ERR] name: missing dependencies: a,b`); the run goes on without it
 * (spec/cli.md §2). Here a plugin folder holds TypeScript or JavaScript modules instead:
 *
 * - `DIR/<name>.ts` (also `.js`, `.mjs`), except `*_test.*` files and names starting with `_`;
 * - `DIR/<folder>/mod.ts` (or `mod.js`), the layout `deno task plugin:new --out DIR` creates.
 *
 * A module provides its plugins as its default export, or else as named exports: every
 * exported value that has a `name`, a `number` and a `create` function is a plugin. A plugin
 * from the folder replaces a built-in plugin of the same name. `DIR/plugins.txt`, when present,
 * is the plugin list unless `-b` names another one (T2's rule).
 *
 * Modules are loaded with a dynamic `import()`, which `deno run` allows for any readable file;
 * a binary made by `deno compile` imports only the modules built into it.
 *
 * @module
 */

import { fileUrl, joinPath } from "../fs/file_url.ts";
import type { PluginDefinition } from "./api.ts";
import { parsePluginList, PluginListError, selectPlugins } from "./registry.ts";

/** T2's limits: a name has fewer than 32 characters, a version fewer than 16. */
export const NAME_MAX = 32;
/** See {@linkcode NAME_MAX}. */
export const VERSION_MAX = 16;

/** File extensions of plugin modules. */
const MODULE_EXT = /\.(ts|js|mjs)$/;

/** Whether a value has the shape of a {@linkcode PluginDefinition}. */
export function isPluginDefinition(v: unknown): v is PluginDefinition {
  if (typeof v !== "object" || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p.name === "string" && typeof p.number === "number" &&
    typeof p.create === "function";
}

/**
 * The plugins a module exports: its default export (one plugin or an array of them), or else
 * every named export that is a plugin, in export-name order.
 */
export function definitionsOf(mod: Record<string, unknown>): PluginDefinition[] {
  const d = mod.default;
  if (isPluginDefinition(d)) return [d];
  if (Array.isArray(d)) return d.filter(isPluginDefinition);
  return Object.keys(mod).sort().map((k) => mod[k]).filter(isPluginDefinition);
}

/** The plugin module files of a folder (see the module documentation), sorted by path. */
export function pluginFiles(dir: string): string[] {
  const files: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.name.startsWith("_") || e.name.startsWith(".")) continue;
    const path = joinPath(dir, e.name);
    if (e.isDirectory) {
      for (const m of ["mod.ts", "mod.js"]) {
        if (isFile(joinPath(path, m))) {
          files.push(joinPath(path, m));
          break;
        }
      }
    } else if (MODULE_EXT.test(e.name) && !/_test\.(ts|js|mjs)$/.test(e.name)) {
      if (!e.name.endsWith(".d.ts")) files.push(path);
    }
  }
  return files.sort();
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** A plugin and the file it came from. */
export interface ExternalPlugin {
  /** The plugin. */
  readonly plugin: PluginDefinition;
  /** The module file that exported it. */
  readonly file: string;
}

/** What a plugin folder holds. */
export interface PluginFolder {
  /** Plugins of the folder's modules, in file order. */
  readonly plugins: readonly ExternalPlugin[];
  /** `DIR/plugins.txt` if it exists. */
  readonly listFile: string | null;
}

/**
 * Import every plugin module of a folder. A module that cannot be imported, or exports no
 * plugin, is reported through `onError` and skipped (T2 reports a `.so` it cannot open and
 * goes on). A folder that cannot be read throws {@linkcode PluginListError} with T2's text.
 */
export async function loadPluginFolder(
  dir: string,
  onError: (text: string) => void,
): Promise<PluginFolder> {
  let files: string[];
  try {
    files = pluginFiles(dir);
  } catch (e) {
    throw new PluginListError(
      `Failed to scan plugin folder '${dir}': ${
        (e as Error).message.replace(/ \(os error.*$/s, "")
      }`,
    );
  }
  const plugins: ExternalPlugin[] = [];
  for (const file of files) {
    let mod: Record<string, unknown>;
    try {
      mod = await import(fileUrl(file).href);
    } catch (e) {
      onError(`Cannot load plugin file '${file}': ${firstLine(e)}${compiledHint(e)}`);
      continue;
    }
    const defs = definitionsOf(mod);
    if (defs.length === 0) {
      onError(`Cannot load plugin file '${file}': it exports no plugin definition`);
      continue;
    }
    for (const plugin of defs) plugins.push({ plugin, file });
  }
  const list = joinPath(dir, "plugins.txt");
  return { plugins, listFile: isFile(list) ? list : null };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** A compiled binary cannot import files from disk; say so instead of "Module not found". */
function compiledHint(e: unknown): string {
  return /Module not found/i.test(firstLine(e))
    ? " (a binary made by 'deno compile' imports only the modules built into it: run with Deno, or register the plugin in the build)"
    : "";
}

/**
 * T2's load-time checks, applied to plugins in load order: a plugin needs a name of 1 to 31
 * characters, a version of 1 to 15 characters, a number from 0 to 999, and every dependency
 * among the plugins accepted before it. A rejected plugin is reported through `onError` with
 * T2's text (e.g. `tcpWinTMT: missing dependencies: tcpWin`) and left out; later plugins that
 * depend on it are rejected in turn.
 */
export function acceptPlugins(
  plugins: readonly PluginDefinition[],
  onError: (text: string) => void,
): PluginDefinition[] {
  const accepted: PluginDefinition[] = [];
  for (const p of plugins) {
    const problem = problemOf(p, accepted);
    if (problem) onError(problem);
    else accepted.push(p);
  }
  return accepted;
}

function problemOf(p: PluginDefinition, before: readonly PluginDefinition[]): string | null {
  const name = p.name;
  if (name.length === 0) return `plugin number ${p.number}: plugin name is required`;
  if (name.length >= NAME_MAX) {
    return `${name}: plugin name too long (${name.length} characters, limited to ${NAME_MAX})`;
  }
  const version = typeof p.version === "string" ? p.version : "";
  if (version.length === 0) return `${name}: plugin version is required`;
  if (version.length >= VERSION_MAX) {
    return `${name}: plugin version too long (${version.length} characters, limited to ${VERSION_MAX})`;
  }
  if (!Number.isInteger(p.number) || p.number < 0 || p.number > 999) {
    return `${name}: plugin number ${p.number} is not a number from 0 to 999`;
  }
  const deps = p.dependencies ?? [];
  if (deps.some((d) => !before.some((q) => q.name === d))) {
    return `${name}: missing dependencies: ${deps.join(",")}`;
  }
  return null;
}

/** Load order: ascending number, then name (T2 sorts `NNN_name.so` file names). */
export function loadOrder(plugins: readonly PluginDefinition[]): PluginDefinition[] {
  return [...plugins].sort((a, b) => a.number - b.number || a.name.localeCompare(b.name));
}

/** What decides the plugins of a run. */
export interface PluginSetOptions {
  /** Plugins built into the program. */
  readonly builtins: readonly PluginDefinition[];
  /** Names loaded when there is no plugin list. */
  readonly defaults: readonly string[];
  /** `-p DIR`: a folder of plugin modules. */
  readonly folder?: string;
  /** `-b FILE`: a plugin list. */
  readonly listFile?: string;
  /** Reports a rejected plugin or module (the CLI prints it as `[ERR] ...`). */
  readonly onError: (text: string) => void;
  /** Reports a folder plugin that replaces a built-in one. */
  readonly onInfo?: (text: string) => void;
}

/**
 * The plugins of a run, in load order: the built-in plugins plus those of `folder` (which
 * replace built-in ones of the same name); the list file (`-b`, else `DIR/plugins.txt`)
 * chooses among them, or, without a list, the default set and every plugin of the folder;
 * then T2's load-time checks ({@linkcode acceptPlugins}). An unknown name in the list, a
 * default plugin that is not available, or a folder plugin whose name another folder module
 * already uses throws {@linkcode PluginListError}.
 */
export async function resolvePluginSet(o: PluginSetOptions): Promise<PluginDefinition[]> {
  const folder = o.folder ? await loadPluginFolder(o.folder, o.onError) : null;
  const external = new Map<string, ExternalPlugin>();
  for (const e of folder?.plugins ?? []) {
    const seen = external.get(e.plugin.name);
    if (seen) {
      throw new PluginListError(
        `Cannot load plugin ${e.plugin.name} from '${e.file}': '${seen.file}' has one of that name`,
      );
    }
    external.set(e.plugin.name, e);
  }
  const available: PluginDefinition[] = [];
  for (const b of o.builtins) {
    const e = external.get(b.name);
    if (e) o.onInfo?.(`Plugin ${b.name} from '${e.file}' replaces the built-in one`);
    else available.push(b);
  }
  for (const e of external.values()) available.push(e.plugin);

  const listFile = o.listFile ?? folder?.listFile ?? null;
  let names: string[];
  if (listFile !== null) {
    names = parsePluginList(Deno.readTextFileSync(listFile));
  } else {
    const have = new Set(available.map((p) => p.name));
    const absent = o.defaults.filter((n) => !have.has(n));
    if (absent.length) {
      throw new PluginListError(
        `Cannot load the default plugins: ${absent.join(", ")} ` +
          `${absent.length === 1 ? "is" : "are"} not built in (choose the plugins with -b FILE)`,
      );
    }
    names = [...o.defaults, ...external.keys()];
  }
  const byName = new Map(available.map((p) => [p.name, p]));
  const picked = new Set<PluginDefinition>();
  for (const n of names) {
    const p = byName.get(n);
    if (!p) {
      throw new PluginListError(
        `Unknown plugin "${n}" (available: ${available.map((a) => a.name).join(", ")})`,
      );
    }
    picked.add(p);
  }
  const accepted = acceptPlugins(loadOrder([...picked]), o.onError);
  return selectPlugins(accepted, accepted.map((p) => p.name));
}
