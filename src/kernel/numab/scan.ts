/**
 * task_numa_work (kernel-model.md §4.2 steps 2-6, §4.3): one scan pass over an mm's VMAs from
 * mm.scanOffset with a budget of scan_size pages (counted only for chunks where a PTE was
 * updated) and 8x that in virtual pages, in chunks ending on 2 MiB boundaries, with per-VMA
 * eligibility and the per-VMA state of `k.behaviours.vmaScanFilter`.
 */
import { vmaPolicyMof } from "../effective.js";
import type { Process } from "../process.js";
import type { Vma } from "../vma.js";
import { markChunk } from "./mark.js";
import type { NumaBalancing } from "./numab.js";
import { pidActive } from "./state.js";
import type { MmNuma, VmaNuma } from "./state.js";

/** Why a VMA was not scanned (tracepoint sched_skip_vma_numa reasons, §6.5; tiersim models these). */
export type VmaSkipReason = "UNSUITABLE" | "SCAN_DELAY" | "PID_INACTIVE" | "SEQ_COMPLETED";

/** What one pass did. */
export interface PassResult {
  /** Base pages made PROT_NONE. */
  readonly ptes: number;
  /** PTE/PMD writes (the CPU cost unit). */
  readonly writes: number;
}

function resetScan(ms: MmNuma): void {
  ms.scanSeq++;
  ms.scanOffset = 0;
}

/**
 * Runs one pass for task `p` (the caller checked the mode and mm.nextScan).
 *
 * @example
 * scanPass(k.numab, p, mmState, 1) // { ptes: 65536, writes: 65536 }
 */
export function scanPass(nb: NumaBalancing, p: Process, ms: MmNuma, mode: number): PassResult {
  const k = nb.kernel;
  const now = k.clock.nowNs;
  const delayNs = nb.knobs.values.scan_delay_ms * 1e6;
  const filter = k.behaviours.vmaScanFilter;
  const forcedMode = filter === "pid+forced";
  const shmemFix = k.behaviours.shmemNumabFix;
  const vmas = p.mm.vmas;
  const c = nb.columns();
  let pages = nb.knobs.scanPages;
  let virt = 8 * pages;
  let ptes = 0;
  let writes = 0;
  let forced = false;
  let skipped = false;
  let stopped = false;
  let start = 0;
  for (;;) {
    start = ms.scanOffset;
    let i = 0;
    while (i < vmas.length && vmas[i]!.end <= start) i++;
    if (i === vmas.length) {
      resetScan(ms);
      start = 0;
      i = 0;
    }
    for (; i < vmas.length; i++) {
      const v = vmas[i]!;
      // §4.3: no MOF in the effective policy (incl. the shmem behaviour) -> never scanned.
      // hugetlb, VM_IO/PFNMAP, read-only file and PROT_NONE mappings are not modelled.
      if (!vmaPolicyMof(v, p.policy, { shmemFix })) {
        nb.skip("UNSUITABLE");
        continue;
      }
      let st: VmaNuma | undefined;
      if (filter !== "none") {
        st = nb.vmaState(v, ms, now, delayNs);
        if (ms.scanSeq > 0 && now < st.nextScanNs) {
          nb.skip("SCAN_DELAY");
          continue;
        }
        if (ms.scanSeq > 0 && now > st.pidsResetAtNs) {
          st.pids[0] = st.pids[2]!;
          st.pids[1] = st.pids[3]!;
          st.pids[2] = st.pids[3] = 0;
          st.pidsResetAtNs += 4 * delayNs;
        }
        if (forcedMode && st.prevScanSeq === ms.scanSeq) {
          ms.scanOffset = v.end;
          nb.skip("SEQ_COMPLETED");
          continue;
        }
        if (!forced && !vmaIsAccessed(st, ms, v, p.pid, forcedMode)) {
          skipped = true;
          nb.skip("PID_INACTIVE");
          continue;
        }
      }
      nb.countVmaPass(v);
      start = Math.max(start, v.start);
      let end: number;
      do {
        end = Math.min(Math.ceil((start + pages) / 512) * 512, v.end);
        const r = markChunk(nb, p, v, start, end, mode, c);
        ptes += r.ptes;
        writes += r.writes;
        if (r.ptes > 0) pages -= end - start;
        virt -= end - start;
        start = end;
        if (pages <= 0 || virt <= 0) break;
      } while (end !== v.end);
      // Budget out: "goto out" leaves prevScanSeq alone even at the VMA's end.
      if (pages <= 0 || virt <= 0) {
        stopped = true;
        break;
      }
      if (st && forcedMode) st.prevScanSeq = ms.scanSeq;
      // v6.7: the forced pass scans at most one PID-inactive VMA (§4.3 step 6).
      if (forced) {
        stopped = true;
        break;
      }
    }
    if (!stopped && forcedMode && !forced && skipped) {
      forced = true;
      continue;
    }
    break;
  }
  if (stopped) ms.scanOffset = start;
  else resetScan(ms);
  return { ptes, writes };
}

/** vma_is_accessed (§4.3 step 4). */
function vmaIsAccessed(st: VmaNuma, ms: MmNuma, v: Vma, pid: number, forcedMode: boolean): boolean {
  if (ms.scanSeq - st.startScanSeq < 2) return true;
  if (pidActive(st, pid)) return true;
  // v6.7: finish a VMA whose scan already started, whatever the PID (§6.5).
  return forcedMode && ms.scanOffset > v.start;
}
