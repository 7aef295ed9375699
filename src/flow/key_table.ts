/**
 * An open-addressing hash table from fixed-size keys (arrays of 32-bit words) to slot
 * numbers in `[0, capacity)`. Keys live in one typed array indexed by slot, so lookups and
 * inserts allocate nothing. Linear probing with backward-shift deletion.
 *
 * @module
 */

/** Words per flow key: src addr (4), dst addr (4), MACs (3), ethType|vlan, ports, proto. */
export const KEY_WORDS = 14;

/** Hash of a key (words `key[off .. off+KEY_WORDS)`). */
export function hashKey(key: Uint32Array, off: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < KEY_WORDS; i++) {
    h = Math.imul(h ^ key[off + i], 0x01000193);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Fixed-capacity table of keys; slot numbers are reused after removal (lowest first). */
export class KeyTable {
  /** Maximum number of keys held at once. */
  readonly capacity: number;
  /** Key words of every slot (`slot * KEY_WORDS`). */
  readonly keys: Uint32Array;
  /** Keys held now. */
  count = 0;
  #hashes: Uint32Array;
  #index: Int32Array; // slot + 1, 0 = empty
  #mask: number;
  #free: Int32Array;
  #freeTop: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * KEY_WORDS);
    this.#hashes = new Uint32Array(capacity);
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.#index = new Int32Array(size);
    this.#mask = size - 1;
    this.#free = new Int32Array(capacity);
    // Hand out low slot numbers first so that touched memory stays compact.
    for (let i = 0; i < capacity; i++) this.#free[i] = capacity - 1 - i;
    this.#freeTop = capacity;
  }

  /** Slot holding the key `key[off..]`, or -1. */
  lookup(key: Uint32Array, off: number): number {
    const h = hashKey(key, off);
    const index = this.#index;
    const mask = this.#mask;
    const keys = this.keys;
    for (let i = h & mask;; i = (i + 1) & mask) {
      const e = index[i];
      if (e === 0) return -1;
      const slot = e - 1;
      if (this.#hashes[slot] !== h) continue;
      const base = slot * KEY_WORDS;
      let same = true;
      for (let w = 0; w < KEY_WORDS; w++) {
        if (keys[base + w] !== key[off + w]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
  }

  /** Whether another key can be inserted. */
  get full(): boolean {
    return this.#freeTop === 0;
  }

  /** Insert a key known to be absent; returns its slot. The table must not be full. */
  insert(key: Uint32Array, off: number): number {
    const slot = this.#free[--this.#freeTop];
    const base = slot * KEY_WORDS;
    for (let w = 0; w < KEY_WORDS; w++) this.keys[base + w] = key[off + w];
    const h = hashKey(key, off);
    this.#hashes[slot] = h;
    const index = this.#index;
    const mask = this.#mask;
    let i = h & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = slot + 1;
    this.count++;
    return slot;
  }

  /** Remove the key of `slot`. */
  remove(slot: number): void {
    const index = this.#index;
    const mask = this.#mask;
    let i = this.#hashes[slot] & mask;
    while (index[i] !== slot + 1) i = (i + 1) & mask;
    // Backward-shift deletion keeps every probe chain unbroken.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = index[j];
      if (e === 0) break;
      const home = this.#hashes[e - 1] & mask;
      // Move e into the hole at i if its home position is not in (i, j].
      if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
        index[i] = e;
        i = j;
      }
    }
    index[i] = 0;
    this.#free[this.#freeTop++] = slot;
    this.count--;
  }
}
