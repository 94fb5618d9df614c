/**
 * First touch over time (a process with `firstTouch({ rate })`, evolving runs only): a region
 * is faulted in chunk by chunk at the process's rate, each chunk an event on the kernel clock,
 * so kswapd, demotion and NUMA balancing run between chunks as they do while a real program
 * fills its heap (kernel-model.md §1.8: kswapd wakes only after every zonelist node failed, and
 * then reclaims concurrently with the allocating task). Each chunk's pages get their access
 * shares and groups as they appear. Cost: one event per chunk, chunks of ~1 ms of touching.
 */
import { PAGE_SIZE } from "../core/units.js";
import type { Warnings } from "../core/warnings.js";
import type { Kernel } from "../kernel/kernel.js";
import { OomKilledError } from "../kernel/signals.js";
import type { Machine, MachineProcess, MappedRegion } from "./machine.js";
import { assignRegionAccess, type RegionGroups } from "./regionAccess.js";
import { phaseAt, reapOomVictims } from "./runShape.js";

/** Simulated time one chunk of first touch stands for, ns (its size follows from the rate). */
export const FIRST_TOUCH_CHUNK_NS = 1e6;

interface FillJob {
  readonly proc: MachineProcess;
  readonly procIndex: number;
  readonly regions: MappedRegion[];
  region: number;
  page: number;
}

/**
 * The first-touch chunks of every rate-limited process.
 *
 * @example
 * const filler = new FirstTouchFiller(machine, groups, seed, warnings);
 * filler.start(proc, 0, [region]); // faulted in over region bytes / rate seconds
 */
export class FirstTouchFiller {
  readonly #m: Machine;
  readonly #k: Kernel;
  readonly #groups: Map<MappedRegion, RegionGroups>;
  readonly #seed: number;
  readonly #warnings: Warnings;
  readonly #jobs: FillJob[] = [];
  readonly #filling: Set<MappedRegion> = new Set();
  readonly #kind: number;

  constructor(m: Machine, groups: Map<MappedRegion, RegionGroups>, seed: number, warnings: Warnings) {
    this.#m = m;
    this.#k = m.kernel;
    this.#groups = groups;
    this.#seed = seed;
    this.#warnings = warnings;
    this.#kind = this.#k.clock.register("sim.firstTouch", (e) => this.#chunk(e.a));
  }

  /** True while a region is being faulted in (it is not `touched` yet). */
  filling(region: MappedRegion): boolean {
    return this.#filling.has(region);
  }

  /**
   * Starts faulting in `regions` of `proc`, one after the other, from now.
   *
   * @example
   * filler.start(proc, i, regions);
   */
  start(proc: MachineProcess, procIndex: number, regions: MappedRegion[]): void {
    const todo = regions.filter((r) => !r.touched && !this.#filling.has(r));
    if (todo.length === 0 || !proc.alive) return;
    for (const r of todo) this.#filling.add(r);
    this.#jobs.push({ proc, procIndex, regions: todo, region: 0, page: 0 });
    this.#k.clock.after(0, this.#kind, this.#jobs.length - 1, 0);
  }

  #chunk(jobIndex: number): void {
    const job = this.#jobs[jobIndex]!;
    const { proc } = job;
    const region = job.regions[job.region]!;
    if (!proc.alive) return this.#finish(job, true);
    const rate = proc.spec.firstTouchBytesPerSec!;
    const chunk = Math.max(1, Math.floor((rate * FIRST_TOUCH_CHUNK_NS) / 1e9 / PAGE_SIZE));
    const from = job.page;
    const to = Math.min(region.pages, from + chunk);
    const kills = this.#k.oomKills.length;
    try {
      proc.process.touch(region.addr + from * PAGE_SIZE, (to - from) * PAGE_SIZE, { write: region.spec.kind !== "file" });
    } catch (e) {
      if (!(e instanceof OomKilledError)) throw e;
      proc.alive = false;
      this.#warnings.add("oom_kill", ["workload", "processes", job.procIndex, "regions", proc.regions.indexOf(region)], `process "${proc.spec.name}" was OOM-killed while touching region "${region.spec.name}": ${e.message}`);
    }
    if (this.#k.oomKills.length !== kills) reapOomVictims(this.#m, this.#warnings);
    if (!proc.alive) return this.#finish(job, true);
    const phase = proc.spec.phases[phaseAt(proc, this.#k.clock.nowNs)];
    const access = phase?.accesses.find((a) => a.region === region.spec.name) ?? null;
    assignRegionAccess(this.#k, proc, region, this.#groups.get(region)!, access, this.#seed, from, to);
    job.page = to;
    if (to >= region.pages) {
      region.touched = true;
      this.#filling.delete(region);
      job.region++;
      job.page = 0;
      if (job.region >= job.regions.length) return;
    }
    this.#k.clock.after(((to - from) * PAGE_SIZE * 1e9) / rate, this.#kind, jobIndex, 0);
  }

  #finish(job: FillJob, dead: boolean): void {
    for (const r of job.regions.slice(job.region)) {
      this.#filling.delete(r);
      if (dead) r.touched = true;
    }
    job.region = job.regions.length;
  }
}
