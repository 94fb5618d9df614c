/**
 * Accounting groups over frames: sets of frames (a workload region's hot or cold pages, say)
 * whose pages and summed weights per node are kept up to date in O(1) per migration or free,
 * the way memcg keeps per-node statistics. The frame table owns one and tells it about every
 * move, free and growth; a table nobody groups pays nothing (the columns stay empty until the
 * first group exists).
 */

/** Node ids a group can count (MAX_NUMNODES). */
const MAX_GROUP_NODES = 1024;

/**
 * The groups of one frame table (reached through FrameTable.newGroup/setGroup/...).
 *
 * @example
 * const groups = new FrameGroups();
 * const g = groups.create(65536);
 * groups.set(f, g, 0.5, node);
 */
export class FrameGroups {
  /** Group of each frame (0 = none) and the frame's weight in it. */
  #group: Int32Array = new Int32Array(0);
  #weight: Float64Array = new Float64Array(0);
  /** Per group: pages and summed weights per node. Group 0 is "none" and counts nothing. */
  readonly #pages: Float64Array[] = [new Float64Array(0)];
  readonly #weights: Float64Array[] = [new Float64Array(0)];

  /**
   * A new group id (> 0); `capacity` is the frame table's current size.
   *
   * @example
   * groups.create(table.node.length) // 1
   */
  create(capacity: number): number {
    if (this.#group.length === 0) {
      this.#group = new Int32Array(capacity);
      this.#weight = new Float64Array(capacity);
    }
    this.#pages.push(new Float64Array(MAX_GROUP_NODES));
    this.#weights.push(new Float64Array(MAX_GROUP_NODES));
    return this.#pages.length - 1;
  }

  /**
   * Puts frame `f` (on `node`) in group `g` (0 = none) with a weight, leaving any group it was in.
   *
   * @example
   * groups.set(f, g, share, table.node[f]);
   */
  set(f: number, g: number, weight: number, node: number): void {
    if (g >= this.#pages.length || g < 0) throw new RangeError(`setGroup: group ${g} does not exist; create groups with newGroup()`);
    const old = this.#group[f] ?? 0;
    if (old === 0 && g === 0) return;
    if (old !== 0) {
      this.#pages[old]![node]!--;
      this.#weights[old]![node]! -= this.#weight[f]!;
    }
    this.#group[f] = g;
    this.#weight[f] = g === 0 ? 0 : weight;
    if (g !== 0) {
      this.#pages[g]![node]!++;
      this.#weights[g]![node]! += weight;
    }
  }

  /**
   * Frame `f` moved from one node to another (migration).
   *
   * @example
   * groups.moved(f, 0, 2);
   */
  moved(f: number, from: number, to: number): void {
    const g = this.#group[f] ?? 0;
    if (g === 0) return;
    const w = this.#weight[f]!;
    this.#pages[g]![from]!--;
    this.#pages[g]![to]!++;
    this.#weights[g]![from]! -= w;
    this.#weights[g]![to]! += w;
  }

  /** The group of frame `f` (0 = none). */
  of(f: number): number {
    return this.#group[f] ?? 0;
  }

  /** Pages of group `g` per node id (a live view: read, do not write). */
  pages(g: number): Float64Array {
    return this.#pages[g]!;
  }

  /** Summed weights of group `g`'s frames per node id (a live view). */
  weights(g: number): Float64Array {
    return this.#weights[g]!;
  }

  /**
   * The frame table grew to `capacity` frames.
   *
   * @example
   * groups.grow(131072);
   */
  grow(capacity: number): void {
    if (this.#group.length === 0) return;
    const group = new Int32Array(capacity);
    group.set(this.#group);
    this.#group = group;
    const weight = new Float64Array(capacity);
    weight.set(this.#weight);
    this.#weight = weight;
  }
}
