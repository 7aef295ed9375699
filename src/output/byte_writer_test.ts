import assert from "node:assert/strict";
import { ByteWriter, decimalDigits, MemorySink } from "./byte_writer.ts";
import { formatFixed } from "./printf.ts";

const text = (fill: (w: ByteWriter) => void): string => {
  const w = new ByteWriter(null, 8);
  fill(w);
  return new TextDecoder().decode(w.takeBytes());
};

Deno.test("uint prints every digit count up to 2^53", () => {
  const values = [
    0,
    7,
    10,
    99,
    100,
    999,
    1000,
    9999,
    10000,
    65535,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 - 1,
    1e15 + 3,
  ];
  for (let v = 1; v < 2 ** 53; v = v * 10 + 9) values.push(v, v + 1);
  values.push(2 ** 53 - 1);
  for (const v of values) {
    assert.equal(text((w) => w.uint(v)), String(v), `value ${v}`);
    assert.equal(decimalDigits(v), String(v).length, `digits of ${v}`);
  }
});

Deno.test("int, uintPadded and hex pad and sign as printf does", () => {
  assert.equal(text((w) => w.int(-42)), "-42");
  assert.equal(text((w) => w.uintPadded(5, 9)), "000000005");
  assert.equal(text((w) => w.uintPadded(1234567890, 9)), "1234567890");
  assert.equal(text((w) => w.hex(0xab, 4)), "00ab");
  assert.equal(text((w) => w.hex(0xdeadbeef, 2)), "deadbeef");
});

Deno.test("fixed matches formatFixed, ties and negative values included", () => {
  const values = [0, -0, 0.5, 1.5, 2.5, 0.125, 1e-10, 0.000000001, 123.456789012, -3.25, 1e13, NaN];
  for (let i = 0; i < 2000; i++) values.push(i / 1024, i * 0.001, (i * 7919) % 1000 + i / 1e9);
  for (const x of values) {
    for (const d of [0, 1, 3, 6, 9]) {
      assert.equal(text((w) => w.fixed(x, d)), formatFixed(x, d), `x=${x} digits=${d}`);
    }
  }
});

Deno.test("ipv4 and mac write the usual notations", () => {
  assert.equal(text((w) => w.ipv4(0xc0a80001)), "192.168.0.1");
  assert.equal(text((w) => w.ipv4(0)), "0.0.0.0");
  assert.equal(text((w) => w.ipv4(0xffffffff)), "255.255.255.255");
  const mac = new Uint8Array([9, 0x00, 0x1b, 0x21, 0xfe, 0x0a, 0xff]);
  assert.equal(text((w) => w.mac(mac, 1)), "00:1b:21:fe:0a:ff");
  assert.equal(text((w) => w.mac(mac, 1, 5)), "00:1b:21:fe:00:00", "past the captured end");
});

Deno.test("text writes UTF-8 and a sink receives everything in order", () => {
  const sink = new MemorySink();
  const w = new ByteWriter(sink, 4);
  w.text("ab");
  w.text("ümlaut");
  w.uint(123456);
  w.byte(10);
  assert.equal(w.written, 2 + 7 + 6 + 1);
  w.flush();
  assert.equal(w.written, 16);
  assert.equal(sink.takeText(), "abümlaut123456\n");
});
