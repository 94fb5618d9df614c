/**
 * Named kernel behaviours (DESIGN.md: "the difference is a named kernel behaviour that a
 * scenario selects"). Two kinds:
 * - UNMERGED proposals and what-ifs: off unless asked for at boot;
 * - merged changes that differ between kernel versions: the version picks the default
 *   (`resolveBehaviours`), and a scenario may override it to put two kernels side by side.
 */
import type { PrivateNodeDesign } from "../topology/privateZonelist.js";
import { atLeast } from "./version.js";

/** How MPOL_PREFERRED_MANY with MPOL_F_NUMA_BALANCING decides to migrate on a hinting fault (seed 001). */
export type PreferredManyRule =
  /** Migrate only when the faulting CPU's node is in the policy mask (what was merged, kernel-model.md §4.6). */
  | "merged"
  /** The first posting: also migrate when both the CPU's node and the folio's node are outside the mask. */
  | "first-posted";

/** Which VMAs the NUMA-balancing scanner filters (kernel-model.md §4.3, §6.5). */
export type VmaScanFilter =
  /** No per-VMA state: every eligible VMA is scanned each pass (before v6.4). */
  | "none"
  /** Per-VMA scan delay and PID-activity filter (v6.4-v6.6). */
  | "pid"
  /** PID filter plus the forced pass over one skipped VMA for forward progress (v6.7+). */
  | "pid+forced";

/** Which DMA-pinned folios the scanner leaves alone (kernel-model.md §4.4, seed 004). */
export type PinnedScanSkip =
  /**
   * Every maybe-pinned folio is skipped at scan time ("mm: mprotect: always skip dma pinned
   * folio in prot_numa_skip()", Kefeng Wang, mm tree Oct 2025: v6.19 inferred).
   */
  | "all"
  /**
   * Only PTE-mapped pinned folios in COW (private) mappings are skipped (the change_pte_range
   * check through v6.18); pinned folios in shared mappings, and pinned PMD-mapped THPs in any
   * mapping (change_huge_pmd had no pin test), are made PROT_NONE for nothing.
   */
  | "cow";

/** Opt-in or version-dependent behaviours of a booted kernel; missing fields take the version default. */
export interface KernelBehaviours {
  /**
   * process_mbind(pidfd, addr, len, mode, nmask, maxnode, flags): mbind on another process's
   * address range (Vinicius Petrucci, Micron, RFC Nov 2023; kernel-model.md §6.3). UNMERGED.
   */
  readonly processMbind?: boolean;
  /**
   * set_mempolicy2 / mbind2 with task-local weighted-interleave weights overriding the global
   * sysfs weights (Gregory Price, RFC Dec 2023; kernel-model.md §6.2). UNMERGED.
   */
  readonly taskLocalWeights?: boolean;
  /**
   * What-if (seed 003's wish, no patch exists): when a memory node is onlined, interleave
   * policies that covered every memory node take the new node too and their pages are migrated
   * to their new (weighted) interleave targets. Mainline leaves both policies and pages alone.
   */
  readonly redistributeOnNodeAdd?: boolean;
  /**
   * "mm: mempolicy: fix automatic numa balancing for shmem" (J. Weiner, Jun 2026, seed 000;
   * kernel-model.md §4.3): default-policy shmem VMAs inherit MOF and are scanned. Posted, merge
   * status unknown: off by default on every version.
   */
  readonly shmemNumabFix?: boolean;
  /** PREFERRED_MANY + NUMA_BALANCING migration rule (seed 001). Default "merged". */
  readonly preferredManyRule?: PreferredManyRule;
  /** Per-VMA scan filtering. Default by version: none before v6.4, pid before v6.7, then pid+forced. */
  readonly vmaScanFilter?: VmaScanFilter;
  /**
   * Pinned folios skipped at scan time. Default "all" from v6.19 (inferred: the patch was in the
   * mm tree in Oct 2025; v6.15 and the Jul 2025 prot_numa_skip() refactor still test pins only
   * in COW mappings), "cow" before.
   */
  readonly pinnedScanSkip?: PinnedScanSkip;
  /**
   * PR_NUMA_BALANCING: prctl to disable or enable NUMA balancing per process (Gang Li,
   * 2021-2022, seed 004; kernel-model.md §6.4). UNMERGED.
   */
  readonly perProcessNumab?: boolean;
  /**
   * What-if (seed 000's complaint): demotion targets are filtered by the owning VMA's policy
   * nodemask, so BIND{DRAM} pages are never demoted. Mainline ignores mempolicy (§5.3).
   */
  readonly demotionHonoursMempolicy?: boolean;
  /**
   * How private memory nodes (N_MEMORY_PRIVATE, seed 002, kernel-model.md §6.1) are reached:
   * "gfp-private" = RFC v4 as posted (only __GFP_PRIVATE allocations may use them);
   * "fallback-only" = the thread's alternative without __GFP_PRIVATE (a private node is reached
   * only through its own fallback lists, when it is the preferred node). UNMERGED; only matters
   * on topologies with private nodes. Default "gfp-private".
   */
  readonly privateNodeDesign?: PrivateNodeDesign;
}

/** Every behaviour with its value decided. */
export type ResolvedBehaviours = { readonly [K in keyof KernelBehaviours]-?: NonNullable<KernelBehaviours[K]> };

/**
 * The behaviours of `version` with `overrides` applied.
 *
 * @example
 * resolveBehaviours("v6.3").vmaScanFilter // "none"
 * resolveBehaviours("v6.16", { shmemNumabFix: true }).shmemNumabFix // true
 */
export function resolveBehaviours(version: string, overrides: KernelBehaviours = {}): ResolvedBehaviours {
  const defaults: ResolvedBehaviours = {
    processMbind: false,
    taskLocalWeights: false,
    redistributeOnNodeAdd: false,
    shmemNumabFix: false,
    preferredManyRule: "merged",
    vmaScanFilter: atLeast(version, "v6.7") ? "pid+forced" : atLeast(version, "v6.4") ? "pid" : "none",
    pinnedScanSkip: atLeast(version, "v6.19") ? "all" : "cow",
    perProcessNumab: false,
    demotionHonoursMempolicy: false,
    privateNodeDesign: "gfp-private",
  };
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = v;
  return out as ResolvedBehaviours;
}

/** Status line of each behaviour, for reports and notebooks. */
export const BEHAVIOUR_STATUS: Readonly<Record<keyof KernelBehaviours, string>> = {
  processMbind: "unmerged RFC (Nov 2023, process_mbind, seed 003); kernel-model.md §6.3",
  taskLocalWeights: "unmerged RFC (Dec 2023, set_mempolicy2/mbind2 il_weights); kernel-model.md §6.2",
  redistributeOnNodeAdd: "what-if only (LSFMM+BPF 2024 wish, seed 003); no patch",
  shmemNumabFix: "posted fix (J. Weiner, 29 Jun 2026, seed 000), merge status unknown; kernel-model.md §4.3",
  preferredManyRule: "merged ~v6.10 as 'merged'; 'first-posted' is the Feb 2024 posting (seed 001); kernel-model.md §4.6",
  vmaScanFilter: "merged: per-VMA PID filter v6.4, forced progress v6.7 (seed 004); kernel-model.md §4.3, §6.5",
  pinnedScanSkip: "merged: all pinned folios skipped at scan time from ~v6.19 (mm tree Oct 2025), only in COW mappings before (seed 004); kernel-model.md §4.4",
  perProcessNumab: "unmerged proposal (PR_NUMA_BALANCING, 2021-2022, seed 004); kernel-model.md §6.4",
  demotionHonoursMempolicy: "what-if only (seed 000: 'Demotions don't care about mempolicy'); no patch",
  privateNodeDesign: "unmerged RFC v4 (Private Memory Nodes, G. Price, Feb 2026, seed 002): 'gfp-private' as posted, 'fallback-only' the June 2026 thread's alternative; kernel-model.md §6.1",
};
