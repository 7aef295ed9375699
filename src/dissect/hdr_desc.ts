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
  // Edges (node, piece) → child node, in an open-addressing hash table of typed arrays: a probe
  // costs less than a Map lookup, and traffic that alternates between descriptions misses
  // the last-edge cache below on every packet.
  #edgeNode = new Int32Array(1024).fill(-1);
  #edgePiece = new Int32Array(1024);
  #edgeChild = new Int32Array(1024);
  #edges = 0;
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
    const mask = this.#edgeNode.length - 1;
    let i = (Math.imul(node, 0x9e3779b1) ^ Math.imul(piece, 0x85ebca6b)) & mask;
    for (;;) {
      const n = this.#edgeNode[i];
      if (n === -1) break;
      if (n === node && this.#edgePiece[i] === piece) return this.#edgeChild[i];
      i = (i + 1) & mask;
    }
    const next = this.#text.length;
    const joined = this.#text[node] + this.#pieces[piece];
    if (joined.length > MAX_LEN) {
      this.#text.push(joined.slice(0, MAX_LEN - 3) + "...");
      this.#overflow.push(true);
    } else {
      this.#text.push(joined);
      this.#overflow.push(false);
    }
    this.#edgeNode[i] = node;
    this.#edgePiece[i] = piece;
    this.#edgeChild[i] = next;
    if (++this.#edges * 2 > this.#edgeNode.length) this.#growEdges();
    return next;
  }

  /** Double the edge table (kept at most half full). */
  #growEdges(): void {
    const nodes = this.#edgeNode;
    const pieces = this.#edgePiece;
    const children = this.#edgeChild;
    const size = nodes.length * 2;
    const mask = size - 1;
    this.#edgeNode = new Int32Array(size).fill(-1);
    this.#edgePiece = new Int32Array(size);
    this.#edgeChild = new Int32Array(size);
    for (let j = 0; j < nodes.length; j++) {
      const node = nodes[j];
      if (node === -1) continue;
      let i = (Math.imul(node, 0x9e3779b1) ^ Math.imul(pieces[j], 0x85ebca6b)) & mask;
      while (this.#edgeNode[i] !== -1) i = (i + 1) & mask;
      this.#edgeNode[i] = node;
      this.#edgePiece[i] = pieces[j];
      this.#edgeChild[i] = children[j];
    }
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
