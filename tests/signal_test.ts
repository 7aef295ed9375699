/**
 * SIGINT/SIGTERM in the middle of a capture: t2 stops reading, writes all open flows, the
 * report and the summary files, and exits 0. The capture is an endless stream on standard
 * input, so the run can only end because of the signal.
 */

import assert from "node:assert/strict";
import { inTemp, LISTS, readOrNull, t2Command } from "./_cli.ts";
import { chunk, fileHeader, PER_CHUNK } from "./_support/endless_capture.ts";

async function stopMidStream(signal: Deno.Signal): Promise<void> {
  await inTemp(async (dir) => {
    const [cmd, args] = t2Command([
      "-r",
      "-",
      "-w",
      `${dir}/`,
      "-b",
      `${LISTS}/base.txt`,
      "--set",
      "SUBNET_ON=0",
    ]);
    const child = new Deno.Command(cmd, {
      args,
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = (async () => {
      let text = "";
      let signalled = false;
      const dec = new TextDecoder();
      for await (const part of child.stdout) {
        text += dec.decode(part, { stream: true });
        // The report says it is reading: the packet loop has begun.
        if (!signalled && text.includes("Processing file: -\n")) {
          signalled = true;
          child.kill(signal);
        }
      }
      return text;
    })();
    const stderr = new Response(child.stderr).text();

    // Feed packets until t2 stops reading (it closes standard input when it exits).
    const writer = child.stdin.getWriter();
    let sent = 0;
    try {
      await writer.write(fileHeader());
      while (sent < 50_000_000) {
        const next = chunk(sent);
        sent += PER_CHUNK; // offered (the last chunk may be read in part only)
        await writer.write(next);
      }
    } catch {
      // BrokenPipe: t2 is gone.
    }
    try {
      await writer.close();
    } catch { /* closed already */ }
    const status = await child.status;
    const report = await stdout;
    const err = await stderr;

    assert.equal(status.code, 0, err);
    assert.ok(sent < 50_000_000, "t2 never stopped reading");
    assert.match(err, new RegExp(`^t2: ${signal}: stopping`, "m"));
    // The report is complete ...
    const packets = Number(/^Number of processed packets: (\d+)/m.exec(report)?.[1]);
    assert.ok(packets > 0 && packets <= sent, `${packets} packets of ${sent}`);
    assert.match(report, /^Dump stop : /m);
    assert.match(report, /^Aggregated flowStat=0x[0-9a-f]{16}$/m);
    assert.ok(report.endsWith("\n"));
    // ... and so are the flow file (every open flow written) and the headers file.
    const flows = readOrNull(`${dir}/stdin_flows.txt`)!.split("\n");
    assert.equal(flows.pop(), "");
    const columns = flows[0].split("\t").length;
    for (const l of flows) assert.equal(l.split("\t").length, columns, l);
    const total = Number(/^Number of processed {6}flows: (\d+)/m.exec(report)?.[1]);
    assert.equal(flows.length - 1, total);
    assert.equal(
      flows.slice(1).reduce((s, l) => s + Number(l.split("\t")[18]), 0), // pktsSnt
      packets,
    );
    assert.match(readOrNull(`${dir}/stdin_headers.txt`)!, /^# Col No\.\tType\tName\tDescription$/m);
  });
}

Deno.test("signal: SIGINT mid-capture writes every open flow and the report, exit 0", async () => {
  await stopMidStream("SIGINT");
});

Deno.test("signal: SIGTERM does the same", async () => {
  await stopMidStream("SIGTERM");
});
