import assert from "node:assert/strict";
import { type Input, InputStream, type NumberedInputs, type OpenInput } from "./inputs.ts";

const FAF = new URL("../../fixtures/faf-small.pcap", import.meta.url).pathname;

/** Run the stream's `next()` to its end, answering every "wait" with `resume`. */
function next(stream: InputStream, resume: (waits: number) => boolean): OpenInput | null {
  const steps = stream.next();
  let waits = 0;
  let s = steps.next(true);
  while (!s.done) s = steps.next(resume(++waits));
  return s.value;
}

function events() {
  const told = { notThereYet: 0, cannotOpen: [] as string[] };
  return {
    told,
    events: {
      notThereYet: () => void told.notThereYet++,
      cannotOpen: (t: string) => void told.cannotOpen.push(t),
      stopRequested: () => false,
    },
  };
}

Deno.test("InputStream: a list is opened one capture at a time, then it has ended", () => {
  const { told, events: ev } = events();
  const list: Input[] = [FAF, { name: "mem.pcap", bytes: Deno.readFileSync(FAF) }];
  const stream = new InputStream(list, undefined, FAF, ev);
  for (const input of list) {
    const opened = next(stream, () => false);
    assert.ok(opened);
    assert.equal(opened.input, input);
    opened.reader.close();
  }
  assert.equal(next(stream, () => false), null);
  assert.equal(stream.ended, true);
  assert.deepEqual(told, { notThereYet: 0, cannotOpen: [] });
});

Deno.test("InputStream: a capture that cannot be opened is told, and the stream has not ended", () => {
  const { told, events: ev } = events();
  const stream = new InputStream(["/nonexistent/x.pcap"], undefined, "", ev);
  assert.equal(next(stream, () => false), null);
  assert.equal(stream.ended, false);
  assert.deepEqual(told.cannotOpen, ['Cannot read capture "/nonexistent/x.pcap": no such file']);
});

Deno.test("InputStream: a numbered capture that is not there is waited for, name resolved again", () => {
  const { told, events: ev } = events();
  let there = false;
  const numbered: NumberedInputs = {
    names: () => ["x.pcap0"][Symbol.iterator](),
    resolve: (name) => there ? FAF : `/nonexistent/${name}`,
    pollSeconds: 0,
  };
  const stream = new InputStream([], numbered, "x.pcap0", ev);
  const opened = next(stream, (waits) => {
    there = waits === 2; // the capture appears during the second wait
    return true;
  });
  assert.ok(opened);
  assert.equal(opened.input, FAF);
  opened.reader.close();
  assert.equal(told.notThereYet, 2);
  assert.equal(next(stream, () => true), null);
  assert.equal(stream.ended, true);
});

Deno.test("InputStream: waiting given up by the driver ends with null, not as the end of input", () => {
  const { events: ev } = events();
  const numbered: NumberedInputs = {
    names: () => ["x.pcap0"][Symbol.iterator](),
    resolve: (name) => `/nonexistent/${name}`,
    pollSeconds: 0,
  };
  const stream = new InputStream([], numbered, "x.pcap0", ev);
  assert.equal(next(stream, () => false), null);
  assert.equal(stream.ended, false);
});
