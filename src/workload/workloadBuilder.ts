/**
 * `workload()`: the immutable builder of a whole workload. `build()` validates everything at
 * once and returns frozen plain data.
 */
import { ScenarioError, UsageError } from "../core/errors.js";
import { Checker, throwFirst } from "./check.js";
import { deepFreeze } from "./freeze.js";
import { ProcessBuilder } from "./processBuilder.js";
import type { ProcessSpec, WorkloadSpec } from "./types.js";
import { WORKLOAD_FORMAT } from "./types.js";
import { validateWorkload } from "./validateWorkload.js";

/**
 * Builds a workload: a list of processes. Each method returns a new builder.
 *
 * @example
 * const wl = workload()
 *   .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
 *   .build();
 */
export class WorkloadBuilder {
  readonly #processes: readonly ProcessSpec[];

  /** Use `workload()` rather than this constructor. */
  constructor(processes: readonly ProcessSpec[] = []) {
    this.#processes = processes;
  }

  /**
   * Adds a process, configured by a function that receives a fresh process builder and
   * returns the configured one. Process names must be unique (checked by `build()`).
   *
   * @example
   * workload().process("db", (p) => p.threads(8).zipf({ size: "16GiB" }))
   */
  process(name: string, configure: (p: ProcessBuilder) => ProcessBuilder = (p) => p): WorkloadBuilder {
    const ck = new Checker();
    ck.name([], name, "a process name", 'pass e.g. "stream"');
    throwFirst(ck, "workload().process() name");
    const built = configure(new ProcessBuilder(name));
    if (!(built instanceof ProcessBuilder)) {
      throw new UsageError({
        what: `workload().process("${name}") configure`,
        value: built,
        rule: "must return the process builder it was given, after configuring it",
        fix: "write (p) => p.threads(4)..., an arrow that returns the chain",
      });
    }
    return new WorkloadBuilder([...this.#processes, built.toSpec()]);
  }

  /**
   * Validates the whole workload and returns it as frozen plain data. Throws a ScenarioError
   * listing every issue with its path, e.g. `processes[0].phases[0].accesses[1].region`.
   *
   * @example
   * workload().process("hog", (p) => p.coldHog({ size: "100GiB" })).build().processes[0].regions[0].sizeBytes // 107374182400
   */
  build(): WorkloadSpec {
    const { spec, issues } = validateWorkload({ format: WORKLOAD_FORMAT, processes: this.#processes });
    if (spec === null) throw new ScenarioError(issues, "workload");
    return deepFreeze(spec);
  }
}

/**
 * Starts an empty workload.
 *
 * @example
 * workload().process("chase", (p) => p.pointerChase({ size: "1GiB" })).build()
 */
export function workload(): WorkloadBuilder {
  return new WorkloadBuilder();
}
