/**
 * `deno task fixtures:download`: fetch the captures of T2's plugin tutorials, annoloc2.pcap and
 * faf-exercise.pcap, from the address the tutorials give (https://tranalyzer.com/download/data/)
 * into `fixtures/` (not committed; see .gitignore). `tests/tutorial_captures_test.ts` checks the
 * tutorials' figures on them.
 *
 * Each file is written under a temporary name and renamed only once complete and of the size
 * the tutorials report ("Number of pcap bytes"); on any failure the temporary file is removed,
 * so `fixtures/` never holds a partial capture. A file already present with the right size is
 * kept.
 *
 * Options: `--dir DIR` (default: fixtures/ of this repository), `--base-url URL`.
 *
 * @module
 */

/** A capture to fetch. */
export interface Capture {
  /** File name (also the last part of the URL). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
}

/** The tutorials' captures, with the file sizes their reports print. */
export const CAPTURES: readonly Capture[] = [
  { name: "annoloc2.pcap", size: 83_586_990 },
  { name: "faf-exercise.pcap", size: 5_087_870 },
];

/** Where the tutorials download them. */
export const BASE_URL = "https://tranalyzer.com/download/data/";

/** A capture could not be fetched; no partial file was left. */
export class DownloadError extends Error {
  override name = "DownloadError";
}

/** What to fetch where. */
export interface DownloadOptions {
  /** Folder of the captures. */
  readonly dir: string;
  /** URL the file names are appended to. */
  readonly baseUrl?: string;
  /** Files to fetch (default {@linkcode CAPTURES}). */
  readonly captures?: readonly Capture[];
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Milliseconds to wait for the server's answer (default 30 s). */
  readonly answerTimeoutMs?: number;
}

function sizeOf(path: string): number | null {
  try {
    return Deno.statSync(path).size;
  } catch {
    return null;
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* not there */ }
}

/**
 * Fetch every capture that is not already in `dir` with its size. Returns the names fetched.
 * Throws {@linkcode DownloadError} at the first failure; complete files fetched before stay.
 */
export async function download(o: DownloadOptions): Promise<string[]> {
  const log = o.log ?? (() => {});
  const base = o.baseUrl ?? BASE_URL;
  const fetched: string[] = [];
  for (const c of o.captures ?? CAPTURES) {
    const target = `${o.dir}/${c.name}`;
    if (sizeOf(target) === c.size) {
      log(`${target}: present`);
      continue;
    }
    const url = base + c.name;
    const part = `${o.dir}/.${c.name}.download`;
    const removePart = () => removeQuietly(part);
    const onSignal = () => {
      removePart();
      Deno.exit(130);
    };
    const signals = Deno.build.os === "windows" ? [] : ["SIGINT", "SIGTERM"] as const;
    for (const s of signals) Deno.addSignalListener(s, onSignal);
    try {
      log(`${url} -> ${target}`);
      await fetchTo(url, part, o.answerTimeoutMs ?? 30_000);
      const got = sizeOf(part);
      if (got !== c.size) {
        throw new DownloadError(`Cannot download ${url}: got ${got} bytes, expected ${c.size}`);
      }
      Deno.renameSync(part, target);
      fetched.push(c.name);
    } catch (e) {
      removePart();
      if (e instanceof DownloadError) throw e;
      throw new DownloadError(`Cannot download ${url}: ${reason(e)}`);
    } finally {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
    }
  }
  return fetched;
}

function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : "";
  return (e.message + cause).split("\n")[0];
}

async function fetchTo(url: string, path: string, answerTimeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no answer within ${answerTimeoutMs / 1000} s`)),
    answerTimeoutMs,
  );
  let res: Response;
  try {
    res = await fetch(url, { signal: abort.signal });
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new DownloadError(`Cannot download ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for await (const chunk of res.body) {
      let off = 0;
      while (off < chunk.length) off += await file.write(chunk.subarray(off));
    }
  } finally {
    file.close();
  }
}

if (import.meta.main) {
  const args = [...Deno.args];
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const dir = opt("--dir") ?? new URL("../fixtures", import.meta.url).pathname;
  const baseUrl = opt("--base-url") ?? BASE_URL;
  if (args.length) {
    console.error(`fixtures:download: unknown argument ${args[0]}`);
    console.error("Usage: deno task fixtures:download [--dir DIR] [--base-url URL]");
    Deno.exit(1);
  }
  try {
    const got = await download({ dir, baseUrl, log: (l) => console.log(l) });
    console.log(got.length ? `Fetched ${got.join(", ")}` : "Nothing to fetch");
  } catch (e) {
    if (!(e instanceof DownloadError)) throw e;
    console.error(`fixtures:download: ${e.message}`);
    console.error(
      `No partial file was left in ${dir}. With network access, run the task again, or copy ` +
        `the captures there by hand (${
          CAPTURES.map((c) => `${c.name}: ${c.size} bytes`).join(", ")
        }).`,
    );
    Deno.exit(1);
  }
}
