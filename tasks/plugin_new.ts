/**
 * `deno task plugin:new NAME NUMBER [--minimal] [--out DIR]`: create a plugin skeleton (T2's
 * `t2plugin -c NAME -n NUMBER [-m]`).
 *
 Without `--out`, the plugin goes into the program: `plugins/<snake_name>/mod.ts` and
 * `mod_test.ts` are created and the plugin is added to `BUILTIN_PLUGINS` in `plugins/mod.ts`
 * (one import line and one list entry). With `--out DIR`, the same two files go to
 * `DIR/<snake_name>/`, for `t2 -p DIR`. Either way the plugin imports the API from this
 * repository's `mod.ts`, as the built-in plugins do. A name or number already used (built-in plugins, and those of DIR) is refused;
 * nothing is written then.
 *
 * The full skeleton has every callback, each with a note on when the core calls it; the
 * minimal one (`--minimal`, T2's `-m`) only those a first flow plugin needs.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** What to create. */
export interface NewPluginOptions {
  /** Plugin name, e.g. `tcpWin`. */
  readonly name: string;
  /** Plugin number, 0 to 999. */
  readonly number: number;
  /** Only the callbacks of a first flow plugin. */
  readonly minimal: boolean;
  /** Repository root (default: the one holding this task). */
  readonly root: string;
  /** Folder for a plugin outside the program (`t2 -p DIR`), or undefined. */
  readonly out?: string;
}

/** A plugin could not be created; nothing was written. */
export class PluginNewError extends Error {
  override name = "PluginNewError";
}

/** Usage text. */
export const USAGE = `Usage: deno task plugin:new NAME NUMBER [--minimal] [--out DIR]

Create a plugin skeleton with a test beside it (T2: t2plugin -c NAME -n NUMBER [-m]).

  NAME         plugin name: a letter, then letters, digits or '_' (e.g. myTcpWin)
  NUMBER       plugin number, 0 to 999: plugins run in ascending number order
  --minimal    only the callbacks a first flow plugin needs (T2's -m)
  --out DIR    create DIR/<snake_name>/ for 't2 -p DIR' instead of adding the
               plugin to the program (plugins/<snake_name>/, plugins/mod.ts)
`;

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this " +
    "throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await arguments eval undefined").split(" "),
);

/** `myTcpWin` → `my_tcp_win`, `tcpWinTMT` → `tcp_win_tmt` (folder names). */
export function snakeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/** `myTcpWin` → `MY_TCP_WIN` (prefix of constants and settings). */
export function constantPrefix(name: string): string {
  return snakeName(name).toUpperCase();
}

/** `myTcpWin` → `MyTcpWin`; `MyTcpWin` → `MyTcpWinHooks` (the class must differ). */
export function className(name: string): string {
  const c = name[0].toUpperCase() + name.slice(1);
  return c === name ? c + "Hooks" : c;
}

/** Check NAME and NUMBER as given on the command line; returns the number. */
export function checkNameAndNumber(name: string, number: string): number {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new PluginNewError(
      `Cannot create plugin "${name}": a name starts with a letter and has only letters, ` +
        `digits and '_'`,
    );
  }
  if (name.length >= 32) {
    throw new PluginNewError(
      `Cannot create plugin "${name}": the name has ${name.length} characters (T2 allows 31)`,
    );
  }
  if (RESERVED.has(name)) {
    throw new PluginNewError(`Cannot create plugin "${name}": the name is a JavaScript keyword`);
  }
  if (!/^\d{1,3}$/.test(number)) {
    throw new PluginNewError(
      `Cannot create plugin "${name}": the number "${number}" is not a number from 0 to 999`,
    );
  }
  return Number(number);
}

/** A plugin already known (built in, or in the `--out` folder). */
export interface TakenPlugin {
  readonly name: string;
  readonly number: number;
  /** Where it is (for messages). */
  readonly where: string;
}

/** Refuse a name (case-insensitively) or number that a known plugin already uses. */
export function checkFree(name: string, number: number, taken: readonly TakenPlugin[]): void {
  const byName = taken.find((t) => t.name.toLowerCase() === name.toLowerCase());
  if (byName) {
    throw new PluginNewError(
      `Cannot create plugin "${name}": the name is taken by ${byName.name} ` +
        `(plugin ${byName.number}, ${byName.where})`,
    );
  }
  const byNumber = taken.find((t) => t.number === number);
  if (byNumber) {
    throw new PluginNewError(
      `Cannot create plugin "${name}": number ${number} is taken by ${byNumber.name} ` +
        `(${byNumber.where})`,
    );
  }
}

/** Where the generated files import the API from. */
interface Imports {
  /** Import lines of the plugin module. */
  readonly plugin: (minimal: boolean) => string;
  /** Import lines of the test module (without the plugin's own). */
  readonly test: string;
}

/** An import declaration as `deno fmt` (line width 100) writes it. */
function importLine(keyword: string, names: readonly string[], from: string): string {
  const single = `${keyword} { ${names.join(", ")} } from "${from}";`;
  if (single.length <= 100) return single;
  return `${keyword} {\n${names.map((n) => `  ${n},\n`).join("")}} from "${from}";`;
}

/** The plugin module's import: the API from the repository's `mod.ts`, at path `modTs`. */
function pluginImports(modTs: string): (minimal: boolean) => string {
  return (minimal) =>
    importLine("import type", [
      "ColumnBuilder",
      "OutputBuffer",
      "Packet",
      "PluginContext",
      "PluginDefinition",
      "PluginHooks",
      ...(minimal ? [] : ["ReportWriter"]),
    ], modTs);
}

/** In the program: the API from `../../mod.ts`, the plugins beside it. */
const IN_REPO: Imports = {
  plugin: pluginImports("../../mod.ts"),
  test: [
    `import assert from "node:assert/strict";`,
    `import { type PluginDefinition, run } from "../../mod.ts";`,
    `import { basicFlow } from "../basic_flow/mod.ts";`,
    `import { txtSink } from "../txt_sink/mod.ts";`,
  ].join("\n"),
};

/** Outside the program: the API from the repository's `mod.ts`, its plugins from theirs. */
function externalImports(modTs: string, pluginsTs: string): Imports {
  return {
    plugin: pluginImports(modTs),
    test: [
      `import assert from "node:assert/strict";`,
      importLine("import", ["type PluginDefinition", "run"], modTs),
      importLine("import", ["BUILTIN_PLUGINS"], pluginsTs),
    ].join("\n"),
  };
}

/** The plugin module. */
export function pluginSource(o: NewPluginOptions, imports: Imports = IN_REPO): string {
  const { name, number, minimal } = o;
  const K = constantPrefix(name);
  const C = className(name);
  const made = `deno task plugin:new ${name} ${number}${minimal ? " --minimal" : ""}`;
  const head = `/**
 * ${name} (plugin ${number}): TODO say what this plugin adds to the flow file.
 *
 * Made with \`${made}\`.${
    minimal ? "" : `
 * Every callback of the plugin API is here, with a note on when the core calls it: keep those
 * you need and delete the others (all are optional).`
  }
 *
 * @module
 */

${imports.plugin(minimal)}

/** ${name}Stat bit: the flow had a packet with a layer 4 (an example; define your own). */
export const ${K}_STAT_L4 = 0x01;
`;
  if (minimal) {
    return head + `
/** The ${name} plugin. */
export const ${name}: PluginDefinition = {
  name: "${name}",
  number: ${number},
  version: "0.1.0",
  create: (ctx) => new ${C}(ctx),
};

/** One run of the plugin: its per-flow state lives in typed arrays indexed by flow. */
class ${C} implements PluginHooks {
  readonly #stat: Uint8Array;

  constructor(ctx: PluginContext) {
    this.#stat = ctx.perFlow({ stat: Uint8Array }).stat;
  }

  /** The flow-file columns, in the order onFlowTerminate appends their values. */
  columns(c: ColumnBuilder): void {
    c.add("${name}Stat", "${name} status", "H8");
  }

  /** A flow was created: reset its slot (slots are reused). */
  onNewFlow(_p: Packet, flow: number): void {
    this.#stat[flow] = 0;
  }

  /** Every packet of an IPv4/IPv6 flow. */
  onLayer4(_p: Packet, flow: number): void {
    this.#stat[flow] |= ${K}_STAT_L4;
  }

  /** The flow is written: one value per column. */
  onFlowTerminate(flow: number, out: OutputBuffer): void {
    out.h8(this.#stat[flow]);
  }
}
`;
  }
  return head + `
/** The ${name} plugin. */
export const ${name}: PluginDefinition = {
  name: "${name}",
  number: ${number},
  version: "0.1.0",
  // Plugins this one needs, loaded before it (T2_PLUGIN_INIT_WITH_DEPS): a plugin whose
  // dependencies are not loaded with a lower number is left out of the run.
  dependencies: [],
  // T2's compile-time constants are settings here: \`--set ${K}_MINPKTS=10\` changes one for a run,
  // \`--list-settings\` lists them.
  settings: {
    ${K}_MINPKTS: {
      type: "int",
      default: 1,
      min: 0,
      description: "Report flows with at least this many packets (an example setting)",
    },
  },
  create: (ctx) => new ${C}(ctx),
};

/**
 * One run of the plugin. The core calls \`create\` once per run; the instance keeps that run's
 * state: per-flow values in typed arrays indexed by the flow (one element per flow slot) and
 * totals of the whole run.
 */
class ${C} implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #minPkts: number;
  // Per flow (T2_PLUGIN_STRUCT_NEW).
  readonly #stat: Uint8Array;
  readonly #pkts: Uint32Array;
  // Whole run.
  #statAll = 0;
  #pktsAll = 0;
  #flowsAtLeastMin = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#minPkts = ctx.num("${K}_MINPKTS");
    const a = ctx.perFlow({ stat: Uint8Array, pkts: Uint32Array });
    this.#stat = a.stat;
    this.#pkts = a.pkts;
  }

  /**
   * Declare the flow-file columns: name, description (\`_headers.txt\`) and type, in the order
   * onFlowTerminate appends the values (T2 t2PrintHeader). Called once, before init.
   */
  columns(c: ColumnBuilder): void {
    c.add("${name}Stat", "${name} status", "H8");
    c.add("${name}Pkts", "${name} number of layer-4 packets", "U32");
  }

  /**
   * Start of the run (T2 t2Init): name the packet-file columns (packet mode, \`-s\`), register
   * the timeouts this plugin gives flows (\`ctx.registerTimeout\`), open files.
   */
  init(): void {
    this.#ctx.packetFile?.header("${name}Pkts");
  }

  /**
   * A flow was created (T2 t2OnNewFlow), before the callbacks of its first packet. Reset the
   * flow's values: the slot held another flow before.
   */
  onNewFlow(_p: Packet, flow: number): void {
    this.#stat[flow] = 0;
    this.#pkts[flow] = 0;
  }

  /**
   * Every packet (T2 t2OnLayer2). For an IPv4/IPv6 packet \`flow\` is NO_FLOW (-1) and onLayer4
   * follows; for a pure layer-2 packet (ARP, STP, ...) it is the packet's flow and onLayer4
   * does not follow, so write this plugin's packet-file columns here (empty ones, if nothing
   * to say).
   */
  onLayer2(_p: Packet, flow: number): void {
    if (flow < 0) return;
    this.#ctx.packetFile?.empty(1);
  }

  /**
   * Every packet of an IPv4/IPv6 flow (T2 t2OnLayer4), later fragments included
   * (\`p.firstFragment\` is false for those: their layer-4 header is elsewhere). In packet mode,
   * write exactly one value (or empty column) per packet-file column declared in init.
   */
  onLayer4(_p: Packet, flow: number): void {
    this.#stat[flow] |= ${K}_STAT_L4;
    this.#pkts[flow]++;
    this.#pktsAll++;
    this.#ctx.packetFile?.uint(this.#pkts[flow]);
  }

  /**
   * The flow is written (T2 t2OnFlowTerminate): after its timeout, when the flow table is full,
   * or at the end of the input. Append one value per declared column, in order and of the
   * declared type. The packet is gone; only per-flow values are left.
   */
  onFlowTerminate(flow: number, out: OutputBuffer): void {
    this.#statAll |= this.#stat[flow];
    if (this.#pkts[flow] >= this.#minPkts) this.#flowsAtLeastMin++;
    out.h8(this.#stat[flow]);
    out.u32(this.#pkts[flow]);
  }

  /** Lines of the end report, between the dashed lines (T2 t2PluginReport). */
  report(r: ReportWriter): void {
    const name = ${name}.name;
    if (this.#statAll) r.plugin(name, \`Aggregated ${name}Stat=0x\${hex2(this.#statAll)}\`);
    r.pluginNumP(name, "Number of layer-4 packets", this.#pktsAll, this.#ctx.counters.numPackets);
    if (this.#flowsAtLeastMin) {
      r.plugin(name, \`Flows with at least \${this.#minPkts} packets: \${this.#flowsAtLeastMin}\`);
    }
  }

  /**
   * End of the run, after the report (T2 t2Finalize): write summary files
   * (\`this.#ctx.summaryFile("_suffix.txt")\` creates PREFIX_suffix.txt; the core closes it).
   */
  finalize(): void {}
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, "0");
}
`;
}

/** The test module beside the plugin. */
export function testSource(o: NewPluginOptions, imports: Imports = IN_REPO): string {
  const { name } = o;
  const snake = snakeName(name);
  const external = imports !== IN_REPO;
  const capture = external
    ? `/** The t2ts repository, relative to this folder. */
const T2TS = "${relative(join(resolve(o.out!), snake), resolve(o.root))}/";
const CAPTURE = new URL(T2TS + "fixtures/faf-small.pcap", import.meta.url).pathname;`
    : `const CAPTURE = new URL("../../fixtures/faf-small.pcap", import.meta.url).pathname;`;
  const pluginsOf = external
    ? `
const [basicFlow, txtSink] = ["basicFlow", "txtSink"].map((n) =>
  BUILTIN_PLUGINS.find((p) => p.name === n)!
);
`
    : "";
  return `/**
 * Tests of ${name}: a run of a bundled capture with basicFlow, ${name} and txtSink.
 * Add tests of your columns' values here.
 */

${imports.test}
import { ${name} } from "./mod.ts";
${pluginsOf}
${capture}

/** The flow file of a run of CAPTURE with these plugins: column names and rows. */
function flowFile(plugins: PluginDefinition[]): { header: string[]; rows: string[][] } {
  const dir = Deno.makeTempDirSync({ prefix: "${snake}_test_" });
  try {
    const result = run({
      inputs: [CAPTURE],
      inputName: CAPTURE,
      outputPrefix: \`\${dir}/\`,
      plugins: plugins.sort((a, b) => a.number - b.number),
      settings: [{ name: "SUBNET_ON", value: "0" }],
      packetMode: false,
      commandLine: "${name} test",
      reportSink: { writeSync: (bytes) => bytes.length },
    });
    assert.equal(result.exitCode, 0);
    const lines = Deno.readTextFileSync(\`\${dir}/faf-small_flows.txt\`).split("\\n");
    lines.pop();
    return { header: lines[0].split("\\t"), rows: lines.slice(1).map((l) => l.split("\\t")) };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("${name}: adds columns and writes a value in each for every flow", () => {
  const before = flowFile([basicFlow, txtSink]).header;
  const { header, rows } = flowFile([basicFlow, ${name}, txtSink]);
  const added = header.filter((h) => !before.includes(h));
  assert.ok(added.length > 0, "${name} adds no column");
  assert.ok(rows.length > 0, "no flow");
  for (const row of rows) assert.equal(row.length, header.length);
});
`;
}

/** The file that lists the built-in plugins, in a repository. */
const REGISTRY = "plugins/mod.ts";

/** Plugins registered in `plugins/mod.ts` of a repository. */
export async function builtinPlugins(root: string): Promise<TakenPlugin[]> {
  const file = join(root, REGISTRY);
  let mod: { BUILTIN_PLUGINS?: readonly { name: string; number: number }[] };
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    throw new PluginNewError(
      `Cannot read the built-in plugins from ${file}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  return (mod.BUILTIN_PLUGINS ?? []).map((p) => ({
    name: p.name,
    number: p.number,
    where: "built in",
  }));
}

/** `plugins/mod.ts` with the plugin's import line and `BUILTIN_PLUGINS` entry added. */
export function registerIn(registryTs: string, name: string, snake: string): string {
  const lines = registryTs.split("\n");
  let lastImport = -1;
  lines.forEach((l, i) => {
    if (/^import .* from "\.\/[^"]+\/mod\.ts";$/.test(l)) lastImport = i;
  });
  const listStart = lines.findIndex((l) => l.startsWith("export const BUILTIN_PLUGINS"));
  const listEnd = listStart < 0 ? -1 : lines.findIndex((l, i) => i > listStart && l === "];");
  if (lastImport < 0 || listEnd < 0) {
    throw new PluginNewError(
      `Cannot register the plugin: ${REGISTRY} has no plugin imports or no ` +
        "BUILTIN_PLUGINS list ending in a line '];'",
    );
  }
  lines.splice(listEnd, 0, `  ${name},`);
  lines.splice(lastImport + 1, 0, `import { ${name} } from "./${snake}/mod.ts";`);
  return lines.join("\n");
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Create the plugin. Returns the lines to print. Throws {@linkcode PluginNewError} (and writes
 * nothing) when the name or number is taken or the folder exists.
 */
export async function createPlugin(o: NewPluginOptions): Promise<string[]> {
  const snake = snakeName(o.name);
  const taken = await builtinPlugins(o.root);
  const show = (p: string) => relative(Deno.cwd(), p) || ".";
  if (o.out !== undefined) {
    const { loadPluginFolder } = await import("../src/plugin/external.ts");
    const out = resolve(o.out);
    if (exists(out)) {
      const folder = await loadPluginFolder(out, () => {});
      for (const e of folder.plugins) {
        taken.push({ name: e.plugin.name, number: e.plugin.number, where: show(e.file) });
      }
    }
    checkFree(o.name, o.number, taken);
    const dir = join(out, snake);
    if (exists(dir)) {
      throw new PluginNewError(`Cannot create plugin "${o.name}": ${show(dir)} exists`);
    }
    const relativeTo = (file: string) => {
      const path = relative(dir, join(resolve(o.root), file));
      return path.startsWith(".") ? path : "./" + path;
    };
    const imports = externalImports(relativeTo("mod.ts"), relativeTo(REGISTRY));
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "mod.ts"), pluginSource(o, imports));
    Deno.writeTextFileSync(join(dir, "mod_test.ts"), testSource(o, imports));
    return [
      `Created ${show(join(dir, "mod.ts"))}`,
      `Created ${show(join(dir, "mod_test.ts"))}`,
      `Test it: deno task test ${show(dir)}/`,
      `Run it:  deno task t2 -p ${show(out)} -r fixtures/faf-small.pcap -w out/`,
    ];
  }
  checkFree(o.name, o.number, taken);
  const dir = join(o.root, "plugins", snake);
  if (exists(dir)) {
    throw new PluginNewError(`Cannot create plugin "${o.name}": ${show(dir)} exists`);
  }
  const builtinFile = join(o.root, REGISTRY);
  const registered = registerIn(Deno.readTextFileSync(builtinFile), o.name, snake);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(join(dir, "mod.ts"), pluginSource(o));
  Deno.writeTextFileSync(join(dir, "mod_test.ts"), testSource(o));
  Deno.writeTextFileSync(builtinFile, registered);
  return [
    `Created ${show(join(dir, "mod.ts"))}`,
    `Created ${show(join(dir, "mod_test.ts"))}`,
    `Registered ${o.name} (plugin ${o.number}) in ${show(builtinFile)}`,
    `Test it: deno task test ${show(dir)}/`,
    `Run it:  deno task t2 -r fixtures/faf-small.pcap -w out/ -b LIST (a plugin list naming ${o.name})`,
  ];
}

/** Parse the command line: NAME NUMBER [--minimal|-m] [--out DIR] [--root DIR]. */
export function parseCommandLine(args: readonly string[]): NewPluginOptions {
  const words: string[] = [];
  let minimal = false;
  let out: string | undefined;
  let root = dirname(dirname(new URL(import.meta.url).pathname));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--minimal" || a === "-m") minimal = true;
    else if (a === "--out" || a === "--root") {
      const v = args[++i];
      if (v === undefined) {
        throw new PluginNewError(`Cannot parse the command line: ${a} needs a folder`);
      }
      if (a === "--out") out = v;
      else root = v;
    } else if (a.startsWith("-")) {
      throw new PluginNewError(`Cannot parse the command line: unknown option ${a}`);
    } else words.push(a);
  }
  if (words.length !== 2) {
    throw new PluginNewError("Cannot parse the command line: expected NAME and NUMBER");
  }
  const number = checkNameAndNumber(words[0], words[1]);
  return { name: words[0], number, minimal, root, out };
}

if (import.meta.main) {
  try {
    if (Deno.args.includes("-h") || Deno.args.includes("--help")) {
      console.log(USAGE);
    } else {
      const lines = await createPlugin(parseCommandLine(Deno.args));
      for (const l of lines) console.log(l);
    }
  } catch (e) {
    if (!(e instanceof PluginNewError)) throw e;
    console.error(`plugin:new: ${e.message}`);
    if (e.message.startsWith("Cannot parse")) console.error("\n" + USAGE);
    Deno.exit(1);
  }
}
