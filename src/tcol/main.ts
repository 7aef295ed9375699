/**
 * `t2 tcol [FILE...]`: a tab-separated file (flows, packets, summary, tawk output) as aligned
 * columns. Without FILE (or with `-`) it reads standard input. When standard output is a
 * terminal the table goes through `less -S` (long lines chopped, not wrapped) if `less` exists;
 * otherwise it is written as it is: exactly what `column -t -s TAB` prints (table.ts).
 *
 * @module
 */

import { formatTable } from "./table.ts";

/** The usage text of `t2 tcol -h`. */
export const TCOL_USAGE = `Usage: t2 tcol [FILE...]

Show tab-separated files (T2 flow, packet and summary files, t2 tawk output) as aligned
columns: the table util-linux 'column -t -s TAB' prints (empty cells kept, widths by display
width). Without FILE, or with '-', standard input is read: t2 tawk 'tcp()' f_flows.txt | t2 tcol
On a terminal the table is shown with 'less -S' (scroll sideways with the arrow keys).

Options:
  -h, --help   this text
`;

async function readAllStdin(): Promise<Uint8Array> {
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

/** Write to standard output; a closed pipe (`| head`) quietly ends the output. */
function stdoutWriter(): { write: (b: Uint8Array) => void; closed: () => boolean } {
  let closed = false;
  return {
    write(b: Uint8Array) {
      if (closed) return;
      try {
        let off = 0;
        while (off < b.length) off += Deno.stdout.writeSync(b.subarray(off));
      } catch (e) {
        if (e instanceof Deno.errors.BrokenPipe) closed = true;
        else throw e;
      }
    },
    closed: () => closed,
  };
}

/** The major version `less --version` reports, or 0 when it cannot be run. */
async function lessVersion(): Promise<number> {
  try {
    const out = await new Deno.Command("less", { args: ["--version"], stderr: "null" }).output();
    const m = /^less (\d+)/.exec(new TextDecoder().decode(out.stdout));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Page `table` through `less -S` (with `--header=1`, which keeps the first line in view, from
 * less 600 on). Returns false when less cannot be started.
 */
async function page(chunks: Uint8Array[]): Promise<boolean> {
  const version = await lessVersion();
  if (!version) return false;
  const args = version >= 600 ? ["--header=1", "-S"] : ["-S"];
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("less", { args, stdin: "piped" }).spawn();
  } catch {
    return false;
  }
  const w = child.stdin.getWriter();
  try {
    for (const c of chunks) await w.write(c);
    await w.close();
  } catch { /* the reader quit less before the end */ }
  await child.status;
  return true;
}

/** Run `t2 tcol` with these arguments; returns the exit code. */
export async function tcolMain(args: readonly string[]): Promise<number> {
  const files: string[] = [];
  for (const a of args) {
    if (a === "-h" || a === "--help") {
      console.log(TCOL_USAGE.trimEnd());
      return 0;
    }
    if (a.startsWith("-") && a !== "-") {
      console.error(
        `t2 tcol: unknown option '${a}' (t2 tcol takes file names only; see t2 tcol -h)`,
      );
      return 1;
    }
    files.push(a);
  }
  if (files.length === 0) files.push("-");
  const inputs: Uint8Array[] = [];
  let code = 0;
  for (const f of files) {
    try {
      inputs.push(f === "-" ? await readAllStdin() : await Deno.readFile(f));
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "No such file or directory"
        : e instanceof Deno.errors.IsADirectory
        ? "Is a directory"
        : (e as Error).message;
      console.error(`t2 tcol: ${f}: ${why}`);
      code = 1;
    }
  }
  if (Deno.stdout.isTerminal()) {
    const chunks: Uint8Array[] = [];
    formatTable(inputs, (b) => chunks.push(b));
    if (await page(chunks)) return code;
    const out = stdoutWriter();
    for (const c of chunks) out.write(c);
    return code;
  }
  const out = stdoutWriter();
  formatTable(inputs, out.write);
  return code;
}
