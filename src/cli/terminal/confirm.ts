import { confirm } from '@inquirer/prompts';
import { NotConfirmedError, UsageError } from '../../errors.js';
import type { Terminal } from './terminal.js';

/**
 * The gate in front of every irreversible step: --yes, or a person answering yes at a
 * terminal (default No). Without a terminal and without --yes it refuses.
 */
export async function confirmIrreversible(terminal: Terminal, question: string, yes: boolean, action: string): Promise<boolean> {
  if (yes) return true;
  if (!terminal.interactive) {
    throw new UsageError(
      `Refusing to ${action} without confirmation: standard input is not a terminal${terminal.options.input ? '' : ' (--no-input)'}. Nothing was changed.`,
      'Review the plan with --dry-run, then add --yes to confirm (as a cron job would).',
      { code: 'refused' },
    );
  }
  try {
    return await confirm({ message: question, default: false }, { input: terminal.streams.stdin, output: terminal.streams.stderr });
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new NotConfirmedError('Cancelled at the confirmation; nothing was changed.');
    throw error;
  }
}
