import assert from "node:assert/strict";
import {
  buildBundle,
  BUNDLE_PATH,
  bundledProgram,
  bundleIsFresh,
  ENTRY_PATH,
  FAILED_PATH,
} from "./bundle.ts";

/** A scratch program root: an entry module, a plugin folder and the config files. */
function scratchRoot(entry = 'console.log("scratch entry");\n'): URL {
  const dir = Deno.makeTempDirSync({ prefix: "t2ts_bundle_" });
  const root = new URL(`file://${dir}/`);
  Deno.mkdirSync(new URL("src/cli/", root), { recursive: true });
  Deno.mkdirSync(new URL("plugins/p/", root), { recursive: true });
  Deno.writeTextFileSync(new URL(ENTRY_PATH, root), entry);
  Deno.writeTextFileSync(new URL("plugins/p/mod.ts", root), "export const p = 1;\n");
  Deno.writeTextFileSync(new URL("deno.json", root), "{}\n");
  Deno.writeTextFileSync(new URL("deno.lock", root), "{}\n");
  return root;
}

/** Give a file a modification time `sec` seconds after 2026-01-01. */
function touch(root: URL, path: string, sec: number): void {
  const t = new Date(Date.UTC(2026, 0, 1) + sec * 1000);
  Deno.utimeSync(new URL(path, root), t, t);
}

function writeBundle(root: URL, sec: number): void {
  Deno.mkdirSync(new URL("dist/", root), { recursive: true });
  Deno.writeTextFileSync(new URL(BUNDLE_PATH, root), "// bundle\n");
  touch(root, BUNDLE_PATH, sec);
}

const SOURCES = [ENTRY_PATH, "plugins/p/mod.ts", "deno.json", "deno.lock"];

Deno.test("bundleIsFresh: no bundle is not fresh", () => {
  const root = scratchRoot();
  try {
    assert.equal(bundleIsFresh(root), false);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("bundleIsFresh: a bundle newer than every source is fresh; any newer source makes it stale", () => {
  const root = scratchRoot();
  try {
    for (const s of SOURCES) touch(root, s, 10);
    writeBundle(root, 20);
    assert.equal(bundleIsFresh(root), true);
    for (const s of SOURCES) {
      touch(root, s, 30);
      assert.equal(bundleIsFresh(root), false, `${s} newer than the bundle`);
      touch(root, s, 10);
    }
    assert.equal(bundleIsFresh(root), true);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("bundleIsFresh: test files are not part of the bundle and do not make it stale", () => {
  const root = scratchRoot();
  try {
    for (const s of SOURCES) touch(root, s, 10);
    writeBundle(root, 20);
    Deno.writeTextFileSync(new URL("plugins/p/mod_test.ts", root), "\n");
    touch(root, "plugins/p/mod_test.ts", 30);
    assert.equal(bundleIsFresh(root), true);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

const canBundle = typeof (Deno as unknown as { bundle?: unknown }).bundle === "function";
const SKIPPED = canBundle ? "" : " SKIPPED: needs --unstable-bundle (the test task gives it)";

Deno.test({
  name: "buildBundle: builds the entry into dist/t2.js, which then runs and is fresh" + SKIPPED,
  ignore: !canBundle,
  fn: async () => {
    const root = scratchRoot(
      'import { p } from "../../plugins/p/mod.ts";\nconsole.log("bundled", p + 1);\n',
    );
    try {
      assert.equal(await buildBundle(root), true);
      assert.equal(bundleIsFresh(root), true);
      assert.deepEqual(
        [...Deno.readDirSync(new URL("dist/", root))].map((e) => e.name).sort(),
        ["t2.js", "t2.js.map"],
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-config", new URL(BUNDLE_PATH, root).pathname],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(new TextDecoder().decode(out.stdout), "bundled 2\n");
      assert.equal(
        (await bundledProgram(root))?.href,
        new URL(BUNDLE_PATH, root).href,
      );
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "bundledProgram: a failed build gives null (run the sources) and leaves no bundle" +
    SKIPPED,
  ignore: !canBundle,
  fn: async () => {
    const root = scratchRoot('import "./missing.ts";\n');
    try {
      assert.equal(await bundledProgram(root), null);
      assert.deepEqual(
        [...Deno.readDirSync(new URL("dist/", root))].map((e) => e.name),
        ["t2.js.failed"],
      );
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "bundledProgram: after a failed build, tries again only once a source changed" + SKIPPED,
  ignore: !canBundle,
  fn: async () => {
    const root = scratchRoot('import "./missing.ts";\n');
    try {
      for (const s of SOURCES) touch(root, s, 10);
      assert.equal(await bundledProgram(root), null);
      // Repaired, but dated as before: the failed state is not built again.
      Deno.writeTextFileSync(new URL(ENTRY_PATH, root), 'console.log("repaired");\n');
      touch(root, ENTRY_PATH, 10);
      assert.equal(await bundledProgram(root), null);
      // A newer source: built, and the failure forgotten.
      touch(root, ENTRY_PATH, 20);
      assert.equal((await bundledProgram(root))?.href, new URL(BUNDLE_PATH, root).href);
      assert.throws(() => Deno.statSync(new URL(FAILED_PATH, root)), Deno.errors.NotFound);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
});
