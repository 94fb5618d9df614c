/**
 * A task (process or thread) of the simulated kernel: its CPU, task policy, interleave state,
 * cpuset and address space, and the system calls it makes (DESIGN.md machine layer).
 */
import { SyscallError, UsageError } from "../core/errors.js";
import { PAGE_SIZE, parseSize, sizeToPages } from "../core/units.js";
import type { Size } from "../core/units.js";
import type { Nodemask, Policy } from "../policy/types.js";
import type { Cpuset } from "./cpuset.js";
import { faultVma } from "./fault.js";
import type { FaultTask } from "./fault.js";
import type { Kernel } from "./kernel.js";
import { copyMm } from "./fork.js";
import { doMmap } from "./mmap.js";
import type { MmapOptions } from "./mmap.js";
export type { MmapOptions } from "./mmap.js";
import { AddressSpace } from "./mm.js";
import type { ModeArg, NodesArg } from "./mpol.js";
import { numaMapsText } from "./numamaps.js";
import { MemObject, NO_PAGE, ZERO_PAGE } from "./objects.js";
import { SegfaultError } from "./signals.js";
import { sysGetMempolicy, sysSetMempolicy, sysSetMempolicyHomeNode } from "./syscalls/policy.js";
import type { GetMempolicyOptions, GetMempolicyResult } from "./syscalls/policy.js";
import { sysSchedSetaffinity } from "./syscalls/affinity.js";
import { sysMbind } from "./syscalls/mbind.js";
import type { FlagsArg } from "./syscalls/mbind.js";
import { sysMigratePages, sysMovePages } from "./syscalls/migrate.js";
import { sysMbind2, sysProcessMbind, sysSetMempolicy2 } from "./syscalls/unmerged.js";
import type { MpolArgs } from "./syscalls/unmerged.js";
import { unmapRange } from "./unmap.js";
import { pinPages, unpinPages } from "./numab/pin.js";
import { setAccessRange } from "./accessRange.js";
import type { AccessRangeOptions } from "./accessRange.js";
import { sysPrctl } from "./numab/prctl.js";
import type { PrctlOption } from "./numab/prctl.js";
import { Vma } from "./vma.js";

/** Options of touch(). */
export interface TouchOptions {
  /** Write (default true). Reads of untouched private anonymous memory map the zero page. */
  readonly write?: boolean;
}

/** MAX_NUMNODES - 1: the initial il_prev (§1.2). */
const IL_PREV_INIT = 1023;

/**
 * A task. Create with `k.spawn()`, `p.fork()` or `p.thread()`.
 *
 * @example
 * const p = k.spawn({ cpu: 0 });
 * const a = p.mmap("64MiB");
 * p.touch(a, "64MiB", { write: true });
 */
export class Process implements FaultTask {
  readonly kernel: Kernel;
  /** Thread id (pid of the task). */
  readonly pid: number;
  /** Thread-group id: the pid of the process this thread belongs to. */
  readonly tgid: number;
  /** The CPU the task runs on. */
  cpu: number;
  /** The CPUs the task may run on (sched_setaffinity), ascending; null = every CPU. */
  cpusAllowed: readonly number[] | null = null;
  /** The address space (shared by threads). */
  readonly mm: AddressSpace;
  /** The task policy (set_mempolicy), null = default (§1.3 scope 3). */
  policy: Policy | null = null;
  ilPrev = IL_PREV_INIT;
  ilWeight = 0;
  /** CAP_SYS_NICE. */
  capSysNice: boolean;
  /** The task's cpuset. */
  cpuset: Cpuset;
  /** Killed (OOM) or exited. */
  killed = false;

  constructor(kernel: Kernel, init: { pid: number; cpu: number; capSysNice: boolean; cpuset: Cpuset; tgid?: number; mm?: AddressSpace }) {
    this.kernel = kernel;
    this.pid = init.pid;
    this.tgid = init.tgid ?? init.pid;
    this.cpu = init.cpu;
    this.capSysNice = init.capSysNice;
    this.cpuset = init.cpuset;
    this.mm = init.mm ?? new AddressSpace();
    init.cpuset.tasks.add(this);
  }

  /** The local node: the node of the task's CPU. */
  get cpuNode(): number {
    return this.kernel.topo.cpuNode.get(this.cpu)!;
  }

  /** mems_allowed for allocation checks, or null when the cpuset allows every memory node. */
  get mems(): Nodemask | null {
    return this.cpuset.isRoot ? null : this.cpuset.mems;
  }

  /** cpuset mems_allowed as a list (the root cpuset: every memory node). */
  get memsAllowed(): Nodemask {
    return this.cpuset.mems;
  }

  #alive(): void {
    if (this.killed) throw new UsageError({ what: `process ${this.pid}`, value: "killed", rule: "a killed process makes no more calls", fix: "spawn a new process" });
  }

  /**
   * mmap: maps `size` bytes and returns the address. Anonymous private by default; `shared`
   * anonymous is shmem; `file` maps a file (page cache) or a shmem/SysV segment.
   *
   * @example
   * const a = p.mmap("64MiB");
   * const s = p.mmap("1GiB", { shared: true }); // MAP_SHARED|MAP_ANONYMOUS
   */
  mmap(size: Size, opts: MmapOptions = {}): number {
    this.#alive();
    return doMmap(this, size, opts);
  }

  /**
   * shmat: attaches a SysV segment from k.shmget().
   *
   * @example
   * const a = p.shmat(k.shmget("64MiB"));
   */
  shmat(seg: MemObject): number {
    return this.mmap(seg.size * PAGE_SIZE, { file: seg, shared: true });
  }

  /**
   * munmap: unmaps [addr, addr+size); anonymous pages are freed, shmem and page-cache pages
   * stay in their inode.
   *
   * @example
   * p.munmap(a, "64MiB");
   */
  munmap(addr: number, size: Size): void {
    this.#alive();
    if (addr % PAGE_SIZE !== 0) throw new SyscallError("munmap", "EINVAL", `address 0x${addr.toString(16)} is not page aligned`);
    const pages = sizeToPages(size, "munmap length");
    if (pages === 0) throw new SyscallError("munmap", "EINVAL", "length 0");
    unmapRange(this.kernel, this.mm, addr / PAGE_SIZE, addr / PAGE_SIZE + pages);
  }

  /**
   * madvise(MADV_HUGEPAGE / MADV_NOHUGEPAGE): THP eligibility in "madvise" mode.
   *
   * @example
   * p.madvise(a, "64MiB", "MADV_HUGEPAGE");
   */
  madvise(addr: number, size: Size, advice: "MADV_HUGEPAGE" | "MADV_NOHUGEPAGE"): void {
    const s = addr / PAGE_SIZE;
    const e = s + sizeToPages(size);
    this.mm.splitAround(s, e);
    for (const v of this.mm.overlapping(s, e)) v.hugepage = advice === "MADV_HUGEPAGE";
    this.mm.mergeAround(s, e);
  }

  /**
   * Touches [addr, addr+size): faults every page in through the real path (policy resolution,
   * node choice, buddy allocator). Unmapped addresses raise SIGSEGV (SegfaultError).
   *
   * @example
   * p.touch(a, "64MiB", { write: true });
   */
  touch(addr: number, size: Size, opts: TouchOptions = {}): void {
    this.#alive();
    const s = Math.floor(addr / PAGE_SIZE);
    const e = Math.ceil((addr + parseSize(size, "touch length")) / PAGE_SIZE);
    const write = opts.write ?? true;
    let at = s;
    for (const v of this.mm.overlapping(s, e)) {
      if (v.start > at) throw new SegfaultError(at * PAGE_SIZE, "no mapping at this address");
      faultVma(this.kernel, this, v, Math.max(s, v.start), Math.min(e, v.end), write);
      if (write && this.kernel.cram.nodes.length > 0) this.#writeProtectFaults(v, Math.max(s, v.start), Math.min(e, v.end));
      at = v.end;
    }
    if (at < e) throw new SegfaultError(at * PAGE_SIZE, "no mapping at this address");
  }

  /** PROTECT_WRITE (§6.1): a store to a page on a CRAM node takes the owner's write fault. */
  #writeProtectFaults(v: Vma, s: number, e: number): void {
    const k = this.kernel;
    for (let vpn = s; vpn < e; vpn++) {
      const f = v.frame(vpn - v.start);
      if (f > 0 && k.cram.isCram(k.frames.node[f]!)) k.cram.writeFault(f, this.tgid);
    }
  }

  /**
   * The node of the page mapped at `addr`, -1 when not present (the zero page reports the
   * first memory node).
   *
   * @example
   * p.nodeOf(a) // 0
   */
  nodeOf(addr: number): number {
    const vpn = Math.floor(addr / PAGE_SIZE);
    const v = this.mm.find(vpn);
    if (!v) return -1;
    const f = this.frameAt(v, vpn);
    if (f === ZERO_PAGE) return this.kernel.topo.memoryNodes[0]!;
    return f > 0 ? this.kernel.frames.node[f]! : -1;
  }

  /**
   * The frame mapped at a vpn of a VMA: anon first (or ZERO_PAGE), then the mapped file page; NO_PAGE if none.
   *
   * @example
   * p.frameAt(p.mm.find(a / 4096)!, a / 4096) // a frame id, NO_PAGE or ZERO_PAGE
   */
  frameAt(v: Vma, vpn: number): number {
    if (v.anon) {
      const f = v.anon.pages[v.anonOff + vpn - v.start]!;
      if (f !== NO_PAGE) return f;
    }
    if (v.file && v.mapped![vpn - v.start]) return v.file.pages[v.filePgoff + vpn - v.start]!;
    return NO_PAGE;
  }

  /**
   * Resident pages (anon and mapped file/shmem pages) for OOM scoring; pages on a node n with
   * `exclude[n] === 1` are not counted (private/oom.ts, §6.1).
   *
   * @example
   * p.rss() // 16384
   */
  rss(exclude?: Uint8Array): number {
    const node = this.kernel.frames.node;
    let n = 0;
    for (const v of this.mm.vmas) {
      for (let i = 0; i < v.pages; i++) {
        let f = v.anon ? v.anon.pages[v.anonOff + i]! : 0;
        if (f === 0 && v.file && v.mapped![i]) f = v.file.pages[v.filePgoff + i]!;
        if (f > 0 && !(exclude && exclude[node[f]!])) n++;
      }
    }
    return n;
  }

  /**
   * exit_group(): the process and its threads end; anonymous memory is freed, page cache and
   * shmem stay.
   *
   * @example
   * p.exit();
   */
  exit(): void {
    this.#alive();
    this.exitMm();
  }

  /**
   * Tears the address space down (exit/OOM kill); returns freed pages. Kills every thread of the mm.
   *
   * @example
   * p.exitMm() // pages freed
   */
  exitMm(): number {
    const before = this.kernel.frames.used;
    for (const p of this.kernel.processes()) {
      if (p.mm !== this.mm) continue;
      p.killed = true;
      this.kernel.numab.taskExited(p);
    }
    const vmas = [...this.mm.vmas];
    for (const v of vmas) unmapRange(this.kernel, this.mm, v.start, v.end);
    return before - this.kernel.frames.used;
  }

  /**
   * fork(): a child process with a copy of the address space (anonymous pages shared
   * copy-on-write), the task policy and every VMA policy (§1.3).
   *
   * @example
   * const child = p.fork({ cpu: 4 });
   */
  fork(opts: { cpu?: number } = {}): Process {
    this.#alive();
    const mm = copyMm(this.kernel, this.mm);
    return this.kernel.adopt((pid) => {
      const child = new Process(this.kernel, { pid, cpu: opts.cpu ?? this.cpu, capSysNice: this.capSysNice, cpuset: this.cpuset, mm });
      child.policy = this.policy;
      child.cpusAllowed = this.cpusAllowed; // the affinity mask is inherited
      child.ilPrev = this.ilPrev; // dup_task_struct copies il_prev / il_weight
      child.ilWeight = this.ilWeight;
      return child;
    });
  }

  /**
   * clone(CLONE_VM|CLONE_THREAD): a thread sharing the address space; it inherits the task
   * policy at creation and keeps its own afterwards (§1.3 scope 3).
   *
   * @example
   * const t = p.thread({ cpu: 1 });
   */
  thread(opts: { cpu?: number } = {}): Process {
    this.#alive();
    this.mm.users++;
    return this.kernel.adopt((pid) => {
      const t = new Process(this.kernel, { pid, tgid: this.tgid, cpu: opts.cpu ?? this.cpu, capSysNice: this.capSysNice, cpuset: this.cpuset, mm: this.mm });
      t.policy = this.policy;
      t.cpusAllowed = this.cpusAllowed;
      t.ilPrev = this.ilPrev;
      t.ilWeight = this.ilWeight;
      return t;
    });
  }

  /**
   * sched_setaffinity(0, mask): the CPUs this task may run on; EINVAL for a mask with no CPU
   * of the machine. A task off the new set moves to its lowest CPU.
   *
   * @example
   * p.schedSetaffinity([0, 1]); // p.cpusAllowed -> [0, 1]
   */
  schedSetaffinity(cpus: readonly number[]): void {
    this.#alive();
    sysSchedSetaffinity(this, cpus);
  }

  /**
   * set_mempolicy(mode, nodemask, maxnode) (§2.2).
   *
   * @example
   * p.setMempolicy("MPOL_INTERLEAVE", [0, 1]);
   * p.setMempolicy("MPOL_BIND", []); // throws SyscallError EINVAL
   */
  setMempolicy(mode: ModeArg, nodes?: NodesArg, opts: { maxnode?: number } = {}): void {
    this.#alive();
    sysSetMempolicy(this, mode, nodes, opts.maxnode);
  }

  /**
   * get_mempolicy(&mode, nmask, maxnode, addr, flags) (§2.4).
   *
   * @example
   * p.getMempolicy({ addr: a, flags: ["MPOL_F_NODE", "MPOL_F_ADDR"] }) // { mode: 0, node: 0, ... }
   */
  getMempolicy(opts: GetMempolicyOptions = {}): GetMempolicyResult {
    this.#alive();
    return sysGetMempolicy(this, opts);
  }

  /**
   * mbind(addr, len, mode, nodemask, maxnode, flags) (§2.3).
   *
   * @example
   * p.mbind(a, "64MiB", "MPOL_BIND", [0], ["MPOL_MF_MOVE", "MPOL_MF_STRICT"]);
   */
  mbind(addr: number, len: Size, mode: ModeArg, nodes?: NodesArg, flags?: FlagsArg, opts: { maxnode?: number } = {}): void {
    this.#alive();
    sysMbind(this, addr, parseSize(len, "mbind len"), mode, nodes, flags, opts.maxnode);
  }

  /**
   * set_mempolicy_home_node(start, len, home_node, flags) (§2.5).
   *
   * @example
   * p.setMempolicyHomeNode(a, "64MiB", 1);
   */
  setMempolicyHomeNode(addr: number, len: Size, homeNode: number, flags = 0): void {
    this.#alive();
    sysSetMempolicyHomeNode(this, addr, parseSize(len, "len"), homeNode, flags);
  }

  /**
   * migrate_pages(pid, maxnode, old_nodes, new_nodes) (§2.5): returns the number of pages
   * that could not be moved.
   *
   * @example
   * p.migratePages(p.pid, [0], [2]) // 0
   */
  migratePages(pid: number, oldNodes: NodesArg, newNodes: NodesArg, opts: { maxnode?: number } = {}): number {
    this.#alive();
    return sysMigratePages(this, pid, oldNodes, newNodes, opts.maxnode);
  }

  /**
   * move_pages(pid, count, pages, nodes, status, flags) (§2.5). With `nodes` null it only
   * queries; the result is the status array (node, or negative errno number per page).
   *
   * @example
   * p.movePages(0, [a, a + 4096], [2, 2]) // [2, 2]
   */
  movePages(pid: number, pages: readonly number[], nodes: readonly number[] | null, flags?: FlagsArg): number[] {
    this.#alive();
    return sysMovePages(this, pid, pages, nodes, flags);
  }

  /**
   * process_mbind (UNMERGED RFC, behaviour `processMbind`): mbind on another process's range.
   *
   * @example
   * agent.processMbind(app.pid, a, "1GiB", "MPOL_BIND", [2], ["MPOL_MF_MOVE"]);
   */
  processMbind(pid: number, addr: number, len: Size, mode: ModeArg, nodes?: NodesArg, flags?: FlagsArg): void {
    this.#alive();
    sysProcessMbind(this, pid, addr, parseSize(len, "len"), mode, nodes, flags);
  }

  /**
   * set_mempolicy2 (UNMERGED RFC, behaviour `taskLocalWeights`): with task-local weights.
   *
   * @example
   * p.setMempolicy2({ mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 2], ilWeights: { 0: 3, 2: 1 } });
   */
  setMempolicy2(args: MpolArgs): void {
    this.#alive();
    sysSetMempolicy2(this, args);
  }

  /**
   * mbind2 (UNMERGED RFC, behaviour `taskLocalWeights`): mbind with task-local weights.
   *
   * @example
   * p.mbind2(a, "64MiB", { mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 1], ilWeights: { 0: 5, 1: 1 } });
   */
  mbind2(addr: number, len: Size, args: MpolArgs, flags?: FlagsArg): void {
    this.#alive();
    sysMbind2(this, addr, parseSize(len, "len"), args, flags);
  }

  /**
   * Long-term pins [addr, addr+size) (pin_user_pages FOLL_LONGTERM, as KVM does for SEV guest
   * memory, seed 004): faults the pages in; pinned folios cannot migrate. Returns pages pinned.
   *
   * @example
   * p.pinPages(a, "64MiB") // 16384
   */
  pinPages(addr: number, size: Size): number {
    this.#alive();
    return pinPages(this, addr, size);
  }

  /**
   * Says how often this task touches [addr, addr + size): `rate` accesses per second spread
   * over the range's present pages, random or sequential. NUMA balancing's hinting faults,
   * promotion and reclaim's referenced checks follow from it. Rates are absolute per range
   * (the task's access-model rate is held at 1), so do not also call k.access.setTaskRate for
   * this task. Returns the pages set.
   *
   * @example
   * const a = p.mmap("64MiB"); p.touch(a, "64MiB");
   * p.access(a, "64MiB", { rate: 1e7 });
   * k.advance("30s");
   */
  access(addr: number, size: Size, opts: AccessRangeOptions): number {
    this.#alive();
    return setAccessRange(this, addr, size, opts);
  }

  /**
   * Drops the pins of pinPages (unpin_user_pages).
   *
   * @example
   * p.unpinPages(a, "64MiB");
   */
  unpinPages(addr: number, size: Size): void {
    this.#alive();
    unpinPages(this, addr, size);
  }

  /**
   * prctl(PR_SET_NUMA_BALANCING / PR_GET_NUMA_BALANCING): UNMERGED proposal, only with the
   * `perProcessNumab` behaviour; otherwise SyscallError EINVAL (kernel-model.md §6.4).
   *
   * @example
   * p.prctl("PR_SET_NUMA_BALANCING", 0); // this process is never scanned
   */
  prctl(option: PrctlOption, arg?: number): number {
    this.#alive();
    return sysPrctl(this, option, arg);
  }

  /**
   * /proc/pid/numa_maps: one line per VMA with the policy string and page counts.
   *
   * @example
   * p.numaMaps() // "7effc0000000 weighted interleave:0,2 anon=16384 dirty=16384 N0=... N2=... kernelpagesize_kB=4\n"
   */
  numaMaps(): string {
    return numaMapsText(this);
  }
}
