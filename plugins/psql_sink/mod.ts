/**
 * psqlSink (plugin 923): every flow as one row of a PostgreSQL table (spec/plugins/psqlSink.md):
 * T2's settings and defaults, database and table creation (`PSQL_OVERWRITE_DB`/`_TABLE`),
 * transactions of `PSQL_TRANSACTION_NFLOWS` rows, T2's type mapping, one column per flow
 * column named as in the flows file.
 *
 * Rows are bulk-loaded with `COPY ... FROM STDIN` (one COPY per transaction) by the
 * `postgres` npm client, which runs in a worker started by `init` (docs/psql.md says why and
 * how fast). A run without psqlSink never loads the client.
 *
 * Additions (settings): `PSQL_EXACT_TIME=1` (default) adds after each timestamp/duration
 * column `<name>_sec numeric` with all nine decimals; `PSQL_CAPTURE_COLUMN` adds a text column
 * naming the capture, so that rows of many captures in one table stay apart.
 *
 * @module
 */

import {
  type Column,
  type OutputBuffer,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  rootUrl,
} from "../../mod.ts";
import { DbBridge } from "./bridge.ts";
import { PsqlFailure } from "./failure.ts";
import { columnDefinitions, quoteName, type TableColumn, tableColumns } from "./schema.ts";
import { RowWriter } from "./row_text.ts";
import type { DbConfig } from "./protocol.ts";

/** The worker module, from the program's root (the same path in a bundle or binary). */
export const WORKER_PATH = "plugins/psql_sink/worker.ts";

/**
 * Settings that, as in T2 (`ENVCNTRL=2`), an environment variable of the same name overrides
 * when `--set` left them at their default.
 */
const FROM_ENV = [
  "PSQL_HOST",
  "PSQL_PORT",
  "PSQL_USER",
  "PSQL_PASS",
  "PSQL_DBNAME",
  "PSQL_TABLE_NAME",
  "PSQL_SELECT_FILE",
] as const;

/** The psqlSink plugin. */
export const psqlSink: PluginDefinition = {
  name: "psqlSink",
  number: 923,
  version: "0.9.3",
  // A sharded attempt that falls back starts again: files are rewritten, rows sent are not.
  oneThread: "writes rows into a database, which a restart in one thread could not take back",
  settings: {
    PSQL_HOST: {
      type: "string",
      default: "127.0.0.1",
      description: "Server host name or address (a path starting with / is a Unix-socket " +
        "directory); the environment variable PSQL_HOST overrides the default",
    },
    PSQL_PORT: { type: "int", default: 5432, min: 1, max: 65535, description: "Server port" },
    PSQL_USER: { type: "string", default: "postgres", description: "Role to connect as" },
    PSQL_PASS: {
      type: "string",
      default: "postgres",
      description: "Password (prefer the environment variable PSQL_PASS: a --set value is " +
        "visible in the process list and in _headers.txt)",
    },
    PSQL_DBNAME: {
      type: "string",
      default: "tranalyzer",
      description: "Database (created when missing; a plain identifier, folded to lower case)",
    },
    PSQL_TABLE_NAME: {
      type: "string",
      default: "flow",
      description: "Table in schema public (a plain identifier, folded to lower case)",
    },
    PSQL_OVERWRITE_DB: {
      type: "int",
      default: 2,
      min: 0,
      max: 2,
      description: "If the database exists: 0 error, 1 drop and re-create it, 2 use it",
    },
    PSQL_OVERWRITE_TABLE: {
      type: "int",
      default: 2,
      min: 0,
      max: 2,
      description: "If the table exists: 0 error, 1 drop and re-create it, 2 append " +
        "(its columns must be those of this run)",
    },
    PSQL_TRANSACTION_NFLOWS: {
      type: "int",
      default: 40000,
      min: 0,
      description: "Rows per transaction: 0 one for the whole run, 1 each row on its own, " +
        "N commit every N rows (A and B flows count separately)",
    },
    PSQL_QRY_LEN: {
      type: "int",
      default: 32768,
      min: 1,
      description: "Longest CREATE TABLE statement in bytes (rows go by COPY, without limit)",
    },
    PSQL_SELECT: {
      type: "int",
      default: 0,
      min: 0,
      max: 1,
      description: "1: write only the columns named in PSQL_SELECT_FILE",
    },
    PSQL_SELECT_FILE: {
      type: "string",
      default: "psql-columns.txt",
      description: "Column names for PSQL_SELECT=1, one per line (# lines ignored)",
    },
    PSQL_EXACT_TIME: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "1: after each timestamp/duration column add <name>_sec numeric with all " +
        "nine decimals (timestamptz and interval keep microseconds only)",
    },
    PSQL_CAPTURE_COLUMN: {
      type: "string",
      default: "",
      description: "Name of a text column (first after id) naming the capture of each row; " +
        "empty: none",
    },
    PSQL_CAPTURE_NAME: {
      type: "string",
      default: "",
      description: "Value of the capture column; empty: the input as given (-r, -R or -D)",
    },
  },
  create: (ctx) => new PsqlSink(ctx),
};

/** Row text is handed to the worker in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 19;

class PsqlSink implements PluginHooks {
  readonly #ctx: PluginContext;
  #bridge: DbBridge | null = null;
  #failed = false;
  #rows: RowWriter | null = null;
  #pending: string[] = [];
  #pendingChars = 0;
  #pendingRows = 0;
  /** Rows since the last commit, and the transaction size (0: one transaction). */
  #inTransaction = 0;
  #perTransaction = 0;
  readonly #encoder = new TextEncoder();

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
  }

  /** A setting, or its environment variable when the setting kept its default (T2 ENVCNTRL). */
  #setting(name: string): string {
    const value = String(this.#ctx.setting(name));
    const spec = psqlSink.settings![name];
    if ((FROM_ENV as readonly string[]).includes(name) && value === String(spec.default)) {
      try {
        const env = Deno.env.get(name);
        if (env !== undefined) return env;
      } catch { /* no permission to read it: the default */ }
    }
    return value;
  }

  init(): void {
    this.#failing(() => this.#start());
  }

  /** Run `fn`; a PsqlFailure stops the run (`ctx.fail`), and the sink stops writing. */
  #failing(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof PsqlFailure)) throw e;
      this.#failed = true;
      const bridge = this.#bridge;
      this.#bridge = null;
      bridge?.close();
      this.#ctx.fail(`psqlSink: ${e.message}`);
    }
  }

  #start(): void {
    const ctx = this.#ctx;
    const database = identifier("PSQL_DBNAME", this.#setting("PSQL_DBNAME"));
    const table = identifier("PSQL_TABLE_NAME", this.#setting("PSQL_TABLE_NAME"));
    const port = Number(this.#setting("PSQL_PORT"));
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new PsqlFailure(`PSQL_PORT must be a port number, not '${port}'`);
    }
    let chosen: Set<string> | null = null;
    if (ctx.num("PSQL_SELECT") === 1) {
      const file = this.#setting("PSQL_SELECT_FILE");
      try {
        chosen = selectedColumns(Deno.readTextFileSync(file));
      } catch (e) {
        throw new PsqlFailure(`Failed to open file '${file}': ${(e as Error).message}`);
      }
    }
    const captureColumn = String(ctx.setting("PSQL_CAPTURE_COLUMN"));
    const table_ = tableColumns(ctx.columns(), {
      chosen,
      exactTime: ctx.num("PSQL_EXACT_TIME") === 1,
      captureColumn,
    });
    checkNames(table_);
    const definitions = columnDefinitions(table_);
    const create = `CREATE TABLE public.${table} (${definitions});`;
    if (new TextEncoder().encode(create).length >= ctx.num("PSQL_QRY_LEN")) {
      throw new PsqlFailure("query truncated... increase PSQL_QRY_LEN");
    }
    const config: DbConfig = {
      host: this.#setting("PSQL_HOST"),
      port,
      user: this.#setting("PSQL_USER"),
      password: this.#setting("PSQL_PASS"),
      database,
      table,
      overwriteDb: ctx.num("PSQL_OVERWRITE_DB"),
      overwriteTable: ctx.num("PSQL_OVERWRITE_TABLE"),
      columnDefinitions: definitions,
      copyColumns: table_.map((c) => quoteName(c.name)).join(", "),
      connectTimeout: 10,
    };
    const capture = String(ctx.setting("PSQL_CAPTURE_NAME")) || ctx.run.input;
    this.#rows = new RowWriter(table_, capture);
    this.#perTransaction = ctx.num("PSQL_TRANSACTION_NFLOWS");
    this.#bridge = new DbBridge(rootUrl(WORKER_PATH), config, 2 * 10_000 + 20_000);
  }

  bufferToSink(out: OutputBuffer, columns: readonly Column[]): void {
    // After a failure the run still writes the flows in memory: not into the database.
    if (this.#failed) return;
    this.#failing(() => this.#row(out, columns));
  }

  #row(out: OutputBuffer, columns: readonly Column[]): void {
    const line = this.#rows!.line(out, columns);
    this.#pending.push(line);
    this.#pendingChars += line.length;
    this.#pendingRows++;
    this.#inTransaction++;
    if (this.#perTransaction > 0 && this.#inTransaction >= this.#perTransaction) {
      this.#send();
      this.#bridge!.commit();
      this.#inTransaction = 0;
    } else if (this.#pendingChars >= CHUNK_CHARS) {
      this.#send();
    }
  }

  #send(bridge: DbBridge = this.#bridge!): void {
    if (this.#pendingRows === 0) return;
    const data = this.#encoder.encode(this.#pending.join(""));
    this.#pending.length = 0;
    this.#pendingChars = 0;
    const rows = this.#pendingRows;
    this.#pendingRows = 0;
    bridge.rows(data, rows);
  }

  finalize(): void {
    const bridge = this.#bridge;
    if (!bridge || this.#failed) return;
    this.#failing(() => {
      this.#send(bridge);
      bridge.finish();
      this.#bridge = null;
      bridge.close();
    });
  }
}

/** A database or table name: a plain SQL identifier, folded to lower case as the server does. */
function identifier(setting: string, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new PsqlFailure(
      `${setting} '${name}' is not a plain SQL identifier (letters, digits and _)`,
    );
  }
  return name.toLowerCase();
}

/** Column names the table cannot have twice (`id`, two plugins with the same column). */
function checkNames(cols: readonly TableColumn[]): void {
  const seen = new Set(["id"]);
  for (const c of cols) {
    if (seen.has(c.name)) {
      throw new PsqlFailure(`the table would have two columns named "${c.name}"`);
    }
    seen.add(c.name);
  }
}

/** The column names of a PSQL_SELECT_FILE: one per line, `#` lines are comments. */
function selectedColumns(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    names.add(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
  return names;
}
