/**
 * Physical page frames, one column per attribute (DESIGN.md decision 1 "Columnar page state").
 * A frame id indexes every column; no object is allocated per page. Backing objects (anon
 * memory, shmem and file inodes) map their page indexes to frame ids, so a page shared by
 * several mappings (page cache, shmem, anon after fork) is one frame.
 */

/** Frame flag: the page has been written (numa_maps `dirty=`). */
export const PG_DIRTY = 1;
/** Frame flag: anonymous page (numa_maps `anon=`). */
export const PG_ANON = 2;
/** Frame flag: part of a 2 MiB THP folio (kernel-model.md §1.8 THP case). */
export const PG_THP = 4;
/** Frame flag: shmem/tmpfs page (counted as Shmem in meminfo). */
export const PG_SHMEM = 8;
/** Frame flag: page-cache page of a regular file. */
export const PG_FILE = 16;
/** Frame flag: kernel memory (vmalloc), not mapped into user space. */
export const PG_KERNEL = 32;

/** The typed arrays a per-frame column may be. */
export type FrameColumn = Float64Array | Float32Array | Int32Array | Int16Array | Uint16Array | Uint8Array;

const INITIAL_CAPACITY = 1 << 16;
/** Flags whose per-node frame counts are maintained (meminfo, vmstat nr_*). */
const COUNTED_FLAGS = [PG_ANON, PG_FILE, PG_SHMEM, PG_THP, PG_KERNEL] as const;

/**
 * The frame table: node, mapcount and flags of every allocated frame, plus a free list of ids.
 *
 * @example
 * const t = new FrameTable();
 * const f = t.alloc(0, PG_ANON); // frame id on node 0
 * t.node[f]; // 0
 */
export class FrameTable {
  /** Node of each frame (meaningless while the frame is free: flags 0). */
  node: Int16Array = new Int16Array(INITIAL_CAPACITY);
  /** Number of page-table mappings of each frame (folio_mapcount). */
  mapcount: Uint16Array = new Uint16Array(INITIAL_CAPACITY);
  /** PG_* flags of each frame. */
  flags: Uint8Array = new Uint8Array(INITIAL_CAPACITY);
  /** Frame id 0 is never used, so 0 can mean "no page" in page tables. */
  #top = 1;
  #free: Int32Array = new Int32Array(1024);
  /** Extra per-frame columns registered by kernel subsystems (scan time, last cpupid, ...). */
  readonly #extra: Map<string, FrameColumn> = new Map();
  /** Columns zeroed when their frame is freed (state that must not survive into a reused frame). */
  #clearOnFree: FrameColumn[] = [];
  /** Frames per node carrying each counted flag (COUNTED_FLAGS order), kept up to date. */
  readonly #counts: Float64Array[] = COUNTED_FLAGS.map(() => new Float64Array(1024));
  #nfree = 0;
  #used = 0;

  #count(flags: number, node: number, n: number): void {
    for (let i = 0; i < COUNTED_FLAGS.length; i++) if (flags & COUNTED_FLAGS[i]!) this.#counts[i]![node]! += n;
  }

  /**
   * Allocated frames on `node` with `flag` (one of PG_ANON, PG_FILE, PG_SHMEM, PG_THP, PG_KERNEL).
   *
   * @example
   * table.countOf(PG_ANON, 0) // 16384
   */
  countOf(flag: number, node: number): number {
    const i = COUNTED_FLAGS.indexOf(flag as (typeof COUNTED_FLAGS)[number]);
    return i < 0 ? 0 : this.#counts[i]![node] ?? 0;
  }

  /**
   * Moves a frame to another node (migration), keeping the counts.
   *
   * @example
   * table.setNode(f, 2);
   */
  setNode(f: number, node: number): void {
    this.#count(this.flags[f]!, this.node[f]!, -1);
    this.node[f] = node;
    this.#count(this.flags[f]!, node, 1);
  }

  /** One past the highest frame id ever handed out: every live frame id is in [1, highWater). */
  get highWater(): number {
    return this.#top;
  }

  /** Frames currently allocated. */
  get used(): number {
    return this.#used;
  }

  #ensure(extra: number): void {
    const need = this.#top + extra;
    if (need <= this.node.length) return;
    let cap = this.node.length;
    cap = Math.max(need, cap * 2);
    const node = new Int16Array(cap);
    node.set(this.node);
    const mapcount = new Uint16Array(cap);
    mapcount.set(this.mapcount);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.node = node;
    this.mapcount = mapcount;
    this.flags = flags;
    for (const [name, col] of this.#extra) {
      const bigger = new (col.constructor as new (n: number) => typeof col)(cap);
      bigger.set(col as never);
      this.#extra.set(name, bigger);
    }
    this.#refreshClear();
  }

  /**
   * A per-frame column owned by a subsystem (NUMA-balancing scan time, last cpupid, access
   * weight...), created zeroed on first use and grown with the table. Fetch it again after
   * allocations: growing replaces the array.
   *
   * @example
   * const scanTime = frames.column("scanTime", Float64Array);
   * scanTime[f] = nowNs;
   * // A NUMA-balancing generation token must not survive into a reused frame:
   * const token = frames.column("numab.token", Int32Array, { clearOnFree: true });
   */
  column<T extends FrameColumn>(name: string, ctor: new (n: number) => T, opts: { clearOnFree?: boolean } = {}): T {
    let col = this.#extra.get(name);
    if (!col) {
      col = new ctor(this.node.length);
      this.#extra.set(name, col);
      if (opts.clearOnFree) this.#clearNames.add(name);
      this.#refreshClear();
    }
    return col as T;
  }

  readonly #clearNames: Set<string> = new Set();

  #refreshClear(): void {
    this.#clearOnFree = [...this.#clearNames].map((n) => this.#extra.get(n)!);
  }

  /**
   * Allocates one frame on a node with mapcount 0.
   *
   * @example
   * table.alloc(1, PG_FILE) // a frame id
   */
  alloc(node: number, flags: number): number {
    let f: number;
    if (this.#nfree > 0) f = this.#free[--this.#nfree]!;
    else {
      this.#ensure(1);
      f = this.#top++;
    }
    this.node[f] = node;
    this.mapcount[f] = 0;
    this.flags[f] = flags;
    this.#used++;
    this.#count(flags, node, 1);
    return f;
  }

  /**
   * Allocates `count` frames on `node` and writes their ids into `dst[at..at+count)`, taking
   * freed ids first and then a fresh contiguous run (bulk: no per-page objects).
   *
   * @example
   * table.allocRun(obj.pages, 0, 512, 0, PG_ANON | PG_THP);
   */
  allocRun(dst: Int32Array, at: number, count: number, node: number, flags: number, mapcount: number): void {
    let i = 0;
    while (i < count && this.#nfree > 0) {
      const f = this.#free[--this.#nfree]!;
      this.node[f] = node;
      this.flags[f] = flags;
      this.mapcount[f] = mapcount;
      dst[at + i] = f;
      i++;
    }
    const rest = count - i;
    if (rest > 0) {
      this.#ensure(rest);
      const f0 = this.#top;
      this.#top += rest;
      this.node.fill(node, f0, f0 + rest);
      this.flags.fill(flags, f0, f0 + rest);
      this.mapcount.fill(mapcount, f0, f0 + rest);
      for (let j = 0; j < rest; j++) dst[at + i + j] = f0 + j;
    }
    this.#used += count;
    this.#count(flags, node, count);
  }

  /**
   * Allocates `count` frames whose nodes are given per page in `nodes[0..count)` and writes
   * their ids into `dst[at..at+count)` (interleaved runs).
   *
   * @example
   * table.allocNodes(obj.pages, 0, new Int16Array([0, 2, 0, 2]), 4, PG_ANON, 1);
   */
  allocNodes(dst: Int32Array, at: number, nodes: Int16Array, count: number, flags: number, mapcount: number): void {
    let i = 0;
    while (i < count && this.#nfree > 0) {
      const f = this.#free[--this.#nfree]!;
      this.node[f] = nodes[i]!;
      this.flags[f] = flags;
      this.mapcount[f] = mapcount;
      dst[at + i] = f;
      i++;
    }
    const rest = count - i;
    if (rest > 0) {
      this.#ensure(rest);
      const f0 = this.#top;
      this.#top += rest;
      this.node.set(nodes.subarray(i, count), f0);
      this.flags.fill(flags, f0, f0 + rest);
      this.mapcount.fill(mapcount, f0, f0 + rest);
      for (let j = 0; j < rest; j++) dst[at + i + j] = f0 + j;
    }
    this.#used += count;
    const per = new Float64Array(1024);
    for (let j = 0; j < count; j++) per[nodes[j]!]!++;
    per.forEach((n, node) => n && this.#count(flags, node, n));
  }

  /**
   * Returns a frame id to the free list.
   *
   * @example
   * table.release(f);
   */
  release(f: number): void {
    this.#count(this.flags[f]!, this.node[f]!, -1);
    this.node[f] = 0;
    this.mapcount[f] = 0;
    this.flags[f] = 0;
    for (const col of this.#clearOnFree) col[f] = 0;
    if (this.#nfree === this.#free.length) {
      const bigger = new Int32Array(this.#free.length * 2);
      bigger.set(this.#free);
      this.#free = bigger;
    }
    this.#free[this.#nfree++] = f;
    this.#used--;
  }
}
