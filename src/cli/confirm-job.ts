import { recordUnconfirmed, type UnconfirmedJob } from '../core/job-records.js';
import type { Session } from '../core/session.js';
import { ExitCode, InterruptedError, NotConfirmedError, UsageError } from '../errors.js';
import type { CliContext } from './context.js';
import { confirmIrreversible } from './terminal/confirm.js';
import type { Terminal } from './terminal/terminal.js';

export interface ConfirmJob extends UnconfirmedJob {
  question: string;
  yes: boolean;
  /** The verb of the refusal message: "Refusing to <verb> without confirmation". */
  verb: string;
}

/**
 * The confirmation in front of an irreversible job, and its record: a refusal (no terminal,
 * no --yes) and a "no" are audit entries too. False means not confirmed: nothing was
 * changed and the exit code is already set.
 */
export async function confirmJob(context: CliContext, terminal: Terminal, session: Session, job: ConfirmJob): Promise<boolean> {
  let confirmed: boolean;
  try {
    confirmed = await confirmIrreversible(terminal, job.question, job.yes, job.verb);
  } catch (error) {
    if (error instanceof UsageError) recordUnconfirmed(session, job, 'refused');
    else if (error instanceof InterruptedError) recordUnconfirmed(session, job, 'cancelled');
    throw error;
  }
  if (!confirmed) {
    recordUnconfirmed(session, job, 'cancelled');
    // Under --json the answer is a document too (code not-confirmed, exit 130).
    if (terminal.options.json) throw new NotConfirmedError();
    terminal.info('Not confirmed: nothing was changed.');
    context.setExitCode(ExitCode.interrupted);
  }
  return confirmed;
}
