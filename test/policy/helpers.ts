import { expect } from "vitest";
import { SyscallError } from "../../src/core/errors.js";

/** Runs fn, expects a SyscallError with this errno, and returns it for further checks. */
export function expectErrno(fn: () => unknown, errno: string): SyscallError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SyscallError);
    expect((e as SyscallError).errno).toBe(errno);
    return e as SyscallError;
  }
  throw new Error(`expected ${errno}, but the call succeeded`);
}
