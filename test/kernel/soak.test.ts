/**
 * Randomised soak of the evolving kernel (issue: engine over time): seeded random sequences of
 * mmap / mbind / first touch / access-rate changes / sysctl and sysfs writes / fork / exit /
 * advance on a small twoSocketCxl (500 pages per node), with NUMA balancing, tiering and
 * demotion switched on and off. After every step the invariants must hold:
 * - no page lost or duplicated: allocated frames per node + free == managed, free >= 0;
 * - every page-table slot of every live mapping points at an allocated frame, and a frame
 *   referenced from private anonymous slots of one address space appears there once;
 * - counters consistent: pgpromote_success <= pgpromote_candidate and numa_pages_migrated <=
 *   pgmigrate_success on every node; numa_hint_faults_local <= numa_hint_faults; pgsteal <=
 *   pgscan; every migration accounted on both nodes (pgmigrate_success on the destination is
 *   matched by a free on the source: sum of pgfree grows by the pages migrated).
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.js";
import { SyscallError } from "../../src/core/errors.js";
import { OomKilledError } from "../../src/kernel/signals.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import type { Process } from "../../src/kernel/process.js";
import { checkInvariants, smallCxl, P } from "./reclaim/helpers.js";

const MODES = ["MPOL_DEFAULT", "MPOL_BIND", "MPOL_PREFERRED", "MPOL_INTERLEAVE", "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_LOCAL"] as const;

function pick<T>(r: Random, xs: readonly T[]): T {
  return xs[r.int(0, xs.length - 1)]!;
}

function randomNodes(r: Random): number[] {
  const out = [0, 1, 2, 3].filter(() => r.float() < 0.5);
  return out.length ? out : [r.int(0, 3)];
}

function total(k: Kernel, c: Parameters<Kernel["stats"]["get"]>[0]): number {
  return k.topo.memoryNodes.reduce((s, n) => s + k.stats.get(c, n), 0);
}

function checkPageTables(k: Kernel): void {
  for (const p of k.processes()) {
    const seen = new Set<number>();
    for (const v of p.mm.vmas) {
      for (let i = 0; i < v.pages; i++) {
        const f = v.frame(i);
        if (f <= 0) continue;
        expect(k.frames.flags[f], `pid ${p.pid} vpn ${v.start + i} -> frame ${f} is allocated`).not.toBe(0);
        if (v.kind === "anon" && v.anon && v.anon.pages[v.anonOff + i] === f) {
          expect(seen.has(f), `frame ${f} mapped twice in pid ${p.pid}`).toBe(false);
          seen.add(f);
        }
      }
    }
  }
}

function checkCounters(k: Kernel): void {
  for (const n of k.topo.memoryNodes) {
    expect(k.stats.get("pgpromote_success", n)).toBeLessThanOrEqual(k.stats.get("pgpromote_candidate", n));
    expect(k.stats.get("numa_pages_migrated", n)).toBeLessThanOrEqual(k.stats.get("pgmigrate_success", n));
  }
  expect(total(k, "numa_hint_faults_local")).toBeLessThanOrEqual(total(k, "numa_hint_faults"));
  expect(total(k, "pgsteal_kswapd")).toBeLessThanOrEqual(total(k, "pgscan_kswapd"));
}

function step(k: Kernel, r: Random, procs: Process[], maps: Map<Process, number[]>): void {
  const live = procs.filter((p) => !p.killed);
  const p = live.length ? pick(r, live) : null;
  const what = r.int(0, 11);
  try {
    if (what === 0 || !p) {
      const np = k.spawn({ cpu: pick(r, [...k.topo.cpuNode.keys()]) });
      procs.push(np);
      maps.set(np, []);
      k.access.setTaskRate(np.tgid, 1e6);
    } else if (what === 1) {
      const pages = r.int(1, 600);
      const a = p.mmap(pages * P, r.float() < 0.3 ? { shared: true } : {});
      maps.get(p)!.push(a, pages);
      if (r.float() < 0.3) p.mbind(a, pages * P, pick(r, MODES), randomNodes(r), r.float() < 0.3 ? ["MPOL_MF_MOVE"] : []);
      p.touch(a, pages * P, { write: r.float() < 0.8 });
      const ids: number[] = [];
      for (let i = 0; i < pages; i++) ids.push(p.frameAt(p.mm.find(a / P + i)!, a / P + i));
      const shares = ids.map(() => (r.float() < 0.3 ? 0 : r.float() / pages));
      k.access.setMany(ids, shares, { pid: p.tgid, sequential: r.float() < 0.3, writeShare: r.float() });
    } else if (what === 2) {
      k.access.setTaskRate(p.tgid, pick(r, [0, 1e3, 1e5, 1e6, 1e7]));
    } else if (what === 3) {
      k.sysctl.write("kernel.numa_balancing", pick(r, [0, 1, 2, 2, 3, 3]));
    } else if (what === 4) {
      k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", r.float() < 0.7 ? "true" : "false");
    } else if (what === 5 && r.float() < 0.3) {
      const child = p.fork();
      procs.push(child);
      maps.set(child, [...maps.get(p)!]);
    } else if (what === 6 && r.float() < 0.2) {
      p.exit();
    } else if (what === 7) {
      const m = maps.get(p)!;
      if (m.length) {
        const i = 2 * r.int(0, m.length / 2 - 1);
        p.mbind(m[i]!, m[i + 1]! * P, pick(r, MODES), randomNodes(r), ["MPOL_MF_MOVE"]);
      }
    } else {
      k.advance(`${r.int(10, 3000)}ms`);
    }
  } catch (e) {
    // Bad calls and OOM kills are part of the soak; anything else is a bug.
    if (!(e instanceof SyscallError || e instanceof OomKilledError)) throw e;
  }
}

const activity: number[][] = [];

describe("kernel soak", () => {
  it.each([1, 2, 3, 4, 5, 6])("keeps every invariant over 150 random steps (seed %i)", (seed) => {
    const k = smallCxl({ pages: 500, numaBalancing: 2 });
    k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
    const r = new Random(seed);
    const procs: Process[] = [];
    const maps = new Map<Process, number[]>();
    let freedBefore = total(k, "pgfree");
    let migratedBefore = total(k, "pgmigrate_success");
    for (let i = 0; i < 150; i++) {
      step(k, r, procs, maps);
      checkInvariants(k);
      checkPageTables(k);
      checkCounters(k);
      // Every migration frees its source page: pgfree grows at least by the pages migrated.
      const migrated = total(k, "pgmigrate_success") - migratedBefore;
      expect(total(k, "pgfree") - freedBefore).toBeGreaterThanOrEqual(migrated);
      freedBefore = total(k, "pgfree");
      migratedBefore = total(k, "pgmigrate_success");
    }
    expect(k.clock.nowNs).toBeGreaterThan(0);
    activity.push(["numa_hint_faults", "numa_pages_migrated", "pgpromote_success", "pgdemote_kswapd", "pgdemote_direct", "oom_kill"].map((c) => total(k, c as never)));
  });

  it("exercised scanning, promotion, demotion and OOM across the seeds (so the invariants were tested under load)", () => {
    const sums = activity.reduce((a, row) => a.map((x, i) => x + row[i]!), [0, 0, 0, 0, 0, 0]);
    expect(activity).toHaveLength(6);
    for (const s of sums) expect(s).toBeGreaterThan(0);
  });
});
