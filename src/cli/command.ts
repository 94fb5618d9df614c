/**
 * The shape of a CLI subcommand (damo style: one file per command, one line of help each, the
 * dispatcher in main.ts knows nothing about any of them).
 */

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
