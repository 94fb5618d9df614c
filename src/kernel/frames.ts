/**
 * Physical page frames, one column per attribute (DESIGN.md decision 1 "Columnar page state").
 * A frame id indexes every column; no object is allocated per page. Backing objects (anon
 * memory, shmem and file inodes) map their page indexes to frame ids, so a page shared by
 * several mappings (page cache, shmem, anon after fork) is one frame.
 */

import { FrameGroups } from "./frameGroups.js";

/** Node ids a frame can be on (MAX_NUMNODES). */
const MAX_NUMNODES = 1024;

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
  /** Accounting groups (frameGroups.ts), told about every move, free and growth. */
  readonly #groups: FrameGroups = new FrameGroups();
  /**
   * Reverse map (rmap): the page-table array each frame was allocated into and its index there,
   * written by allocRun/allocNodes at O(1) per page. Arrays are held weakly: an object that is
   * gone does not pin its page table. Readers must check `pages[slot] === f` (owner()).
   */
  readonly #ownerIds: WeakMap<Int32Array, number> = new WeakMap();
  readonly #owners: (WeakRef<Int32Array> | undefined)[] = [undefined];
  /** Per frame: the #owners index of its page-table array (0 = none) and slot - frame id. */
  #rmapOwner: Int32Array = new Int32Array(INITIAL_CAPACITY);
  #rmapDelta: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /**
   * Per node id: 1 when a private-node service wants to hear about frames leaving the node
   * (node_private_ops free_folio and migration away, kernel-model.md §6.1).
   */
  readonly watched: Uint8Array = new Uint8Array(MAX_NUMNODES);
  /**
   * Called before a frame on a watched node is freed (`freed` true, its columns still intact)
   * or moved to another node (`freed` false). O(1) per frame; null when nobody watches.
   *
   * @example
   * frames.watched[2] = 1;
   * frames.onLeave = (f, node, freed) => cram.release(f, node, freed);
   */
  onLeave: ((f: number, node: number, freed: boolean) => void) | null = null;

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
    const from = this.node[f]!;
    if (this.watched[from] && from !== node) this.onLeave?.(f, from, false);
    this.#count(this.flags[f]!, from, -1);
    this.node[f] = node;
    this.#count(this.flags[f]!, node, 1);
    this.#groups.moved(f, from, node);
  }

  /**
   * A new accounting group: a set of frames (a workload region's hot or cold pages, say) whose
   * pages and summed weights per node are maintained in O(1) per migration or free, the way
   * memcg keeps per-node statistics. Returns its id (> 0).
   *
   * @example
   * const g = frames.newGroup();
   * frames.setGroup(f, g, 0.5);
   * frames.groupPages(g)[0]; // 1 when f is on node 0
   */
  newGroup(): number {
    return this.#groups.create(this.node.length);
  }

  /**
   * Puts frame `f` in group `g` (0 = none) with a weight, leaving any group it was in.
   *
   * @example
   * frames.setGroup(f, g, share);
   */
  setGroup(f: number, g: number, weight: number): void {
    this.#groups.set(f, g, weight, this.node[f]!);
  }

  /** The group of frame `f` (0 = none). */
  groupOf(f: number): number {
    return this.#groups.of(f);
  }

  /** Pages of group `g` per node id (a live view: read, do not write). */
  groupPages(g: number): Float64Array {
    return this.#groups.pages(g);
  }

  /** Summed weights of group `g`'s frames per node id (a live view). */
  groupWeights(g: number): Float64Array {
    return this.#groups.weights(g);
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
    const rmapOwner = new Int32Array(cap);
    rmapOwner.set(this.#rmapOwner);
    const rmapDelta = new Int32Array(cap);
    rmapDelta.set(this.#rmapDelta);
    this.#rmapOwner = rmapOwner;
    this.#rmapDelta = rmapDelta;
    this.#groups.grow(cap);
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
   * allocations: growing replaces the array. With `clearOnFree`, a frame's entry is zeroed when
   * the frame is freed, so the id's next user starts from 0.
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
   * Whether a subsystem registered a column (read optional state, e.g. a pin count, without
   * creating it).
   *
   * @example
   * frames.hasColumn("numab.pins") // false until NUMA balancing registers it
   */
  hasColumn(name: string): boolean {
    return this.#extra.has(name);
  }

  #ownerId(dst: Int32Array): number {
    let id = this.#ownerIds.get(dst);
    if (id === undefined) {
      id = this.#owners.length;
      this.#owners.push(new WeakRef(dst));
      this.#ownerIds.set(dst, id);
    }
    return id;
  }

  /** Writes the rmap of dst[at..at+count); the last `fresh` frames are the contiguous ids from `f0`. */
  #setOwner(dst: Int32Array, at: number, count: number, f0 = 0, fresh = 0): void {
    const id = this.#ownerId(dst);
    const owner = this.#rmapOwner;
    // Stored as slot - frame id, constant over a fresh run, so a run is two fills.
    const delta = this.#rmapDelta;
    const reused = count - fresh;
    for (let i = 0; i < reused; i++) {
      const f = dst[at + i]!;
      owner[f] = id;
      delta[f] = at + i - f;
    }
    if (fresh === 0) return;
    owner.fill(id, f0, f0 + fresh);
    delta.fill(at + reused - f0, f0, f0 + fresh);
  }

  /**
   * The page-table slot that maps frame `f`, from the reverse map: the array (an object's
   * `pages`) and the index in it, or null when the frame was not allocated into a page table
   * (frames.alloc) or that slot no longer holds it (the page was COW-copied, the object freed).
   *
   * @example
   * const o = frames.owner(f); if (o) o.pages[o.slot] = NO_PAGE;
   */
  owner(f: number): { pages: Int32Array; slot: number } | null {
    const pages = this.#owners[this.#rmapOwner[f]!]?.deref();
    const slot = this.#rmapDelta[f]! + f;
    return pages && pages[slot] === f ? { pages, slot } : null;
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
    this.#setOwner(dst, at, count, this.#top - rest, rest);
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
    this.#setOwner(dst, at, count, this.#top - rest, rest);
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
    if (this.watched[this.node[f]!]) this.onLeave?.(f, this.node[f]!, true);
    if (this.#groups.of(f) !== 0) this.setGroup(f, 0, 0);
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
