/**
 * Named kernel behaviours that differ from mainline (DESIGN.md: "the difference is a named
 * kernel behaviour that a scenario selects"). Every one here is UNMERGED: off by default and
 * enabled only on request at boot.
 */

/** Opt-in behaviours of a booted kernel. */
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
}

/** Status line of each behaviour, for reports and notebooks. */
export const BEHAVIOUR_STATUS: Readonly<Record<keyof KernelBehaviours, string>> = {
  processMbind: "unmerged RFC (Nov 2023, process_mbind, seed 003); kernel-model.md §6.3",
  taskLocalWeights: "unmerged RFC (Dec 2023, set_mempolicy2/mbind2 il_weights); kernel-model.md §6.2",
  redistributeOnNodeAdd: "what-if only (LSFMM+BPF 2024 wish, seed 003); no patch",
};
