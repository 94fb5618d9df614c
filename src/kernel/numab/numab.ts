/**
 * Automatic NUMA balancing and tiering promotion (kernel-model.md §4, §5.4): the scan events
 * of every task, the hinting-fault events of every marked page, and the state the results
 * layer reads. Installed as `k.numab`.
 */
import { hashUniform } from "../../core/random.js";
import type { Kernel } from "../kernel.js";
import type { AddressSpace } from "../mm.js";
import type { Process } from "../process.js";
import { MigrationBatch } from "../migrate.js";
import { atLeast } from "../version.js";
import type { Vma } from "../vma.js";
import { numabColumns } from "./columns.js";
import type { NumabColumns } from "./columns.js";
import { hintFault } from "./hintfault.js";
import type { MisplacedArgs, MutableHintFaultInfo } from "./hintfault.js";
import { NUMAB_NORMAL, NUMAB_TIERING, NumabKnobs } from "./knobs.js";
import { freshPromotion } from "./promotion.js";
import type { NodePromotion } from "./promotion.js";
import { leaveGroup } from "./group.js";
import { moveTask, taskScanStart } from "./placement.js";
import { scanPass } from "./scan.js";
import type { VmaSkipReason } from "./scan.js";
import { taskScanMax } from "./scanperiod.js";
import { newMmNuma, newTaskNuma } from "./state.js";
import type { MmNuma, TaskNuma, VmaNuma } from "./state.js";

/** Read-only NUMA-balancing state of one task (results layer). */
export interface TaskNumaView {
  /** numa_scan_period, ms. */
  readonly scanPeriodMs: number;
  /** numa_preferred_nid, -1 = none. */
  readonly preferredNid: number;
  /** The mm's numa_scan_seq. */
  readonly scanSeq: number;
  /** Hinting faults taken by the task, and pages they migrated. */
  readonly faults: number;
  readonly pagesMigrated: number;
  /** The numa_group's gid (pid of the task that created it), null when not in a group (§4.10). */
  readonly groupId: number | null;
  /** Tasks in the group (0 when not in a group). */
  readonly groupSize: number;
}

/** Read-only promotion state of one node (results layer). */
export interface NodePromotionView {
  /** The hot threshold in force, ms (nbp_threshold, or hot_threshold_ms when unset). */
  readonly thresholdMs: number;
  /** pgpromote_candidate and pgpromote_success of the node. */
  readonly candidates: number;
  readonly promoted: number;
}

/**
 * The NUMA-balancing subsystem of a kernel.
 *
 * @example
 * const k = boot(presets.sprCxl(), { numaBalancing: 2 });
 * const p = k.spawn({ cpu: 0 });
 * k.access.setTaskRate(p.pid, 1e9);
 * k.advance("10s");
 * k.numab.taskState(p.pid).scanPeriodMs // e.g. 1000
 */
export class NumaBalancing {
  readonly kernel: Kernel;
  /** The debugfs knobs (/sys/kernel/debug/sched/numa_balancing/*). */
  readonly knobs: NumabKnobs;
  /** Seed of the counter-based draws that time hinting faults (draw()). */
  readonly #seed: number;
  /** Event kinds on k.clock. */
  readonly scanKind: number;
  readonly faultKind: number;
  /**
   * tiersim-specific (no kernel counter): base pages of DMA-pinned folios made PROT_NONE,
   * each a wasted MMU invalidation since the folio can never migrate (seed 004).
   */
  pinnedInvalidations = 0;
  /**
   * tiersim-specific (mainline has no counter: numa_task_migrated was merged for v6.16-rc1 and
   * reverted before the release): tasks moved to their preferred node by numa_migrate_preferred.
   */
  taskMigrations = 0;
  #groupSerial = 0;
  /** VMAs skipped by reason (what the sched_skip_vma_numa tracepoint would report). */
  readonly skips: Record<VmaSkipReason, number> = { UNSUITABLE: 0, SCAN_DELAY: 0, PID_INACTIVE: 0, SEQ_COMPLETED: 0 };
  readonly #tasks: Map<number, TaskNuma> = new Map();
  readonly #mms: WeakMap<AddressSpace, MmNuma> = new WeakMap();
  readonly #vmas: WeakMap<Vma, VmaNuma> = new WeakMap();
  readonly #vmaPasses: WeakMap<Vma, number> = new WeakMap();
  readonly #promo: NodePromotion[] = [];
  #token = 0;
  #cols: NumabColumns | null = null;
  #colsFor: Int16Array | null = null;
  /** kernel.numa_balancing and the promotion rate limit, kept from sysctl writes (hot path). */
  #global: number;
  /** kernel.numa_balancing_promote_rate_limit_MBps in pages (MB -> 4 KiB pages). */
  rateLimitPages: number;
  #batch: MigrationBatch | null = null;
  /**
   * The hinting-fault path's reusable mpol_misplaced arguments and fault report (kernel
   * internal, hintfault.ts): created at the first fault, overwritten by every later one.
   */
  misplacedArgs: MisplacedArgs | null = null;
  hintFaultInfo: MutableHintFaultInfo | null = null;

  /**
   * The uniform number behind the hinting-fault time of frame `f` marked at `nowNs`: keyed by
   * the frame and the time, so one page's fault time never depends on what other pages or
   * processes drew (core/random.ts hashUniform).
   *
   * @example
   * k.numab.draw(f, k.clock.nowNs) // 0.37...
   */
  draw(f: number, nowNs: number): number {
    return hashUniform(this.#seed, f, nowNs);
  }

  constructor(k: Kernel) {
    this.kernel = k;
    this.knobs = new NumabKnobs(k.sysfs);
    this.#seed = k.random.fork("numab").int(0, 2 ** 31 - 1);
    this.scanKind = k.clock.register("numab.scan", (e) => this.#onScan(e.a));
    this.faultKind = k.clock.register("numab.fault", (e) => hintFault(this, e.a, e.b));
    this.#global = k.sysctl.read("kernel.numa_balancing");
    this.rateLimitPages = k.sysctl.read("kernel.numa_balancing_promote_rate_limit_MBps") * 256;
    k.sysctl.watch("kernel.numa_balancing_promote_rate_limit_MBps", (v) => (this.rateLimitPages = v * 256));
    k.sysctl.watch("kernel.numa_balancing", (v) => {
      const was = this.#global;
      this.#global = v;
      // Switching the tiering bit on resets every node's threshold state (§4.1, §5.4).
      if (!(was & NUMAB_TIERING) && v & NUMAB_TIERING) {
        for (const n of k.topo.nodeIds) {
          const pg = this.promotion(n);
          pg.thresholdMs = 0;
          pg.thNrCand = k.stats.get("pgpromote_candidate", n);
          pg.thStartMs = k.clock.nowNs / 1e6;
        }
      }
    });
  }

  /**
   * The kernel.numa_balancing bits in force for a task's mm: the sysctl, or the
   * PR_SET_NUMA_BALANCING override (ENABLE forces NORMAL when the sysctl is 0, §6.4).
   *
   * @example
   * k.numab.mode(p) // 1
   */
  mode(p: Process): number {
    const g = this.#global & (NUMAB_NORMAL | NUMAB_TIERING);
    const o = this.mmState(p.mm).override;
    return o === "disabled" ? 0 : o === "enabled" && g === 0 ? NUMAB_NORMAL : g;
  }

  /**
   * The one MigrationBatch the hinting-fault path reuses (kernel internal, hintfault.ts),
   * created on first use. Each use ends with finish(), which zeroes its per-node counts; its
   * width (k.buddy.free.length) is fixed for the kernel's life. Its `failures` total is
   * cumulative across uses and not read by the fault path.
   */
  migrationBatch(): MigrationBatch {
    return (this.#batch ??= new MigrationBatch(this.kernel));
  }

  /**
   * The NUMA-balancing frame columns, refetched only when the frame table grew.
   *
   * @example
   * k.numab.columns().token[f]
   */
  columns(): NumabColumns {
    const node = this.kernel.frames.node;
    if (this.#colsFor !== node || !this.#cols) {
      this.#cols = numabColumns(this.kernel.frames);
      this.#colsFor = node;
    }
    return this.#cols;
  }

  /**
   * Starts a task's scan clock (kernel internal: spawn, fork, clone). A new mm scans first
   * after scan_delay (§4.2 "On fork"); a new thread of an existing mm is staggered by
   * min(task_scan_max, scan_delay * mm_users) on top.
   *
   * @example
   * k.numab.taskStarted(p);
   */
  taskStarted(p: Process): void {
    const k = this.kernel;
    const delayMs = this.knobs.values.scan_delay_ms;
    const had = this.#mms.has(p.mm);
    const ms = this.mmState(p.mm);
    this.#tasks.set(p.pid, newTaskNuma(this.#width(), delayMs));
    const stagger = had ? Math.min(taskScanMax(this.rss(p, ms), this.knobs.values), delayMs * p.mm.users) : 0;
    k.clock.after((stagger + delayMs) * 1e6, this.scanKind, p.pid, 0);
  }

  #width(): number {
    return Math.max(0, ...this.kernel.topo.nodeIds) + 1;
  }

  /** The NUMA state of a task (created on first use). */
  task(p: Process): TaskNuma {
    let t = this.#tasks.get(p.pid);
    if (!t) {
      t = newTaskNuma(this.#width(), this.knobs.values.scan_delay_ms);
      this.#tasks.set(p.pid, t);
    }
    return t;
  }

  /** The NUMA state of a task if it has one (no creation). */
  existingTask(pid: number): TaskNuma | undefined {
    return this.#tasks.get(pid);
  }

  /** A fresh creation number for a numa_group (kernel internal, group.ts). */
  nextGroupSerial(): number {
    return ++this.#groupSerial;
  }

  /**
   * A task exits (kernel internal): task_numa_free takes its faults out of its group.
   *
   * @example
   * k.numab.taskExited(p);
   */
  taskExited(p: Process): void {
    const t = this.#tasks.get(p.pid);
    if (t) leaveGroup(t);
  }

  /**
   * Moves a task to another CPU (kernel internal: sched_setaffinity, task placement), with the
   * scan-period reset of a cross-node move (§4.11).
   *
   * @example
   * k.numab.moveTask(p, 2);
   */
  moveTask(p: Process, cpu: number): void {
    moveTask(this, p, cpu);
  }

  /** The NUMA state of an mm (created on first use). */
  mmState(mm: AddressSpace): MmNuma {
    let s = this.#mms.get(mm);
    if (!s) {
      s = newMmNuma(this.kernel.clock.nowNs, this.knobs.values.scan_delay_ms);
      this.#mms.set(mm, s);
    }
    return s;
  }

  /**
   * get_mm_rss of a task's mm for the scan windows (Process.rss: mapped present pages, the
   * zero page not counted), recomputed once per scan sequence: one sequence visits every page
   * anyway, so this keeps the cost proportional to scanning. `ms` is the mm's state.
   */
  rss(p: Process, ms: MmNuma = this.mmState(p.mm)): number {
    if (ms.rssSeq !== ms.scanSeq) {
      ms.rss = p.rss();
      ms.rssSeq = ms.scanSeq;
    }
    return ms.rss;
  }

  /** A VMA's numab_state, allocated on first visit (§4.3). */
  vmaState(v: Vma, ms: MmNuma, nowNs: number, delayNs: number): VmaNuma {
    let s = this.#vmas.get(v);
    if (!s) {
      const next = nowNs + delayNs;
      s = { startScanSeq: ms.scanSeq, nextScanNs: next, pidsResetAtNs: next + 4 * delayNs, prevScanSeq: ms.scanSeq - 1, pids: new Uint32Array(4) };
      this.#vmas.set(v, s);
    }
    return s;
  }

  /** A VMA's numab_state if the scanner allocated one. */
  existingVmaState(v: Vma): VmaNuma | undefined {
    return this.#vmas.get(v);
  }

  /** Records a VMA skip (kernel internal). */
  skip(reason: VmaSkipReason): void {
    this.skips[reason]++;
  }

  /** Records that a pass walked a VMA (kernel internal). */
  countVmaPass(v: Vma): void {
    this.#vmaPasses.set(v, (this.#vmaPasses.get(v) ?? 0) + 1);
  }

  /**
   * How many scan passes walked a VMA so far (observability; tiersim-specific).
   *
   * @example
   * k.numab.vmaPasses(p.mm.find(a / 4096)!) // 3
   */
  vmaPasses(v: Vma): number {
    return this.#vmaPasses.get(v) ?? 0;
  }

  /** A fresh non-zero generation token (kernel internal). */
  nextToken(): number {
    this.#token = this.#token >= 0x7fffffff ? 1 : this.#token + 1;
    return this.#token;
  }

  /** A node's nbp_* promotion state. */
  promotion(node: number): NodePromotion {
    let pg = this.#promo[node];
    if (!pg) {
      pg = freshPromotion(this.kernel.clock.nowNs / 1e6, this.kernel.stats.get("pgpromote_candidate", node));
      this.#promo[node] = pg;
    }
    return pg;
  }

  #onScan(pid: number): void {
    const k = this.kernel;
    const p = k.process(pid);
    if (!p) {
      this.#tasks.delete(pid);
      return;
    }
    const t = this.task(p);
    const mode = this.mode(p);
    // Scanning is driven by CPU runtime: a task with no accesses is idle and does not scan (§4.2).
    if (mode === 0 || !(k.access.taskRate(pid) > 0)) {
      k.clock.after(t.scanPeriodMs * 1e6, this.scanKind, pid, 0);
      return;
    }
    const ms = this.mmState(p.mm);
    if (!t.started) {
      t.started = true;
      t.scanPeriodMs = taskScanStart(this, p, t);
    }
    let costNs = 0;
    const oneNodeCpuset = atLeast(k.version, "v6.16") && !p.cpuset.isRoot && p.memsAllowed.length === 1;
    if (k.clock.nowNs >= ms.nextScanNs && !oneNodeCpuset) {
      ms.nextScanNs = k.clock.nowNs + t.scanPeriodMs * 1e6;
      const r = scanPass(this, p, ms, mode);
      k.costs.chargeTask(pid, "pte_update", r.writes);
      costNs = r.writes * k.costs.costs.pteUpdateNs;
    }
    // §4.2 step 7: node_stamp += 32 * work time caps scanning at ~3% of the task's CPU; the work
    // time is the charged PTE-update time of the pass.
    k.clock.after(t.scanPeriodMs * 1e6 + 32 * costNs, this.scanKind, pid, 0);
  }

  /**
   * A task's NUMA-balancing state.
   *
   * @example
   * k.numab.taskState(p.pid) // { scanPeriodMs: 250, preferredNid: 0, ..., groupId: null, groupSize: 0 }
   */
  taskState(pid: number): TaskNumaView {
    const p = this.kernel.process(pid);
    const t = this.#tasks.get(pid);
    return {
      scanPeriodMs: t?.scanPeriodMs ?? this.knobs.values.scan_delay_ms,
      preferredNid: t?.preferredNid ?? -1,
      scanSeq: p ? this.mmState(p.mm).scanSeq : 0,
      faults: t?.faults ?? 0,
      pagesMigrated: t?.pagesMigrated ?? 0,
      groupId: t?.group?.gid ?? null,
      groupSize: t?.group?.nrTasks ?? 0,
    };
  }

  /**
   * A node's promotion state.
   *
   * @example
   * k.numab.nodeState(0) // { thresholdMs: 1000, candidates: 0, promoted: 0 }
   */
  nodeState(node: number): NodePromotionView {
    const pg = this.promotion(node);
    const s = this.kernel.stats;
    return { thresholdMs: pg.thresholdMs || this.knobs.values.hot_threshold_ms, candidates: s.get("pgpromote_candidate", node), promoted: s.get("pgpromote_success", node) };
  }
}
