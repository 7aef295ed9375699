/**
 * Runtime settings: what T2 fixes at compile time (t2conf constants such as `TCPWIN_THRES`,
 * `FLOW_TIMEOUT`, `SUBNET_ON`) are declared by the core and by plugins, with defaults, and
 * set with `--set NAME=VALUE` (every part that declares NAME) or `--set PART.NAME=VALUE`.
 *
 * @module
 */

/** A setting's value. */
export type SettingValue = number | string;

/** Declaration of one setting. */
export interface SettingSpec {
  /** `int`, `float` or `string`. */
  readonly type: "int" | "float" | "string";
  /** Default value. */
  readonly default: SettingValue;
  /** What it does. */
  readonly description: string;
  /** Smallest allowed value (numbers). */
  readonly min?: number;
  /** Largest allowed value (numbers). */
  readonly max?: number;
}

/** Settings declared by one part (the core or a plugin). */
export type SettingSpecs = Readonly<Record<string, SettingSpec>>;

/** One `--set` assignment. */
export interface SettingAssignment {
  /** Part name (`core` or a plugin), or undefined for every part declaring `name`. */
  readonly part?: string;
  /** Setting name, e.g. `TCPWIN_THRES`. */
  readonly name: string;
  /** Value as written; converted and checked against the setting's spec. */
  readonly value: string;
}

/** Parse `NAME=VALUE` or `PART.NAME=VALUE`. */
export function parseAssignment(text: string): SettingAssignment {
  const eq = text.indexOf("=");
  if (eq <= 0) {
    throw new SyntaxError(`Cannot parse setting "${text}": expected NAME=VALUE`);
  }
  const lhs = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  const dot = lhs.lastIndexOf(".");
  if (dot > 0) return { part: lhs.slice(0, dot), name: lhs.slice(dot + 1), value };
  return { name: lhs, value };
}

/** Convert and validate a value for a spec; throws RangeError with a clear message. */
export function convertSetting(name: string, spec: SettingSpec, text: string): SettingValue {
  if (spec.type === "string") return text;
  const v = Number(text);
  if (text === "" || !Number.isFinite(v)) {
    throw new RangeError(`Cannot set ${name} to "${text}": expected a number`);
  }
  if (spec.type === "int" && !Number.isInteger(v)) {
    throw new RangeError(`Cannot set ${name} to "${text}": expected an integer`);
  }
  if (spec.min !== undefined && v < spec.min) {
    throw new RangeError(`Cannot set ${name} to "${text}": minimum is ${spec.min}`);
  }
  if (spec.max !== undefined && v > spec.max) {
    throw new RangeError(`Cannot set ${name} to "${text}": maximum is ${spec.max}`);
  }
  return v;
}

/** Edit distance, to suggest close names. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/** Resolved settings of all loaded parts. */
export class Settings {
  readonly #specs = new Map<string, SettingSpecs>();
  readonly #values = new Map<string, Map<string, SettingValue>>();

  /** Declare the settings of a part (in load order). */
  declare(part: string, specs: SettingSpecs): void {
    this.#specs.set(part, specs);
    const values = new Map<string, SettingValue>();
    for (const [name, spec] of Object.entries(specs)) values.set(name, spec.default);
    this.#values.set(part, values);
  }

  /** Apply assignments in order; throws on unknown names or bad values. */
  apply(assignments: readonly SettingAssignment[]): void {
    for (const a of assignments) {
      let matched = 0;
      for (const [part, specs] of this.#specs) {
        if (a.part !== undefined && a.part !== part) continue;
        const spec = specs[a.name];
        if (!spec) continue;
        this.#values.get(part)!.set(a.name, convertSetting(a.name, spec, a.value));
        matched++;
      }
      if (matched === 0) throw new RangeError(this.#unknownMessage(a));
    }
  }

  #unknownMessage(a: SettingAssignment): string {
    const full = a.part ? `${a.part}.${a.name}` : a.name;
    if (a.part !== undefined && !this.#specs.has(a.part)) {
      return `Cannot set ${full}: no loaded part is named "${a.part}" (loaded: ${
        [...this.#specs.keys()].join(", ")
      })`;
    }
    const names = new Set<string>();
    for (const specs of this.#specs.values()) for (const n of Object.keys(specs)) names.add(n);
    const close = [...names]
      .map((n) => ({ n, d: distance(n.toUpperCase(), a.name.toUpperCase()) }))
      .filter((x) => x.d <= Math.max(2, Math.floor(a.name.length / 3)))
      .sort((x, y) => x.d - y.d)
      .map((x) => x.n);
    return `Cannot set ${full}: no loaded part declares ${a.name}` +
      (close.length ? ` (did you mean ${close.slice(0, 3).join(", ")}?)` : "");
  }

  /** Value of a part's setting. */
  get(part: string, name: string): SettingValue {
    const v = this.#values.get(part)?.get(name);
    if (v === undefined) {
      throw new RangeError(`Cannot read setting ${part}.${name}: it is not declared`);
    }
    return v;
  }

  /** Numeric value of a part's setting. */
  num(part: string, name: string): number {
    return Number(this.get(part, name));
  }

  /** Every declared setting with its current value, in declaration order. */
  list(): { part: string; name: string; spec: SettingSpec; value: SettingValue }[] {
    const out = [];
    for (const [part, specs] of this.#specs) {
      for (const [name, spec] of Object.entries(specs)) {
        out.push({ part, name, spec, value: this.get(part, name) });
      }
    }
    return out;
  }
}
