/**
 * Test plugin for the sinks: one column of every value type (and compound, repeating and
 * empty repeating columns), with fixed values chosen to exercise each format: signs, the
 * largest values, a 64-bit hex with bit 63 set, floats that need 17 digits, nanoseconds, a
 * string with every kind of escape. The same values are written for every flow, except
 * `tFlow`, which is the flow's index (so rows can be matched to flows).
 *
 * @module
 */

import type { PluginDefinition } from "../mod.ts";

/** The string column's value: quote, backslash, LF, apostrophe, ESC, tab, UTF-8, slash. */
export const TEXT_VALUE = "a\"b\\c\nd'e\x1b\tf é/";

/** A plugin numbered 800 (after basicStats, before the sinks). */
export const allTypes: PluginDefinition = {
  name: "allTypes",
  number: 800,
  version: "0.1.0",
  create() {
    const v6 = new Uint32Array([0x20010db8, 0, 0, 0x00000001]);
    const v4 = new Uint32Array([0x8ad4b83f, 0, 0, 0]);
    const none = new Uint32Array(4);
    const mac = new Uint8Array([0x00, 0xc0, 0x4f, 0x1e, 0xce, 0x15]);
    return {
      columns: (c) =>
        c.add("tFlow", "flow index", "U32")
          .add("tI8", "I8", "I8").add("tI16", "I16", "I16").add("tI32", "I32", "I32")
          .add("tI64", "I64", "I64")
          .add("tU8", "U8", "U8").add("tU16", "U16", "U16").add("tU32", "U32", "U32")
          .add("tU64", "U64", "U64")
          .add("tH8", "H8", "H8").add("tH16", "H16", "H16").add("tH32", "H32", "H32")
          .add("tH64", "H64", "H64")
          .add("tF", "F", "F").add("tFneg", "F", "F").add("tD", "D", "D")
          .add("tC", "C", "C").add("tS", "S", "S").add("tSC", "SC", "SC")
          .add("tTime", "TIME", "TIME").add("tDur", "DURATION", "DURATION")
          .add("tMac", "MAC", "MAC").add("tIP4", "IP4", "IP4").add("tIP6", "IP6", "IP6")
          .add("tIPX4", "IPX v4", "IPX").add("tIPX6", "IPX v6", "IPX")
          .add("tIPX0", "IPX none", "IPX")
          .add("tCmp", "compound", ["H32", "H32", "H16"])
          .addRepeated("tRep", "repeating", "U16")
          .addRepeated("tRepEmpty", "repeating, empty", "U8")
          .addRepeated("tRepCmp", "repeating compound", ["MAC", "MAC", "U64"])
          .addRepeated("tRepS", "repeating string", "S"),
      onFlowTerminate(flow, out) {
        out.u32(flow);
        out.i8(-3);
        out.i16(-300);
        out.i32(-70000);
        out.i64(-5000000000000);
        out.u8(255);
        out.u16(65535);
        out.u32(4294967295);
        out.u64(9007199254740991);
        out.h8(0x21);
        out.h16(0x86dd);
        out.h32(0xdeadbeef);
        out.h64(0x8001, 0x80000000);
        out.f(0.01052966620773077);
        out.f(-1);
        out.d(6.9e-05);
        out.char(0x78);
        out.str(TEXT_VALUE);
        out.strClass("unknown");
        out.time(921159929, 611369123);
        out.duration(1, 991979500);
        out.mac(mac, 0);
        out.ip4(0x8ad4b83f);
        out.ip6(v6, 0);
        out.ipx(4, v4, 0);
        out.ipx(6, v6, 0);
        out.ipx(0, none, 0);
        out.h32(0);
        out.h32(8);
        out.h16(1);
        out.repeat(2);
        out.u16(3);
        out.u16(118);
        out.repeat(0);
        out.repeat(1);
        out.mac(mac, 0);
        out.macWords(0x0000, 0x8605_80da);
        out.u64(3);
        out.repeat(2);
        out.str('x"y');
        out.str("p\\q");
      },
    };
  },
};
