/**
 * A private PostgreSQL server for the psqlSink tests: Debian's server binaries, a new data
 * directory in a temporary folder, a free port on loopback, password authentication. Debian's
 * server refuses to run as root, so as root (CI) initdb and postgres run as the `postgres`
 * user (`runuser`).
 *
 * Where no server can be started the tests skip, saying why, except in CI (`CI` or
 * `T2TS_PG_REQUIRED` set; `.ci/run` installs the server): there it is a failure.
 *
 * @module
 */

/** A running server. */
export interface PgServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Run SQL with `psql` (synchronously); fields separated by \x1f, rows by \x1e. */
  psql(sql: string, database?: string): string;
  /** Stop at once (as a crash would), or start again on the same port. */
  kill(): void;
  restart(): void;
  /** Stop and remove the data directory. */
  stop(): void;
}

/**
 * Whether a missing server must fail the tests instead of skipping them: in CI (`CI` set, or
 * `T2TS_PG_REQUIRED` set by `.ci/run`, which installs the server).
 */
export const SERVER_REQUIRED: boolean = (Deno.env.get("CI") ?? "") !== "" ||
  (Deno.env.get("T2TS_PG_REQUIRED") ?? "") !== "";

const PASSWORD = "t2ts-test-pw";

function binDir(): string | null {
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")]
      .map((e) => Number(e.name)).filter((n) => n > 0).sort((a, b) => b - a);
    for (const v of versions) {
      const dir = `/usr/lib/postgresql/${v}/bin`;
      try {
        Deno.statSync(`${dir}/initdb`);
        return dir;
      } catch { /* next */ }
    }
  } catch { /* not Debian's layout */ }
  return null;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).outputSync();
  const dec = new TextDecoder();
  return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Start a server, or return why none could be started.
 */
export function startPostgres(): PgServer | string {
  const bin = binDir();
  if (!bin) return "PostgreSQL's server is not installed (apt-get install postgresql)";
  const asRoot = Deno.uid() === 0;
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-pg-" });
  const data = `${dir}/data`;
  const as = (cmd: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", cmd, ...args]) : run(cmd, args);
  try {
    if (asRoot) {
      const id = run("id", ["-u", "postgres"]);
      if (!id.ok) throw new Error("no postgres user: " + id.stderr.trim());
      const uid = Number(id.stdout.trim());
      Deno.chownSync(dir, uid, null);
    }
    Deno.writeTextFileSync(`${dir}/pw`, PASSWORD + "\n");
    if (asRoot) Deno.chownSync(`${dir}/pw`, Number(run("id", ["-u", "postgres"]).stdout), null);
    const init = as(`${bin}/initdb`, [
      "-D",
      data,
      "-U",
      "postgres",
      `--pwfile=${dir}/pw`,
      "-A",
      "scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
      "--no-instructions",
    ]);
    if (!init.ok) throw new Error("initdb failed: " + init.stderr.trim());
  } catch (e) {
    Deno.removeSync(dir, { recursive: true });
    return (e as Error).message;
  }
  const port = freePort();
  const start = () => {
    const r = as(`${bin}/pg_ctl`, [
      "-D",
      data,
      "-l",
      `${dir}/log`,
      "-w",
      "-t",
      "30",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ` +
      "-c full_page_writes=off",
      "start",
    ]);
    if (!r.ok) {
      let log = "";
      try {
        log = Deno.readTextFileSync(`${dir}/log`);
      } catch { /* none */ }
      throw new Error(`pg_ctl start failed: ${r.stderr.trim()} ${log.trim()}`);
    }
  };
  const stopWith = (mode: string) => as(`${bin}/pg_ctl`, ["-D", data, "-m", mode, "-w", "stop"]);
  try {
    start();
  } catch (e) {
    Deno.removeSync(dir, { recursive: true });
    return (e as Error).message;
  }
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password: PASSWORD,
    psql(sql: string, database = "postgres"): string {
      const r = run("psql", [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-d",
        database,
        "-X",
        "-A",
        "-t",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-F",
        "\x1f",
        "-R",
        "\x1e",
        "-c",
        sql,
      ], { PGPASSWORD: PASSWORD, PGTZ: "UTC" });
      if (!r.ok) throw new Error(`psql: ${r.stderr.trim()}`);
      return r.stdout.replace(/\n$/, "");
    },
    kill() {
      stopWith("immediate");
    },
    restart() {
      start();
    },
    stop() {
      stopWith("immediate");
      Deno.removeSync(dir, { recursive: true });
    },
  };
}
