/**
 * Flow-line output benchmark: one flow of the `flow` plugin set (basicFlow, basicStats,
 * tcpWin columns) formatted by txtSink into its buffered writer, 1000 lines per iteration.
 *
 *     deno task bench:micro plugins/txt_sink/
 *
 * @module
 */

import { type Column, ColumnBuilder, OutputBuffer, type PluginContext } from "../../mod.ts";
import { txtSink } from "./mod.ts";

const columns: Column[] = [];
new ColumnBuilder("core", columns).add("dir", "", "DIR").add("flowInd", "", "U64");
new ColumnBuilder("basicFlow", columns)
  .add("flowStat", "", "H64").add("timeFirst", "", "TIME").add("timeLast", "", "TIME")
  .add("duration", "", "DURATION").add("numHdrDesc", "", "U8")
  .addRepeated("numHdrs", "", "U16").addRepeated("hdrDesc", "", "SC")
  .addRepeated("srcMac", "", "MAC").addRepeated("dstMac", "", "MAC")
  .add("ethType", "", "H16").addRepeated("vlanID", "", "U16")
  .add("srcIP", "", "IPX").add("srcPort", "", "U16").add("dstIP", "", "IPX")
  .add("dstPort", "", "U16").add("l4Proto", "", "U8");
const stats = new ColumnBuilder("basicStats", columns);
for (const n of ["pktsSnt", "pktsRcvd", "l7BytesSnt", "l7BytesRcvd"]) stats.add(n, "", "U64");
stats.add("padBytesSnt", "", "I64").add("minL7PktSz", "", "U16").add("maxL7PktSz", "", "U16");
for (const n of ["avg", "std", "minIAT", "maxIAT", "avgIAT", "stdIAT", "pktps", "bytps"]) {
  stats.add(n, "", "F");
}
stats.add("pktAsm", "", "F").add("bytAsm", "", "F");
new ColumnBuilder("tcpWin", columns)
  .add("tcpWinStat", "", "H8").add("tcpWinIpTTL", "", "U8").add("tcpInitWinSz", "", "U32")
  .add("tcpWinThCnt", "", "U32").add("tcpWinSzThRt", "", "F");

const macs = new Uint8Array([0x00, 0x1b, 0x21, 0xfe, 0x0a, 0xff]);
const out = new OutputBuffer();
function fill(i: number): void {
  out.reset();
  out.dir(i & 1);
  out.u64(i + 1);
  out.h64(0x4000, 0x2);
  out.time(1022171701 + (i & 15), (i * 7919) % 1e9);
  out.time(1022171725, 123456789);
  out.duration(24, (i * 104729) % 1e9);
  out.u8(1);
  out.repeat(1);
  out.u16(3);
  out.repeat(1);
  out.strClass("eth:ipv4:tcp");
  out.repeat(1);
  out.mac(macs, 0);
  out.repeat(1);
  out.mac(macs, 0);
  out.h16(0x0800);
  out.repeat(0);
  out.ipx(4, new Uint32Array([0x8ad40000 + i, 0, 0, 0]), 0);
  out.u16(1024 + (i & 4095));
  out.ipx(4, new Uint32Array([0x0a000001, 0, 0, 0]), 0);
  out.u16(80);
  out.u8(6);
  out.u64(i & 255);
  out.u64(i & 127);
  out.u64(i * 100);
  out.u64(i * 50);
  out.i64(0);
  out.u16(0);
  out.u16(1460);
  for (let k = 0; k < 8; k++) out.f(Math.fround((i + k) / 7));
  out.f(Math.fround(0.5));
  out.f(Math.fround(-0.25));
  out.h8(1);
  out.u8(64);
  out.u32(65535);
  out.u32(i & 3);
  out.f(Math.fround((i & 3) / 100));
}

const dir = Deno.makeTempDirSync({ prefix: "t2ts-txtsink-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const ctx = {
  columns: () => columns,
  outputPrefix: `${dir}/bench`,
  plugins: [],
  run: {
    commandLine: "bench",
    sensorId: 666,
    startWallTime: new Date(0),
    version: "bench",
    input: "bench",
  },
  setting: (name: string) => txtSink.settings![name].default,
  num: (name: string) => Number(txtSink.settings![name].default),
  // The headers file is not what is measured.
  summaryFile: (suffix: string) => ({ path: suffix, text() {}, line() {}, close() {} }),
} as unknown as PluginContext;
const sink = txtSink.create(ctx);
sink.init!();

Deno.bench("txtSink: 1000 flow lines of the flow plugin set", () => {
  for (let i = 0; i < 1000; i++) {
    fill(i);
    sink.bufferToSink!(out, columns);
  }
});
