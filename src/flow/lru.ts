/**
 * T2's LRU list of flows with timeout-handler sentinels (spec/timeouts.md §2-§5).
 *
 * Nodes are flow slots `[0, capacity)`, the head and tail, and one sentinel per registered
 * timeout value. The head side holds the most recently touched flows. Before each packet,
 * every handler walks from its sentinel towards the head and expires flows whose pair is
 * old enough; the sentinel then moves behind the last flow it examined.
 *
 * @module
 */

/** Most timeout values that can be registered. */
const MAX_HANDLERS = 256;

/** The per-flow times the timeout check reads (see Flows). */
export interface FlowTimes {
  readonly lastSec: Float64Array;
  readonly lastNs: Uint32Array;
  readonly timeout: Float32Array;
  readonly opposite: Int32Array;
}

/** A registered timeout and its sentinel node. */
interface Handler {
  readonly timeout: number;
  readonly node: number;
}

/** The LRU list and the timeout handlers. */
export class FlowLru {
  readonly capacity: number;
  readonly head: number;
  readonly tail: number;
  readonly prev: Int32Array;
  readonly next: Int32Array;
  #handlers: Handler[] = [];
  /** Rank of the handler whose walk runs now (0 = largest timeout): a flow's place in a merge. */
  walking = 0;
  /** Flow nodes `[0, #ready)` are initialised (-1 = not in the list). */
  #ready = 0;
  // Per handler (same order as #handlers): the flow its last walk stopped at, that flow's
  // last-packet time then, and the second before which that flow cannot be old enough.
  // While all three still hold, a walk would stop at once, so it is skipped.
  #stopFlow = new Int32Array(MAX_HANDLERS).fill(-1);
  #stopLastSec = new Float64Array(MAX_HANDLERS);
  #stopLastNs = new Float64Array(MAX_HANDLERS);
  #stopUntilSec = new Float64Array(MAX_HANDLERS);

  constructor(capacity: number) {
    this.capacity = capacity;
    this.head = capacity;
    this.tail = capacity + 1;
    this.prev = new Int32Array(capacity + 2 + MAX_HANDLERS);
    this.next = new Int32Array(capacity + 2 + MAX_HANDLERS);
    // Flow nodes are marked unlinked (-1) in blocks as flows reach them (see touch), so a
    // run with few flows never touches the memory of a million-flow capacity.
    this.prev.fill(-1, capacity);
    this.next.fill(-1, capacity);
    this.next[this.head] = this.tail;
    this.prev[this.tail] = this.head;
  }

  /** Registered timeouts, largest first. */
  get timeouts(): number[] {
    return this.#handlers.map((h) => h.timeout);
  }

  /** Whether `node` is a sentinel (or the head/tail). */
  isSentinel(node: number): boolean {
    return node >= this.capacity;
  }

  /**
   * Register a timeout value (seconds, compared as float32). A value registered already is
   * ignored; a new sentinel starts next to the tail.
   */
  addHandler(seconds: number): void {
    const timeout = Math.fround(seconds);
    if (this.#handlers.some((h) => h.timeout === timeout)) return;
    if (this.#handlers.length >= MAX_HANDLERS) {
      throw new RangeError(`Cannot register timeout ${seconds}: at most ${MAX_HANDLERS} values`);
    }
    const node = this.capacity + 2 + this.#handlers.length;
    this.#linkBefore(node, this.tail);
    const h = { timeout, node };
    const i = this.#handlers.findIndex((x) => timeout > x.timeout);
    if (i < 0) this.#handlers.push(h);
    else this.#handlers.splice(i, 0, h);
    this.#stopFlow.fill(-1);
  }

  /** Move a flow to the head (inserting it if it is not in the list). */
  touch(flow: number): void {
    if (flow >= this.#ready) this.#prepare(flow);
    if (this.next[this.head] === flow) return;
    if (this.prev[flow] >= 0) this.unlink(flow);
    this.#linkBefore(flow, this.next[this.head]);
  }

  /** Mark flow nodes up to (at least) `flow` as unlinked. */
  #prepare(flow: number): void {
    const end = Math.min(this.capacity, Math.max(flow + 1, this.#ready + 4096));
    this.prev.fill(-1, this.#ready, end);
    this.next.fill(-1, this.#ready, end);
    this.#ready = end;
  }

  /** Take a node out of the list. */
  unlink(node: number): void {
    const p = this.prev[node];
    const n = this.next[node];
    this.next[p] = n;
    this.prev[n] = p;
    this.prev[node] = -1;
    this.next[node] = -1;
  }

  #linkBefore(node: number, before: number): void {
    const p = this.prev[before];
    this.next[p] = node;
    this.prev[node] = p;
    this.next[node] = before;
    this.prev[before] = node;
  }

  /**
   * Run every handler at packet time `nowSec.nowNs` (T2 cycleLRULists). A flow is expired
   * when its age and its opposite's age reach their timeouts (ages are float32, as T2).
   * `expire(flow)` outputs and removes the flow and its opposite and returns the node to
   * continue with (the node head-side of `flow` that is still in the list).
   */
  cycle(nowSec: number, nowNs: number, flows: FlowTimes, expire: (flow: number) => number): void {
    const prev = this.prev;
    const lastSec = flows.lastSec;
    const lastNs = flows.lastNs;
    const timeout = flows.timeout;
    const opposite = flows.opposite;
    const handlers = this.#handlers;
    for (let i = 0; i < handlers.length; i++) {
      const h = handlers[i];
      this.walking = i;
      let p = prev[h.node];
      if (
        p === this.#stopFlow[i] && nowSec < this.#stopUntilSec[i] &&
        lastSec[p] === this.#stopLastSec[i] && lastNs[p] === this.#stopLastNs[i]
      ) continue;
      this.#stopFlow[i] = -1;
      while (p !== this.head) {
        if (p >= this.capacity) {
          p = prev[p];
          continue;
        }
        const age = Math.fround(Math.fround(nowSec - lastSec[p]) + (nowNs - lastNs[p]) / 1e9);
        if (age < h.timeout) {
          // Until nowSec - lastSec reaches timeout - 1, the age stays below the timeout
          // (the nanosecond part adds less than one second).
          this.#stopFlow[i] = p;
          this.#stopLastSec[i] = lastSec[p];
          this.#stopLastNs[i] = lastNs[p];
          this.#stopUntilSec[i] = lastSec[p] + h.timeout - 1;
          break;
        }
        let nextNode = prev[p];
        if (age >= timeout[p]) {
          const q = opposite[p];
          if (
            q < 0 ||
            Math.fround(Math.fround(nowSec - lastSec[q]) + (nowNs - lastNs[q]) / 1e9) >= timeout[q]
          ) {
            nextNode = expire(p);
          }
        }
        p = nextNode;
      }
      if (p !== prev[h.node]) {
        this.unlink(h.node);
        this.#linkBefore(h.node, this.next[p]);
      }
    }
  }

  /**
   * The node where handler `rank`'s last walk stopped (the flow head-side of its sentinel:
   * the first flow it found young enough), or the head.
   */
  stopOf(rank: number): number {
    return this.prev[this.#handlers[rank].node];
  }

  /** Oldest flow (tail side, sentinels skipped), or -1 when there is none. */
  oldest(): number {
    let p = this.prev[this.tail];
    while (p !== this.head) {
      if (p < this.capacity) return p;
      p = this.prev[p];
    }
    return -1;
  }
}
