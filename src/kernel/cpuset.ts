/**
 * Cpusets (kernel-model.md §2.6): mems_allowed per task, enforced at allocation; changing a
 * cpuset's mems rebinds the task and VMA policies of its tasks (shmem shared policies are not
 * rebound) and, with memory_migrate, moves their pages with the positional map.
 */
import { SyscallError } from "../core/errors.js";
import type { Nodemask, Policy } from "../policy/types.js";
import type { Kernel } from "./kernel.js";
import { doMigratePages } from "./migrate.js";
import { rebindPolicy } from "./mpol.js";
import type { Process } from "./process.js";

/**
 * One cpuset.
 *
 * @example
 * const cs = k.cpusets.create("/db", { mems: [0, 2] });
 */
export class Cpuset {
  readonly path: string;
  /** cpuset.mems (effective), ascending. */
  mems: number[];
  /** cpuset.memory_migrate. */
  memoryMigrate: boolean;
  /** Tasks attached. */
  readonly tasks: Set<Process> = new Set();

  constructor(path: string, mems: number[], memoryMigrate: boolean) {
    this.path = path;
    this.mems = mems;
    this.memoryMigrate = memoryMigrate;
  }

  /** The root cpuset allows every memory node. */
  get isRoot(): boolean {
    return this.path === "/";
  }
}

/**
 * The cpuset hierarchy (flat paths).
 *
 * @example
 * k.cpusets.create("/a", { mems: [0] });
 * k.cpusets.attach(p, "/a");
 * k.cpusets.setMems("/a", [1]);
 */
export class Cpusets {
  readonly #k: Kernel;
  readonly #sets: Map<string, Cpuset> = new Map();

  constructor(k: Kernel) {
    this.#k = k;
    this.#sets.set("/", new Cpuset("/", [...k.topo.memoryNodes], false));
  }

  /**
   * A cpuset by path; ENOENT if missing.
   *
   * @example
   * k.cpusets.get("/").mems // every memory node
   */
  get(path: string): Cpuset {
    const cs = this.#sets.get(path);
    if (!cs) throw new SyscallError("open", "ENOENT", `no cpuset ${path}`);
    return cs;
  }

  #checkMems(path: string, mems: Nodemask): number[] {
    const bad = mems.filter((n) => !this.#k.topo.memoryNodes.includes(n));
    if (mems.length === 0 || bad.length > 0) {
      throw new SyscallError("write", "EINVAL", `cpuset ${path}: mems must be a non-empty set of memory nodes (got ${mems.join(",") || "empty"})`);
    }
    return [...new Set(mems)].sort((a, b) => a - b);
  }

  /**
   * Creates a cpuset (mkdir + cpuset.mems).
   *
   * @example
   * k.cpusets.create("/db", { mems: [0, 2], memoryMigrate: true })
   */
  create(path: string, opts: { mems: Nodemask; memoryMigrate?: boolean }): Cpuset {
    if (this.#sets.has(path)) throw new SyscallError("mkdir", "EEXIST", `cpuset ${path} exists`);
    const cs = new Cpuset(path, this.#checkMems(path, opts.mems), opts.memoryMigrate ?? false);
    this.#sets.set(path, cs);
    return cs;
  }

  /**
   * Moves a task (echo pid > tasks): its policies are rebound to the new mems and, with
   * memory_migrate on the destination, its pages follow.
   *
   * @example
   * k.cpusets.attach(p, "/db");
   */
  attach(p: Process, path: string): void {
    const to = this.get(path);
    const old = p.cpuset.mems;
    p.cpuset.tasks.delete(p);
    p.cpuset = to;
    to.tasks.add(p);
    this.#rebind([p], old, to.mems, to.memoryMigrate);
  }

  /**
   * Writes cpuset.mems: rebinds every attached task (§2.6 table) and migrates pages when
   * memory_migrate is set.
   *
   * @example
   * k.cpusets.setMems("/db", [1, 3]);
   */
  setMems(path: string, mems: Nodemask): void {
    const cs = this.get(path);
    const next = this.#checkMems(path, mems);
    const old = cs.mems;
    cs.mems = next;
    this.#rebind([...cs.tasks].filter((t) => !t.killed), old, next, cs.memoryMigrate);
  }

  #rebound(pol: Policy, next: number[]): Policy {
    const out = rebindPolicy(pol, next);
    this.#k.carryWeights(pol, out);
    return out;
  }

  #rebind(tasks: Process[], old: number[], next: number[], migrate: boolean): void {
    const mms = new Set<object>();
    for (const t of tasks) {
      if (t.policy) t.policy = this.#rebound(t.policy, next);
      if (mms.has(t.mm)) continue;
      mms.add(t.mm);
      // mpol_rebind_mm: VMA policies; shmem shared policies live in the inode and are not rebound.
      for (const v of t.mm.vmas) if (v.policy && !v.isShmem) v.policy = this.#rebound(v.policy, next);
      if (migrate) doMigratePages(this.#k, t.mm, old, next, true);
    }
  }
}
