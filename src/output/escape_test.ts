import assert from "node:assert/strict";
import { xorshift32 } from "../../tests/_support/xorshift.ts";
import { hasReference, referenceFiles } from "../../tests/_support/reference_files.ts";
import { escapeL7Into, sanitizeInto, sanitizeString, sanitizeText } from "./escape.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

Deno.test("sanitizeString()", async (t) => {
  await t.step("copies printable ASCII", () => {
    assert.equal(sanitizeString(ascii("ASAHI KASEI CORPORATION")), "ASAHI KASEI CORPORATION");
    assert.equal(sanitizeString(new Uint8Array(0)), "");
  });

  await t.step("escapes C escapes, backslash and quote", () => {
    assert.equal(
      sanitizeString(bytes(0x08, 0x0c, 0x0a, 0x0d, 0x09, 0x0b, 0x5c, 0x22)),
      '\\b\\f\\n\\r\\t\\v\\\\\\"',
    );
    assert.equal(sanitizeString(ascii("'x'")), "'x'");
  });

  await t.step("writes other control bytes and DEL as \\u00XX", () => {
    assert.equal(
      sanitizeString(bytes(0x01, 0x1b, 0x1f, 0x7f, 0x07)),
      "\\u0001\\u001B\\u001F\\u007F\\u0007",
    );
  });

  await t.step("ends at NUL or at the end of the range", () => {
    assert.equal(sanitizeString(bytes(0x61, 0x62, 0x00, 0x63)), "ab");
    assert.equal(sanitizeString(ascii("abcdef"), 1, 4), "bcd");
  });

  await t.step("copies valid UTF-8", () => {
    for (
      const s of [
        "é",
        "€",
        "日本語",
        "😀",
        "\u0080",
        "\u07ff",
        "\u0800",
        "\uffff",
        "\u{10ffff}",
        "\ud7ff",
        "\ue000",
      ]
    ) {
      assert.equal(sanitizeString(ascii("a" + s + "b")), "a" + s + "b");
    }
  });

  await t.step("replaces invalid first bytes", () => {
    assert.equal(sanitizeString(bytes(0x80, 0x41)), ".A");
    assert.equal(sanitizeString(bytes(0xbf, 0xc0, 0xc1, 0x41)), "...A");
    assert.equal(sanitizeString(bytes(0xf5, 0xf8, 0xff, 0x41)), "...A");
  });

  await t.step("re-reads a bad continuation byte as a first byte", () => {
    assert.equal(sanitizeString(bytes(0xc3, 0x41)), ".A");
    assert.equal(sanitizeString(bytes(0xc3, 0xc3, 0xa9)), ".é");
    assert.equal(sanitizeString(bytes(0xe2, 0x82, 0x41)), ".A");
    assert.equal(sanitizeString(bytes(0xe2, 0x22)), '.\\"');
    assert.equal(sanitizeString(bytes(0xf0, 0x9f, 0x98, 0x0a)), ".\\n");
    assert.equal(sanitizeString(bytes(0xf0, 0x9f, 0xe2, 0x82, 0xac)), ".€");
  });

  await t.step("rejects overlong, surrogate and too large sequences after the bytes read", () => {
    // E0 80..9F: overlong, rejected after 2 bytes; the third byte is then a (bad) first byte
    assert.equal(sanitizeString(bytes(0xe0, 0x80, 0x80, 0x41)), "..A");
    assert.equal(sanitizeString(bytes(0xe0, 0x9f, 0x41)), ".A");
    assert.equal(sanitizeString(bytes(0xe0, 0xa0, 0x80)), "\u0800");
    // ED A0..BF: surrogates, rejected after 3 bytes
    assert.equal(sanitizeString(bytes(0xed, 0xa0, 0x80, 0x41)), ".A");
    assert.equal(sanitizeString(bytes(0xed, 0xbf, 0xbf)), ".");
    assert.equal(sanitizeString(bytes(0xed, 0x9f, 0xbf)), "\ud7ff");
    // F0 80..8F: overlong, F4 90..BF: above U+10FFFF, rejected after 2 bytes
    assert.equal(sanitizeString(bytes(0xf0, 0x8f, 0xbf, 0xbf, 0x41)), "...A");
    assert.equal(sanitizeString(bytes(0xf4, 0x90, 0x80, 0x80, 0x41)), "...A");
    assert.equal(sanitizeString(bytes(0xf4, 0x8f, 0xbf, 0xbf)), "\u{10ffff}");
  });

  await t.step("ends after a '.' when a sequence meets NUL or the end", () => {
    assert.equal(sanitizeString(bytes(0x41, 0xc3, 0x00, 0x42)), "A.");
    assert.equal(sanitizeString(bytes(0x41, 0xe2, 0x82, 0x00, 0x42)), "A.");
    assert.equal(sanitizeString(bytes(0x41, 0xf0, 0x9f, 0x98, 0x00, 0x42)), "A.");
    assert.equal(sanitizeString(bytes(0x41, 0xf0, 0x9f, 0x98)), "A.");
    assert.equal(sanitizeString(bytes(0x41, 0xc3)), "A.");
  });

  await t.step("always yields text that re-encodes to the sanitised bytes", () => {
    const next = xorshift32(88172645);
    const dst = new Uint8Array(6 * 64);
    for (let i = 0; i < 20000; i++) {
      const src = new Uint8Array(1 + (next() % 64));
      for (let k = 0; k < src.length; k++) {
        const r = next();
        src[k] = r & 0x100 ? 0x80 | (r & 0x7f) : r & 0xff; // many high bytes
      }
      const n = sanitizeInto(src, 0, src.length, dst, 0);
      const text = sanitizeString(src);
      assert.deepEqual(ascii(text), dst.subarray(0, n));
      assert.ok(!text.includes("\ufffd") || src.includes(0xef), "no replacement characters");
    }
  });
});

Deno.test("sanitizeText()", async (t) => {
  await t.step("sanitises the UTF-8 encoding of a string", () => {
    assert.equal(sanitizeText('a"b\\c\td'), 'a\\"b\\\\c\\td');
    assert.equal(sanitizeText("Zürich\u0000x"), "Zürich");
    assert.equal(sanitizeText("\u0001"), "\\u0001");
  });
});

Deno.test("sanitizeInto()", async (t) => {
  await t.step("writes at the given position and returns the end", () => {
    const dst = new Uint8Array(32).fill(0x2d);
    const n = sanitizeInto(ascii('x"y'), 0, 3, dst, 2);
    assert.equal(n, 6);
    assert.equal(new TextDecoder().decode(dst.subarray(0, 7)), '--x\\"y-');
  });
});

Deno.test("escapeL7Into()", async (t) => {
  await t.step("escapes C escapes and backslash, dots the rest", () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const dst = new Uint8Array(512);
    const n = escapeL7Into(all, 0, 256, dst, 0);
    let expected = "";
    for (let b = 0; b < 256; b++) {
      const esc = { 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\" }[
        b as 8
      ];
      expected += esc ?? (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : ".");
    }
    assert.equal(new TextDecoder().decode(dst.subarray(0, n)), expected);
  });

  await t.step("keeps quotes and writes from pos", () => {
    const src = ascii('GET / "x"\r\n');
    const dst = new Uint8Array(40);
    dst[0] = 0x41;
    const n = escapeL7Into(src, 4, src.length, dst, 1);
    assert.equal(new TextDecoder().decode(dst.subarray(0, n)), 'A/ "x"\\r\\n');
  });

  await t.step("returns pos for an empty range", () => {
    assert.equal(escapeL7Into(new Uint8Array(4), 2, 2, new Uint8Array(0), 7), 7);
  });
});

// ---------------------------------------------------------------------------------------------

Deno.test({
  name: "escapeL7Into() output matches the l7Content alphabet of the reference packet files",
  ignore: !hasReference(),
  fn() {
    // The reference files hold only escaped text; check that each l7Content field is a fixed
    // point of the escaping's alphabet: no raw bytes outside 0x20..0x7e and only known escapes.
    const files = referenceFiles("_packets.txt");
    let checked = 0;
    for (const f of files) {
      const lines = Deno.readTextFileSync(f).split("\n");
      for (const line of lines.slice(1)) {
        if (line === "") continue;
        const field = line.slice(line.lastIndexOf("\t") + 1);
        assert.match(field, /^(?:[\x20-\x5b\x5d-\x7e]|\\[bfnrtv\\])*$/, `${f}: ${field}`);
        checked++;
      }
    }
    assert.ok(checked > 1000, `only ${checked} packet lines checked`);
  },
});

Deno.test("sanitizeText returns plain printable ASCII unchanged, like the byte sanitiser", () => {
  let all = "";
  for (let c = 0x20; c <= 0x7e; c++) all += String.fromCharCode(c);
  const bytes = new TextEncoder().encode(all);
  assert.equal(sanitizeText(all), sanitizeString(bytes));
  assert.equal(sanitizeText("eth:ipv4:tcp"), "eth:ipv4:tcp");
  assert.equal(sanitizeText('a"b\\c'), 'a\\"b\\\\c');
});

Deno.test("sanitizeString() in jsonSink's style (jsonSink.md §3.2)", () => {
  // Only \t \n \r \\ \" keep a letter; \b \f \v and other controls become \u00XX (upper case).
  assert.equal(
    sanitizeString(
      bytes(0x08, 0x0c, 0x0a, 0x0d, 0x09, 0x0b, 0x5c, 0x22, 0x1b, 0x7f),
      0,
      10,
      "json",
    ),
    '\\u0008\\u000C\\n\\r\\t\\u000B\\\\\\"\\u001B\\u007F',
  );
  assert.equal(sanitizeText("a/b 'c'", "json"), "a/b 'c'");
  // The UTF-8 check is the flow file's: a bad lead byte becomes '.'.
  assert.equal(sanitizeString(bytes(0x61, 0xff, 0xc3, 0xa9), 0, 4, "json"), "a.é");
});

Deno.test("sanitizeString() in psqlSink's style (psqlSink.md §5.1)", () => {
  // The flow file's letters, but other controls get two backslashes; quotes are not doubled.
  assert.equal(
    sanitizeText("a\"b\\c\nd'e\x1b", "psql"),
    "a\\\"b\\\\c\\nd'e\\\\u001B",
  );
  const src = bytes(0x01, 0x7f, 0x08, 0x0b);
  const dst = new Uint8Array(7 * src.length);
  const n = sanitizeInto(src, 0, src.length, dst, 0, "psql");
  assert.equal(new TextDecoder().decode(dst.subarray(0, n)), "\\\\u0001\\\\u007F\\b\\v");
});
