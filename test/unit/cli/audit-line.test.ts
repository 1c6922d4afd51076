import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parsedLine } from '../../../src/cli/commands/audit-line.js';
import { globalsOf, type CliContext, type GlobalOptions } from '../../../src/cli/context.js';
import { createProgram } from '../../../src/cli/program.js';
import { testStreams } from '../../support/streams.js';

/**
 * The audit commands' own parser (audit-line.ts, which spares `lethe audit list` loading
 * commander) must read every line it takes exactly as commander reads it, and leave every
 * other line to commander.
 */

const GLOBAL_KEYS: (keyof GlobalOptions)[] = ['config', 'operator', 'json', 'quiet', 'input', 'color', 'debug'];

/** What commander hands the audit subcommand's action for this line: its arguments, options and the program's options. */
async function commanderReading(args: string[]): Promise<{ name: string; args: string[]; options: Record<string, unknown>; globals: Partial<GlobalOptions> }> {
  const streams = testStreams();
  const context: CliContext = { streams, env: {}, signal: new AbortController().signal, setExitCode: () => undefined };
  const argv = ['node', 'lethe', ...args];
  const program = await createProgram(context, argv);
  let reading: Awaited<ReturnType<typeof commanderReading>> | undefined;
  const audit = program.commands.find((c) => c.name() === 'audit')!;
  for (const sub of audit.commands) {
    sub.action((...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const options = params.at(-2) as Record<string, unknown>;
      const all = globalsOf(command);
      const globals = Object.fromEntries(GLOBAL_KEYS.filter((k) => all[k] !== undefined).map((k) => [k, all[k]]));
      reading = { name: sub.name(), args: params.slice(0, -2) as string[], options: { ...options }, globals };
    });
  }
  await program.parseAsync(argv);
  if (!reading) throw new Error(`commander ran nothing for ${args.join(' ')}`);
  return reading;
}

describe('the audit commands’ own parser', () => {
  const taken: string[][] = [
    ['audit', 'list'],
    ['--config', 'x.yml', 'audit', 'list', '--since', '2026-01-01', '--limit', '5', '--json'],
    ['audit', 'list', '--until=2026-02-01', '--action', 'anonymize', '--command', 'sweep', '--request', 'r-1', '-q'],
    ['audit', 'list', '--operator', 'dpo@example.com'],
    ['--operator', 'dpo@example.com', 'audit', 'list', '--limit', 'all'],
    ['audit', 'show', '42', '-c', 'lethe.yml', '--debug'],
    ['audit', 'show', '7', '--json', '--no-input'],
    ['audit', 'export', '--format', 'json', '--out', '-', '--force', '--no-color'],
    ['audit', 'export', '--since', '2026-01-01', '--out', 'a.csv', '--operator', 'x'],
    ['audit', 'verify', '--anchor', 'ab'.repeat(32)],
    ['-q', 'audit', 'verify'],
  ];

  it.each(taken.map((args) => [args.join(' '), args]))('reads "%s" as commander does', async (_line, args) => {
    const own = parsedLine(['node', 'lethe', ...args]);
    expect(own).toBeDefined();
    const commander = await commanderReading(args);
    expect({ name: own!.name, args: own!.args, options: own!.options }).toEqual({ name: commander.name, args: commander.args, options: commander.options });
    expect(own!.globals).toEqual({ input: true, color: true, ...commander.globals });
  });

  it.each(
    [
      ['audit', 'list', '--help'],
      ['audit', 'help', 'list'],
      ['audit', 'list', '-h'],
      ['audit', 'lst'],
      ['audit'],
      ['audit', 'show'],
      ['audit', 'show', '1', '2'],
      ['audit', 'list', '--nope'],
      ['audit', 'list', '--format', 'csv'],
      ['audit', 'list', '--', 'x'],
      ['audit', '--since', '2026-01-01', 'list'],
      ['audit', 'list', '--limit'],
      ['audit', 'list', '--json=yes'],
    ].map((args) => [args.join(' '), args]),
  )('leaves "%s" to commander', (_line, args) => {
    expect(parsedLine(['node', 'lethe', ...args])).toBeUndefined();
  });
});
