/**
 * How fast can a compressed capture be decompressed, in this process or by a system tool?
 *
 *     deno run -A tasks/bench_decompress.ts FILE.pcap [--runs N] [--whole]
 *
 * Compresses FILE with gzip -6, zstd -3 and xz -6 (the tools' defaults; kept beside it as
 * FILE.gz/.zst/.xz when missing), then measures, interleaved, the median wall time of
 * decompressing each to nowhere: `gzip -dc`, `zstd -dc`, `xz -dc` (what a user pipes into
 * `t2 -r -`), and in Deno: node:zlib's streams (gunzip, zstd) and `DecompressionStream("gzip")`.
 * The capture reader (src/capture/decompress.ts) runs node:zlib in a worker: its row reads
 * the decompressed bytes as the capture reader does. With `--whole`, also whole `t2` runs
 * (the t2 task's flags, plugin list `flow`, `SUBNET_ON=0`): FILE, FILE.gz and FILE.zst read
 * directly, and the tools' output piped into `t2 -r -`.
 *
 * @module
 */

import { createGunzip, createZstdDecompress } from "node:zlib";
import { Readable } from "node:stream";
import { decompressedInput } from "../src/capture/decompress.ts";
import { t2TaskFlags } from "../tests/_support/t2_task.ts";

const file = Deno.args[0];
if (!file) throw new Error("usage: bench_decompress.ts FILE.pcap [--runs N]");
const runsAt = Deno.args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(Deno.args[runsAt + 1]) : 5;
const size = Deno.statSync(file).size;

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

for (const [tool, ext] of [["gzip", "gz"], ["zstd", "zst"], ["xz", "xz"]]) {
  if (exists(`${file}.${ext}`)) continue;
  const out = new Deno.Command("sh", { args: ["-c", `${tool} -c "$0" > "$0.${ext}"`, file] })
    .outputSync();
  if (out.code !== 0) throw new Error(`${tool} failed`);
}

/** Decompress with a system tool into /dev/null. */
async function tool(cmd: string, path: string): Promise<number> {
  const out = await new Deno.Command(cmd, { args: ["-dc", path], stdout: "null" }).output();
  if (out.code !== 0) throw new Error(`${cmd} -dc failed`);
  return size;
}

/** Decompress through a web stream transform; returns the bytes out. */
async function web(path: string): Promise<number> {
  const f = await Deno.open(path);
  let n = 0;
  for await (const part of f.readable.pipeThrough(new DecompressionStream("gzip"))) {
    n += part.length;
  }
  return n;
}

/** Decompress through a node:zlib stream; returns the bytes out. */
async function node(path: string, make: () => NodeJS.ReadWriteStream): Promise<number> {
  const f = await Deno.open(path);
  let n = 0;
  const z = Readable.fromWeb(f.readable as never).pipe(make());
  for await (const part of z) n += (part as Uint8Array).length;
  return n;
}

/** Read through the capture reader's worker; returns the bytes out. */
function worker(path: string, compression: "gzip" | "zstd"): Promise<number> {
  const input = decompressedInput(path, new Uint8Array(0), compression);
  const buffer = new Uint8Array(256 * 1024);
  let n = 0;
  for (let got; (got = input.readSync(buffer)) !== null;) n += got;
  input.close();
  return Promise.resolve(n);
}

const repo = new URL("../", import.meta.url).pathname;
const t2 = [Deno.execPath(), ...t2TaskFlags(), `${repo}main.ts`].join(" ");
const out = Deno.makeTempDirSync({ prefix: "t2ts_bench_decompress_" });

/** A whole t2 run through `sh -c`, reading `input` (`-` after a pipe). */
async function whole(pipeFrom: string, input: string): Promise<number> {
  const line = `${pipeFrom}${t2} -r ${input} -w ${out}/ -b ${repo}golden/lists/flow.txt ` +
    `--set SUBNET_ON=0 > /dev/null`;
  const r = await new Deno.Command("sh", { args: ["-c", line], stderr: "piped" }).output();
  if (r.code !== 0) throw new Error(`${line}: ${new TextDecoder().decode(r.stderr)}`);
  return size;
}

const cases: [string, () => Promise<number>][] = [
  ["gzip -dc (system tool)", () => tool("gzip", `${file}.gz`)],
  ["node:zlib createGunzip", () => node(`${file}.gz`, createGunzip)],
  ['DecompressionStream("gzip")', () => web(`${file}.gz`)],
  ["zstd -dc (system tool)", () => tool("zstd", `${file}.zst`)],
  ["node:zlib createZstdDecompress", () => node(`${file}.zst`, createZstdDecompress)],
  ["xz -dc (system tool)", () => tool("xz", `${file}.xz`)],
  ["reader's worker, gzip", () => worker(`${file}.gz`, "gzip")],
  ["reader's worker, zstd", () => worker(`${file}.zst`, "zstd")],
];
if (Deno.args.includes("--whole")) {
  cases.push(
    ["t2 -r FILE", () => whole("", file)],
    ["t2 -r FILE.gz", () => whole("", `${file}.gz`)],
    ["gzip -dc FILE.gz | t2 -r -", () => whole(`gzip -dc ${file}.gz | `, "-")],
    ["t2 -r FILE.zst", () => whole("", `${file}.zst`)],
    ["zstd -dc FILE.zst | t2 -r -", () => whole(`zstd -dc ${file}.zst | `, "-")],
  );
}
const times = cases.map(() => [] as number[]);
for (let r = 0; r < runs; r++) {
  for (const [i, [name, fn]] of cases.entries()) {
    const t0 = performance.now();
    const n = await fn();
    times[i].push(performance.now() - t0);
    if (n !== size) throw new Error(`${name}: ${n} bytes, expected ${size}`);
  }
}
Deno.removeSync(out, { recursive: true });
const median = (a: number[]) => a.toSorted((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`${file}: ${(size / 1e6).toFixed(1)} MB, median of ${runs} interleaved runs`);
for (const [i, [name]] of cases.entries()) {
  const ms = median(times[i]);
  console.log(
    `${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${(size / 1e3 / ms).toFixed(0)} MB/s`,
  );
}
