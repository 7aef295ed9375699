/**
 * `deno task bench:psql [CAPTURE] [ROUNDS]`: psqlSink's figures (docs/psql.md),
 * against a private PostgreSQL server started for the run (tests/_postgres.ts).
 *
 * 1. Whole runs of `t2` on CAPTURE (default: 200 k flows made by
 *    ../shared/tools/gen-manyflows.mjs into a temporary file) with basicFlow, basicStats and
 *    txtSink, without and with psqlSink, interleaved: rows per second end to end, and the time
 *    psqlSink adds.
 * 2. The two npm clients loading the same COPY text (the rows psqlSink stored, dumped) into
 *    fresh tables, interleaved: `postgres` (postgres.js) against `pg` + `pg-copy-streams`.
 *
 * @module
 */

import postgres from "postgres"; // only for the comparison (docs/psql.md)
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { startPostgres } from "../../tests/_postgres.ts";
import { t2TaskFlags } from "../../tests/_support/t2_task.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const rounds = Number(Deno.args[1] ?? 3);
const server = startPostgres();
if (typeof server === "string") throw new Error(`no PostgreSQL server: ${server}`);
const work = Deno.makeTempDirSync({ prefix: "t2ts-psql-bench-" });

try {
  let capture = Deno.args[0];
  if (!capture) {
    capture = `${work}/manyflows.pcap`;
    const gen = new Deno.Command("node", {
      args: [`${REPO}../shared/tools/gen-manyflows.mjs`, capture, "1000000", "200000"],
    }).outputSync();
    if (!gen.success) throw new Error(new TextDecoder().decode(gen.stderr));
  }
  Deno.writeTextFileSync(`${work}/txt.txt`, "basicFlow\nbasicStats\ntxtSink\n");
  Deno.writeTextFileSync(`${work}/psql.txt`, "basicFlow\nbasicStats\ntxtSink\npsqlSink\n");

  const t2 = (list: string, table: string) => {
    const t0 = performance.now();
    const out = new Deno.Command(Deno.execPath(), {
      args: [
        ...t2TaskFlags(),
        `${REPO}main.ts`,
        "-r",
        capture!,
        "-w",
        `${work}/out/`,
        "-b",
        `${work}/${list}.txt`,
        "--set",
        "SUBNET_ON=0",
        ...(list === "psql"
          ? [
            "--set",
            `PSQL_PORT=${server.port}`,
            "--set",
            `PSQL_TABLE_NAME=${table}`,
            "--set",
            "PSQL_OVERWRITE_TABLE=1",
          ]
          : []),
      ],
      env: { PSQL_PASS: server.password, NO_COLOR: "1" },
      stdout: "null",
    }).outputSync();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    return (performance.now() - t0) / 1000;
  };

  console.log("== whole runs (seconds), interleaved; the machine may be loaded");
  const withTxt: number[] = [];
  const withPsql: number[] = [];
  for (let r = 0; r < rounds; r++) {
    withTxt.push(t2("txt", "flow"));
    withPsql.push(t2("psql", "flow"));
  }
  const rows = Number(server.psql("SELECT count(*) FROM flow", "tranalyzer"));
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`txtSink only:       ${withTxt.map((s) => s.toFixed(2)).join(" ")}`);
  console.log(`txtSink + psqlSink: ${withPsql.map((s) => s.toFixed(2)).join(" ")}`);
  console.log(
    `rows: ${rows}; end to end ${(rows / med(withPsql)).toFixed(0)} rows/s; psqlSink adds ` +
      `${(med(withPsql) - med(withTxt)).toFixed(2)} s (median)`,
  );

  // The rows as COPY text, for the clients.
  const columns = server.psql(
    `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute ` +
      `WHERE attrelid = 'flow'::regclass AND attnum > 1 AND NOT attisdropped`,
    "tranalyzer",
  );
  const dump = `${work}/rows.copy`;
  Deno.chmodSync(work, 0o777);
  server.psql(`\\copy flow (${columns}) TO '${dump}'`, "tranalyzer");
  const data = Deno.readFileSync(dump);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += 1 << 19) chunks.push(data.subarray(i, i + (1 << 19)));
  const conn = {
    host: "127.0.0.1",
    port: server.port,
    user: "postgres",
    database: "tranalyzer",
  };

  const viaPostgres = async (): Promise<number> => {
    const sql = postgres({ ...conn, pass: server.password, max: 1, onnotice: () => {} });
    await sql.unsafe("DROP TABLE IF EXISTS b1; CREATE TABLE b1 (LIKE flow INCLUDING DEFAULTS)");
    const t0 = performance.now();
    const w = await sql.unsafe(`COPY b1 (${columns}) FROM STDIN`).writable();
    for (const c of chunks) if (!w.write(c)) await new Promise((r) => w.once("drain", r));
    await new Promise<void>((res, rej) => {
      w.once("finish", res);
      w.once("error", rej);
      w.end();
    });
    const s = (performance.now() - t0) / 1000;
    await sql.end();
    return s;
  };
  const viaPg = async (): Promise<number> => {
    const client = new pg.Client({ ...conn, password: server.password });
    await client.connect();
    await client.query("DROP TABLE IF EXISTS b2; CREATE TABLE b2 (LIKE flow INCLUDING DEFAULTS)");
    const t0 = performance.now();
    const w = client.query(copyFrom(`COPY b2 (${columns}) FROM STDIN`));
    for (const c of chunks) if (!w.write(c)) await new Promise((r) => w.once("drain", r));
    await new Promise<void>((res, rej) => {
      w.once("finish", () => res());
      w.once("error", rej);
      w.end();
    });
    const s = (performance.now() - t0) / 1000;
    await client.end();
    return s;
  };
  console.log(`\n== COPY of the same ${rows} rows (${(data.length / 1e6).toFixed(1)} MB), seconds`);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(await viaPostgres());
    b.push(await viaPg());
  }
  for (const [name, t] of [["postgres (postgres.js)", a], ["pg + pg-copy-streams", b]] as const) {
    console.log(
      `${name.padEnd(24)} ${t.map((s) => s.toFixed(2)).join(" ")}  median ${
        (rows / med(t)).toFixed(0)
      } rows/s`,
    );
  }
} finally {
  server.stop();
  Deno.removeSync(work, { recursive: true });
}
