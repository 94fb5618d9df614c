/**
 * A small sysfs: files registered by kernel subsystems, each with an optional reader and
 * writer. Reads return the file text; writes parse like the kernel's store functions and throw
 * SyscallError with the kernel's errno.
 */
import { SyscallError } from "../core/errors.js";

/** One sysfs attribute. */
export interface SysfsFile {
  read?: () => string;
  write?: (value: string) => void;
}

/**
 * The sysfs tree.
 *
 * @example
 * k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 3);
 * k.sysfs.read("/sys/kernel/mm/transparent_hugepage/enabled"); // "always [madvise] never"
 */
export class Sysfs {
  readonly #files: Map<string, SysfsFile> = new Map();

  /**
   * Registers a file (kernel internal).
   *
   * @example
   * sysfs.register("/sys/kernel/mm/numa/demotion_enabled", { read: () => "false" });
   */
  register(path: string, file: SysfsFile): void {
    this.#files.set(path, file);
  }

  /**
   * Removes a file (memory hot-remove).
   *
   * @example
   * sysfs.unregister("/sys/kernel/mm/mempolicy/weighted_interleave/node3");
   */
  unregister(path: string): void {
    this.#files.delete(path);
  }

  /**
   * Paths under a prefix, sorted.
   *
   * @example
   * k.sysfs.list("/sys/kernel/mm/mempolicy/") // [".../weighted_interleave/auto", ...]
   */
  list(prefix = "/sys/"): string[] {
    return [...this.#files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  #file(path: string): SysfsFile {
    const f = this.#files.get(path);
    if (!f) throw new SyscallError("open", "ENOENT", `no sysfs file ${path}`);
    return f;
  }

  /**
   * Reads a file's text (without the trailing newline).
   *
   * @example
   * k.sysfs.read("/sys/kernel/mm/mempolicy/weighted_interleave/node0") // "1"
   */
  read(path: string): string {
    const f = this.#file(path);
    if (!f.read) throw new SyscallError("read", "EACCES", `${path} is write-only`);
    return f.read();
  }

  /**
   * Writes a value (numbers and booleans are written as their text).
   *
   * @example
   * k.sysfs.write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
   */
  write(path: string, value: string | number | boolean): void {
    const f = this.#file(path);
    if (!f.write) throw new SyscallError("open", "EACCES", `${path} is read-only`);
    f.write(String(value));
  }
}
