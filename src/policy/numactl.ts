/**
 * numactl command lines (numactl >= 2.0.19, the release with --weighted-interleave): which
 * task policy and CPU binding numactl would set before exec'ing the command. Option parsing
 * follows getopt_long with numactl's option table; error text is numactl's and libnuma's.
 * The policy is only parsed here: applying it is set_mempolicy's job (an empty --membind
 * mask, for instance, parses fine and then fails there with EINVAL, as on Linux).
 */
import { UsageError } from "../core/errors.js";
import { mempolicyFeatures } from "./features.js";
import { parseLibnumaList, type ListParseContext } from "./nodestring.js";
import type { ModeFlagName, ModeName, Nodemask } from "./types.js";

/** The machine numactl runs on; without it node and CPU ids are only syntax-checked. */
export interface NumactlOptions {
  /** Every node id of the machine (possible/configured nodes; `--all` lists and "!" inverts over these). */
  readonly nodes?: Nodemask;
  /** The task's cpuset mems (numa_all_nodes_ptr); default `nodes`. */
  readonly memsAllowed?: Nodemask;
  /** Every CPU id of the machine. */
  readonly cpus?: readonly number[];
  /** The task's cpuset CPUs; default `cpus`. */
  readonly cpusAllowed?: readonly number[];
  /** Kernel version for --preferred-many support (v5.15+); default the baseline kernel. */
  readonly kernelVersion?: string;
  /** Fail like numactl when no command follows the options; default false (a policy string alone is fine). */
  readonly requireCommand?: boolean;
}

/** The task policy numactl sets: the arguments of its set_mempolicy() call. */
export interface NumactlPolicy {
  readonly mode: ModeName;
  readonly flags: readonly ModeFlagName[];
  readonly nodes: Nodemask;
}

/** What a numactl command line does. */
export interface NumactlCommand {
  /** The task policy, or null when numactl sets none (the command inherits numactl's). */
  readonly policy: NumactlPolicy | null;
  /** --cpunodebind: run only on these nodes' CPUs, or null. */
  readonly cpuNodes: Nodemask | null;
  /** --physcpubind: run only on these CPUs, or null. */
  readonly physCpus: readonly number[] | null;
  /** The command and its arguments (may be empty unless requireCommand). */
  readonly command: readonly string[];
  /** Lines numactl prints to stderr while still running the command. */
  readonly warnings: readonly string[];
}

/** numactl refused the command line: `stdout`/`stderr` hold what it prints before its usage text; it exits 1. */
export class NumactlError extends UsageError {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number = 1;
  constructor(argv: readonly string[], stdout: string, stderr: string, rule: string, fix: string) {
    super({ what: "numactl", value: argv.join(" "), rule, fix });
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

interface LongOpt {
  readonly name: string;
  readonly hasArg: boolean;
  readonly key: string;
}

// numactl's option table (long name, argument, short key); keys without a letter are long-only.
const OPTIONS: readonly LongOpt[] = [
  ["all", false, "a"], ["interleave", true, "i"], ["weighted-interleave", true, "w"], ["preferred", true, "p"],
  ["preferred-many", true, "P"], ["cpubind", true, "c"], ["cpunodebind", true, "N"], ["physcpubind", true, "C"],
  ["membind", true, "m"], ["show", false, "s"], ["localalloc", false, "l"], ["balancing", false, "b"],
  ["hardware", false, "H"], ["shm", true, "S"], ["file", true, "f"], ["offset", true, "o"], ["length", true, "L"],
  ["strict", false, "t"], ["shmmode", true, "M"], ["dump", false, "d"], ["dump-nodes", false, "D"], ["shmid", true, "I"],
  ["huge", false, "u"], ["touch", false, "T"], ["cpu-compress", false, "cpu-compress"], ["verify", false, "V"],
  ["version", false, "version"],
].map(([name, hasArg, key]) => ({ name: name as string, hasArg: hasArg as boolean, key: key as string }));

const SHORT = new Map(OPTIONS.filter((o) => o.key.length === 1).map((o) => [o.key, o]));

/**
 * Parses a numactl command line (argv array, or one string split like a shell would).
 * Throws NumactlError where numactl prints an error and exits.
 *
 * @example
 * numactl("--weighted-interleave=0,1 ./stream").policy; // { mode: "MPOL_WEIGHTED_INTERLEAVE", flags: [], nodes: [0, 1] }
 * numactl(["-b", "-m", "0-1", "./app"]).policy;         // { mode: "MPOL_BIND", flags: ["MPOL_F_NUMA_BALANCING"], nodes: [0, 1] }
 * numactl("-m 7 ./app", { nodes: [0, 1] });             // throws NumactlError: "<7> is invalid"
 */
export function numactl(argv: readonly string[] | string, options: NumactlOptions = {}): NumactlCommand {
  let args = typeof argv === "string" ? splitCommandLine(argv) : [...argv];
  if (args[0] === "numactl") args = args.slice(1);
  const fail = (stdout: string, stderr: string, rule: string, fix: string): NumactlError =>
    new NumactlError(args, stdout, stderr, rule, fix);
  const usageMsg = (msg: string, fix: string): NumactlError => fail("", `numactl: ${msg}\n`, `numactl prints "numactl: ${msg}" and its usage, and exits 1`, fix);

  let policy: NumactlPolicy | null = null;
  let policySet = false;
  let balancing = false;
  let parseAll = false;
  let didNodeCpuParse = false;
  let strict = false;
  let lastNodeString: string | null = null;
  let cpuNodes: Nodemask | null = null;
  let physCpus: number[] | null = null;

  const setPolicy = (p: NumactlPolicy): void => {
    if (policySet) throw usageMsg("Conflicting policies", "give one of --membind, --preferred, --preferred-many, --interleave, --weighted-interleave, --localalloc");
    policySet = true;
    policy = p;
  };
  const list = (text: string, kind: "node" | "cpu"): number[] => {
    let s = text;
    if (kind === "node") {
      if (s === "same") {
        if (lastNodeString === null) throw usageMsg("same needs previous node specification", "name the nodes before using same");
        s = lastNodeString;
      } else lastNodeString = s;
    }
    const every = kind === "node" ? options.nodes : options.cpus;
    const allowed = parseAll ? every : kind === "node" ? (options.memsAllowed ?? options.nodes) : (options.cpusAllowed ?? options.cpus);
    const ctx: ListParseContext = { kind, allowed: allowed ?? null, configured: every?.length ?? null };
    const r = parseLibnumaList(s, ctx);
    if (!r.ok) {
      const why = r.warning === null ? "trailing characters after the last item" : r.warning.replace(/^libnuma: Warning: /, "").trim();
      // The weighted-interleave cover letter's "numactl -w --interleave=1,2" is the pre-release
      // spelling: released numactl gives -w its own node list, so it swallows "--interleave=1,2".
      const fix = /^--?[a-zA-Z]/.test(text)
        ? `-w/--weighted-interleave takes the node list itself: write --weighted-interleave=${text.replace(/^-[-\w]*=?/, "") || "<nodes>"}`
        : `write ${kind} ids and ranges such as "0-1,3"${allowed ? ` from ${allowed.join(",")}` : ""}; "!" may only start the list`;
      throw fail(`<${text}> is invalid\n`, r.warning ?? "", `numactl prints "<${text}> is invalid" (${why}) and its usage, and exits 1`, fix);
    }
    return r.ids;
  };

  const { options: opts, rest } = getopt(args, fail);
  for (const [key, arg] of opts) {
    switch (key) {
      case "a":
        if (didNodeCpuParse) throw usageMsg("--all/-a option must be before all cpu/node specifications", "put --all first");
        parseAll = true;
        break;
      case "b":
        if (policySet) throw usageMsg("specify policy after --shm/--file", "put --balancing before --membind");
        balancing = true;
        break;
      case "w":
      case "i": {
        const nodes = list(arg!, "node");
        didNodeCpuParse = true;
        const mode: ModeName = key === "w" ? "MPOL_WEIGHTED_INTERLEAVE" : "MPOL_INTERLEAVE";
        // libnuma's numa_set_interleave_mask turns an empty mask into MPOL_DEFAULT; the weighted
        // variant is assumed to do the same (its source was not available to check).
        setPolicy({ mode: nodes.length === 0 ? "MPOL_DEFAULT" : mode, flags: [], nodes });
        break;
      }
      case "N":
      case "c":
        cpuNodes = list(arg!, "node");
        didNodeCpuParse = true;
        break;
      case "C":
        physCpus = list(arg!, "cpu");
        didNodeCpuParse = true;
        break;
      case "m": {
        if (policySet) throw usageMsg("Conflicting policies", "give one memory policy");
        const nodes = list(arg!, "node");
        didNodeCpuParse = true;
        setPolicy({ mode: "MPOL_BIND", flags: balancing ? ["MPOL_F_NUMA_BALANCING"] : [], nodes });
        break;
      }
      case "P":
      case "p": {
        if (key === "P" && mempolicyFeatures(options.kernelVersion).mpolMax <= 5) {
          throw fail("", "numactl: preferred-many requested without kernel support\n", "MPOL_PREFERRED_MANY needs Linux v5.15+", "use --preferred=<node> or a newer kernel");
        }
        const nodes = list(arg!, "node");
        didNodeCpuParse = true;
        if (key === "p" && nodes.length !== 1) {
          throw fail("", "", `--preferred takes exactly one node, got ${nodes.length}; numactl prints only its usage and exits 1`, "use --preferred-many=<nodes> for several nodes");
        }
        setPolicy({ mode: key === "p" ? "MPOL_PREFERRED" : "MPOL_PREFERRED_MANY", flags: [], nodes });
        break;
      }
      case "l":
        setPolicy({ mode: "MPOL_LOCAL", flags: [], nodes: [] });
        break;
      case "t":
        strict = true;
        break;
      case "cpu-compress":
        break;
      default:
        throw new UsageError({
          what: "numactl",
          value: args.join(" "),
          rule: `option ${key.length === 1 ? `-${key}` : `--${key}`} (show/hardware/shared-memory/version) is not simulated by this parser`,
          fix: "use the simulated kernel's views for --show/--hardware, or drop the option",
        });
    }
  }
  if (options.requireCommand && rest.length === 0) {
    throw fail("", "", "numactl needs a command to run; without one it prints its usage and exits 1", "append the command, e.g. ./app");
  }
  return {
    policy,
    cpuNodes,
    physCpus,
    command: rest,
    warnings: strict ? ["numactl: warning. Strict flag for process ignored."] : [],
  };
}

type Fail = (stdout: string, stderr: string, rule: string, fix: string) => NumactlError;

// getopt_long with optstring "+..." (stop at the first non-option) and numactl's long options,
// including unique-prefix abbreviations; messages are glibc's.
function getopt(args: readonly string[], fail: Fail): { options: [string, string | undefined][]; rest: string[] } {
  const out: [string, string | undefined][] = [];
  let i = 0;
  const bad = (msg: string): NumactlError => fail("", `numactl: ${msg}\n`, `getopt reports "${msg}"; numactl then prints its usage and exits 1`, "check the option spelling in numactl(8)");
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = OPTIONS.find((o) => o.name === name);
      const matches = exact ? [exact] : OPTIONS.filter((o) => o.name.startsWith(name));
      if (matches.length === 0) throw bad(`unrecognized option '${a}'`);
      if (matches.length > 1) throw bad(`option '--${name}' is ambiguous; possibilities:${matches.map((o) => ` '--${o.name}'`).join("")}`);
      const opt = matches[0]!;
      if (!opt.hasArg) {
        if (eq >= 0) throw bad(`option '--${opt.name}' doesn't allow an argument`);
        out.push([opt.key, undefined]);
      } else if (eq >= 0) out.push([opt.key, a.slice(eq + 1)]);
      else if (i + 1 < args.length) out.push([opt.key, args[++i]]);
      else throw bad(`option '--${opt.name}' requires an argument`);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const opt = SHORT.get(a[j]!);
      if (opt === undefined) throw bad(`invalid option -- '${a[j]}'`);
      if (!opt.hasArg) {
        out.push([opt.key, undefined]);
        continue;
      }
      if (j + 1 < a.length) out.push([opt.key, a.slice(j + 1)]);
      else if (i + 1 < args.length) out.push([opt.key, args[++i]]);
      else throw bad(`option requires an argument -- '${opt.key}'`);
      break;
    }
  }
  return { options: out, rest: args.slice(i) };
}

/**
 * Splits a command line like a POSIX shell would for simple cases: blanks separate words,
 * single quotes are literal, double quotes and backslashes escape.
 *
 * @example
 * splitCommandLine(`-m 0 sh -c 'echo "hi there"'`); // ["-m", "0", "sh", "-c", 'echo "hi there"']
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new UsageError({ what: "command line", value: line, rule: "has an unterminated ' quote", fix: "close the quote" });
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) word += line[i] === "\\" && i + 1 < line.length ? line[++i] : line[i];
      if (i >= line.length) throw new UsageError({ what: "command line", value: line, rule: 'has an unterminated " quote', fix: "close the quote" });
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
