/**
 * Header descriptions (`eth:ipv4:tcp`) without building strings per packet.
 *
 * Every description is a node of a trie whose edges are the appended pieces; a packet keeps
 * only the node number, and the text of a node is computed once, the first time the node is
 * reached. T2 caps a description at 127 characters: the node that would exceed it holds the
 * first 124 characters followed by `...` and is marked as overflowing (the packet then gets
 * HDOVRN and nothing more is appended).
 *
 * @module
 */

/** Usable characters of a description (T2_HDRDESC_LEN - 1). */
const MAX_LEN = 127;

/** Interned header description pieces and the trie of descriptions made from them. */
export class HdrDescTable {
  #pieceIds = new Map<string, number>();
  #pieces: string[] = [];
  #children = new Map<number, number>();
  #text: string[] = [""];
  #overflow: boolean[] = [false];
  // Last edge taken from each node: packets of one capture mostly repeat the same
  // descriptions, so this answers most `child` calls without a Map lookup.
  #lastPiece = new Int32Array(1024).fill(-1);
  #lastChild = new Int32Array(1024);

  /** Number of the piece `text`, created on first use. */
  piece(text: string): number {
    let id = this.#pieceIds.get(text);
    if (id === undefined) {
      id = this.#pieces.length;
      this.#pieces.push(text);
      this.#pieceIds.set(text, id);
    }
    return id;
  }

  /** Node reached from `node` by appending piece number `piece`. */
  child(node: number, piece: number): number {
    if (node < this.#lastPiece.length && this.#lastPiece[node] === piece) {
      return this.#lastChild[node];
    }
    const next = this.#childSlow(node, piece);
    if (node >= this.#lastPiece.length) this.#growCache(node);
    this.#lastPiece[node] = piece;
    this.#lastChild[node] = next;
    return next;
  }

  #growCache(node: number): void {
    let size = this.#lastPiece.length;
    while (size <= node) size *= 2;
    const piece = new Int32Array(size).fill(-1);
    piece.set(this.#lastPiece);
    const child = new Int32Array(size);
    child.set(this.#lastChild);
    this.#lastPiece = piece;
    this.#lastChild = child;
  }

  #childSlow(node: number, piece: number): number {
    const key = node * 0x100000 + piece;
    let next = this.#children.get(key);
    if (next === undefined) {
      next = this.#text.length;
      const joined = this.#text[node] + this.#pieces[piece];
      if (joined.length > MAX_LEN) {
        this.#text.push(joined.slice(0, MAX_LEN - 3) + "...");
        this.#overflow.push(true);
      } else {
        this.#text.push(joined);
        this.#overflow.push(false);
      }
      this.#children.set(key, next);
    }
    return next;
  }

  /** Text of a description node. */
  text(node: number): string {
    return this.#text[node];
  }

  /** Whether the node is a truncated (overflowing) description. */
  overflows(node: number): boolean {
    return this.#overflow[node];
  }
}

/** The table shared by every packet of a process (descriptions are immutable facts). */
export const hdrDescTable: HdrDescTable = new HdrDescTable();
