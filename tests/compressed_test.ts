/**
 * Compressed captures from the command line (issue 16): gzip and zstd read directly (by their
 * magic bytes: the name does not matter), as `-r FILE`, on standard input and in a `-R` list,
 * writing what the plain capture gives; other compressions are one `[ERR]` line saying how to
 * pipe them in.
 */

import assert from "node:assert/strict";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { FAF, inTemp, LISTS, readOrNull, REPO, t2 } from "./_cli.ts";

const BASE = ["-b", `${LISTS}/base.txt`, "--set", "SUBNET_ON=0"];
const golden = (name: string) => Deno.readTextFileSync(`${REPO}/golden/faf-small/base/${name}`);

Deno.test("compressed: t2 -r x.pcap.gz and x.pcap.zst write what x.pcap gives (prefix x)", async () => {
  await inTemp(async (dir) => {
    const plain = Deno.readFileSync(FAF);
    Deno.writeFileSync(`${dir}/faf-small.pcap.gz`, gzipSync(plain));
    Deno.writeFileSync(`${dir}/faf-small.pcap.zst`, zstdCompressSync(plain));
    for (const ext of ["gz", "zst"]) {
      const r = await t2(["-r", `${dir}/faf-small.pcap.${ext}`, "-w", `${dir}/${ext}/`, ...BASE]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.equal(
        readOrNull(`${dir}/${ext}/faf-small_flows.txt`),
        golden("faf-small_flows.txt"),
        ext,
      );
    }
  });
});

Deno.test("compressed: gzip on standard input, and a gzip capture in a -R list", async () => {
  await inTemp(async (dir) => {
    Deno.writeFileSync(`${dir}/trace`, gzipSync(Deno.readFileSync(FAF))); // no extension
    const piped = await t2(["-r", "-", "-w", `${dir}/stdin/`, ...BASE], { stdin: `${dir}/trace` });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(readOrNull(`${dir}/stdin/stdin_flows.txt`), golden("faf-small_flows.txt"));

    Deno.writeTextFileSync(`${dir}/list.txt`, `${dir}/trace\n`);
    const listed = await t2(["-R", `${dir}/list.txt`, "-w", `${dir}/list/`, ...BASE]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(readOrNull(`${dir}/list/list_flows.txt`), golden("faf-small_flows.txt"));
  });
});

Deno.test("compressed: an xz capture is one [ERR] line naming the command to pipe it in", async () => {
  await inTemp(async (dir) => {
    const xz = `${dir}/x.pcap.xz`;
    Deno.writeFileSync(xz, new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4]));
    const r = await t2(["-r", xz, "-w", `${dir}/`, ...BASE]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `[ERR] Cannot read capture "${xz}": xz-compressed; decompress it into t2: ` +
        `xz -dc '${xz}' | t2 -r - ...\n`,
    );
  });
});
