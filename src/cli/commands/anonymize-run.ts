import { z } from 'zod';
import {
  auditTables,
  describeEarlier,
  earlierAnonymizationOf,
  erasureOfValue,
  executeAnonymization,
  planAnonymization,
  recordAlreadyAnonymized,
  recordDryRun,
  type AnonymizationPlan,
  type EarlierAnonymization,
} from '../../core/anonymize.js';
import { executeBatch, planBatch, readBatchRequests } from '../../core/anonymize-many.js';
import { pickSubject } from '../../core/subject-lookup.js';
import type { Session } from '../../core/session.js';
import { NothingMatchedError, UsageError } from '../../errors.js';
import { terminalFor, withSession, type CliContext, type GlobalOptions } from '../context.js';
import { formatBatchPlan, formatBatchResult, formatPlan, formatReceipt } from '../format/anonymize.js';
import { readListOption } from '../input.js';
import { parseOptions } from '../parse-options.js';
import { confirmJob } from '../confirm-job.js';
import type { Terminal } from '../terminal/terminal.js';
import { showKey } from '../../db/row-key.js';
import { withChosenSubject } from '../terminal/choose-subject.js';
import { runAnonymizationBatch } from './anonymize-batch.js';
import { anonymizeRecord, anonymizeRecords, checkRecordOptions } from './anonymize-record.js';

const anonymizeOptions = z.object({
  by: z.string().optional(),
  subject: z.string().optional(),
  from: z.string().optional(),
  record: z.string().optional(),
  records: z.string().optional(),
  dryRun: z.boolean().default(false),
  yes: z.boolean().default(false),
  vacuum: z.boolean().default(false),
  mentions: z.boolean().default(false),
});
type AnonymizeOptions = z.infer<typeof anonymizeOptions>;

/** `lethe anonymize`, loaded when it runs (anonymize.ts defines its options and help). */
export async function runAnonymize(context: CliContext, value: string | undefined, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(anonymizeOptions, raw);
  const terminal = terminalFor(context, globals);
  const targets = [
    value !== undefined && 'a value',
    options.from !== undefined && '--from',
    options.record !== undefined && '--record',
    options.records !== undefined && '--records',
  ].filter(Boolean);
  if (targets.length > 1) throw new UsageError(`Give one of a value, --from, --record or --records, not ${targets.join(' and ')}.`);
  if (targets.length === 0)
    throw new UsageError(
      'Say who to anonymize: a value, or --from FILE (or a record: --record table:key).',
      'Example: lethe anonymize jane.doe@example.com --dry-run',
    );
  if (options.record !== undefined || options.records !== undefined) {
    checkRecordOptions(options);
    await withSession(context, globals, terminal, (session) =>
      options.record !== undefined
        ? anonymizeRecord(session, options.record, options, terminal, context)
        : anonymizeRecords(session, options, terminal, context),
    );
    return;
  }
  if (options.from === '-' && !options.yes && !options.dryRun) {
    throw new UsageError(
      '--from - reads the list from standard input, so it cannot also ask for confirmation there.',
      'Add --yes, or pass the list as a file.',
    );
  }
  await withSession(context, globals, terminal, (session) =>
    value !== undefined ? anonymizeOne(session, value, options, terminal, context) : anonymizeMany(session, options, terminal, context),
  );
}

async function anonymizeOne(session: Session, value: string, options: AnonymizeOptions, terminal: Terminal, context: CliContext): Promise<void> {
  let plan: AnonymizationPlan;
  try {
    plan = await withChosenSubject(terminal, options.subject, (subject) =>
      planAnonymization(session, value, { ...lookupOf({ ...options, subject }), mentions: options.mentions, countChanges: true }),
    );
  } catch (error) {
    // Nothing matched, but a tombstone says the person was erased: that is done, not missing.
    const erased = error instanceof NothingMatchedError ? erasureOfValue(session, value, lookupOf(options)) : undefined;
    if (!erased) throw error;
    reportAlreadyAnonymized(session, terminal, options, erased);
    return;
  }
  const earlier = earlierAnonymizationOf(session, plan);
  if (earlier) {
    reportAlreadyAnonymized(session, terminal, options, earlier);
    return;
  }
  if (options.dryRun) {
    const entry = recordDryRun(session, plan);
    if (terminal.options.json) terminal.json({ dryRun: true, auditEntry: entry, ...planJson(plan) });
    else terminal.result(`${formatPlan(plan, terminal.palette)}\nDry run: nothing was changed (audit entry ${entry}).`);
    return;
  }
  terminal.info(formatPlan(plan, terminal.palette));
  const confirmed = await confirmJob(context, terminal, session, {
    question: 'Anonymize this person? This cannot be undone.',
    yes: options.yes,
    verb: 'anonymize',
    command: 'anonymize',
    action: 'anonymize',
    requestId: plan.requestId,
    subject: { name: plan.subject.name, key: plan.subject.key },
    tables: auditTables(plan.tables),
  });
  if (!confirmed) return;
  const receipt = await terminal.underSpinner('Anonymizing…', () =>
    executeAnonymization(session, plan, { signal: context.signal, vacuum: options.vacuum, mentions: options.mentions }),
  );
  if (terminal.options.json) terminal.json({ dryRun: false, ...receipt });
  else terminal.result(formatReceipt(receipt, terminal.palette));
}

/** Anonymizing someone already anonymized is not an error: it says when, and changes nothing. */
function reportAlreadyAnonymized(session: Session, terminal: Terminal, options: AnonymizeOptions, earlier: EarlierAnonymization): void {
  const entry = recordAlreadyAnonymized(session, earlier);
  const who = `This ${earlier.subject}${earlier.key !== undefined ? ` (key ${showKey(earlier.key)})` : ''}`;
  if (terminal.options.json) {
    terminal.json({
      dryRun: options.dryRun,
      alreadyAnonymized: { subject: earlier.subject, key: earlier.key ?? null, at: earlier.at ?? null, auditEntry: earlier.auditEntry ?? null },
      auditEntry: entry,
    });
  } else {
    terminal.result(`${who} was ${describeEarlier(earlier)}; nothing to do${options.dryRun ? '' : ' (nothing was changed)'}.`);
  }
}

async function anonymizeMany(session: Session, options: AnonymizeOptions, terminal: Terminal, context: CliContext): Promise<void> {
  const source = options.from!;
  const text = await readListOption('--from', source, context.streams.stdin);
  const subject = pickSubject(session.map, options.subject);
  const requests = readBatchRequests(text, subject, options.by);
  if (requests.length === 0) throw new UsageError(`${source === '-' ? 'Standard input' : source} holds no values.`);
  const batch = await planBatch(session, requests, { ...(options.subject ? { subject: options.subject } : {}), mentions: options.mentions });
  await runAnonymizationBatch(
    session,
    {
      batch,
      noun: 'people',
      action: 'anonymize-batch',
      planJson: (plan: AnonymizationPlan) => ({ subject: plan.subject, tables: plan.tables }),
      recordDryRun: (item) => recordDryRun(session, item.plan),
      formatPlan: formatBatchPlan,
      formatResult: formatBatchResult,
      execute: (onItem) => executeBatch(session, batch, { signal: context.signal, vacuum: options.vacuum, mentions: options.mentions, onItem }),
    },
    options,
    terminal,
    context,
  );
}

function lookupOf(options: AnonymizeOptions) {
  return { ...(options.by ? { by: options.by } : {}), ...(options.subject ? { subject: options.subject } : {}) };
}

function planJson(plan: Awaited<ReturnType<typeof planAnonymization>>) {
  return {
    requestId: plan.requestId,
    subject: plan.subject,
    tables: plan.tables,
    pseudonymousColumns: plan.pseudonymousColumns,
    mentions: plan.mentions,
    ...(plan.files ? { files: plan.files } : {}),
  };
}
