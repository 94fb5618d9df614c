/**
 * FOLL_LONGTERM pins (Process.pinPages) make user migration fail for the pinned pages: mbind
 * MPOL_MF_MOVE, migrate_pages and move_pages leave them in place and count pgmigrate_fail on
 * their node (migrate.ts, MigrationBatch.move / migrateFrame). Machine (helpers.ts): nodes 0-2,
 * 1000 pages each, min watermark 10.
 */
import { describe, expect, it } from "vitest";
import { SyscallError } from "../../src/core/errors.js";
import { countsAt, tinyKernel } from "./helpers.js";

const P = 4096;

/** A task on CPU 0 with 10 pages on node 0, pages 2..5 (4 pages) pinned. */
function setup() {
  const k = tinyKernel();
  const p = k.spawn({ cpu: 0 });
  const a = p.mmap(10 * P);
  p.touch(a, 10 * P);
  expect(p.pinPages(a + 2 * P, 4 * P)).toBe(4);
  expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 10 });
  return { k, p, a };
}

describe("pinned pages are not migrated", () => {
  it("mbind MPOL_MF_MOVE moves the 6 unpinned pages and leaves the 4 pinned ones", () => {
    const { k, p, a } = setup();
    p.mbind(a, 10 * P, "MPOL_BIND", [1], ["MPOL_MF_MOVE"]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 4, 1: 6 });
    expect(k.stats.get("pgmigrate_success", 1)).toBe(6);
    expect(k.stats.get("pgmigrate_fail", 0)).toBe(4);
    expect(k.vmstat().pgmigrate_fail).toBe(4);
    expect([k.buddy.free[0], k.buddy.free[1]]).toEqual([996, 994]);
  });

  it("mbind MOVE | STRICT fails with EIO because 4 pinned pages did not move", () => {
    const { k, p, a } = setup();
    let err: unknown = null;
    try {
      p.mbind(a, 10 * P, "MPOL_BIND", [1], ["MPOL_MF_MOVE", "MPOL_MF_STRICT"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SyscallError);
    expect((err as SyscallError).errno).toBe("EIO");
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 4, 1: 6 });
    expect(k.vmstat().pgmigrate_fail).toBe(4);
  });

  it("migrate_pages returns the 4 pinned pages as not moved", () => {
    const { k, p, a } = setup();
    expect(p.migratePages(p.pid, [0], [1])).toBe(4);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 4, 1: 6 });
    expect(k.stats.get("pgmigrate_success", 1)).toBe(6);
    expect(k.stats.get("pgmigrate_fail", 0)).toBe(4);
  });

  it("move_pages reports -ENOMEM for each pinned page; after unpinning they move", () => {
    const { k, p, a } = setup();
    const addrs = [a, a + 2 * P, a + 5 * P, a + 6 * P];
    expect(p.movePages(0, addrs, [1, 1, 1, 1])).toEqual([1, -12, -12, 1]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 8, 1: 2 });
    expect(k.stats.get("pgmigrate_success", 1)).toBe(2);
    expect(k.stats.get("pgmigrate_fail", 0)).toBe(2);
    expect([k.buddy.free[0], k.buddy.free[1]]).toEqual([992, 998]);
    p.unpinPages(a + 2 * P, 4 * P);
    expect(p.movePages(0, addrs, [1, 1, 1, 1])).toEqual([1, 1, 1, 1]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 6, 1: 4 });
    expect(k.stats.get("pgmigrate_fail", 0)).toBe(2);
  });
});
