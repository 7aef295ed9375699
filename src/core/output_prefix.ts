/**
 * T2's output prefix rules for `-w`/`-W` (spec/formats.md §1).
 *
 * @module
 */

import { createOutputDirectory } from "../output/output_file.ts";

/** Directory test used by {@linkcode outputPrefix} (injectable for tests). */
export interface PrefixFs {
  isDirectory(path: string): boolean;
  mkdirp(path: string): void;
}

const denoFs: PrefixFs = {
  isDirectory(path) {
    try {
      return Deno.statSync(path).isDirectory;
    } catch {
      return false;
    }
  },
  mkdirp(path) {
    createOutputDirectory(path);
  },
};

/**
 * Input name without its last extension (`-` → `stdin`); a compressed capture's name loses its
 * compression's extension first (`x.pcap.gz` → `x`, as `x.pcap` gives).
 */
export function stem(name: string): string {
  if (name === "-") return "stdin";
  name = name.replace(/(.)\.(gz|zst)$/, "$1");
  const dot = name.lastIndexOf(".");
  return dot < 0 ? name : name.slice(0, dot);
}

/**
 * The output prefix: every output file is `PREFIX_<suffix>`.
 *
 * @param input The input name as given (`-r` path, `-R` list file, `-` for stdin).
 * @param w The `-w` argument, or undefined.
 */
export function outputPrefix(input: string, w: string | undefined, fs: PrefixFs = denoFs): string {
  if (w === undefined || w === "-") return stem(input);
  const slash = w.lastIndexOf("/");
  if (slash > 0) fs.mkdirp(w.slice(0, slash));
  if (!fs.isDirectory(w)) return w;
  return inDirectory(input, w);
}

/** The prefix for an input when `-w` names a directory: the directory plus the input's stem. */
export function inDirectory(input: string, dir: string): string {
  const base = input === "-" ? "stdin" : input.slice(input.lastIndexOf("/") + 1);
  return dir + (dir.endsWith("/") ? "" : "/") + stem(base);
}
