import assert from "node:assert/strict";
import { callEach } from "./dispatch.ts";

class Hook {
  constructor(readonly name: string, readonly log: string[]) {}
  onLayer4(a: number, b: string): void {
    this.log.push(`${this.name}:${a}:${b}`);
  }
}

Deno.test("callEach calls the method of every target in order, with both arguments", () => {
  const log: string[] = [];
  const call = callEach<number, string>([new Hook("x", log), new Hook("y", log)], "onLayer4");
  call(1, "a");
  call(2, "b");
  assert.deepEqual(log, ["x:1:a", "y:1:a", "x:2:b", "y:2:b"]);
});

Deno.test("callEach looks the method up at each call, as a loop over the targets does", () => {
  const log: string[] = [];
  const h = new Hook("x", log);
  const call = callEach<number, string>([h], "onLayer4");
  (h as { onLayer4: (a: number, b: string) => void }).onLayer4 = (a, b) => log.push(`new:${a}${b}`);
  call(3, "c");
  assert.deepEqual(log, ["new:3c"]);
});

Deno.test("callEach of no targets does nothing; a method name that is no identifier is refused", () => {
  callEach<number, number>([], "onLayer2")(1, 2);
  assert.throws(() => callEach([{}], "a();b"), TypeError);
});
