/**
 * A plugin that cannot go on (T2's plugins print `[ERR] name: text` and exit 1): thrown from
 * a callback, it ends the run with that one error line and exit code 1. The core first lets
 * every plugin finish (`finalize`), so the files already written stay complete.
 *
 * @module
 */

/**
 * A fatal error of a plugin, e.g. a sink whose database went away.
 *
 * @example
 * ```ts
 * import { PluginError } from "./plugin_error.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new PluginError("psqlSink", "Failed to connect to DB 'postgres' on '127.0.0.1'");
 * assert.equal(e.message, "psqlSink: Failed to connect to DB 'postgres' on '127.0.0.1'");
 * ```
 */
export class PluginError extends Error {
  override name = "PluginError";
  /** The plugin's name. */
  readonly plugin: string;

  /**
   * @param plugin the plugin's name (printed before the text, as T2 does)
   * @param text what went wrong
   */
  constructor(plugin: string, text: string) {
    super(`${plugin}: ${text}`);
    this.plugin = plugin;
  }
}
