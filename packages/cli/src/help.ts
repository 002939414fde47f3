import type { Command } from 'commander';

/** One example in a command's `--help`: the command line and what it does. */
export interface Example {
  readonly command: string;
  readonly description: string;
}

/** Appends an `Examples:` section to `command`'s help (commands' help always shows examples). */
export function addExamples(command: Command, examples: readonly Example[]): Command {
  const lines = examples.flatMap((example) => [`  # ${example.description}`, `  $ ${example.command}`, '']);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n').trimEnd()}`);
}

/** Appends free text (exit codes, formats) to `command`'s help. */
export function addHelpSection(command: Command, title: string, body: string): Command {
  return command.addHelpText('after', `\n${title}:\n${body.replace(/^/gm, '  ').trimEnd()}`);
}
