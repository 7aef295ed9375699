/**
 * psqlSink against a real PostgreSQL server (a private instance on loopback, tests/_postgres.ts):
 * rows equal to the flows file for every column type, T2's database/table/transaction
 * settings, the capture column, and the faults (server unreachable, wrong password, a table
 * with other columns, the server going away mid-run): one error, exit 1, the text outputs
 * complete, no half-committed transaction.
 *
 * Without a server these tests are skipped, saying so; in CI (`CI` set) that is a failure.
 */

import assert from "node:assert/strict";
import { run } from "../src/core/run.ts";
import { BUILTIN_PLUGINS } from "../plugins/mod.ts";
import { selectPlugins } from "../src/plugin/registry.ts";
import type { PluginDefinition } from "../src/plugin/api.ts";
import type { SettingAssignment } from "../src/plugin/settings.ts";
import { MemorySink } from "../src/output/byte_writer.ts";
import { formatFixed, formatG7 } from "../src/output/printf.ts";
import { type PgServer, SERVER_REQUIRED, startPostgres } from "./_postgres.ts";
import { allTypes } from "./_all_types_plugin.ts";
import { ANNOLOC, FAF, inTemp, t2 } from "./_cli.ts";

const started = startPostgres();
const pg: PgServer | null = typeof started === "string" ? null : started;
const skip = pg === null;
if (skip) console.warn(`psql_sink_test: no PostgreSQL server (${started}); skipping`);

Deno.test({
  name: "psqlSink: a private PostgreSQL server starts (required in CI)",
  ignore: skip && !SERVER_REQUIRED,
  fn() {
    if (skip) throw new Error(`no PostgreSQL server: ${started}`);
  },
});

const BASE = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats", "txtSink", "psqlSink"]);
const [basicFlow, basicStats, txtSink, psqlSink] = BASE;
const WITH_TYPES = [basicFlow, basicStats, allTypes, txtSink, psqlSink];

interface Ran {
  readonly exitCode: number;
  readonly stderr: string;
  /** _flows.txt and _headers.txt. */
  readonly flows: string;
  readonly headers: string;
}

/** Run a capture in process with psqlSink pointed at the test server. */
function runPsql(
  db: string,
  settings: Record<string, string | number> = {},
  plugins: readonly PluginDefinition[] = BASE,
  input = FAF,
): Ran {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_psql_" });
  try {
    const stderr: string[] = [];
    const all: Record<string, string | number> = {
      PSQL_HOST: pg!.host,
      PSQL_PORT: pg!.port,
      PSQL_PASS: pg!.password,
      PSQL_DBNAME: db,
      ...settings,
    };
    const assignments: SettingAssignment[] = Object.entries(all).map(([name, v]) => ({
      part: "psqlSink",
      name,
      value: String(v),
    }));
    const r = run({
      inputs: [input],
      inputName: input,
      outputPrefix: dir + "/",
      plugins,
      settings: [{ name: "SUBNET_ON", value: "0" }, ...assignments],
      packetMode: false,
      commandLine: "t2",
      reportSink: new MemorySink(),
      stderr: (l) => stderr.push(l),
    });
    const stem = input.slice(input.lastIndexOf("/") + 1).replace(/\.pcap$/, "");
    const read = (s: string) => {
      try {
        return Deno.readTextFileSync(`${dir}/${stem}${s}`);
      } catch {
        return "";
      }
    };
    return {
      exitCode: r.exitCode,
      stderr: stderr.join("\n"),
      flows: read("_flows.txt"),
      headers: read("_headers.txt"),
    };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** The rows of `_flows.txt` (without the header line). */
function flowRows(flows: string): string[][] {
  return flows.split("\n").slice(1, -1).map((l) => l.split("\t"));
}

function query(db: string, sql: string): string[][] {
  const out = pg!.psql(sql, db);
  return out === "" ? [] : out.split("\x1e").map((r) => r.split("\x1f"));
}

function count(db: string, table = "flow"): number {
  return Number(query(db, `SELECT count(*) FROM ${table}`)[0][0]);
}

function ptest(name: string, fn: () => void | Promise<void>): void {
  Deno.test({ name: `psqlSink: ${name}`, ignore: skip, fn });
}

// ---- Values ------------------------------------------------------------------------------

/** `0x…` → decimal (hex columns are stored as integers); other text unchanged. */
function intText(s: string): string {
  return s.startsWith("0x") ? BigInt(s).toString() : s;
}

/** Nanoseconds of `sec.fraction` text. */
function nanos(s: string): bigint {
  const [sec, frac = ""] = s.split(".");
  return BigInt(sec) * 1_000_000_000n + BigInt((frac + "000000000").slice(0, 9));
}

/** One level of backslash escapes removed, as PostgreSQL's array parser does. */
function unescapeOne(s: string): string {
  return s.replace(/\\(.)/gs, "$1");
}

/**
 * Whether the stored value (as selected by {@linkcode selectExpr}) equals the flows-file text
 * of a column of T2 type `t2` (from _headers.txt) stored as `sql`.
 */
function same(flowsText: string, db: string, sql: string, t2: string): boolean {
  if (sql.endsWith("[]")) {
    const arr = JSON.parse(db) as unknown[];
    const parts = flowsText === "" ? [] : flowsText.split(";");
    if (arr.length !== parts.length) return false;
    const base = sql.slice(0, -2);
    const one = t2.replace(/:R$/, "");
    return parts.every((p, i) => {
      const v = arr[i];
      if (base === "text" && one === "S") return unescapeOne(p.slice(1, -1)) === v;
      if (base === "text" && one.includes("_")) return same(p, v as string, "text", one);
      return same(p, String(v), base, one);
    });
  }
  switch (sql) {
    case "smallint":
    case "integer":
    case "bigint":
    case "numeric":
      return intText(flowsText) === db;
    case "real":
      return formatG7(Math.fround(Number(db))) === flowsText;
    case "double precision":
      return formatFixed(Number(db), 6) === flowsText;
    case "character(1)":
    case "macaddr":
      return flowsText === db;
    case "inet":
      return (flowsText === "-" ? "0.0.0.0" : flowsText) === db;
    case "timestamp with time zone":
    case "interval": {
      // Stored at microseconds (the server rounds): within half a microsecond.
      const d = nanos(flowsText) - nanos(db);
      return d <= 500n && d >= -500n;
    }
    case "text":
      if (t2.includes("_")) {
        const a = flowsText.split("_");
        const b = db.split("_");
        return a.length === b.length && a.every((x, i) => intText(x) === b[i]);
      }
      // T2's psqlSink doubles the backslash of \u00XX escapes; the flows file does not.
      return (t2 === "S" ? flowsText.slice(1, -1) : flowsText) ===
        db.replaceAll("\\\\u00", "\\u00");
  }
  throw new Error(`no comparison for ${sql}`);
}

/** SQL that selects a column as text that {@linkcode same} understands. */
function selectExpr(name: string, sql: string): string {
  const q = `"${name}"`;
  if (sql.endsWith("[]")) return `array_to_json(${q})::text`;
  if (sql === "timestamp with time zone" || sql === "interval") {
    return `extract(epoch from ${q})::text`;
  }
  if (sql === "inet") return `host(${q})`;
  return `${q}::text`;
}

/** The table's columns and their types as the server names them. */
function tableTypes(db: string, table = "flow"): Map<string, string> {
  return new Map(
    query(
      db,
      `SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ` +
        `'public.${table}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    ).map(([n, t]) => [n, t]),
  );
}

/** T2 type code of each column, from _headers.txt. */
function headerTypes(headers: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of headers.split("\n")) {
    const f = l.split("\t");
    if (f.length >= 3 && /^\d+$/.test(f[0])) out.set(f[2], f[1]);
  }
  return out;
}

/** Every row and column of the table against the flows file; returns the rows compared. */
function assertTableEqualsFlows(db: string, r: Ran, table = "flow"): number {
  const names = r.flows.split("\n")[0].slice(1).split("\t");
  const rows = flowRows(r.flows);
  const types = tableTypes(db, table);
  const t2Types = headerTypes(r.headers);
  const cols = names.map((n) => ({ n, sql: types.get(n)! }));
  for (const c of cols) assert.ok(c.sql, `no column ${c.n} in the table`);
  const exact = names.filter((n) => types.has(n + "_sec"));
  const select = [
    ...cols.map((c) => selectExpr(c.n, c.sql)),
    ...exact.map((n) => `"${n}_sec"::text`),
  ].join(", ");
  const stored = query(db, `SELECT ${select} FROM ${table} ORDER BY id`);
  assert.equal(stored.length, rows.length, "rows in the table = flows in the flows file");
  rows.forEach((row, i) => {
    cols.forEach((c, j) => {
      assert.ok(
        same(row[j], stored[i][j], c.sql, t2Types.get(c.n)!),
        `row ${i + 1}, column ${c.n} (${c.sql}): flows file "${row[j]}", table "${stored[i][j]}"`,
      );
    });
    exact.forEach((n, k) => {
      // The exact-seconds columns hold every digit of the flows file.
      assert.equal(stored[i][cols.length + k], row[names.indexOf(n)], `row ${i + 1}, ${n}_sec`);
    });
  });
  return rows.length;
}

ptest("one row per flow, every value equal to the flows file, for every column type", () => {
  const r = runPsql("values_db", {}, WITH_TYPES);
  assert.equal(r.exitCode, 0, r.stderr);
  const types = tableTypes("values_db");
  // T2's mapping, one SQL type per value type (psqlSink.md §4) and the exact-seconds columns.
  for (
    const [col, type] of [
      ["id", "bigint"],
      ["dir", "character(1)"],
      ["flowInd", "numeric"],
      ["timeFirst", "timestamp with time zone"],
      ["timeFirst_sec", "numeric"],
      ["duration", "interval"],
      ["duration_sec", "numeric"],
      ["tI8", "smallint"],
      ["tI16", "smallint"],
      ["tI32", "integer"],
      ["tI64", "bigint"],
      ["tU8", "smallint"],
      ["tU16", "integer"],
      ["tU32", "bigint"],
      ["tU64", "numeric"],
      ["tH8", "smallint"],
      ["tH16", "integer"],
      ["tH32", "bigint"],
      ["tH64", "numeric"],
      ["tF", "real"],
      ["tD", "double precision"],
      ["tC", "character(1)"],
      ["tS", "text"],
      ["tSC", "text"],
      ["tTime", "timestamp with time zone"],
      ["tDur", "interval"],
      ["tMac", "macaddr"],
      ["tIP4", "inet"],
      ["tIP6", "inet"],
      ["tIPX0", "inet"],
      ["tCmp", "text"],
      ["tRep", "integer[]"],
      ["tRepEmpty", "smallint[]"],
      ["tRepCmp", "text[]"],
      ["tRepS", "text[]"],
      ["srcMac", "macaddr[]"],
    ]
  ) assert.equal(types.get(col), type, col);
  const n = assertTableEqualsFlows("values_db", r);
  assert.ok(n > 10);
  // The stored string is T2's escaped text (psqlSink.md §5.1), nanoseconds kept in _sec.
  assert.deepEqual(
    query("values_db", `SELECT "tS", "tTime_sec"::text, "tH64"::text FROM flow LIMIT 1`)[0],
    [
      "a\\\"b\\\\c\\nd'e\\\\u001B\\tf é/",
      "921159929.611369123",
      "9223372036854808577",
    ],
  );
});

ptest("layer-2 flows, VLANs and many flows (annoloc-small) equal the flows file", () => {
  const r = runPsql("annoloc_db", {}, BASE, ANNOLOC);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(assertTableEqualsFlows("annoloc_db", r), 336);
});

ptest("PSQL_TRANSACTION_NFLOWS 0, 1 and 7 store the same rows", () => {
  const reference = runPsql("tx_db", { PSQL_TABLE_NAME: "t_default" });
  const flows = flowRows(reference.flows).length;
  for (const n of [0, 1, 7]) {
    const r = runPsql("tx_db", { PSQL_TRANSACTION_NFLOWS: n, PSQL_TABLE_NAME: `t_${n}` });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(count("tx_db", `t_${n}`), flows);
    assert.deepEqual(
      query("tx_db", `SELECT * FROM t_${n} EXCEPT SELECT * FROM t_default`),
      [],
      `NFLOWS=${n}`,
    );
  }
});

ptest("PSQL_OVERWRITE_DB and PSQL_OVERWRITE_TABLE as T2 (0 error, 1 re-create, 2 use)", () => {
  const first = runPsql("over_db");
  assert.equal(first.exitCode, 0, first.stderr);
  const flows = flowRows(first.flows).length;
  // 2 (default): append; ids continue.
  assert.equal(runPsql("over_db").exitCode, 0);
  assert.equal(count("over_db"), 2 * flows);
  assert.deepEqual(query("over_db", "SELECT min(id), max(id) FROM flow")[0], ["1", `${2 * flows}`]);
  // Table 1: dropped and created again.
  assert.equal(runPsql("over_db", { PSQL_OVERWRITE_TABLE: 1 }).exitCode, 0);
  assert.equal(count("over_db"), flows);
  // Table 0: an error, nothing added.
  const t0 = runPsql("over_db", { PSQL_OVERWRITE_TABLE: 0 });
  assert.equal(t0.exitCode, 1);
  assert.match(
    t0.stderr,
    /\[ERR\] psqlSink: Table 'flow' already exists in database 'over_db' \(PSQL_OVERWRITE_TABLE=0\)/,
  );
  assert.equal(count("over_db"), flows);
  // Database 0: an error.
  const d0 = runPsql("over_db", { PSQL_OVERWRITE_DB: 0 });
  assert.equal(d0.exitCode, 1);
  assert.match(d0.stderr, /psqlSink: Database 'over_db' already exists/);
  // Database 1: dropped (with its other tables) and created again.
  query("over_db", "CREATE TABLE other (x int)");
  assert.equal(runPsql("over_db", { PSQL_OVERWRITE_DB: 1 }).exitCode, 0);
  assert.equal(count("over_db"), flows);
  assert.equal(query("over_db", "SELECT to_regclass('other') IS NULL")[0][0], "t");
  // Names are folded to lower case as the server does; other names are refused.
  assert.equal(runPsql("Over_DB", { PSQL_TABLE_NAME: "MyFlow" }).exitCode, 0);
  assert.equal(count("over_db", "myflow"), flows);
  const bad = runPsql("over_db", { PSQL_TABLE_NAME: "my-flows" });
  assert.equal(bad.exitCode, 1);
  assert.match(bad.stderr, /PSQL_TABLE_NAME 'my-flows' is not a plain SQL identifier/);
});

ptest("PSQL_CAPTURE_COLUMN keeps the rows of several captures in one table apart", () => {
  const faf = runPsql("shared_db", { PSQL_CAPTURE_COLUMN: "capture" });
  const anno = runPsql("shared_db", { PSQL_CAPTURE_COLUMN: "capture" }, BASE, ANNOLOC);
  const named = runPsql("shared_db", {
    PSQL_CAPTURE_COLUMN: "capture",
    PSQL_CAPTURE_NAME: "shard-7",
  });
  for (const r of [faf, anno, named]) assert.equal(r.exitCode, 0, r.stderr);
  const byCapture = query(
    "shared_db",
    "SELECT capture, count(*) FROM flow GROUP BY capture ORDER BY capture",
  );
  const n = flowRows(faf.flows).length;
  assert.deepEqual(byCapture, [
    [ANNOLOC, String(flowRows(anno.flows).length)],
    [FAF, String(n)],
    ["shard-7", String(n)],
  ]);
  assert.equal(tableTypes("shared_db").get("capture"), "text");
  assert.deepEqual([...tableTypes("shared_db").keys()].slice(0, 3), ["id", "capture", "dir"]);
});

ptest("PSQL_SELECT=1 writes the chosen columns in column order", () => {
  const file = Deno.makeTempFileSync();
  try {
    Deno.writeTextFileSync(file, "# comment\nsrcIP\ndstIP\nflowInd\nsrcPort\nbogus\n#hdrDesc\n");
    const r = runPsql("select_db", {
      PSQL_SELECT: 1,
      PSQL_SELECT_FILE: file,
      PSQL_EXACT_TIME: 0,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual([...tableTypes("select_db")], [
      ["id", "bigint"],
      ["flowInd", "numeric"],
      ["srcIP", "inet"],
      ["srcPort", "integer"],
      ["dstIP", "inet"],
    ]);
    assert.equal(count("select_db"), flowRows(r.flows).length);
  } finally {
    Deno.removeSync(file);
  }
});

// ---- Faults ------------------------------------------------------------------------------

/** The text outputs are whole: the headers file, and the flows file of complete lines. */
function assertTextComplete(r: Ran, flowsAtLeast: number): void {
  assert.ok(r.headers.includes("# Col No.\tType\tName\tDescription"));
  assert.ok(r.headers.trimEnd().endsWith("\tByte stream asymmetry"), r.headers.slice(-200));
  assert.ok(r.flows.startsWith("%dir\t") && r.flows.endsWith("\n"));
  const lines = r.flows.split("\n").slice(0, -1);
  for (const l of lines) assert.equal(l.split("\t").length, lines[0].split("\t").length);
  assert.ok(lines.length - 1 >= flowsAtLeast, `${lines.length - 1} flows written`);
}

ptest("fault: server unreachable: one error, exit 1, text outputs complete", () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const r = runPsql("unreachable_db", { PSQL_PORT: port });
  assert.equal(r.exitCode, 1);
  const lines = r.stderr.split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    /^\[ERR\] psqlSink: Failed to connect to DB 'postgres' on '127\.0\.0\.1' with user 'postgres': .*ECONNREFUSED/,
  );
  assertTextComplete(r, 0);
});

ptest("fault: wrong password: one error naming it, exit 1", () => {
  const r = runPsql("password_db", { PSQL_PASS: "wrong" });
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr.split("\n").length, 1, r.stderr);
  assert.match(
    r.stderr,
    /Failed to connect to DB 'postgres' on '127\.0\.0\.1' with user 'postgres': password authentication failed for user "postgres"/,
  );
  assertTextComplete(r, 0);
});

ptest("fault: the table exists with other columns: one error, nothing appended", () => {
  query("postgres", "CREATE DATABASE schema_db");
  query("schema_db", `CREATE TABLE flow (id bigserial, "dir" text, "flowInd" numeric)`);
  query("schema_db", `INSERT INTO flow ("dir", "flowInd") VALUES ('x', 1)`);
  const r = runPsql("schema_db");
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr.split("\n").length, 1, r.stderr);
  assert.match(
    r.stderr,
    /psqlSink: Table 'flow' in database 'schema_db' exists with other columns: "dir" is text, not character\(1\); no column "flowStat" \(numeric\);/,
  );
  assert.equal(count("schema_db"), 1);
  assertTextComplete(r, 0);
  // Re-created on request.
  assert.equal(runPsql("schema_db", { PSQL_OVERWRITE_TABLE: 1 }).exitCode, 0);
});

ptest("fault: the server goes away mid-run: one error, exit 1, no half transaction", () => {
  // A plugin after psqlSink stops the server (as a crash would) at the 25th flow.
  const killer: PluginDefinition = {
    name: "serverKiller",
    number: 990,
    version: "0",
    create: () => {
      let n = 0;
      return {
        bufferToSink() {
          if (++n === 25) pg!.kill();
        },
      };
    },
  };
  let r: Ran;
  try {
    r = runPsql("gone_db", { PSQL_TRANSACTION_NFLOWS: 10 }, [...BASE, killer], ANNOLOC);
  } finally {
    pg!.restart();
  }
  assert.equal(r.exitCode, 1);
  const lines = r.stderr.split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    /^\[ERR\] psqlSink: COPY into table 'flow' of DB 'gone_db' on '127\.0\.0\.1' failed: .*The open transaction \(\d+ rows\) was not committed; \d+ rows committed before remain$/,
  );
  assertTextComplete(r, 25);
  // Only whole transactions of 10 rows were committed, at most those before the 25th flow.
  const stored = count("gone_db");
  assert.ok(stored % 10 === 0 && stored <= 20, `${stored} rows stored`);
});

ptest(
  "the t2 command (task flags, worker) loads a capture, password from the environment",
  async () => {
    await inTemp(async (dir) => {
      Deno.writeTextFileSync(`${dir}/list.txt`, "basicFlow\nbasicStats\ntxtSink\npsqlSink\n");
      const r = await t2([
        "-r",
        FAF,
        "-w",
        dir + "/",
        "-b",
        `${dir}/list.txt`,
        "--set",
        "SUBNET_ON=0",
        "--set",
        `PSQL_PORT=${pg!.port}`,
        "--set",
        "PSQL_DBNAME=cli_db",
      ], { env: { PSQL_PASS: pg!.password } });
      assert.equal(r.code, 0, r.stderr);
      const flows = Deno.readTextFileSync(`${dir}/faf-small_flows.txt`);
      assert.equal(count("cli_db"), flowRows(flows).length);
      // The password given in the environment is not in the headers file's command line.
      assert.ok(!Deno.readTextFileSync(`${dir}/faf-small_headers.txt`).includes(pg!.password));
    });
  },
);

ptest(
  "--jobs 2: two captures at once into one new table, apart by the capture column",
  async () => {
    await inTemp(async (dir) => {
      Deno.writeTextFileSync(`${dir}/list.txt`, "basicFlow\nbasicStats\ntxtSink\npsqlSink\n");
      const r = await t2([
        "--jobs",
        "2",
        "-r",
        FAF,
        "-r",
        ANNOLOC,
        "-w",
        dir + "/",
        "-b",
        `${dir}/list.txt`,
        "--set",
        "SUBNET_ON=0",
        "--set",
        `PSQL_PORT=${pg!.port}`,
        "--set",
        "PSQL_DBNAME=jobs_db",
        "--set",
        "PSQL_CAPTURE_COLUMN=capture",
      ], { env: { PSQL_PASS: pg!.password } });
      assert.equal(r.code, 0, r.stderr);
      const flows = (stem: string) =>
        flowRows(Deno.readTextFileSync(`${dir}/${stem}_flows.txt`)).length;
      assert.deepEqual(
        query("jobs_db", "SELECT capture, count(*) FROM flow GROUP BY capture ORDER BY capture"),
        [[ANNOLOC, String(flows("annoloc-small"))], [FAF, String(flows("faf-small"))]],
      );
    });
  },
);

Deno.test({
  name: "psqlSink: stop the test server",
  ignore: skip,
  fn: () => pg!.stop(),
});
