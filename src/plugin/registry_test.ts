import assert from "node:assert/strict";
import type { PluginDefinition } from "./api.ts";
import { checkDependencies, parsePluginList, PluginListError, selectPlugins } from "./registry.ts";

/** A plugin that does nothing. */
function plugin(name: string, number: number, dependencies?: string[]): PluginDefinition {
  return { name, number, version: "1", dependencies, create: () => ({}) };
}

const A = plugin("basicFlow", 100);
const B = plugin("basicStats", 120);
const W = plugin("tcpWin", 150);
const T = plugin("txtSink", 901);
const D = plugin("needsStats", 200, ["basicStats"]);
const ALL = [T, W, B, A, D];

Deno.test("parsePluginList() reads T2's NNN_name.so and bare names, skipping comments and blank lines", () => {
  const text = [
    "# the tutorials' plugins",
    "100_basicFlow.so",
    "",
    "  150_tcpWin.so   # window detector",
    "txtSink\r",
    "basicStats.so",
    "120_basic_Stats2",
  ].join("\n");
  assert.deepStrictEqual(parsePluginList(text), [
    "basicFlow",
    "tcpWin",
    "txtSink",
    "basicStats",
    "basic_Stats2",
  ]);
  assert.deepStrictEqual(parsePluginList(""), []);
});

Deno.test("parsePluginList() refuses an entry that is no plugin name", () => {
  for (const bad of ["basic flow", "../x.so", "tcpWin.dll"]) {
    assert.throws(() => parsePluginList(bad), (e: Error) => {
      assert.ok(e instanceof PluginListError);
      assert.equal(e.message, `Cannot read plugin list entry "${bad}"`);
      return true;
    });
  }
});

Deno.test("selectPlugins() loads in plugin-number order whatever the list order, each once", () => {
  const chosen = selectPlugins(ALL, ["txtSink", "tcpWin", "basicFlow", "tcpWin"]);
  assert.deepStrictEqual(chosen.map((p) => p.name), ["basicFlow", "tcpWin", "txtSink"]);
});

Deno.test("selectPlugins() orders plugins with the same number by name", () => {
  const x = plugin("zeta", 300);
  const y = plugin("alpha", 300);
  assert.deepStrictEqual(selectPlugins([x, y], ["zeta", "alpha"]).map((p) => p.name), [
    "alpha",
    "zeta",
  ]);
});

Deno.test("selectPlugins() refuses an unknown name and lists the available plugins", () => {
  assert.throws(() => selectPlugins(ALL, ["basicFlow", "tcpStates"]), (e: Error) => {
    assert.ok(e instanceof PluginListError);
    assert.match(e.message, /"tcpStates"/);
    for (const p of ALL) assert.match(e.message, new RegExp(p.name));
    return true;
  });
});

Deno.test("checkDependencies(): a dependency must be loaded with a lower number", () => {
  checkDependencies(selectPlugins(ALL, ["needsStats", "basicStats"]));
  assert.throws(() => selectPlugins(ALL, ["needsStats", "basicFlow"]), (e: Error) => {
    assert.ok(e instanceof PluginListError);
    assert.match(e.message, /needsStats depends on basicStats.*\(not loaded\)/);
    return true;
  });
  const late = plugin("basicStats", 250); // loaded after its dependant
  assert.throws(
    () => checkDependencies([A, D, late]),
    (e: Error) =>
      e instanceof PluginListError &&
      /needsStats depends on basicStats, which must be loaded before it$/.test(e.message),
  );
});
