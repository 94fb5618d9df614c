/**
 * mmap(2): creating a VMA of one of the four kinds (vma.ts) at a top-down address or a fixed
 * one, with its backing object.
 */
import { SyscallError, UsageError } from "../core/errors.js";
import { PAGE_SIZE, parseSize, sizeToPages } from "../core/units.js";
import type { Size } from "../core/units.js";
import { MemObject } from "./objects.js";
import type { Process } from "./process.js";
import { Vma } from "./vma.js";

/** mmap options beyond the length. */
export interface MmapOptions {
  /** MAP_SHARED (default false: MAP_PRIVATE). Anonymous + shared = shmem. */
  readonly shared?: boolean;
  /** A file (k.file) or shmem/SysV segment (k.shmget) to map; default anonymous. */
  readonly file?: MemObject;
  /** File offset in bytes (page aligned). */
  readonly offset?: Size;
  /** A fixed address (MAP_FIXED_NOREPLACE): must be page aligned and unmapped. */
  readonly addr?: number;
}

/**
 * Maps `size` bytes into `p`'s address space and returns the address.
 *
 * @example
 * doMmap(p, "64MiB", { shared: true }) // a shmem mapping
 */
export function doMmap(p: Process, size: Size, opts: MmapOptions): number {
    const pages = sizeToPages(size, "mmap length");
    if (pages === 0) throw new SyscallError("mmap", "EINVAL", "length 0 (mmap(2))");
    const offBytes = parseSize(opts.offset ?? 0, "mmap offset");
    if (offBytes % PAGE_SIZE !== 0) throw new SyscallError("mmap", "EINVAL", `offset ${offBytes} is not page aligned`);
    const filePgoff = offBytes / PAGE_SIZE;
    let hint: number | null = null;
    if (opts.addr !== undefined) {
      if (opts.addr % PAGE_SIZE !== 0) throw new SyscallError("mmap", "EINVAL", `fixed address 0x${opts.addr.toString(16)} is not page aligned`);
      hint = opts.addr / PAGE_SIZE;
    }
    const start = p.mm.placement(pages, hint);
    if (start === null) throw new SyscallError("mmap", hint !== null ? "EEXIST" : "ENOMEM", hint !== null ? "the fixed range overlaps a mapping (MAP_FIXED_NOREPLACE)" : "no free virtual range");
    let file = opts.file ?? null;
    if (!file && opts.shared) file = new MemObject("shmem", pages, p.kernel.nextIno(), "/dev/zero (deleted)");
    if (file && filePgoff + pages > file.size) {
      throw new UsageError({ what: "mmap", value: size, rule: `the mapping runs past the end of ${file.name} (${file.size} pages)`, fix: "map at most the file's size" });
    }
    const kind = !file ? "anon" : file.kind === "shmem" ? "shmem" : opts.shared ? "file-shared" : "file-private";
    const vma = new Vma({
      start,
      end: start + pages,
      kind,
      file,
      filePgoff,
      anon: kind === "anon" || kind === "file-private" ? new MemObject("anon", pages, 0, "") : null,
      anonOff: 0,
      policy: null,
      mapped: file ? new Uint8Array(pages) : null,
      sysv: !!file && file.name.startsWith("/SYSV"),
    });
    p.mm.insert(vma);
    return start * PAGE_SIZE;
  }
