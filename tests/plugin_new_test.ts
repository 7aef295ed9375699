/**
 * `deno task plugin:new`: name rules, refusals, the edit of plugins/mod.ts, and that the
 * skeletons it writes (full, minimal, outside the program) type-check, are formatted and
 * linted, pass their own tests and add their columns to a run. Everything that writes runs in
 * a scratch copy of the repository.
 */

import assert from "node:assert/strict";
import {
  checkFree,
  checkNameAndNumber,
  className,
  constantPrefix,
  PluginNewError,
  registerIn,
  snakeName,
} from "../tasks/plugin_new.ts";
import { makeSandbox, sh } from "./_repo_sandbox.ts";

Deno.test("plugin:new: names of folders, constants and classes", () => {
  assert.equal(snakeName("myTcpWin"), "my_tcp_win");
  assert.equal(snakeName("tcpWinTMT"), "tcp_win_tmt");
  assert.equal(snakeName("basicFlow"), "basic_flow");
  assert.equal(snakeName("HTTPSniff2"), "http_sniff2");
  assert.equal(snakeName("dnsDecode"), "dns_decode");
  assert.equal(snakeName("ipv6Info"), "ipv6_info");
  assert.equal(constantPrefix("tcpWinTMT"), "TCP_WIN_TMT");
  assert.equal(className("tcpWin"), "TcpWin");
  assert.equal(className("TcpWin"), "TcpWinHooks");
});

Deno.test("plugin:new: a name is an identifier under 32 characters, a number 0-999", () => {
  assert.equal(checkNameAndNumber("tcpWin", "150"), 150);
  assert.equal(checkNameAndNumber("a", "007"), 7);
  const refused = (name: string, num: string, why: RegExp) =>
    assert.throws(
      () => checkNameAndNumber(name, num),
      (e: unknown) => e instanceof PluginNewError && why.test(e.message),
    );
  refused("9lives", "160", /^Cannot create plugin "9lives": a name starts with a letter/);
  refused("tcp-win", "160", /only letters, digits and '_'$/);
  refused("p".repeat(32), "160", /the name has 32 characters \(T2 allows 31\)$/);
  refused("delete", "160", /the name is a JavaScript keyword$/);
  refused("tcpWin", "1000", /the number "1000" is not a number from 0 to 999$/);
  refused("tcpWin", "-1", /is not a number from 0 to 999$/);
  refused("tcpWin", "15a", /is not a number from 0 to 999$/);
});

Deno.test("plugin:new: refuses a name (any case) or a number already taken", () => {
  const taken = [{ name: "tcpWin", number: 150, where: "built in" }];
  assert.throws(
    () => checkFree("TCPWIN", 160, taken),
    {
      message: 'Cannot create plugin "TCPWIN": the name is taken by tcpWin (plugin 150, built in)',
    },
  );
  assert.throws(
    () => checkFree("myWin", 150, taken),
    { message: 'Cannot create plugin "myWin": number 150 is taken by tcpWin (built in)' },
  );
  checkFree("myWin", 151, taken);
});

Deno.test("plugin:new: registers the plugin with one import and one list entry", () => {
  const before = [
    `import type { PluginDefinition } from "../mod.ts";`,
    `import { basicFlow } from "./basic_flow/mod.ts";`,
    `import { txtSink } from "./txt_sink/mod.ts";`,
    ``,
    `/** Every built-in plugin. */`,
    `export const BUILTIN_PLUGINS: readonly PluginDefinition[] = [`,
    `  basicFlow,`,
    `  txtSink,`,
    `];`,
    ``,
    `export const DEFAULT_PLUGINS: readonly string[] = ["basicFlow"];`,
    ``,
  ].join("\n");
  const after = registerIn(before, "myWin", "my_win");
  assert.equal(
    after,
    before
      .replace(
        `txt_sink/mod.ts";\n`,
        `txt_sink/mod.ts";\nimport { myWin } from "./my_win/mod.ts";\n`,
      )
      .replace(`  txtSink,\n];`, `  txtSink,\n  myWin,\n];`),
  );
  assert.throws(() => registerIn("export const X = 1;\n", "myWin", "my_win"), PluginNewError);
});

Deno.test("plugin:new: skeletons that build, pass their tests and add columns", async (t) => {
  const box = makeSandbox("t2ts_plugin_new_");
  const run = (line: string) => sh(box.root, line);
  const builtinTs = () => Deno.readTextFileSync(`${box.root}/plugins/mod.ts`);
  try {
    const original = builtinTs();
    const pluginFolders = () =>
      [...Deno.readDirSync(`${box.root}/plugins`)].filter((e) => e.isDirectory).map((e) => e.name)
        .sort();
    const originalFolders = pluginFolders();

    await t.step("refused: nothing is written", () => {
      for (
        const [args, message] of [
          ["tcpWin 160", "the name is taken by tcpWin (plugin 150, built in)"],
          ["tcpwintmt 160", "the name is taken by tcpWinTMT (plugin 151, built in)"],
          ["myWin 901", "number 901 is taken by txtSink (built in)"],
          ["my-win 160", "a name starts with a letter and has only letters, digits and '_'"],
        ]
      ) {
        const r = run(`deno task plugin:new ${args}`);
        assert.equal(r.code, 1, args);
        const name = args.split(" ")[0];
        assert.match(
          r.stderr,
          new RegExp(`plugin:new: Cannot create plugin "${name}": ${escape(message)}`),
        );
        assert.equal(r.stdout, "");
      }
      assert.equal(builtinTs(), original);
      // No plugin folder was added (the built-in ones are there, whichever they are).
      assert.deepEqual(pluginFolders(), originalFolders);
      assert.ok(originalFolders.includes("tcp_win"));
    });

    await t.step("created: full, minimal and outside the program", () => {
      const full = run("deno task plugin:new fullPlugin 160");
      assert.equal(full.code, 0, full.stderr);
      assert.equal(
        full.stdout,
        [
          "Created plugins/full_plugin/mod.ts",
          "Created plugins/full_plugin/mod_test.ts",
          "Registered fullPlugin (plugin 160) in plugins/mod.ts",
          "Test it: deno task test plugins/full_plugin/",
          "Run it:  deno task t2 -r fixtures/faf-small.pcap -w out/ -b LIST (a plugin list naming fullPlugin)",
          "",
        ].join("\n"),
      );
      const min = run("deno task plugin:new minPlugin 161 --minimal");
      assert.equal(min.code, 0, min.stderr);
      const ext = run("deno task plugin:new extPlugin 162 --out extra");
      assert.equal(ext.code, 0, ext.stderr);
      assert.equal(
        ext.stdout,
        [
          "Created extra/ext_plugin/mod.ts",
          "Created extra/ext_plugin/mod_test.ts",
          "Test it: deno task test extra/ext_plugin/",
          "Run it:  deno task t2 -p extra -r fixtures/faf-small.pcap -w out/",
          "",
        ].join("\n"),
      );
      const added = builtinTs().split("\n").filter((l) => !original.split("\n").includes(l));
      assert.deepEqual(added, [
        `import { fullPlugin } from "./full_plugin/mod.ts";`,
        `import { minPlugin } from "./min_plugin/mod.ts";`,
        "  fullPlugin,",
        "  minPlugin,",
      ]);
      const minimal = Deno.readTextFileSync(`${box.root}/plugins/min_plugin/mod.ts`);
      const complete = Deno.readTextFileSync(`${box.root}/plugins/full_plugin/mod.ts`);
      for (const hook of ["columns(", "onNewFlow(", "onLayer4(", "onFlowTerminate("]) {
        assert.ok(minimal.includes(`  ${hook}`), hook);
      }
      for (const hook of ["init(", "onLayer2(", "report(", "finalize("]) {
        assert.ok(!minimal.includes(`  ${hook}`), hook);
        assert.ok(complete.includes(`  ${hook}`), hook);
      }
    });

    await t.step("taken now: the same name or number is refused", () => {
      const again = run("deno task plugin:new fullPlugin 170");
      assert.equal(again.code, 1);
      assert.match(again.stderr, /the name is taken by fullPlugin \(plugin 160, built in\)/);
      const num = run("deno task plugin:new other 162 --out extra");
      assert.equal(num.code, 1);
      assert.match(num.stderr, /number 162 is taken by extPlugin \(extra\/ext_plugin\/mod\.ts\)/);
    });

    await t.step("the skeletons are formatted, linted and type-check", () => {
      const files = "plugins/full_plugin plugins/min_plugin extra plugins/mod.ts";
      for (const cmd of [`deno fmt --check ${files}`, `deno lint ${files}`]) {
        const r = run(cmd);
        assert.equal(r.code, 0, `${cmd}\n${r.stdout}${r.stderr}`);
      }
      const check = run(
        "deno check main.ts plugins/full_plugin/mod_test.ts plugins/min_plugin/mod_test.ts " +
          "extra/ext_plugin/mod_test.ts",
      );
      assert.equal(check.code, 0, check.stderr);
    });

    await t.step("their own tests pass", () => {
      // Type-checked in the step before.
      const r = run("deno test --no-check -A plugins/full_plugin/ plugins/min_plugin/ extra/");
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /ok \| 3 passed \| 0 failed/);
    });

    await t.step("a run writes their columns (built in, and with -p)", () => {
      Deno.writeTextFileSync(`${box.root}/list.txt`, "basicFlow\nfullPlugin\nminPlugin\ntxtSink\n");
      const r = run(
        "deno task t2 -r fixtures/faf-small.pcap -w out/ -b list.txt --set SUBNET_ON=0 -s",
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\n {4}02: fullPlugin, 0\.1\.0\n {4}03: minPlugin, 0\.1\.0\n/);
      assert.match(r.stdout, /\nfullPlugin: Aggregated fullPluginStat=0x01\n/);
      const flows = Deno.readTextFileSync(`${box.root}/out/faf-small_flows.txt`).split("\n");
      const header = flows[0].split("\t");
      assert.deepEqual(header.slice(-3), ["fullPluginStat", "fullPluginPkts", "minPluginStat"]);
      const row = flows[1].split("\t");
      assert.equal(row.length, header.length);
      assert.equal(row.at(-3), "0x01");
      assert.ok(Number(row.at(-2)) > 0);
      const packets = Deno.readTextFileSync(`${box.root}/out/faf-small_packets.txt`);
      assert.match(packets.split("\n")[0], /\tfullPluginPkts\tl7Content$/);

      const ext = run("deno task t2 -p extra -r fixtures/faf-small.pcap -w out/ --set SUBNET_ON=0");
      assert.equal(ext.code, 0, ext.stderr);
      assert.match(ext.stdout, /\n {4}\d\d: extPlugin, 0\.1\.0\n/);
      const extHeader = Deno.readTextFileSync(`${box.root}/out/faf-small_flows.txt`).split("\n")[0];
      assert.ok(extHeader.endsWith("\textPluginStat\textPluginPkts"), extHeader);
    });

    await t.step("-p: a plugin whose dependency is not loaded is left out with T2's error", () => {
      Deno.mkdirSync(`${box.root}/deps`);
      const plugin = (name: string, number: number, deps: string[]) =>
        `export const ${name} = { name: "${name}", number: ${number}, version: "0.1.0", ` +
        `dependencies: ${JSON.stringify(deps)}, create: () => ({}) };\n`;
      Deno.writeTextFileSync(
        `${box.root}/deps/mod.ts`,
        plugin("needsTmt", 170, ["tcpWinTMT"]) + plugin("needsFlow", 171, ["basicFlow"]),
      );
      const r = run("deno task t2 -p deps -r fixtures/faf-small.pcap -w out/ --set SUBNET_ON=0");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^\[ERR\] needsTmt: missing dependencies: tcpWinTMT$/m);
      assert.match(r.stdout, /\n {4}04: needsFlow, 0\.1\.0\n {4}05: txtSink, /);
      assert.doesNotMatch(r.stdout, /needsTmt/);
    });
  } finally {
    box.remove();
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
