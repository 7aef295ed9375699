/**
 * One function per callback that calls that callback of every plugin in load order, each
 * from its own call site.
 *
 * A loop over the plugins (`for (h of hooks) h.onLayer4(p, flow)`) has one call site for all
 * of them: with T2's default set (ten plugins) it is megamorphic, so V8 neither inlines the
 * callbacks nor caches their lookup, and every call goes through the generic path. The
 * generated function has a call site per plugin, each monomorphic: the callbacks are inlined
 * where V8 sees fit (a plugin's `onLayer2` for an IP packet is often a single test). Measured
 * in tasks/bench_ab.ts (docs/performance.md).
 *
 * The callbacks are looked up on each call, as the loop did (`h.onLayer4(...)`).
 *
 * @module
 */

/** A function of up to two arguments calling `method` on each of `targets`, in order. */
export function callEach<A, B>(
  targets: readonly object[],
  method: string,
): (a: A, b: B) => void {
  if (!/^[A-Za-z_$][\w$]*$/.test(method)) throw new TypeError(`Bad method name: ${method}`);
  const names = targets.map((_, i) => `h${i}`);
  const body = names.map((h) => `${h}.${method}(a, b);`).join("\n");
  // Only identifiers made here and a checked method name enter the source.
  const make = new Function(...names, `return function ${method}Each(a, b) {\n${body}\n};`);
  return make(...targets);
}
