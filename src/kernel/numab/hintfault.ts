/**
 * The NUMA hinting fault (kernel-model.md §4.5 do_numa_page, §4.7 should_numa_migrate_memory,
 * §4.8 migrate_misplaced_folio, §5.4 promotion). The event carries a frame and the token it
 * was marked with; a frame that was freed, reused or re-marked since has another token (the
 * columns are cleared on free), so its stale fault is dropped.
 */
import { PG_DIRTY, PG_FILE, PG_THP } from "../frames.js";
import { effectivePolicy } from "../effective.js";
import type { Process } from "../process.js";
import { ilxOf } from "../syscalls/mbind.js";
import type { Vma } from "../vma.js";
import type { NumabColumns } from "./columns.js";
import { NUMAB_TIERING } from "./knobs.js";
import { mpolMisplaced } from "./misplaced.js";
import type { MisplacedInput } from "./misplaced.js";
import type { PreferredManyRule } from "../behaviours.js";
import type { Policy } from "../../policy/types.js";
import type { NumaBalancing } from "./numab.js";
import { adjustThreshold, rateLimited } from "./promotion.js";
import { groupAllowsMigration } from "./group.js";
import { markPid } from "./state.js";
import { taskNumaFault } from "./taskstats.js";
import type { HintFaultInfo } from "./taskstats.js";

/**
 * Handles the hinting fault of frame `f` marked with `token`.
 *
 * @example
 * hintFault(k.numab, f, token);
 */
export function hintFault(nb: NumaBalancing, f: number, token: number): void {
  const k = nb.kernel;
  const c = nb.columns();
  if (c.token[f] !== token) return; // freed, reused or re-marked since
  c.token[f] = 0; // the PTE's permissions are restored whatever happens next
  const owner = k.process(c.markPid[f]!);
  const vpn = c.markVpn[f]!;
  const v = owner?.mm.find(vpn);
  if (!owner || !v || v.frame(vpn - v.start) !== f) return;
  // The faulting task is the one whose accesses reach the page (access model); a page accessed
  // from another mm is charged to that task but resolved in the mapping that was scanned.
  const acc = k.process(k.access.accessor(f));
  const T = acc ?? owner;
  const t = nb.task(T);
  const thp = (k.frames.flags[f]! & PG_THP) !== 0;
  const nr = thp ? 512 : 1;
  const cur = k.frames.node[f]!;
  const cn = T.cpuNode;
  k.costs.chargeTask(T.pid, "hint_fault", 1);
  t.faults++;
  const vs = nb.existingVmaState(v);
  if (vs) markPid(vs, T.pid);
  k.stats.add("numa_hint_faults", cn, 1);
  const local = cur === cn;
  if (local) k.stats.add("numa_hint_faults_local", cn, 1);
  const mode = nb.mode(owner);
  const tiering = (mode & NUMAB_TIERING) !== 0;
  // In tiering mode a slow-tier folio's cpupid field holds its scan time: "unset" for stats.
  // An unset cpupid (0) or a scan time (-1) has no valid CPU field (cpupid_valid, §4.7/§4.9).
  const cpupidValid = c.lastCpu[f]! > 0;
  const statsCpupid = !(tiering && !k.topo.isToptier(cur)) && cpupidValid;
  const lastPidForStats = statsCpupid ? c.lastPid[f]! : 0;
  const lastCpuForStats = statsCpupid ? c.lastCpu[f]! - 1 : -1;
  // TNF_NO_GROUP: the PTE was not writable (§4.5). [SIM] writable = the folio was written and
  // this mapping may write it in place: VM_SHARED, or an exclusive anonymous folio (not COW-shared
  // after fork, not a private file mapping's page-cache folio).
  const vmShared = v.kind === "shmem" || v.kind === "file-shared";
  const fl = k.frames.flags[f]!;
  const mapcount = k.frames.mapcount[f]!;
  const writable = (fl & PG_DIRTY) !== 0 && (vmShared || ((fl & PG_FILE) === 0 && mapcount <= 1));
  // TNF_SHARED: maybe mapped by more than one mm, in a VM_SHARED mapping.
  const sharedFlag = vmShared && mapcount > 1;
  // One reusable fault report per kernel: taskNumaFault reads it and keeps nothing (nor does it
  // take another hinting fault before returning), so the next fault may overwrite it.
  const info = (nb.hintFaultInfo ??= newHintFaultInfo());
  info.lastPid = lastPidForStats;
  info.lastCpu = lastCpuForStats;
  info.cpupidValid = cpupidValid;
  info.pages = nr;
  info.local = local;
  info.noGroup = !writable;
  info.shared = sharedFlag;
  const pol = effectivePolicy(v, vpn, T.policy).policy;
  // One reusable argument object per kernel: no closure is created per fault.
  const m = (nb.misplacedArgs ??= newMisplacedArgs(nb));
  m.cur = cur;
  m.cpuNode = cn;
  m.ilx = ilxOf(v, vpn);
  m.zonelist = k.topo.zonelist(cn);
  m.preferredManyRule = k.behaviours.preferredManyRule;
  m.pol = pol;
  m.T = T;
  m.f = f;
  m.nr = nr;
  m.tiering = tiering;
  m.c = c;
  const target = mpolMisplaced(pol, m);
  if (target < 0) {
    info.memNode = cur;
    info.migrated = false;
    info.migrateFailed = false;
    taskNumaFault(nb, T, t, info);
    return;
  }
  const ok = migrateMisplaced(nb, T, v, vpn, f, cur, target, nr, tiering, c);
  info.memNode = ok ? target : cur;
  info.migrated = ok;
  info.migrateFailed = !ok;
  taskNumaFault(nb, T, t, info);
}

/** The reusable fault report of one kernel (NumaBalancing.hintFaultInfo), written per fault. */
export type MutableHintFaultInfo = { -readonly [K in keyof HintFaultInfo]: HintFaultInfo[K] };

function newHintFaultInfo(): MutableHintFaultInfo {
  return { lastPid: 0, lastCpu: -1, cpupidValid: false, memNode: 0, pages: 1, local: false, migrated: false, migrateFailed: false, noGroup: false, shared: false };
}

/**
 * The mutable mpol_misplaced arguments of one kernel (NumaBalancing.misplacedArgs), with the
 * fault the callbacks need.
 */
export interface MisplacedArgs extends MisplacedInput {
  cur: number;
  cpuNode: number;
  ilx: number;
  zonelist: readonly number[];
  preferredManyRule: PreferredManyRule;
  pol: Policy | null;
  T: Process;
  f: number;
  nr: number;
  tiering: boolean;
  c: NumabColumns;
}

function newMisplacedArgs(nb: NumaBalancing): MisplacedArgs {
  const k = nb.kernel;
  const a: MisplacedArgs = {
    cur: 0,
    cpuNode: 0,
    ilx: 0,
    zonelist: [],
    preferredManyRule: "merged",
    pol: null,
    T: null as unknown as Process,
    f: 0,
    nr: 1,
    tiering: false,
    c: nb.columns(),
    weightOf: (n) => k.weightOf(n, a.pol),
    shouldMigrate: () => shouldNumaMigrate(nb, a.T, a.f, a.cur, a.nr, a.tiering, a.c),
  };
  return a;
}

/** should_numa_migrate_memory (§4.7), including the tiering branch (§5.4 steps 1-4). */
function shouldNumaMigrate(nb: NumaBalancing, T: Process, f: number, src: number, nr: number, tiering: boolean, c: NumabColumns): boolean {
  const k = nb.kernel;
  const dst = T.cpuNode;
  if (!k.topo.memoryNodes.includes(dst)) return false;
  const nowMs = k.clock.nowNs / 1e6;
  if (tiering && !k.topo.isToptier(src)) {
    const pg = nb.promotion(dst);
    const enough = Math.max(262144, Math.floor(k.topo.managedPages(dst) / 16));
    if (k.buddy.free[dst]! >= k.buddy.watermarks(dst).promo + enough) {
      pg.thresholdMs = 0;
      return true;
    }
    const hot = nb.knobs.values.hot_threshold_ms;
    const rateLimitPages = nb.rateLimitPages;
    adjustThreshold(pg, nowMs, k.stats.get("pgpromote_candidate", dst), { rateLimitPages, hotThresholdMs: hot, windowMs: nb.knobs.values.scan_period_max_ms });
    const th = pg.thresholdMs || hot;
    const latency = nowMs - c.scanTimeMs[f]!;
    c.scanTimeMs[f] = nowMs; // the fault re-stamps the access time
    if (latency >= th) return false;
    k.stats.add("pgpromote_candidate", dst, nr);
    return !rateLimited(pg, nowMs, k.stats.get("pgpromote_candidate", dst), rateLimitPages);
  }
  const lastCpu = c.lastCpu[f]!;
  const lastPid = lastCpu > 0 ? c.lastPid[f]! : 0;
  c.lastCpu[f] = T.cpu + 1;
  c.lastPid[f] = T.pid;
  // A scan time left over from tiering mode, or an unset cpupid, has no valid CPU (§4.7).
  if (!tiering && !k.topo.isToptier(src) && lastCpu <= 0) return false;
  const t = nb.task(T);
  if ((t.preferredNid < 0 || t.scanSeq <= 4) && (lastPid === 0 || lastPid === T.pid)) return true;
  // Two-stage filter: the previous fault must have come from the destination node too.
  if (lastPid !== 0 && k.topo.cpuNode.get(lastCpu - 1) !== dst) return false;
  if (lastPid === T.pid) return true; // private fault
  // Shared fault: without a numa_group migrate, else the group's CPU/memory use decides (§4.7).
  return t.group === null || groupAllowsMigration(t.group, src, dst);
}

/** migrate_misplaced_folio_prepare + migrate_misplaced_folio (§4.8). */
function migrateMisplaced(nb: NumaBalancing, T: Process, v: Vma, vpn: number, f: number, src: number, dst: number, nr: number, tiering: boolean, c: NumabColumns): boolean {
  const k = nb.kernel;
  // [SIM] §4.8/§8.5: the target must be in the task's cpuset mems.
  if (!T.memsAllowed.includes(dst) || !k.topo.memoryNodes.includes(dst)) return false;
  if (k.buddy.free[dst]! < k.buddy.watermarks(dst).high + nr) {
    // Tiering: let kswapd make room up to the promo watermark; this fault still fails.
    if (tiering) k.buddy.wakeKswapd(dst);
    return false;
  }
  const head = vpn - v.start;
  let pinned = false;
  for (let i = 0; i < nr && !pinned; i++) pinned = c.pins[v.frame(head + i)]! > 0;
  if (pinned) {
    k.stats.add("pgmigrate_fail", src, nr);
    return false;
  }
  // __GFP_THISNODE without reclaim: the headroom above guarantees the pages exist. One batch
  // per kernel, reused: finish() leaves its counts zeroed for the next fault.
  const batch = nb.migrationBatch();
  for (let i = 0; i < nr; i++) batch.move(nr === 1 ? f : v.frame(head + i), dst);
  batch.finish();
  k.stats.add("numa_pages_migrated", dst, nr);
  if (tiering && !k.topo.isToptier(src) && k.topo.isToptier(dst)) k.stats.add("pgpromote_success", dst, nr);
  k.costs.migrated(src, dst, nr);
  k.costs.chargeTask(T.pid, "migrate", nr);
  return true;
}
