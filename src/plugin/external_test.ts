import assert from "node:assert/strict";
import type { PluginDefinition } from "./api.ts";
import {
  acceptPlugins,
  definitionsOf,
  isPluginDefinition,
  loadPluginFolder,
  pluginFiles,
  resolvePluginSet,
} from "./external.ts";
import { PluginListError } from "./registry.ts";

function def(name: string, number: number, deps?: string[], version = "1.0"): PluginDefinition {
  return { name, number, version, dependencies: deps, create: () => ({}) };
}

/** A plugin module's source: one named export per plugin. */
function moduleText(...plugins: [string, number, string[]?][]): string {
  return plugins.map(([name, number, deps]) =>
    `export const ${name} = { name: "${name}", number: ${number}, version: "0.1.0", ` +
    `dependencies: ${JSON.stringify(deps ?? [])}, create: () => ({}) };\n`
  ).join("");
}

function withFolder(files: Record<string, string>, f: (dir: string) => Promise<void>) {
  return async () => {
    const dir = Deno.makeTempDirSync({ prefix: "t2ts_plugins_" });
    try {
      for (const [name, text] of Object.entries(files)) {
        const path = `${dir}/${name}`;
        Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
        Deno.writeTextFileSync(path, text);
      }
      await f(dir);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

Deno.test("isPluginDefinition: needs a name, a number and create", () => {
  assert.equal(isPluginDefinition(def("a", 1)), true);
  assert.equal(isPluginDefinition({ name: "a", number: 1 }), false);
  assert.equal(isPluginDefinition({ name: "a", number: "1", create() {} }), false);
  assert.equal(isPluginDefinition(null), false);
  assert.equal(isPluginDefinition("a"), false);
});

Deno.test("definitionsOf: default export first, else every plugin among named exports", () => {
  const a = def("a", 1);
  const b = def("b", 2);
  assert.deepEqual(definitionsOf({ default: a, b }), [a]);
  assert.deepEqual(definitionsOf({ default: [a, b, 3] }), [a, b]);
  assert.deepEqual(definitionsOf({ zed: b, alpha: a, n: 4, TCPWIN_THU: 0x80 }), [a, b]);
  assert.deepEqual(definitionsOf({ helper: () => 1 }), []);
});

Deno.test(
  "pluginFiles: modules of the folder and <sub>/mod.ts, not tests or _private files",
  withFolder({
    "b.ts": "",
    "a.js": "",
    "c.mjs": "",
    "a_test.ts": "",
    "_shared.ts": "",
    "types.d.ts": "",
    "notes.md": "",
    "plugins.txt": "",
    "my_plugin/mod.ts": "",
    "my_plugin/mod_test.ts": "",
    "my_plugin/helper.ts": "",
    "empty/readme.md": "",
  }, (dir) => {
    const rel = pluginFiles(dir).map((f) => f.slice(dir.length + 1));
    assert.deepEqual(rel, ["a.js", "b.ts", "c.mjs", "my_plugin/mod.ts"]);
    return Promise.resolve();
  }),
);

Deno.test(
  "loadPluginFolder: imports modules, reports broken ones and goes on",
  withFolder({
    "one.ts": moduleText(["alpha", 160]),
    "two/mod.ts": moduleText(["beta", 161], ["gamma", 162]),
    "broken.ts": "export const x = {;\n",
    "nothing.ts": "export const answer = 42;\n",
    "plugins.txt": "alpha\n",
  }, async (dir) => {
    const errors: string[] = [];
    const folder = await loadPluginFolder(dir, (t) => errors.push(t));
    assert.deepEqual(folder.plugins.map((e) => e.plugin.name), ["alpha", "beta", "gamma"]);
    assert.equal(folder.plugins[1].file, `${dir}/two/mod.ts`);
    assert.equal(folder.listFile, `${dir}/plugins.txt`);
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^Cannot load plugin file '.*broken\.ts': /);
    assert.equal(
      errors[1],
      `Cannot load plugin file '${dir}/nothing.ts': it exports no plugin definition`,
    );
  }),
);

Deno.test("loadPluginFolder: a missing folder is T2's fatal scan error", async () => {
  await assert.rejects(
    () => loadPluginFolder("/nonexistent/t2ts-plugins", () => {}),
    (e: unknown) =>
      e instanceof PluginListError &&
      e.message.startsWith("Failed to scan plugin folder '/nonexistent/t2ts-plugins': "),
  );
});

Deno.test("acceptPlugins: a dependency must be accepted before (T2's message)", () => {
  const errors: string[] = [];
  const ok = acceptPlugins(
    [
      def("a", 100),
      def("b", 110, ["a"]),
      def("c", 120, ["a", "d"]), // d comes later
      def("d", 130),
      def("e", 140, ["c"]), // c was rejected
      def("f", 150, ["a", "b", "d"]),
    ],
    (t) => errors.push(t),
  );
  assert.deepEqual(ok.map((p) => p.name), ["a", "b", "d", "f"]);
  assert.deepEqual(errors, ["c: missing dependencies: a,d", "e: missing dependencies: c"]);
});

Deno.test("acceptPlugins: T2's name and version limits; numbers 0-999", () => {
  const errors: string[] = [];
  const long = "p".repeat(32);
  const ok = acceptPlugins(
    [
      def("", 1),
      def(long, 2),
      def("p".repeat(31), 3),
      def("noVersion", 4, [], ""),
      def("longVersion", 5, [], "1".repeat(16)),
      def("big", 1000),
      def("half", 1.5),
    ],
    (t) => errors.push(t),
  );
  assert.deepEqual(ok.map((p) => p.number), [3]);
  assert.deepEqual(errors, [
    "plugin number 1: plugin name is required",
    `${long}: plugin name too long (32 characters, limited to 32)`,
    "noVersion: plugin version is required",
    "longVersion: plugin version too long (16 characters, limited to 16)",
    "big: plugin number 1000 is not a number from 0 to 999",
    "half: plugin number 1.5 is not a number from 0 to 999",
  ]);
});

const BUILTINS = [def("basicFlow", 100), def("tcpWin", 150), def("txtSink", 901)];
const DEFAULTS = ["basicFlow", "tcpWin", "txtSink"];

Deno.test("resolvePluginSet: without a folder, the list or the defaults in load order", async () => {
  const errors: string[] = [];
  const set = await resolvePluginSet({
    builtins: BUILTINS,
    defaults: ["txtSink", "basicFlow"],
    onError: (t) => errors.push(t),
  });
  assert.deepEqual(set.map((p) => p.name), ["basicFlow", "txtSink"]);
  assert.deepEqual(errors, []);
});

Deno.test("resolvePluginSet: a default plugin that is not available is an error", async () => {
  await assert.rejects(
    () =>
      resolvePluginSet({
        builtins: BUILTINS,
        defaults: ["basicFlow", "tcpFlags", "tcpWin", "connStat"],
        onError: () => {},
      }),
    (e: unknown) =>
      e instanceof PluginListError &&
      e.message ===
        "Cannot load the default plugins: tcpFlags, connStat are not built in " +
          "(choose the plugins with -b FILE)",
  );
  // a list file does not need them
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_plugins_" });
  try {
    Deno.writeTextFileSync(`${dir}/list.txt`, "basicFlow\ntxtSink\n");
    const set = await resolvePluginSet({
      builtins: BUILTINS,
      defaults: ["basicFlow", "tcpFlags"],
      listFile: `${dir}/list.txt`,
      onError: (t) => assert.fail(t),
    });
    assert.deepEqual(set.map((p) => p.name), ["basicFlow", "txtSink"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test(
  "resolvePluginSet: folder plugins join the defaults, in number order",
  withFolder(
    { "mine.ts": moduleText(["myWin", 155, ["basicFlow"]], ["early", 50]) },
    async (dir) => {
      const set = await resolvePluginSet({
        builtins: BUILTINS,
        defaults: DEFAULTS,
        folder: dir,
        onError: (t) => assert.fail(t),
      });
      assert.deepEqual(set.map((p) => p.name), [
        "early",
        "basicFlow",
        "tcpWin",
        "myWin",
        "txtSink",
      ]);
    },
  ),
);

Deno.test(
  "resolvePluginSet: DIR/plugins.txt chooses, -b overrides it",
  withFolder({
    "mine.ts": moduleText(["myWin", 155]),
    "plugins.txt": "# the tutorial's set\n100_basicFlow.so\nmyWin\ntxtSink\n",
    "other.txt": "tcpWin\n",
  }, async (dir) => {
    const fromFolder = await resolvePluginSet({
      builtins: BUILTINS,
      defaults: DEFAULTS,
      folder: dir,
      onError: (t) => assert.fail(t),
    });
    assert.deepEqual(fromFolder.map((p) => p.name), ["basicFlow", "myWin", "txtSink"]);
    const fromB = await resolvePluginSet({
      builtins: BUILTINS,
      defaults: DEFAULTS,
      folder: dir,
      listFile: `${dir}/other.txt`,
      onError: (t) => assert.fail(t),
    });
    assert.deepEqual(fromB.map((p) => p.name), ["tcpWin"]);
  }),
);

Deno.test(
  "resolvePluginSet: a folder plugin replaces the built-in one of its name",
  withFolder({ "tcp_win/mod.ts": moduleText(["tcpWin", 150]) }, async (dir) => {
    const infos: string[] = [];
    const set = await resolvePluginSet({
      builtins: BUILTINS,
      defaults: DEFAULTS,
      folder: dir,
      onError: (t) => assert.fail(t),
      onInfo: (t) => infos.push(t),
    });
    assert.deepEqual(set.map((p) => p.name), ["basicFlow", "tcpWin", "txtSink"]);
    assert.notEqual(set[1], BUILTINS[1]);
    assert.equal(set[1].version, "0.1.0");
    assert.deepEqual(infos, [
      `Plugin tcpWin from '${dir}/tcp_win/mod.ts' replaces the built-in one`,
    ]);
  }),
);

Deno.test(
  "resolvePluginSet: a plugin whose dependency is not loaded is left out, the run goes on",
  withFolder({
    "tmt.ts": moduleText(["myTmt", 160, ["tcpWin"]]),
    "list.txt": "basicFlow\nmyTmt\ntxtSink\n",
  }, async (dir) => {
    const errors: string[] = [];
    const set = await resolvePluginSet({
      builtins: BUILTINS,
      defaults: DEFAULTS,
      folder: dir,
      listFile: `${dir}/list.txt`,
      onError: (t) => errors.push(t),
    });
    assert.deepEqual(set.map((p) => p.name), ["basicFlow", "txtSink"]);
    assert.deepEqual(errors, ["myTmt: missing dependencies: tcpWin"]);
  }),
);

Deno.test(
  "resolvePluginSet: unknown names and duplicate folder names are errors",
  withFolder({
    "a.ts": moduleText(["twice", 170]),
    "b.ts": moduleText(["twice", 171]),
  }, async (dir) => {
    await assert.rejects(
      () =>
        resolvePluginSet({
          builtins: BUILTINS,
          defaults: DEFAULTS,
          folder: dir,
          onError: () => {},
        }),
      (e: unknown) =>
        e instanceof PluginListError &&
        e.message ===
          `Cannot load plugin twice from '${dir}/b.ts': '${dir}/a.ts' has one of that name`,
    );
    const list = `${dir}/list.txt`;
    Deno.writeTextFileSync(list, "basicFlow\nnoSuchPlugin\n");
    await assert.rejects(
      () =>
        resolvePluginSet({
          builtins: BUILTINS,
          defaults: DEFAULTS,
          listFile: list,
          onError: () => {},
        }),
      (e: unknown) =>
        e instanceof PluginListError &&
        e.message === 'Unknown plugin "noSuchPlugin" (available: basicFlow, tcpWin, txtSink)',
    );
  }),
);
