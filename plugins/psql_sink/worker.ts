/**
 * psqlSink's database worker: connects with the `pg` client (node-postgres), prepares the
 * database and table as T2 does (spec/plugins/psqlSink.md §3), then loads the rows it is sent
 * with `COPY ... FROM STDIN` (pg-copy-streams), one COPY per transaction. It runs only when psqlSink is used, so
 * a run without psqlSink never loads the client.
 *
 * Errors end the worker's part: the text goes to the shared block and the state to FAILED;
 * the plugin reports it. An unfinished COPY is never committed: the server rolls it back when
 * the statement fails or the connection goes.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  COMMITTED,
  type DbConfig,
  ERROR_LENGTH,
  ERROR_OFFSET,
  HANDLED,
  SHARED_BYTES,
  STATE,
  State,
  type ToWorker,
} from "./protocol.ts";

/** A connection: statements return their rows. */
interface Db {
  unsafe(text: string): Promise<Record<string, unknown>[]>;
  end(): Promise<void>;
  readonly client: pg.Client;
}

let ctl: Int32Array;
let errBytes: Uint8Array;
let config: DbConfig;
let sql: Db | null = null;
let copy: OpenCopy | null = null;
let rowsOpen = 0;
let rowsCommitted = 0;
let failed = false;
let queue: Promise<void> = Promise.resolve();

/** A failure with the message the plugin prints. */
class DbFailure extends Error {}

/** Connect to a database; a failure is reported as T2 words it, with the reason. */
async function connect(database: string): Promise<Db> {
  const c = config;
  // Every parameter is given, so that the client reads no PG* environment variable or
  // ~/.pgpass (a compiled binary may read only the variables it declares).
  const client = new pg.Client({
    host: c.host,
    port: c.port,
    database,
    user: c.user,
    password: c.password,
    ssl: false,
    connectionTimeoutMillis: c.connectTimeout * 1000,
    keepAlive: true,
    application_name: "t2ts psqlSink",
    options: "",
    client_encoding: "UTF8",
  });
  // A connection lost between statements: the next statement fails with it.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (e) {
    throw new DbFailure(
      `Failed to connect to DB '${database}' on '${c.host}' with user '${c.user}': ${reason(e)}`,
    );
  }
  return {
    client,
    unsafe: async (text) => (await client.query(text)).rows,
    end: () => client.end(),
  };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Run a statement; a failure names it. */
async function query(db: Db, text: string): Promise<Record<string, unknown>[]> {
  try {
    return [...await db.unsafe(text)];
  } catch (e) {
    throw new DbFailure(`Failed to execute query '${text}': ${reason(e)}`);
  }
}

async function prepare(): Promise<void> {
  const c = config;
  // Connection 1, to the maintenance database: create (or drop and create) ours.
  const admin = await connect("postgres");
  try {
    const rows = await query(admin, "SELECT datname FROM pg_database;");
    const exists = rows.some((r) => String(r.datname).toLowerCase() === c.database);
    if (exists && c.overwriteDb === 0) {
      throw new DbFailure(`Database '${c.database}' already exists (PSQL_OVERWRITE_DB=0)`);
    }
    if (exists && c.overwriteDb === 1) await query(admin, `DROP DATABASE ${c.database};`);
    if (!exists || c.overwriteDb === 1) {
      try {
        await admin.unsafe(`CREATE DATABASE ${c.database};`);
      } catch (e) {
        // Another shard created it at the same moment: use it.
        const code = (e as { code?: string }).code;
        if (!(code === "42P04" || code === "23505") || c.overwriteDb === 1) {
          throw new DbFailure(
            `Failed to execute query 'CREATE DATABASE ${c.database};': ${reason(e)}`,
          );
        }
      }
    }
  } finally {
    await admin.end().catch(() => {});
  }

  // Connection 2, kept for the rows.
  sql = await connect(c.database);
  // Shards starting together must not both create the table: hold a lock while deciding.
  const lock = `hashtext('t2ts psqlSink ${c.table}')`;
  await query(sql, `SELECT pg_advisory_lock(${lock});`);
  try {
    const tables = await query(
      sql,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public';",
    );
    const exists = tables.some((r) => String(r.tablename).toLowerCase() === c.table);
    if (exists && c.overwriteTable === 0) {
      throw new DbFailure(
        `Table '${c.table}' already exists in database '${c.database}' (PSQL_OVERWRITE_TABLE=0)`,
      );
    }
    if (exists && c.overwriteTable === 1) await query(sql, `DROP TABLE public.${c.table};`);
    if (!exists || c.overwriteTable === 1) {
      await query(sql, `CREATE TABLE public.${c.table} (${c.columnDefinitions});`);
    } else {
      await checkColumns(sql);
    }
  } finally {
    await sql.unsafe(`SELECT pg_advisory_unlock(${lock});`).catch(() => {});
  }
}

/**
 * Appending (PSQL_OVERWRITE_TABLE=2) to a table that exists: every column this run writes
 * must be there with the same type (T2 does not check, and rows could land in the wrong
 * columns or fail half-way). Compared with a temporary table of the wanted columns, so the
 * types are compared as the server spells them.
 */
async function checkColumns(db: Db): Promise<void> {
  const c = config;
  const columnsOf = async (rel: string) => {
    const rows = await query(
      db,
      `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute ` +
        `WHERE attrelid = '${rel}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;`,
    );
    return new Map(rows.map((r) => [String(r.attname), String(r.type)]));
  };
  await query(db, `CREATE TEMP TABLE t2ts_wanted (${c.columnDefinitions});`);
  const wanted = await columnsOf("pg_temp.t2ts_wanted");
  await query(db, "DROP TABLE pg_temp.t2ts_wanted;");
  const have = await columnsOf(`public.${c.table}`);
  const problems: string[] = [];
  for (const [name, type] of wanted) {
    const got = have.get(name);
    if (got === undefined) problems.push(`no column "${name}" (${type})`);
    else if (got !== type) problems.push(`"${name}" is ${got}, not ${type}`);
  }
  if (problems.length) {
    const more = problems.length > 5 ? ` and ${problems.length - 5} more` : "";
    throw new DbFailure(
      `Table '${c.table}' in database '${c.database}' exists with other columns: ` +
        problems.slice(0, 5).join("; ") + more +
        ". Use another PSQL_TABLE_NAME, or PSQL_OVERWRITE_TABLE=1 to drop and re-create it",
    );
  }
}

/** The COPY being written, and what its stream said (it fails and ends asynchronously). */
interface OpenCopy {
  readonly stream: ReturnType<typeof copyFrom>;
  error: Error | null;
  finished: boolean;
  /** "drain" events so far. */
  drains: number;
  /** Called on every event of the stream (settles a waiting write or end). */
  wake: () => void;
}

function openCopy(): OpenCopy {
  const stream = sql!.client.query(
    copyFrom(`COPY public.${config.table} (${config.copyColumns}) FROM STDIN`),
  );
  const c: OpenCopy = { stream, error: null, finished: false, drains: 0, wake: () => {} };
  stream.on("error", (e: Error) => {
    c.error ??= e;
    c.wake();
  });
  // pg-copy-streams emits "finish" once the server confirmed the COPY (it is committed).
  stream.on("finish", () => {
    c.finished = true;
    c.wake();
  });
  stream.on("drain", () => {
    c.drains++;
    c.wake();
  });
  return c;
}

/** Wait until `done()` holds; rejects once the stream failed. */
function until(c: OpenCopy, done: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = () => {
      if (c.error) reject(c.error);
      else if (done()) resolve();
      else return;
      c.wake = () => {};
    };
    c.wake = check;
    check();
  });
}

async function writeRows(data: Uint8Array, rows: number): Promise<void> {
  copy ??= openCopy();
  rowsOpen += rows;
  const c = copy;
  if (c.stream.write(data)) {
    if (c.error) throw c.error;
    return;
  }
  const drains = c.drains;
  await until(c, () => c.drains > drains);
}

async function commit(): Promise<void> {
  if (!copy) return;
  const c = copy;
  copy = null;
  if (!c.error) c.stream.end();
  await until(c, () => c.finished);
  rowsCommitted += rowsOpen;
  rowsOpen = 0;
  Atomics.store(ctl, COMMITTED, Math.min(rowsCommitted, 0x7fffffff));
}

function fail(e: unknown): void {
  failed = true;
  let text = e instanceof DbFailure ? e.message : duringRows(e);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > SHARED_BYTES - ERROR_OFFSET) {
    text = text.slice(0, 4000) + " ...";
  }
  const n = new TextEncoder().encodeInto(text, errBytes).written;
  Atomics.store(ctl, ERROR_LENGTH, n);
  Atomics.store(ctl, STATE, State.FAILED);
  Atomics.notify(ctl, STATE);
  Atomics.notify(ctl, HANDLED);
  void sql?.end().catch(() => {});
}

/** The message of an error while rows were loading: what was lost and what stays. */
function duringRows(e: unknown): string {
  return `COPY into table '${config.table}' of DB '${config.database}' on '${config.host}' ` +
    `failed: ${reason(e)}. The open transaction (${rowsOpen} rows) was not committed; ` +
    `${rowsCommitted} rows committed before remain`;
}

async function handle(m: ToWorker): Promise<void> {
  if (failed) return;
  try {
    switch (m.type) {
      case "rows":
        await writeRows(m.data, m.rows);
        break;
      case "commit":
        await commit();
        break;
      case "finish":
        await commit();
        await sql?.end();
        sql = null;
        Atomics.store(ctl, STATE, State.FINISHED);
        break;
    }
  } catch (e) {
    fail(e);
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.type === "start") {
    ctl = new Int32Array(m.shared, 0, ERROR_OFFSET / 4);
    errBytes = new Uint8Array(m.shared, ERROR_OFFSET, SHARED_BYTES - ERROR_OFFSET);
    config = m.config;
    queue = prepare().then(
      () => {
        Atomics.store(ctl, STATE, State.READY);
        Atomics.notify(ctl, STATE);
      },
      (e) =>
        fail(
          e instanceof DbFailure ? e : new DbFailure(
            `Failed to prepare DB '${config.database}' on '${config.host}': ${reason(e)}`,
          ),
        ),
    );
    return;
  }
  queue = queue.then(() => handle(m)).then(() => {
    Atomics.add(ctl, HANDLED, 1);
    Atomics.notify(ctl, HANDLED);
  });
};
