/**
 * Whole-workload validation, shared by `build()` and `workloadFromJSON`: it walks the input
 * once, collects every problem with its path, and returns a normalised copy (defaults filled)
 * when there are none.
 */
import type { Issue } from "../core/errors.js";
import { Checker, checkCompressRatio, isRecord } from "./check.js";
import { DEFAULT_PERF, SHARE_TOLERANCE } from "./defaults.js";
import { checkPattern, defaultReadShare } from "./patterns/registry.js";
import type { AccessSpec, CpuBinding, PerfSpec, PhaseSpec, ProcessSpec, RegionKind, RegionSpec, WorkloadSpec } from "./types.js";
import { WORKLOAD_FORMAT } from "./types.js";

type Path = readonly (string | number)[];

const REGION_KINDS: readonly RegionKind[] = ["anon", "shmem", "file"];

/**
 * The outcome of validation: a normalised spec when `issues` is empty, else null.
 *
 * @example
 * const { spec, issues } = validateWorkload(JSON.parse(text));
 */
export interface WorkloadValidation {
  readonly spec: WorkloadSpec | null;
  readonly issues: Issue[];
}

/**
 * Validates a workload given as plain data and fills its defaults.
 *
 * @example
 * validateWorkload({ format: "tiersim.workload/1", processes: [] }).issues // [{ path: ["processes"], ... }]
 */
export function validateWorkload(input: unknown): WorkloadValidation {
  const ck = new Checker();
  const spec = checkWorkload(input, ck);
  return { spec: ck.problems.length === 0 ? spec : null, issues: ck.issues() };
}

function checkWorkload(input: unknown, ck: Checker): WorkloadSpec | null {
  if (!ck.object([], input, "a workload", "pass the result of workload().build() or a parsed workload file")) return null;
  ck.knownKeys([], input, ["format", "processes"]);
  if (input.format !== WORKLOAD_FORMAT) {
    ck.add(["format"], "invalid_format", input.format, `a workload's format must be "${WORKLOAD_FORMAT}"`, `write format: "${WORKLOAD_FORMAT}"`);
  }
  if (!Array.isArray(input.processes)) {
    ck.add(["processes"], "invalid_type", input.processes, "processes must be an array", "write processes: [ ... ]");
    return null;
  }
  if (input.processes.length === 0) {
    ck.add(["processes"], "too_small", input.processes, "a workload needs at least one process", 'add one: workload().process("app", (p) => ...)');
  }
  const processes = input.processes.map((p, i) => checkProcess(p, ["processes", i], ck));
  flagDuplicates(input.processes.map((p) => (isRecord(p) ? p.name : undefined)), (i) => ["processes", i, "name"], "process name", ck);
  checkSharedFiles(processes, ck);
  return { format: WORKLOAD_FORMAT, processes: processes.filter((p): p is ProcessSpec => p !== null) };
}

function checkProcess(input: unknown, path: Path, ck: Checker): ProcessSpec | null {
  if (!ck.object(path, input, "a process", "write { name, threads, regions, phases, ... }")) return null;
  ck.knownKeys(path, input, ["name", "threads", "binding", "perf", "regions", "phases", "firstTouchBytesPerSec"]);
  if (input.firstTouchBytesPerSec !== undefined) {
    ck.number([...path, "firstTouchBytesPerSec"], input.firstTouchBytesPerSec, { min: 1 }, "the first-touch rate is a positive number of bytes per second", "write e.g. firstTouchBytesPerSec: 2e9, or leave it out for an instant first touch");
  }
  ck.name([...path, "name"], input.name, "a process name", 'name it, e.g. "stream"');
  ck.number([...path, "threads"], input.threads, { min: 1, integer: true }, "threads must be a positive integer", "use e.g. threads: 64");
  const binding = checkBinding(input.binding ?? null, [...path, "binding"], ck);
  const perf = checkPerf(input.perf ?? DEFAULT_PERF, [...path, "perf"], ck);
  const regions = checkList(input.regions, [...path, "regions"], "regions", ck).map((r, i) => checkRegion(r, [...path, "regions", i], ck));
  const regionNames = regions.map((r) => r?.name);
  flagDuplicates(regionNames, (i) => [...path, "regions", i, "name"], "region name", ck);
  const rawPhases = checkList(input.phases, [...path, "phases"], "phases", ck);
  if (Array.isArray(input.phases) && rawPhases.length === 0) {
    ck.add([...path, "phases"], "too_small", input.phases, "a process needs at least one phase to run", 'give it a pattern, e.g. p.zipf({ size: "8GiB" }), or a phase');
  }
  const phases = rawPhases.map((ph, i) => checkPhase(ph, [...path, "phases", i], regions, ck));
  for (let i = 1; i < phases.length; i++) {
    const prev = phases[i - 1]?.startNs;
    const cur = phases[i]?.startNs;
    if (prev !== undefined && cur !== undefined && cur <= prev) {
      ck.add([...path, "phases", i, "startNs"], "phase_order", cur, `phases must start in increasing order, and phase ${i - 1} starts at ${prev} ns`, "sort the phases by startNs and merge phases that start together");
    }
  }
  return {
    name: input.name as string,
    threads: input.threads as number,
    binding,
    perf,
    regions: regions.filter((r): r is RegionSpec => r !== null),
    phases: phases.filter((p): p is PhaseSpec => p !== null),
    ...(typeof input.firstTouchBytesPerSec === "number" ? { firstTouchBytesPerSec: input.firstTouchBytesPerSec } : {}),
  };
}

function checkList(value: unknown, path: Path, what: string, ck: Checker): unknown[] {
  if (!Array.isArray(value)) {
    ck.add(path, "invalid_type", value, `${what} must be an array`, `write ${what}: [ ... ]`);
    return [];
  }
  return value;
}

function checkBinding(value: unknown, path: Path, ck: Checker): CpuBinding | null {
  if (value === null) return null;
  const fix = "write { node: 0 } or { cpus: [0, 1, 2, 3] }, or null to run anywhere";
  if (!isRecord(value) || ("node" in value) === ("cpus" in value)) {
    ck.add(path, "invalid_binding", value, "a CPU binding names either a node or a list of CPUs", fix);
    return null;
  }
  if ("node" in value) {
    ck.knownKeys(path, value, ["node"]);
    ck.number([...path, "node"], value.node, { min: 0, integer: true }, "a node id is a non-negative integer", "use e.g. { node: 0 }");
    return { node: value.node as number };
  }
  ck.knownKeys(path, value, ["cpus"]);
  const cpus = value.cpus;
  if (!Array.isArray(cpus) || cpus.length === 0) {
    ck.add([...path, "cpus"], "invalid_value", cpus, "a CPU list must be a non-empty array of CPU ids", fix);
    return null;
  }
  cpus.forEach((c, i) => ck.number([...path, "cpus", i], c, { min: 0, integer: true }, "a CPU id is a non-negative integer", "use e.g. cpus: [0, 1]"));
  flagDuplicates(cpus, (i) => [...path, "cpus", i], "CPU id", ck);
  return { cpus: [...(cpus as number[])] };
}

function checkPerf(value: unknown, path: Path, ck: Checker): PerfSpec {
  if (!ck.object(path, value, "perf", "write perf: { mlp: 10, computeNs: 0 }")) return DEFAULT_PERF;
  ck.knownKeys(path, value, ["mlp", "computeNs", "nonTemporalStores"]);
  const mlp = value.mlp ?? DEFAULT_PERF.mlp;
  const computeNs = value.computeNs ?? DEFAULT_PERF.computeNs;
  const nonTemporalStores = value.nonTemporalStores ?? DEFAULT_PERF.nonTemporalStores;
  if (typeof nonTemporalStores !== "boolean") {
    ck.add([...path, "nonTemporalStores"], "invalid_type", nonTemporalStores, "nonTemporalStores is true or false", "write nonTemporalStores: false for ordinary cached stores");
  }
  ck.number([...path, "mlp"], mlp, { min: 0, minOpen: true }, "misses in flight (mlp) must be a number above 0", "use 1 for a pointer chase, ~10 for streaming");
  ck.number([...path, "computeNs"], computeNs, { min: 0 }, "compute time per access must be a non-negative number of ns", "use 0 for a memory-bound loop");
  return { mlp: mlp as number, computeNs: computeNs as number, nonTemporalStores: nonTemporalStores === true };
}

function checkRegion(value: unknown, path: Path, ck: Checker): RegionSpec | null {
  if (!ck.object(path, value, "a region", 'write { name: "heap", kind: "anon", sizeBytes: 4096 }')) return null;
  ck.knownKeys(path, value, ["name", "kind", "sizeBytes", "file", "thp", "compressRatio"]);
  ck.name([...path, "name"], value.name, "a region name", 'name it, e.g. "heap"');
  const kind = value.kind ?? "anon";
  if (!REGION_KINDS.includes(kind as RegionKind)) {
    ck.add([...path, "kind"], "invalid_value", kind, 'a region kind is "anon", "shmem" or "file"', 'write kind: "anon"');
  }
  ck.number([...path, "sizeBytes"], value.sizeBytes, { min: 0, minOpen: true, integer: true }, "a region size must be a positive whole number of bytes", 'give it a size such as "64MiB"');
  const file = value.file ?? null;
  if (file !== null && (typeof file !== "string" || file === "")) {
    ck.add([...path, "file"], "invalid_type", file, "a file name must be a non-empty string or null", 'write file: "/dev/shm/cache"');
  } else if (kind === "file" && file === null) {
    ck.add([...path, "file"], "missing_file", file, "a file region maps a named file", 'write file: "/data/input.bin"');
  } else if (kind === "anon" && file !== null) {
    ck.add([...path, "file"], "invalid_value", file, "anonymous memory has no file", 'use kind: "shmem" to share it by name, or drop file');
  }
  const thp = value.thp ?? false;
  if (typeof thp !== "boolean") ck.add([...path, "thp"], "invalid_type", thp, "thp must be true or false", "write thp: true");
  const region: RegionSpec = { name: value.name as string, kind: kind as RegionKind, sizeBytes: value.sizeBytes as number, file: file as string | null, thp: thp as boolean };
  if (value.compressRatio === undefined || value.compressRatio === null) return region;
  checkCompressRatio(ck, [...path, "compressRatio"], value.compressRatio);
  return { ...region, compressRatio: value.compressRatio as number };
}

function checkPhase(value: unknown, path: Path, regions: readonly (RegionSpec | null)[], ck: Checker): PhaseSpec | null {
  if (!ck.object(path, value, "a phase", "write { startNs: 0, accesses: [ ... ] }")) return null;
  ck.knownKeys(path, value, ["startNs", "accesses"]);
  ck.number([...path, "startNs"], value.startNs, { min: 0 }, "a phase start must be a non-negative time in ns", "use startNs: 0 for the start of the run");
  const accesses = checkList(value.accesses, [...path, "accesses"], "accesses", ck).map((a, i) =>
    checkAccess(a, [...path, "accesses", i], regions, ck),
  );
  flagDuplicates(accesses.map((a) => a?.region), (i) => [...path, "accesses", i, "region"], "region within one phase", ck);
  const shares = accesses.map((a) => a?.share);
  if (shares.every((s): s is number => typeof s === "number" && s >= 0 && s <= 1)) {
    const sum = shares.reduce((x, y) => x + y, 0);
    if (sum !== 0 && Math.abs(sum - 1) > SHARE_TOLERANCE) {
      ck.add([...path, "accesses"], "share_sum", round(sum), "the shares of one phase must sum to 1 (or all be 0 for an idle phase)", "scale the shares so they add up to 1");
    }
  }
  return { startNs: value.startNs as number, accesses: accesses.filter((a): a is AccessSpec => a !== null) };
}

function checkAccess(value: unknown, path: Path, regions: readonly (RegionSpec | null)[], ck: Checker): AccessSpec | null {
  if (!ck.object(path, value, "an access", 'write { region: "heap", share: 1, pattern: "uniform" }')) return null;
  ck.knownKeys(path, value, ["region", "share", "readShare", "pattern"]);
  if (ck.name([...path, "region"], value.region, "an access's region", "name one of the process's regions")) {
    const known = regions.filter((r): r is RegionSpec => r !== null).map((r) => r.name);
    if (!known.includes(value.region)) {
      const list = known.length ? known.join(", ") : "none yet";
      ck.add([...path, "region"], "unknown_region", value.region, `a phase can only use the process's regions (${list})`, "declare the region with .region(name, { size }) or fix the name");
    }
  }
  ck.number([...path, "share"], value.share, { min: 0, max: 1 }, "an access share must be in 0..1", "give the fraction of the process's accesses, e.g. 0.5");
  const pattern = checkPattern(value.pattern, [...path, "pattern"], ck);
  const readShare = value.readShare ?? (pattern ? defaultReadShare(pattern) : 1);
  ck.number([...path, "readShare"], readShare, { min: 0, max: 1 }, "a read share must be in 0..1", "use 1 for all reads, 0.5 for half reads");
  if (pattern?.type === "coldHog" && value.share !== 0) {
    ck.add([...path, "share"], "invalid_value", value.share, "a coldHog region is touched once and never accessed again, so its share must be 0", "set share: 0, or use a uniform pattern for memory that stays in use");
  }
  if (!pattern) return null;
  return { region: value.region as string, share: value.share as number, readShare: readShare as number, pattern };
}

/** Shared objects are identified by file name, so every mapping of one name must agree on its kind. */
function checkSharedFiles(processes: readonly (ProcessSpec | null)[], ck: Checker): void {
  const kinds = new Map<string, RegionKind>();
  processes.forEach((p, i) =>
    p?.regions.forEach((r, j) => {
      if (r.file === null) return;
      const seen = kinds.get(r.file);
      if (seen === undefined) kinds.set(r.file, r.kind);
      else if (seen !== r.kind) {
        ck.add(["processes", i, "regions", j, "kind"], "shared_kind", r.kind, `file "${r.file}" is mapped elsewhere as ${seen}, and one object has one kind`, `use kind: "${seen}" here or another file name`);
      }
    }),
  );
}

function flagDuplicates(values: readonly unknown[], pathOf: (i: number) => Path, what: string, ck: Checker): void {
  const first = new Map<unknown, number>();
  values.forEach((v, i) => {
    if (v === undefined || v === null) return;
    const at = first.get(v);
    if (at === undefined) first.set(v, i);
    else ck.add(pathOf(i), "duplicate", v, `each ${what} must be unique, and entry ${at} already uses it`, "rename or remove one of them");
  });
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
