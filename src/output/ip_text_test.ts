import assert from "node:assert/strict";
import { xorshift32 } from "../../tests/_support/xorshift.ts";
import { hasReference, referenceFiles } from "../../tests/_support/reference_files.ts";
import { ipv4BytesText, ipv4Text, ipv6Text, macText } from "./ip_text.ts";

/** 16 bytes from eight 16-bit groups. */
function groups(...g: number[]): Uint8Array {
  const b = new Uint8Array(16);
  g.forEach((w, i) => {
    b[2 * i] = w >> 8;
    b[2 * i + 1] = w & 255;
  });
  return b;
}

/** Parses IPv6 text (with `::` and an optional dotted tail) into 16 bytes (test helper). */
function parseIpv6(text: string): Uint8Array {
  let tail: number[] = [];
  let s = text;
  const dot = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dot) {
    tail = [(+dot[1] << 8) | +dot[2], (+dot[3] << 8) | +dot[4]];
    s = s.slice(0, dot.index);
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const [head, rest] = s.includes("::") ? s.split("::") : [s, undefined];
  const h = head ? head.split(":").map((x) => parseInt(x, 16)) : [];
  const r = rest ? rest.split(":").map((x) => parseInt(x, 16)) : [];
  const zeros = rest === undefined ? 0 : 8 - h.length - r.length - tail.length;
  return groups(...h, ...new Array(zeros).fill(0), ...r, ...tail);
}

Deno.test("ipv4Text()", async (t) => {
  await t.step("prints dotted decimal from a network-order number", () => {
    assert.equal(ipv4Text(0x8ad4bb0a), "138.212.187.10");
    assert.equal(ipv4Text(0), "0.0.0.0");
    assert.equal(ipv4Text(0xffffffff), "255.255.255.255");
    assert.equal(ipv4Text(-1), "255.255.255.255");
    assert.equal(ipv4Text(0x0a000001), "10.0.0.1");
  });
  await t.step("ipv4BytesText() reads 4 bytes", () => {
    assert.equal(ipv4BytesText(new Uint8Array([9, 201, 116, 148, 149]), 1), "201.116.148.149");
  });
});

Deno.test("ipv6Text()", async (t) => {
  await t.step("formats the tutorial examples", () => {
    assert.equal(
      ipv6Text(groups(0xcfb6, 0x1c18, 0x5010, 0xfaf0, 0x7f66, 0, 0x101, 0x80a), 0),
      "cfb6:1c18:5010:faf0:7f66:0:101:80a",
    );
    assert.equal(
      ipv6Text(groups(0x6c2, 0x6a7f, 1, 0x384b, 0, 0, 0, 0xc100), 0),
      "6c2:6a7f:1:384b::c100",
    );
  });

  await t.step("compresses the longest zero run, the first if tied", () => {
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0, 0), 0), "::");
    assert.equal(ipv6Text(groups(1, 0, 0, 0, 0, 0, 0, 0), 0), "1::");
    assert.equal(ipv6Text(groups(1, 0, 0, 0, 0, 0, 0, 1), 0), "1::1");
    assert.equal(ipv6Text(groups(1, 0, 0, 2, 0, 0, 3, 4), 0), "1::2:0:0:3:4");
    assert.equal(ipv6Text(groups(1, 0, 0, 2, 0, 0, 0, 4), 0), "1:0:0:2::4");
    assert.equal(ipv6Text(groups(1, 0, 2, 3, 4, 5, 6, 7), 0), "1:0:2:3:4:5:6:7");
    assert.equal(
      ipv6Text(groups(0xfe80, 0, 0, 0, 0x20c, 0x29ff, 0xfe1b, 0x6b2f), 0),
      "fe80::20c:29ff:fe1b:6b2f",
    );
    assert.equal(ipv6Text(groups(0xff02, 0, 0, 0, 0, 0, 0, 0xfb), 0), "ff02::fb");
    assert.equal(ipv6Text(groups(0, 0, 1, 0, 0, 0, 2, 3), 0), "0:0:1::2:3");
    assert.equal(
      ipv6Text(groups(0xabcd, 0xef01, 0x2345, 0x6789, 0xabcd, 0xef01, 0x2345, 0x6789), 0),
      "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
    );
  });

  await t.step("uses the dotted IPv4 tail exactly as glibc does", () => {
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0, 1), 0), "::1");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0, 2), 0), "::2");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0, 0xffff), 0), "::ffff");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0x102, 0x304), 0), "::1.2.3.4");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0, 0x100, 0), 0), "::1.0.0.0");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0xffff, 0x102, 0x304), 0), "::ffff:1.2.3.4");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0xffff, 0, 0), 0), "::ffff:0.0.0.0");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 0xfffe, 0x102, 0x304), 0), "::fffe:102:304");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 0, 1, 0, 0), 0), "::1:0:0");
    assert.equal(ipv6Text(groups(0, 0, 0, 0, 1, 0xffff, 0x102, 0x304), 0), "::1:ffff:102:304");
    assert.equal(ipv6Text(groups(1, 0, 0, 0, 0, 0, 0x102, 0x304), 0), "1::102:304");
    assert.equal(ipv6Text(groups(0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x221), 0), "64:ff9b::c000:221");
  });

  await t.step("reads at an offset", () => {
    const b = new Uint8Array(20);
    b.set(groups(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 3);
    assert.equal(ipv6Text(b, 3), "2001:db8::1");
  });

  await t.step("agrees with the WHATWG URL serialiser outside the dotted cases", () => {
    const next = xorshift32(2463534242);
    for (let i = 0; i < 20000; i++) {
      const g: number[] = [];
      for (let k = 0; k < 8; k++) g.push(next() % 3 === 0 ? next() & 0xffff : 0);
      const dotted = g.slice(0, 6).every((w) => w === 0) && (g[6] !== 0) ||
        g.slice(0, 5).every((w) => w === 0) && g[5] === 0xffff;
      const text = ipv6Text(groups(...g), 0);
      if (dotted) {
        assert.match(text, /\d+\.\d+\.\d+\.\d+$/);
      } else {
        const full = g.map((w) => w.toString(16)).join(":");
        assert.equal("[" + text + "]", new URL(`http://[${full}]/`).hostname, full);
      }
      assert.deepEqual(parseIpv6(text), groups(...g), text);
    }
  });
});

Deno.test("macText()", async (t) => {
  await t.step("prints lower-case hex pairs", () => {
    const b = new Uint8Array([0xff, 0x00, 0x80, 0x48, 0xb3, 0x22, 0xef]);
    assert.equal(macText(b, 1), "00:80:48:b3:22:ef");
    assert.equal(
      macText(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0),
      "ff:ff:ff:ff:ff:ff",
    );
    assert.equal(macText(new Uint8Array([1, 2, 3, 10, 11, 12]), 0), "01:02:03:0a:0b:0c");
  });
});

// ---------------------------------------------------------------------------------------------

Deno.test({
  name: "ipv6Text() and macText() reproduce the addresses of the reference flow files",
  ignore: !hasReference(),
  fn() {
    const files = referenceFiles("_flows.txt");
    let v6 = 0, macs = 0;
    for (const flows of files) {
      let hdr: string;
      try {
        hdr = Deno.readTextFileSync(flows.replace(/_flows\.txt$/, "_headers.txt"));
      } catch {
        continue;
      }
      const ipx: number[] = [], mac: number[] = [];
      for (const line of hdr.split("\n")) {
        const c = line.split("\t");
        if (!/^\d+$/.test(c[0])) continue;
        if (c[1] === "IPX" || c[1] === "IP6") ipx.push(+c[0] - 1);
        if (c[1] === "MAC" || c[1] === "MAC:R") mac.push(+c[0] - 1);
      }
      for (const line of Deno.readTextFileSync(flows).split("\n")) {
        if (line === "" || line[0] === "%") continue;
        const c = line.split("\t");
        for (const k of ipx) {
          if (!c[k].includes(":")) continue;
          assert.equal(ipv6Text(parseIpv6(c[k]), 0), c[k]);
          v6++;
        }
        for (const k of mac) {
          for (const m of c[k] ? c[k].split(";") : []) {
            const b = new Uint8Array(m.split(":").map((x) => parseInt(x, 16)));
            assert.equal(macText(b, 0), m);
            macs++;
          }
        }
      }
    }
    assert.ok(v6 > 100 && macs > 1000, `only ${v6} IPv6 and ${macs} MAC values checked`);
  },
});
