import { select } from '@inquirer/prompts';
import { AmbiguousSubjectError } from '../../core/subject-lookup.js';
import { showKey } from '../../db/row-key.js';
import { NotConfirmedError } from '../../errors.js';
import type { Terminal } from './terminal.js';

/**
 * Runs `lookup` and, when the value names people of several kinds (a customer and an
 * employee share an e-mail), asks at a terminal which kind is meant and runs it again for
 * that kind. Without a terminal, the ambiguity stands: the command needs --subject. The
 * choice names people only by kind, table and key (no personal data on screen).
 */
export async function withChosenSubject<T>(
  terminal: Terminal,
  subject: string | undefined,
  lookup: (subject: string | undefined) => Promise<T>,
  beforeAsking?: () => void,
): Promise<T> {
  try {
    return await lookup(subject);
  } catch (error) {
    if (!(error instanceof AmbiguousSubjectError) || subject !== undefined || error.subjects.length < 2 || !terminal.interactive) throw error;
    const choices = error.subjects.map((kind) => {
      const people = error.candidates.filter((c) => c.subject === kind);
      const which = people.map((c) => `key ${showKey(c.key)} by ${c.matchedBy.join(', ')}`).join('; ');
      return { name: `${kind} (${which})`, value: kind };
    });
    beforeAsking?.();
    let chosen: string;
    try {
      chosen = await select(
        { message: 'That value names more than one kind of person. Which one is meant?', choices },
        { input: terminal.streams.stdin, output: terminal.streams.stderr },
      );
    } catch (prompt) {
      if ((prompt as Error).name === 'ExitPromptError') throw new NotConfirmedError('Cancelled at the choice of person; nothing was changed.');
      throw prompt;
    }
    return lookup(chosen);
  }
}
