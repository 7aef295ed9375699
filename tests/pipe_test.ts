/**
 * t2 in shell pipelines (issue 16): with `-w -` standard output holds only the flow records,
 * and when its reader goes away (`t2 -r - -w - | head`) t2 stops reading at once, prints
 * nothing more and exits 0. The capture is an endless stream on standard input, so the run can
 * only end because the pipe closed.
 */

import assert from "node:assert/strict";
import { FAF, LISTS, t2, t2Command } from "./_cli.ts";
import { chunk, fileHeader, PER_CHUNK } from "./_support/endless_capture.ts";

Deno.test("pipe: t2 -r - -w - | head stops reading, prints nothing more, exits 0", async () => {
  const [cmd, args] = t2Command([
    "-r",
    "-",
    "-w",
    "-",
    "-b",
    `${LISTS}/base.txt`,
    "--set",
    "SUBNET_ON=0",
  ]);
  // bash runs `t2 ... | head -n 3` and says how t2 exited; t2 reads bash's standard input.
  const script = `"$@" | head -n 3; echo "t2 exit \${PIPESTATUS[0]}" >&2`;
  // A folder of its own: the headers file of `-r -` is ./stdin_headers.txt.
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_pipe_" });
  const child = new Deno.Command("bash", {
    args: ["-c", script, "bash", cmd, ...args],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  const limit = 5_000_000;
  let sent = 0;
  try {
    await writer.write(fileHeader());
    while (sent < limit) {
      await writer.write(chunk(sent));
      sent += PER_CHUNK;
    }
  } catch {
    // BrokenPipe: t2 is gone.
  }
  try {
    await writer.close();
  } catch { /* closed already */ }
  const status = await child.status;
  const out = await stdout;
  const err = await stderr;
  Deno.removeSync(dir, { recursive: true });

  assert.equal(status.code, 0, err);
  assert.ok(sent < limit, "t2 never stopped reading");
  assert.equal(out.split("\n").length, 4, "head's three lines");
  assert.match(out, /^%dir\tflowInd\t/);
  assert.match(err, /t2 exit 0\n$/);
  // The report's start is on stderr; nothing after the pipe closed: no end report, no error.
  assert.match(err, /Processing file: -\n/);
  assert.doesNotMatch(err, /Number of processed packets|\[ERR\]|error/i);
});

Deno.test("pipe: with -w -, a usage error leaves standard output empty (the hint goes to stderr)", async () => {
  for (
    const argv of [
      ["-r", FAF, "-r", FAF, "-w", "-"],
      ["-w", "-", "-Q"],
      ["--output-prefix=-", "-f", "0", "-r", FAF],
    ]
  ) {
    const r = await t2(argv);
    assert.equal(r.code, 1, argv.join(" "));
    assert.equal(r.stdout, "", argv.join(" "));
    assert.match(
      r.stderr,
      /^\[ERR\] .*\n(\[INF\] .*\n)?Try 't2 -h' for more information\.\n$/,
      argv.join(" "),
    );
  }
  // Without -w -, the hint stays on standard output, as T2 prints it.
  const plain = await t2(["-Q"]);
  assert.equal(plain.stdout, "Try 't2 -h' for more information.\n");
});
