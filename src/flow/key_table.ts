/**
 * An open-addressing hash table from fixed-size keys (arrays of 32-bit words) to slot
 * numbers in `[0, capacity)`. Keys live in one typed array indexed by slot, so lookups and
 * inserts allocate nothing. Linear probing with backward-shift deletion.
 *
 * The probe index holds `(slot + 1, hash)` pairs side by side, so a probe compares hashes
 * without touching the keys, and it grows with the number of keys held (load at most 1/2)
 * instead of being sized for the capacity: 16 k flows need a 256 KiB index that stays in the
 * CPU cache, not the 4 MiB a million-flow capacity would.
 *
 * @module
 */

/** Words per flow key: src addr (4), dst addr (4), MACs (3), ethType|vlan, ports, proto. */
export const KEY_WORDS = 14;

/** Smallest probe index (entries). */
const MIN_INDEX = 1024;

/**
 * Hash of a key (words `key[off .. off+KEY_WORDS)`), 30 bits: a small integer for V8, so
 * returning it never allocates.
 */
export function hashKey(key: Uint32Array, off: number): number {
  // Two independent lanes halve the chain of dependent multiplications.
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < KEY_WORDS; i += 2) {
    a = Math.imul(a ^ key[off + i], 0x01000193);
    b = Math.imul(b ^ key[off + i + 1], 0x01000193);
  }
  let h = a ^ Math.imul(b, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

/** Fixed-capacity table of keys; a removed key's slot is the next one handed out. */
export class KeyTable {
  /** Maximum number of keys held at once. */
  readonly capacity: number;
  /** Key words of every slot (`slot * KEY_WORDS`). */
  readonly keys: Uint32Array;
  /** Keys held now. */
  count = 0;
  #hashes: Int32Array;
  /** Entry `i` is `index[2i]` = slot + 1 (0 = empty) and `index[2i+1]` = its hash. */
  #index: Int32Array;
  #mask: number;
  #free: Int32Array;
  #freeTop: number;
  /** Slots `[#fresh, capacity)` have never been used. */
  #fresh = 0;

  /** An empty table for up to `capacity` keys of {@linkcode KEY_WORDS} words each. */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * KEY_WORDS);
    this.#hashes = new Int32Array(capacity);
    this.#index = new Int32Array(2 * MIN_INDEX);
    this.#mask = MIN_INDEX - 1;
    // Freed slots are reused first (last freed, first reused), then never-used slots in
    // increasing order: touched memory stays compact, and nothing is touched up front.
    this.#free = new Int32Array(capacity);
    this.#freeTop = 0;
  }

  /** Slot holding the key `key[off..]`, or -1. */
  lookup(key: Uint32Array, off: number): number {
    const h = hashKey(key, off);
    const index = this.#index;
    const mask = this.#mask;
    for (let i = h & mask;; i = (i + 1) & mask) {
      const e = index[2 * i];
      if (e === 0) return -1;
      if (index[2 * i + 1] === h && this.#sameKey(e - 1, key, off)) return e - 1;
    }
  }

  #sameKey(slot: number, key: Uint32Array, off: number): boolean {
    const keys = this.keys;
    const base = slot * KEY_WORDS;
    // Ports and addresses first: they differ between most keys with the same hash bits.
    if (keys[base + 12] !== key[off + 12] || keys[base] !== key[off]) return false;
    for (let w = 1; w < KEY_WORDS; w++) {
      if (keys[base + w] !== key[off + w]) return false;
    }
    return true;
  }

  /** Whether another key can be inserted. */
  get full(): boolean {
    return this.#freeTop === 0 && this.#fresh === this.capacity;
  }

  /** Insert a key known to be absent; returns its slot. The table must not be full. */
  insert(key: Uint32Array, off: number): number {
    const slot = this.#freeTop > 0 ? this.#free[--this.#freeTop] : this.#fresh++;
    const base = slot * KEY_WORDS;
    for (let w = 0; w < KEY_WORDS; w++) this.keys[base + w] = key[off + w];
    const h = hashKey(key, off);
    this.#hashes[slot] = h;
    this.count++;
    if (2 * this.count > this.#mask + 1) this.#grow();
    this.#place(slot, h);
    return slot;
  }

  /** Put `slot` with hash `h` into the first free entry of its probe chain. */
  #place(slot: number, h: number): void {
    const index = this.#index;
    const mask = this.#mask;
    let i = h & mask;
    while (index[2 * i] !== 0) i = (i + 1) & mask;
    index[2 * i] = slot + 1;
    index[2 * i + 1] = h;
  }

  /** Double the probe index and re-place every key. */
  #grow(): void {
    const old = this.#index;
    const size = 2 * (this.#mask + 1);
    this.#index = new Int32Array(2 * size);
    this.#mask = size - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0) this.#place(old[i] - 1, old[i + 1]);
    }
  }

  /** Remove the key of `slot`. */
  remove(slot: number): void {
    const index = this.#index;
    const mask = this.#mask;
    let i = this.#hashes[slot] & mask;
    while (index[2 * i] !== slot + 1) i = (i + 1) & mask;
    // Backward-shift deletion keeps every probe chain unbroken.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = index[2 * j];
      if (e === 0) break;
      const home = index[2 * j + 1] & mask;
      // Move entry j into the hole at i if its home position is not in (i, j].
      if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
        index[2 * i] = e;
        index[2 * i + 1] = index[2 * j + 1];
        i = j;
      }
    }
    index[2 * i] = 0;
    index[2 * i + 1] = 0;
    this.#free[this.#freeTop++] = slot;
    this.count--;
  }
}
