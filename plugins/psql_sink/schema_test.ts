import assert from "node:assert/strict";
import { run } from "../../src/core/run.ts";
import { BUILTIN_PLUGINS } from "../mod.ts";
import { selectPlugins } from "../../src/plugin/registry.ts";
import { MemorySink } from "../../src/output/byte_writer.ts";
import type { Column, PluginDefinition } from "../../mod.ts";
import { columnDefinitions, tableColumns } from "./schema.ts";

/** The columns of a run of basicFlow and basicStats (caught by a plugin's init). */
function baseColumns(): readonly Column[] {
  let columns: readonly Column[] = [];
  const spy: PluginDefinition = {
    name: "spy",
    number: 999,
    version: "0",
    create: (ctx) => ({ init: () => void (columns = ctx.columns()) }),
  };
  const dir = Deno.makeTempDirSync();
  try {
    const faf = new URL("../../fixtures/faf-small.pcap", import.meta.url).pathname;
    run({
      inputs: [faf],
      inputName: faf,
      outputPrefix: dir + "/",
      plugins: [...selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "basicStats"]), spy],
      settings: [{ name: "SUBNET_ON", value: "0" }],
      packetMode: false,
      commandLine: "t2",
      reportSink: new MemorySink(),
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  return columns;
}

Deno.test("psqlSink's table is T2's CREATE TABLE for basicFlow and basicStats (§4)", () => {
  const cols = tableColumns(baseColumns(), { chosen: null, exactTime: false, captureColumn: "" });
  // The statement T2 0.9.3 sent (psqlSink.md §4, "Real statement").
  assert.equal(
    `CREATE TABLE flow (${columnDefinitions(cols)});`,
    'CREATE TABLE flow (id bigserial, "dir" char, "flowInd" numeric, "flowStat" numeric, ' +
      '"timeFirst" timestamp with time zone, "timeLast" timestamp with time zone, ' +
      '"duration" interval, "numHdrDesc" smallint, "numHdrs" integer[], "hdrDesc" text[], ' +
      '"srcMac" macaddr[], "dstMac" macaddr[], "ethType" integer, "vlanID" integer[], ' +
      '"srcIP" inet, "srcPort" integer, "dstIP" inet, "dstPort" integer, "l4Proto" smallint, ' +
      '"pktsSnt" numeric, "pktsRcvd" numeric, "padBytesSnt" bigint, "l7BytesSnt" numeric, ' +
      '"l7BytesRcvd" numeric, "minL7PktSz" integer, "maxL7PktSz" integer, ' +
      '"avgL7PktSz" real, "stdL7PktSz" real, "minIAT" real, "maxIAT" real, "avgIAT" real, ' +
      '"stdIAT" real, "pktps" real, "bytps" real, "pktAsm" real, "bytAsm" real);',
  );
});

Deno.test("psqlSink's additions: exact seconds after time columns, the capture column first", () => {
  const cols = tableColumns(baseColumns(), {
    chosen: new Set(["flowInd", "timeFirst", "duration", "srcIP"]),
    exactTime: true,
    captureColumn: "capture",
  });
  assert.equal(
    columnDefinitions(cols),
    'id bigserial, "capture" text, "flowInd" numeric, "timeFirst" timestamp with time zone, ' +
      '"timeFirst_sec" numeric, "duration" interval, "duration_sec" numeric, "srcIP" inet',
  );
});
