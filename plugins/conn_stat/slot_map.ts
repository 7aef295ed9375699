/**
 * A map from fixed-width keys (a few 32-bit words) to slot numbers that hands out slots the
 * way T2's hash tables do (spec/plugins/connStat.md §3): a stack of free slots, `0, 1, 2, …`
 * with 0 on top at the start; an insert takes the top slot, a removal puts the slot back on
 * top. Which slot a key gets matters to connStat, because values stored per slot outlive the
 * key (a new owner of a slot sees the old owner's packet counts).
 *
 * The stack is kept as the freed slots (a LIFO) above the never-used ones (`#fresh` onwards),
 * which is the same order without touching memory for slots never used. Slots in use are
 * therefore the low ones, and the bucket array grows with the keys bound (up to one bucket per
 * slot): lookups stay within a small, cached part of memory while few keys are bound.
 *
 * @module
 */

/** Not found (and: no free slot left). */
export const NOT_FOUND = -1;

/** Buckets at the start (the array doubles as keys are bound). */
const INITIAL_BUCKETS = 1024;

/** Slot allocation and key lookup for `capacity` keys of `width` words. */
export class SlotMap {
  /** Number of slots. */
  readonly capacity: number;
  /** Keys bound now. */
  size = 0;
  /**
   * Per slot: changes whenever the slot is bound or freed (odd while bound), so a caller that
   * keeps a slot number with its generation knows the slot still holds the same key.
   */
  readonly generation: Uint32Array;
  readonly #width: number;
  /** Key words of each slot. */
  readonly #keys: Uint32Array;
  /** Hash chains: bucket → first slot + 1, slot → next slot + 1 (0 ends a chain). */
  #heads: Int32Array;
  readonly #next: Int32Array;
  #mask: number;
  /** Most buckets: the capacity rounded up to a power of two. */
  readonly #maxBuckets: number;
  /** Slots given back, most recent last (the top of the stack). */
  readonly #freed: Int32Array;
  #freedTop = 0;
  /** The lowest slot never handed out. */
  #fresh = 0;

  constructor(capacity: number, width: number) {
    this.capacity = capacity;
    this.#width = width;
    this.#keys = new Uint32Array(capacity * width);
    let buckets = 1;
    while (buckets < capacity) buckets *= 2;
    this.#maxBuckets = buckets;
    buckets = Math.min(buckets, INITIAL_BUCKETS);
    this.#heads = new Int32Array(buckets);
    this.#next = new Int32Array(capacity);
    this.#mask = buckets - 1;
    this.#freed = new Int32Array(capacity);
    this.generation = new Uint32Array(capacity);
  }

  /** Whether every slot is bound. */
  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** Bucket of the key at `words[at ..]`. */
  #bucket(words: Uint32Array, at: number): number {
    let h = 0x9e3779b9;
    for (let i = 0; i < this.#width; i++) {
      h = Math.imul(h ^ words[at + i], 0x85ebca6b);
      h ^= h >>> 13;
    }
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.#mask;
  }

  #sameKey(slot: number, key: Uint32Array): boolean {
    const keys = this.#keys;
    const w = this.#width;
    const at = slot * w;
    for (let i = 0; i < w; i++) if (keys[at + i] !== key[i]) return false;
    return true;
  }

  /** The slot bound to `key` (its first `width` words), or {@linkcode NOT_FOUND}. */
  lookup(key: Uint32Array): number {
    let s = this.#heads[this.#bucket(key, 0)];
    while (s !== 0) {
      if (this.#sameKey(s - 1, key)) return s - 1;
      s = this.#next[s - 1];
    }
    return NOT_FOUND;
  }

  /**
   * Bind `key` (not bound yet) to the slot on top of the free stack and return it, or
   * {@linkcode NOT_FOUND} when no slot is free.
   */
  insert(key: Uint32Array): number {
    if (this.full) return NOT_FOUND;
    const slot = this.#freedTop > 0 ? this.#freed[--this.#freedTop] : this.#fresh++;
    const w = this.#width;
    for (let i = 0; i < w; i++) this.#keys[slot * w + i] = key[i];
    const b = this.#bucket(key, 0);
    this.#next[slot] = this.#heads[b];
    this.#heads[b] = slot + 1;
    this.generation[slot]++;
    if (++this.size > this.#heads.length && this.#heads.length < this.#maxBuckets) this.#grow();
    return slot;
  }

  /** Twice the buckets, the bound slots chained anew. */
  #grow(): void {
    const heads = new Int32Array(this.#heads.length * 2);
    this.#heads = heads;
    this.#mask = heads.length - 1;
    const w = this.#width;
    for (let slot = 0; slot < this.#fresh; slot++) {
      if ((this.generation[slot] & 1) === 0) continue; // free
      const b = this.#bucket(this.#keys, slot * w);
      this.#next[slot] = heads[b];
      heads[b] = slot + 1;
    }
  }

  /** Unbind the key of `slot` (bound) and put the slot on top of the free stack. */
  remove(slot: number): void {
    const w = this.#width;
    const b = this.#bucket(this.#keys, slot * w);
    let s = this.#heads[b];
    if (s === slot + 1) this.#heads[b] = this.#next[slot];
    else {
      while (s !== 0 && this.#next[s - 1] !== slot + 1) s = this.#next[s - 1];
      if (s === 0) throw new Error(`SlotMap: slot ${slot} is not bound`);
      this.#next[s - 1] = this.#next[slot];
    }
    this.#next[slot] = 0;
    this.generation[slot]++;
    this.#freed[this.#freedTop++] = slot;
    this.size--;
  }
}
