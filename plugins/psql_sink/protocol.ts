/**
 * What psqlSink's main side and its database worker tell each other. The plugin's callbacks
 * are synchronous and the PostgreSQL client is asynchronous, so the client runs in a worker:
 * the plugin posts rows and commands as messages, and the worker reports progress and errors
 * in a small shared memory block that the plugin can read (and wait on, with `Atomics.wait`)
 * without returning to the event loop.
 *
 * @module
 */

/** Connection and table settings, as the worker needs them. */
export interface DbConfig {
  /** Host name or address; a path starting with `/` is a Unix-socket directory. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Database and table names (plain identifiers, lower case). */
  readonly database: string;
  readonly table: string;
  /** PSQL_OVERWRITE_DB / PSQL_OVERWRITE_TABLE: 0 error, 1 drop and create, 2 use/append. */
  readonly overwriteDb: number;
  readonly overwriteTable: number;
  /** Column definitions of `CREATE TABLE table (...)`. */
  readonly columnDefinitions: string;
  /** The quoted column list of `COPY table (...) FROM STDIN`. */
  readonly copyColumns: string;
  /** Seconds to wait for a connection (T2: 10). */
  readonly connectTimeout: number;
}

/** Messages from the plugin to the worker, handled in order. */
export type ToWorker =
  | { readonly type: "start"; readonly shared: SharedArrayBuffer; readonly config: DbConfig }
  /** COPY lines of `rows` flows, appended to the open COPY (opened if none is). */
  | { readonly type: "rows"; readonly data: Uint8Array; readonly rows: number }
  /** End the open COPY: its rows are committed (one COPY is one transaction). */
  | { readonly type: "commit" }
  /** Commit what is open, close the connection. */
  | { readonly type: "finish" };

/** Slots of the shared `Int32Array`. */
export const STATE = 0;
/** Messages after `start` that the worker has finished handling. */
export const HANDLED = 1;
/** Length of the UTF-8 error text that follows the slots. */
export const ERROR_LENGTH = 2;
/** Rows committed so far (up to 2^31; only for messages). */
export const COMMITTED = 3;

/** Values of the {@linkcode STATE} slot. */
export const State = { STARTING: 0, READY: 1, FAILED: 2, FINISHED: 3 } as const;

/** Bytes of the slots; the error text starts here. */
export const ERROR_OFFSET = 64;
/** Size of the shared block (the error text is cut to fit). */
export const SHARED_BYTES = ERROR_OFFSET + 16384;
