/**
 * Output errors end to end (`deno run main.ts` in a child process): a missing output directory
 * is created (T2's rule), but a directory that cannot be created, a directory where an output
 * file must go, a read-only directory and a full disk give one clear `[ERR]` line naming the
 * path and the system's reason on standard error, no stack trace, and exit code 1.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { t2TaskFlags } from "./_support/t2_task.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CAPTURE = `${ROOT}fixtures/annoloc-small.pcap`;
// Deno asks for --allow-all before it even lists /dev, so ask the shell.
const HAS_DEV_FULL = (() => {
  try {
    return new Deno.Command("sh", { args: ["-c", "test -c /dev/full"] }).outputSync().code === 0;
  } catch {
    return false;
  }
})();
const IS_ROOT = Deno.uid() === 0;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `main.ts` as the `t2` task does; `allowAll` for outputs symlinked to /dev/full
 * (Deno opens device files only with --allow-all); `shellRedirect` for stdout to a file.
 */
async function t2(args: string[], o: { shellRedirect?: string; allowAll?: boolean } = {}) {
  const shellRedirect = o.shellRedirect;
  // The task's flags, its permissions replaced by --allow-all where asked.
  const flags = t2TaskFlags().filter((f) => !(o.allowAll && f.startsWith("--allow-")));
  const deno = [
    Deno.execPath(),
    ...flags,
    ...(o.allowAll ? ["--allow-all"] : []),
    `${ROOT}main.ts`,
    ...args,
    "-b", // the plugin list of the runs here: `flow`
    `${ROOT}golden/lists/flow.txt`,
    "--set",
    "SUBNET_ON=0",
  ];
  const cmd = shellRedirect
    ? new Deno.Command("sh", {
      args: ["-c", `"$@" ${shellRedirect}`, "sh", ...deno],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    })
    : new Deno.Command(deno[0], {
      args: deno.slice(1),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    });
  const out = await cmd.output();
  const dec = new TextDecoder();
  const r: Result = {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
  return r;
}

/** Exit 1, exactly one `[ERR]` line equal to `line`, and no stack trace anywhere. */
function assertCleanError(r: Result, line: string): void {
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  const errs = r.stderr.split("\n").filter((l) => l.startsWith("[ERR]"));
  assert.deepEqual(errs, [line], `stderr was:\n${r.stderr}`);
  for (const text of [r.stderr, r.stdout]) {
    assert.doesNotMatch(text, /^\s+at /m, "a stack trace was printed");
    assert.doesNotMatch(text, /Uncaught|error: /, "an uncaught error was printed");
  }
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts-outerr-" });
  try {
    await fn(dir);
  } finally {
    Deno.chmodSync(dir, 0o755);
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("output: a missing output directory (several levels) is created", async () => {
  await withTemp(async (dir) => {
    const r = await t2(["-r", CAPTURE, "-w", `${dir}/a/b/c/`]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Deno.statSync(`${dir}/a/b/c/annoloc-small_flows.txt`).size > 0);
    assert.ok(Deno.statSync(`${dir}/a/b/c/annoloc-small_headers.txt`).size > 0);
  });
});

Deno.test("output: a file on the way to the output directory", async () => {
  await withTemp(async (dir) => {
    Deno.writeTextFileSync(`${dir}/file`, "x");
    const r = await t2(["-r", CAPTURE, "-w", `${dir}/file/out/`]);
    assertCleanError(r, `[ERR] Cannot create directory "${dir}/file/out": Not a directory`);
  });
});

Deno.test("output: a file where the output directory must be", async () => {
  await withTemp(async (dir) => {
    Deno.writeTextFileSync(`${dir}/out`, "x");
    const r = await t2(["-r", CAPTURE, "-w", `${dir}/out/`]);
    assertCleanError(r, `[ERR] Cannot create directory "${dir}/out": File exists`);
  });
});

Deno.test("output: a directory where an output file must be", async () => {
  await withTemp(async (dir) => {
    Deno.mkdirSync(`${dir}/x_flows.txt`);
    const r = await t2(["-r", CAPTURE, "-w", `${dir}/x`]);
    assertCleanError(r, `[ERR] Cannot create "${dir}/x_flows.txt": Is a directory`);
  });
});

Deno.test("output: -s with a directory where the packet file must be", async () => {
  await withTemp(async (dir) => {
    Deno.mkdirSync(`${dir}/x_packets.txt`);
    const r = await t2(["-r", CAPTURE, "-w", `${dir}/x`, "-s"]);
    assertCleanError(r, `[ERR] Cannot create "${dir}/x_packets.txt": Is a directory`);
  });
});

Deno.test("output: -l with a directory where the log file must be", async () => {
  await withTemp(async (dir) => {
    Deno.mkdirSync(`${dir}/x_log.txt`);
    const r = await t2(["-r", CAPTURE, "-w", `${dir}/x`, "-l"]);
    assertCleanError(r, `[ERR] Cannot create "${dir}/x_log.txt": Is a directory`);
  });
});

Deno.test({
  name: "output: a read-only output directory",
  // root may write into any directory: the refusal cannot be shown as root.
  ignore: IS_ROOT,
  async fn() {
    await withTemp(async (dir) => {
      Deno.mkdirSync(`${dir}/ro`);
      Deno.chmodSync(`${dir}/ro`, 0o555);
      const r = await t2(["-r", CAPTURE, "-w", `${dir}/ro/`]);
      assertCleanError(
        r,
        `[ERR] Cannot create "${dir}/ro/annoloc-small_flows.txt": Permission denied`,
      );
    });
  },
});
if (IS_ROOT) console.warn("output_errors_test: running as root, the read-only case is ignored");

Deno.test({
  name: "output: a full disk while writing the flow file (/dev/full)",
  ignore: !HAS_DEV_FULL,
  async fn() {
    await withTemp(async (dir) => {
      Deno.symlinkSync("/dev/full", `${dir}/x_flows.txt`);
      const r = await t2(["-r", CAPTURE, "-w", `${dir}/x`], { allowAll: true });
      assertCleanError(r, `[ERR] Cannot write "${dir}/x_flows.txt": No space left on device`);
    });
  },
});

Deno.test({
  name: "output: a full disk while writing the packet file (/dev/full)",
  ignore: !HAS_DEV_FULL,
  async fn() {
    await withTemp(async (dir) => {
      Deno.symlinkSync("/dev/full", `${dir}/x_packets.txt`);
      const r = await t2(["-r", CAPTURE, "-w", `${dir}/x`, "-s"], { allowAll: true });
      assertCleanError(r, `[ERR] Cannot write "${dir}/x_packets.txt": No space left on device`);
    });
  },
});

Deno.test({
  name: "output: a full disk under the end report (stdout to /dev/full)",
  ignore: !HAS_DEV_FULL,
  async fn() {
    await withTemp(async (dir) => {
      const r = await t2(["-r", CAPTURE, "-w", `${dir}/`], { shellRedirect: "> /dev/full" });
      assertCleanError(r, `[ERR] Cannot write "standard output": No space left on device`);
    });
  },
});
if (!HAS_DEV_FULL) console.warn("output_errors_test: /dev/full is absent, full-disk cases ignored");
