/**
 * What the plugin context gives a plugin beyond settings and per-flow arrays, seen through
 * runs of hand-made captures: summary files, flow status bits, warnings, another plugin's
 * exports (dependencies), and the flow-key accessors and direction of `ctx.flows`.
 */

import assert from "node:assert/strict";
import {
  concat,
  ethernet,
  hex,
  ipv4,
  pcap,
  tcp,
  udp,
} from "../../tests/_support/capture_builder.ts";
import { parseTable, runCapture } from "../../tests/_support/run_capture.ts";
import { BUILTIN_PLUGINS } from "../../plugins/mod.ts";
import type { PluginDefinition, PluginHooks } from "./api.ts";
import { selectPlugins } from "./registry.ts";
import * as S from "../base/flow_status.ts";

const [basicFlow, txtSink] = selectPlugins(BUILTIN_PLUGINS, ["basicFlow", "txtSink"]);

/** Client 10.0.0.1:40000 to server 10.0.0.2:443 and its answer, then one lone UDP packet. */
function capture(): Uint8Array {
  const at = (i: number, data: Uint8Array) => ({ sec: 1000, ns: i * 1000, data });
  const toServer = ipv4(
    { src: "10.0.0.1", dst: "10.0.0.2", proto: 6 },
    tcp({ sport: 40000, dport: 443 }),
  );
  const toClient = ipv4(
    { src: "10.0.0.2", dst: "10.0.0.1", proto: 6 },
    tcp({ sport: 443, dport: 40000 }),
  );
  const lone = ipv4(
    { src: "10.0.0.3", dst: "10.0.0.4", proto: 17 },
    udp({ sport: 5000, dport: 6000 }),
  );
  return pcap([
    at(0, ethernet({ type: 0x0800 }, toServer)),
    at(1, ethernet({ type: 0x0800 }, toClient)),
    at(2, ethernet({ type: 0x0800 }, lone)),
  ]);
}

/** An IPv6 UDP packet from 2001:db8::1 to 2001:db8::2. */
function ipv6Capture(): Uint8Array {
  const payload = udp({ sport: 5353, dport: 5353 });
  const ip6 = concat(
    hex("60000000"),
    new Uint8Array([0, payload.length, 17, 64]),
    hex("20010db8000000000000000000000001 20010db8000000000000000000000002"),
    payload,
  );
  return pcap([{ sec: 1, ns: 0, data: ethernet({ type: 0x86dd }, ip6) }]);
}

function runWith(plugins: PluginDefinition[], bytes = capture()) {
  return runCapture({ input: { name: "t.pcap", bytes }, plugins });
}

Deno.test("ctx.summaryFile: PREFIX<suffix>, written in finalize, closed by the core", () => {
  const summary: PluginDefinition = {
    name: "summary",
    number: 500,
    version: "0.1.0",
    create(ctx) {
      let flows = 0;
      let path = "";
      return {
        onFlowTerminate: () => void flows++,
        finalize() {
          const f = ctx.summaryFile("_summary.txt");
          path = f.path;
          f.line("# flows");
          f.text(`${flows}\n`);
          assert.equal(path, ctx.outputPrefix + "_summary.txt");
        },
      };
    },
  };
  const out = runWith([basicFlow, summary, txtSink]);
  assert.equal(out.exitCode, 0);
  assert.equal(out.files.get("summary"), "# flows\n3\n");
});

Deno.test("ctx.summaryFile: a file that cannot be created ends the run with [ERR] and exit 1", () => {
  const bad: PluginDefinition = {
    name: "bad",
    number: 500,
    version: "0.1.0",
    create: (ctx) => ({ finalize: () => void ctx.summaryFile("/no/such/dir.txt") }),
  };
  const out = runWith([basicFlow, bad, txtSink]);
  assert.equal(out.exitCode, 1);
  assert.match(
    out.stderr.join("\n"),
    /^\[ERR\] Cannot create ".*\/no\/such\/dir\.txt": No such file or directory$/m,
  );
});

Deno.test("ctx.summaryFile: writing after close is refused", () => {
  const early: PluginDefinition = {
    name: "early",
    number: 500,
    version: "0.1.0",
    create: (ctx) => ({
      init() {
        const f = ctx.summaryFile("_early.txt");
        f.line("done");
        f.close();
        f.close(); // twice: nothing
        assert.throws(() => f.line("late"), /Cannot write ".*_early\.txt": it is closed/);
      },
    }),
  };
  const out = runWith([basicFlow, early, txtSink]);
  assert.equal(out.files.get("early"), "done\n");
});

Deno.test("ctx.setFlowStatus sets the flow's and the run's flowStat; ctx.warn and ctx.info report", () => {
  const marker: PluginDefinition = {
    name: "marker",
    number: 500,
    version: "0.1.0",
    create: (ctx) => ({
      onLayer4(_p, flow) {
        if (ctx.flows.l4Proto(flow) === 17) ctx.setFlowStatus(flow, 0, S.TIMEJUMP_H);
      },
      init: () => ctx.info("started"),
      finalize: () => ctx.warn("finished"),
    }),
  };
  const out = runWith([basicFlow, marker, txtSink]);
  const t = parseTable(out.files.get("flows")!);
  const stat = t.rows.map((r) => [r[t.col("l4Proto")], r[t.col("flowStat")]]);
  for (const [proto, s] of stat) {
    assert.equal((BigInt(s) >> 32n & BigInt(S.TIMEJUMP_H)) !== 0n, proto === "17", `${proto} ${s}`);
  }
  assert.match(out.report, /^Aggregated flowStat=0x\w+$/m);
  const agg = BigInt(/^Aggregated flowStat=(0x\w+)$/m.exec(out.report)![1]);
  assert.ok((agg >> 32n & BigInt(S.TIMEJUMP_H)) !== 0n);
  assert.match(out.report, /^\[INF\] marker: started$/m);
  assert.match(out.report, /^\[WRN\] marker: finished$/m);
});

/** What a test plugin saw of each flow when it was written. */
type Seen = Record<string, string | number | boolean>;

function flowWatcher(seen: Seen[]): PluginDefinition {
  return {
    name: "watcher",
    number: 500,
    version: "0.1.0",
    create(ctx) {
      const f = ctx.flows;
      const found = ctx.perFlow({ self: Int32Array, reverse: Int32Array });
      return {
        onLayer4(p, flow) {
          const key = {
            l4Proto: p.l4Proto,
            ethType: p.ipVersion === 6 ? 0x86dd : 0x0800,
            vlanId: p.vlanId,
          };
          found.self[flow] = f.findIp({
            ...key,
            src: p.addr.subarray(0, 4),
            dst: p.addr.subarray(4, 8),
            srcPort: p.srcPort,
            dstPort: p.dstPort,
          });
          found.reverse[flow] = f.findIp({
            ...key,
            src: p.addr.subarray(4, 8),
            dst: p.addr.subarray(0, 4),
            srcPort: p.dstPort,
            dstPort: p.srcPort,
          });
        },
        onFlowTerminate(flow) {
          seen.push({
            src: f.srcAddrText(flow),
            dst: f.dstAddrText(flow),
            ports: `${f.srcPort(flow)}>${f.dstPort(flow)}`,
            reply: f.isReply(flow),
            service: f.servicePort(flow),
            version: f.ipVersion(flow),
            srcWord: f.addrWords[f.srcAddrAt(flow)],
            findsItself: found.self[flow] === flow,
            // the reverse key at the flow's last packet
            reverse: found.reverse[flow] < 0
              ? "none"
              : found.reverse[flow] === f.opposite[flow]
              ? "opposite"
              : "other",
          });
        },
      };
    },
  };
}

Deno.test("ctx.flows: addresses, ports, direction and lookups by key", () => {
  const seen: Seen[] = [];
  runWith([basicFlow, flowWatcher(seen), txtSink]);
  assert.deepEqual(seen, [
    {
      src: "10.0.0.1",
      dst: "10.0.0.2",
      ports: "40000>443",
      reply: false,
      service: 443,
      version: 4,
      srcWord: 0x0a000001,
      findsItself: true,
      reverse: "none", // the B flow comes later
    },
    {
      src: "10.0.0.2",
      dst: "10.0.0.1",
      ports: "443>40000",
      reply: true,
      service: 443,
      version: 4,
      srcWord: 0x0a000002,
      findsItself: true,
      reverse: "opposite",
    },
    {
      src: "10.0.0.3",
      dst: "10.0.0.4",
      ports: "5000>6000",
      reply: false,
      service: 6000,
      version: 4,
      srcWord: 0x0a000003,
      findsItself: true,
      reverse: "none",
    },
  ]);
  const v6: Seen[] = [];
  runWith([basicFlow, flowWatcher(v6), txtSink], ipv6Capture());
  assert.equal(v6[0].src, "2001:db8::1");
  assert.equal(v6[0].dst, "2001:db8::2");
  assert.equal(v6[0].version, 6);
});

Deno.test("ctx.flows.setReply in onNewFlow: the flow is a reply flow, its packets B packets", () => {
  const seen: Seen[] = [];
  const flip: PluginDefinition = {
    name: "flip",
    number: 140,
    version: "0.1.0",
    create: (ctx) => ({
      onNewFlow(_p, flow) {
        if (ctx.flows.l4Proto(flow) === 17) ctx.flows.setReply(flow, true);
      },
    }),
  };
  const out = runWith([basicFlow, flip, flowWatcher(seen), txtSink]);
  const lone = seen.find((s) => s.ports === "5000>6000")!;
  assert.equal(lone.reply, true);
  assert.equal(lone.service, 5000);
  assert.match(out.report, /^Number of B packets: 2 \[66\.67%\]$/m);
  const t = parseTable(out.files.get("flows")!);
  const row = t.rows.find((r) => r[t.col("l4Proto")] === "17")!;
  assert.equal(BigInt(row[t.col("flowStat")]) & 1n, 1n);
});

/** What `counter` exports to the plugins depending on it. */
interface CounterExports {
  readonly packets: Uint32Array;
}

const counter: PluginDefinition<CounterExports> = {
  name: "counter",
  number: 300,
  version: "0.1.0",
  create(ctx): PluginHooks<CounterExports> {
    const { packets } = ctx.perFlow({ packets: Uint32Array });
    return {
      exports: { packets },
      onNewFlow: (_p, flow) => void (packets[flow] = 0),
      onLayer4: (_p, flow) => void packets[flow]++,
    };
  },
};

function reader(dependencies: string[], number = 400): PluginDefinition {
  return {
    name: "reader",
    number,
    version: "0.1.0",
    dependencies,
    create(ctx) {
      const { packets } = ctx.dependency(counter);
      return {
        columns: (c) => c.add("readerPkts", "counter's packets", "U32"),
        onFlowTerminate: (flow, out) => out.u32(packets[flow]),
      };
    },
  };
}

Deno.test("ctx.dependency: a plugin reads another plugin's per-flow values", () => {
  const out = runWith([basicFlow, counter, reader(["counter"]), txtSink]);
  assert.equal(out.exitCode, 0);
  const t = parseTable(out.files.get("flows")!);
  assert.deepEqual(t.rows.map((r) => r[t.col("readerPkts")]), ["1", "1", "1"]);
});

Deno.test("ctx.dependency: clear errors for an undeclared, unloaded or silent dependency", () => {
  assert.throws(
    () => runWith([basicFlow, counter, reader([]), txtSink]),
    {
      message:
        `Plugin reader reads counter, which is not in its dependencies (add dependencies: ["counter"] to its definition)`,
    },
  );
  assert.throws(
    () => runWith([basicFlow, reader(["counter"], 200), counter, txtSink]),
    /^Error: Plugin reader depends on counter, which is not loaded before it/,
  );
  const silent: PluginDefinition = { ...counter, create: () => ({}) };
  assert.throws(
    () => runWith([basicFlow, silent, reader(["counter"]), txtSink]),
    { message: "Plugin reader depends on counter, which exports nothing" },
  );
});

Deno.test("ctx.error writes [ERR] to standard error and the run goes on", () => {
  const complain: PluginDefinition = {
    name: "complain",
    number: 500,
    version: "0.1.0",
    create: (ctx) => ({ init: () => ctx.error("Failed to open file 'x.txt': No such file") }),
  };
  const out = runWith([basicFlow, complain, txtSink]);
  assert.equal(out.exitCode, 0);
  assert.deepEqual(out.stderr, ["[ERR] Failed to open file 'x.txt': No such file"]);
  assert.equal(parseTable(out.files.get("flows")!).rows.length, 3);
});

Deno.test("ctx.fail stops reading; what was read is written and reported, exit code 1", () => {
  const full: PluginDefinition = {
    name: "full",
    number: 500,
    version: "0.1.0",
    create(ctx) {
      let flows = 0;
      return {
        onNewFlow: () => {
          if (++flows === 2) ctx.fail("full HashMap full, Invoke t2 with -f 2");
        },
        finalize: () => ctx.summaryFile("_full.txt").line(`${flows} flows`),
      };
    },
  };
  const out = runWith([basicFlow, full, txtSink]);
  assert.equal(out.exitCode, 1);
  assert.deepEqual(out.stderr, ["[ERR] full HashMap full, Invoke t2 with -f 2"]);
  // The packet that made the second flow stops the run: the two flows in memory are written,
  // the third packet is not read.
  assert.equal(parseTable(out.files.get("flows")!).rows.length, 2);
  assert.match(out.report, /^Number of processed packets: 2$/m);
  assert.equal(out.files.get("full"), "2 flows\n");

  const early: PluginDefinition = {
    ...full,
    create: (ctx) => ({ init: () => ctx.fail("cannot start") }),
  };
  const failed = runWith([basicFlow, early, txtSink]);
  assert.equal(failed.exitCode, 1);
  assert.deepEqual(failed.stderr, ["[ERR] cannot start"]);
});

Deno.test("ctx.perFlow: one element per flow slot, or `width` side by side; a bad width throws", () => {
  let sizes: number[] = [];
  let error = "";
  const wide: PluginDefinition = {
    name: "wide",
    number: 500,
    version: "0.1.0",
    create(ctx) {
      const one = ctx.perFlow({ a: Uint8Array, b: Float64Array });
      const four = ctx.perFlow({ c: Uint32Array }, 4);
      sizes = [one.a.length, one.b.length, four.c.length].map((n) => n / ctx.flows.capacity);
      try {
        ctx.perFlow({ d: Uint8Array }, 0);
      } catch (e) {
        error = (e as Error).message;
      }
      return {
        onNewFlow: (_p, flow) => four.c.fill(flow + 1, flow * 4, flow * 4 + 4),
        onFlowTerminate(flow) {
          // The flow's own four elements, untouched by the others.
          assert.deepStrictEqual([...four.c.subarray(flow * 4, flow * 4 + 4)], [
            flow + 1,
            flow + 1,
            flow + 1,
            flow + 1,
          ]);
        },
      };
    },
  };
  assert.equal(runWith([basicFlow, wide, txtSink]).exitCode, 0);
  assert.deepStrictEqual(sizes, [1, 1, 4]);
  assert.equal(error, "Cannot allocate per-flow arrays of width 0");
});

Deno.test("ctx.perFlow: arrays start 48 bytes into their own zeroed buffer (a cache line on glibc)", () => {
  const seen: { offset: number; end: number; bufferBytes: number; zero: boolean }[] = [];
  const aligned: PluginDefinition = {
    name: "aligned",
    number: 500,
    version: "0.1.0",
    create(ctx) {
      const a = ctx.perFlow({ u8: Uint8Array, f64: Float64Array, u32: Uint32Array }, 8);
      for (const v of [a.u8, a.f64, a.u32]) {
        seen.push({
          offset: v.byteOffset,
          end: v.byteOffset + v.byteLength,
          bufferBytes: v.buffer.byteLength,
          zero: v.every((x) => x === 0),
        });
      }
      return {};
    },
  };
  assert.equal(runWith([basicFlow, aligned, txtSink]).exitCode, 0);
  assert.equal(seen.length, 3);
  for (const s of seen) {
    // A large block from malloc begins 16 bytes past a page, so byte 48 begins a cache line.
    assert.equal(s.offset % 64, 48);
    assert.ok(s.end <= s.bufferBytes);
    assert.ok(s.zero);
  }
});
