/**
 * tiersim's error types. Every error a user can meet says what value was wrong, which rule it
 * broke and how to fix it; syscall errors also carry the errno the kernel would return.
 */

/** Base class of every error tiersim throws on purpose. */
export class TiersimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The parts of a usage error message; {@link UsageError} joins them into one sentence. */
export interface UsageProblem {
  /** What was given, e.g. `topology().node(0).capacity`. */
  readonly what: string;
  /** The value as the caller gave it. */
  readonly value: unknown;
  /** The rule it broke, e.g. "must be a positive size". */
  readonly rule: string;
  /** What to write instead, e.g. `use a size such as "64GiB"`. */
  readonly fix: string;
}

/**
 * Bad input to a builder or API call, thrown at once.
 *
 * @example
 * throw new UsageError({ what: "capacity", value: -1, rule: "must be a positive size", fix: 'write "64GiB"' });
 * // UsageError: capacity: got -1; must be a positive size. Fix: write "64GiB".
 */
export class UsageError extends TiersimError {
  readonly what: string;
  readonly value: unknown;
  readonly rule: string;
  readonly fix: string;
  constructor(problem: UsageProblem) {
    super(`${problem.what}: got ${describeValue(problem.value)}; ${problem.rule}. Fix: ${problem.fix}.`);
    this.what = problem.what;
    this.value = problem.value;
    this.rule = problem.rule;
    this.fix = problem.fix;
  }
}

/** One problem found while validating a scenario or topology, zod-style. */
export interface Issue {
  /** A short machine-readable code, e.g. `invalid_value`, `unknown_node`, `asymmetric_distance`. */
  readonly code: string;
  /** Where in the input the problem is: `["topology", "nodes", 2, "capacity"]`. */
  readonly path: readonly (string | number)[];
  /** What is wrong, the rule, and the fix. */
  readonly message: string;
}

/** Renders an issue path as `topology.nodes[2].capacity`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * A scenario, topology or workload that failed validation. Validation collects every issue
 * before throwing, so one run of the checker shows everything to fix.
 *
 * @example
 * try { topologyFromJSON(json) } catch (e) { if (e instanceof ScenarioError) e.issues.forEach(i => console.log(i.path, i.message)) }
 */
export class ScenarioError extends TiersimError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], subject = "scenario") {
    const lines = issues.map((i) => `  ✖ ${i.message}\n    → at ${formatPath(i.path)}`);
    super(`invalid ${subject}: ${issues.length} issue${issues.length === 1 ? "" : "s"}\n${lines.join("\n")}`);
    this.issues = issues;
  }
}

/** The errno values tiersim's syscalls can return, with Linux's numbers (asm-generic/errno-base.h). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EIO: 5,
  E2BIG: 7,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  ERANGE: 34,
  ENOSYS: 38,
  EOPNOTSUPP: 95,
} as const;

/** The name of an errno tiersim can return, e.g. `"EINVAL"`. */
export type ErrnoName = keyof typeof ERRNO;

/**
 * A system call failed the way Linux would fail it. `errno` and `code` are what a C program
 * would see; `explanation` says which kernel rule failed, something the kernel never tells you.
 *
 * @example
 * try { p.setMempolicy("MPOL_BIND", []) } catch (e) { (e as SyscallError).errno } // "EINVAL"
 */
export class SyscallError extends TiersimError {
  /** The errno name, e.g. `"EINVAL"`. */
  readonly errno: ErrnoName;
  /** The errno number, e.g. 22. */
  readonly code: number;
  /** The system call that failed, e.g. `"set_mempolicy"`. */
  readonly syscall: string;
  /** Which rule failed and where it is specified. */
  readonly explanation: string;
  constructor(syscall: string, errno: ErrnoName, explanation: string) {
    super(`${syscall}: ${errno} (${ERRNO[errno]}): ${explanation}`);
    this.syscall = syscall;
    this.errno = errno;
    this.code = ERRNO[errno];
    this.explanation = explanation;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}
