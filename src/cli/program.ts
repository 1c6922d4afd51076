import { Command } from 'commander';
import { commandsFor, GLOBAL_OPTIONS, type CommandName } from './command-line.js';
import type { CliContext } from './context.js';
import { VERSION } from './version.js';

/**
 * Each command's definition (options, help), imported when the command line names it, or
 * all of them for the help; a definition's action imports what the command runs. So --help,
 * --version and each command load only what they use (see bench/startup.ts).
 */
const COMMANDS: Record<CommandName, () => Promise<(context: CliContext) => Command>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  find: async () => (await import('./commands/find.js')).findCommand,
  anonymize: async () => (await import('./commands/anonymize.js')).anonymizeCommand,
  sweep: async () => (await import('./commands/sweep.js')).sweepCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  reapply: async () => (await import('./commands/reapply.js')).reapplyCommand,
  suppressed: async () => (await import('./commands/suppressed.js')).suppressedCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  detect: async () => (await import('./commands/detect.js')).detectCommand,
};

export async function createProgram(context: CliContext, argv: string[]): Promise<Command> {
  const program = new Command('lethe')
    .description('GDPR jobs against a relational database: find, anonymize, sweep, export, with a tamper-evident audit trail of all of it.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.streams.stdout.write(s),
      writeErr: (s) => context.streams.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ lethe --config fixtures/demo/lethe.yml find jane.doe@example.com
  $ lethe anonymize jane.doe@example.com --dry-run
  $ lethe anonymize --from requests.csv --yes --operator dpo@example.com
  $ lethe sweep --yes --json          # the nightly retention job, from cron

Exit codes: 0 done, 1 failed, 2 usage or configuration error, or refused (nothing changed),
3 partly done, 4 nothing matched, 5 another job holds the lock (nothing done), 130 cancelled
or interrupted. Each command's --help says what they mean for it. With --json, a failure is
one document on stdout: {"error": {"code", "message", "hint"}}; see the README.`,
    );
  for (const spec of GLOBAL_OPTIONS) program.option(spec.flags, spec.help);
  const definitions = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]()));
  for (const define of definitions) {
    program.addCommand(
      define(context)
        .exitOverride()
        .configureOutput({
          writeOut: (s) => context.streams.stdout.write(s),
          writeErr: (s) => context.streams.stderr.write(s),
        })
        .showHelpAfterError('(run with --help for usage)'),
    );
  }
  return program;
}
