#!/usr/bin/env node
/**
 * The `tiersim` command line: a table of subcommands, one file each. `tiersim` alone or
 * `tiersim --help` prints the table; `tiersim <command> --help` prints a command's options.
 */
import { TiersimError } from "../core/errors.js";
import { CliUsageError, type Command } from "./command.js";
import { figuresCommand } from "./figures.js";
import { hardwareCommand } from "./hardware.js";
import { runCommand } from "./run.js";

const COMMANDS: readonly Command[] = [figuresCommand, hardwareCommand, runCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: tiersim <command> [options]\n\ncommands:\n${rows.join("\n")}\n\nRun \`tiersim <command> --help\` for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    console.log(topic ? topic.help : usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`tiersim: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof CliUsageError) {
      console.error(`tiersim ${command.name}: ${e.message}\n\n${command.help}`);
      return 2;
    }
    // Our own errors already say what was wrong and how to fix it; a stack would bury that.
    if (e instanceof TiersimError) {
      console.error(`tiersim ${command.name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
