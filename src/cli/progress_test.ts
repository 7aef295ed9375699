import assert from "node:assert/strict";
import { duration, ProgressLine, progressText, secondsLeft } from "./progress.ts";

const p = { bytesRead: 250, bytesTotal: 1000, packets: 1234567, flowsInMemory: 42, elapsed: 2 };

Deno.test("progressText() shows percentage, time left, packets, rate and flows in memory", () => {
  assert.equal(
    progressText(p),
    "t2: 25.0%, 6 s left, 1.23 M packets, 617.28 K packets/s, 42 flows in memory",
  );
  // No estimate in the first second.
  assert.equal(
    progressText({ ...p, elapsed: 0.5 }),
    "t2: 25.0%, 1.23 M packets, 2.47 M packets/s, 42 flows in memory",
  );
});

Deno.test("secondsLeft() goes by the speed so far; duration() writes it", () => {
  assert.equal(secondsLeft(p), 6); // a quarter in 2 s: three quarters in 6 s
  assert.equal(secondsLeft({ ...p, bytesRead: 1000 }), 0);
  assert.equal(secondsLeft({ ...p, bytesTotal: 0 }), null); // standard input, -D
  assert.equal(secondsLeft({ ...p, bytesRead: 0 }), null);
  assert.equal(secondsLeft({ ...p, bytesRead: 1200 }), 0); // past the size given: never below 0
  assert.equal(duration(9.4), "9 s");
  assert.equal(duration(75), "1 min 15 s");
  assert.equal(duration(4000), "1 h 06 min");
  assert.equal(duration(59.6), "1 min 00 s");
});

Deno.test("progressText() shows bytes read when the total is unknown", () => {
  assert.equal(
    progressText({ ...p, bytesTotal: 0, bytesRead: 5_000_000, elapsed: 0 }),
    "t2: 5.00 MB read, 1.23 M packets, 0 packets/s, 42 flows in memory",
  );
});

function recorder() {
  const chunks: string[] = [];
  return {
    chunks,
    out: {
      writeSync(b: Uint8Array) {
        chunks.push(new TextDecoder().decode(b));
        return b.length;
      },
    },
  };
}

Deno.test("ProgressLine rewrites one line in place and erases it", () => {
  const r = recorder();
  const line = new ProgressLine(r.out, 0);
  line.update(p);
  line.show("t2: other");
  line.clear();
  line.clear(); // nothing shown: nothing to erase
  assert.deepEqual(r.chunks, [
    `\r${progressText(p)}\x1b[K`,
    "\rt2: other\x1b[K",
    "\r\x1b[K",
  ]);
});

Deno.test("ProgressLine shows at most one update per interval unless forced", () => {
  const r = recorder();
  const line = new ProgressLine(r.out, 3_600_000);
  line.show("a");
  line.show("b");
  line.show("c", true);
  assert.deepEqual(r.chunks, ["\ra\x1b[K", "\rc\x1b[K"]);
});

Deno.test("ProgressLine never throws when its output fails", () => {
  const line = new ProgressLine({
    writeSync() {
      throw new Deno.errors.BrokenPipe("closed");
    },
  }, 0);
  line.show("x");
  line.clear();
});
