/**
 * The shape of a CLI subcommand (damo style: one file per command, one line of help each, the
 * dispatcher in main.ts knows nothing about any of them), and the argument and preset look-ups
 * the commands share.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { TopologySpec } from "../topology/types.js";
import { presetNames, presets, type Presets } from "../topology/presets.js";

/** One `tiersim <name>` subcommand. */
export interface Command {
  /** The word after `tiersim`. */
  readonly name: string;
  /** One line for the command table. */
  readonly summary: string;
  /** Full help: usage line and options. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Thrown for bad command-line input; main.ts prints the message and the command's usage, exit 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/**
 * node:util parseArgs, its errors (unknown option, missing value) thrown as CliUsageError.
 *
 * @example
 * parseCliArgs({ args, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true })
 */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
}

/**
 * `name` as a preset name; otherwise throws CliUsageError with `unknown(known)`, `known` being
 * the preset names joined by ", ".
 *
 * @example
 * presetName("nope", (known) => `unknown preset "nope"; use one of: ${known}`) // throws
 */
export function presetName(name: unknown, unknown: (known: string) => string): keyof Presets {
  if (typeof name === "string" && presetNames().includes(name)) return name as keyof Presets;
  throw new CliUsageError(unknown(presetNames().join(", ")));
}

/**
 * The preset machine `name` names. Without `unknown`, any other value gives undefined; with it,
 * throws CliUsageError as {@link presetName} does.
 *
 * @example
 * presetByName("sprCxl") // presets.sprCxl()
 * presetByName(preset, (known) => `topology.preset: use one of ${known}`)
 */
export function presetByName(name: unknown): TopologySpec | undefined;
export function presetByName(name: unknown, unknown: (known: string) => string): TopologySpec;
export function presetByName(name: unknown, unknown?: (known: string) => string): TopologySpec | undefined {
  if (unknown === undefined && !(typeof name === "string" && presetNames().includes(name))) return undefined;
  return presets[presetName(name, unknown ?? String)]();
}
