import { auditTables } from '../../core/anonymize.js';
import {
  RECORD_ACTION,
  describeEarlierRecord,
  earlierRecordErasureOf,
  executeRecordAnonymization,
  parseRecordRef,
  planRecordAnonymization,
  recordAuditFields,
  recordRecordAlreadyAnonymized,
  recordRecordDryRun,
  type RecordPlan,
} from '../../core/anonymize-record.js';
import { executeRecordBatch, planRecordBatch, readRecordRequests } from '../../core/anonymize-records.js';
import type { Session } from '../../core/session.js';
import { UsageError } from '../../errors.js';
import { confirmJob } from '../confirm-job.js';
import type { CliContext } from '../context.js';
import { readListOption } from '../input.js';
import { formatRecordBatchPlan, formatRecordBatchResult, formatRecordPlan, formatRecordReceipt, recordName } from '../format/anonymize-record.js';
import type { Terminal } from '../terminal/terminal.js';
import { runAnonymizationBatch } from './anonymize-batch.js';

/** `lethe anonymize --record table:key` and `--records FILE|-`: the record paths of the anonymize command. */

export interface RecordOptions {
  record?: string | undefined;
  records?: string | undefined;
  by?: string | undefined;
  subject?: string | undefined;
  mentions: boolean;
  dryRun: boolean;
  yes: boolean;
  vacuum: boolean;
}

/** Flags that only make sense for a person, and stdin that cannot be both the list and the answer. */
export function checkRecordOptions(options: RecordOptions): void {
  const flag = options.record !== undefined ? '--record' : '--records';
  const personal = [options.by !== undefined && '--by', options.subject !== undefined && '--subject', options.mentions && '--mentions'].filter(Boolean);
  if (personal.length > 0) {
    throw new UsageError(
      `${personal.join(', ')} ${personal.length === 1 ? 'is' : 'are'} for a person; ${flag} names the rows themselves.`,
      `Drop ${personal.join(' and ')}.`,
    );
  }
  if (options.records === '-' && !options.yes && !options.dryRun) {
    throw new UsageError(
      '--records - reads the list from standard input, so it cannot also ask for confirmation there.',
      'Add --yes, or pass the list as a file.',
    );
  }
}

export async function anonymizeRecord(session: Session, written: string, options: RecordOptions, terminal: Terminal, context: CliContext): Promise<void> {
  const plan = await planRecordAnonymization(session, parseRecordRef(written));
  const earlier = earlierRecordErasureOf(session, plan);
  if (earlier) {
    // Running it again is fine: it says so, changes nothing, and the trail records the repeat.
    const entry = recordRecordAlreadyAnonymized(session, plan, earlier, options.dryRun);
    if (terminal.options.json) {
      terminal.json({
        dryRun: options.dryRun,
        record: plan.record,
        alreadyAnonymized: { at: earlier.at ?? null, auditEntry: earlier.auditEntry ?? null },
        auditEntry: entry,
      });
    } else {
      terminal.result(
        `The record ${recordName(plan.record)}: ${describeEarlierRecord(earlier)}; nothing to do${options.dryRun ? '' : ' (nothing was changed)'}.`,
      );
    }
    return;
  }
  if (options.dryRun) {
    const entry = recordRecordDryRun(session, plan);
    if (terminal.options.json) terminal.json({ dryRun: true, auditEntry: entry, ...planJson(plan) });
    else terminal.result(`${formatRecordPlan(plan, terminal.palette)}\nDry run: nothing was changed (audit entry ${entry}).`);
    return;
  }
  terminal.info(formatRecordPlan(plan, terminal.palette));
  const fields = recordAuditFields(plan);
  const confirmed = await confirmJob(context, terminal, session, {
    question: 'Anonymize this record? This cannot be undone.',
    yes: options.yes,
    verb: 'anonymize',
    command: 'anonymize',
    action: RECORD_ACTION,
    requestId: plan.requestId,
    subject: fields.subject,
    tables: auditTables(plan.tables),
    detail: fields.detail,
  });
  if (!confirmed) return;
  const receipt = await terminal.underSpinner('Anonymizing…', () =>
    executeRecordAnonymization(session, plan, { signal: context.signal, vacuum: options.vacuum }),
  );
  if (terminal.options.json) terminal.json({ dryRun: false, ...receipt });
  else terminal.result(formatRecordReceipt(receipt, terminal.palette));
}

export async function anonymizeRecords(session: Session, options: RecordOptions, terminal: Terminal, context: CliContext): Promise<void> {
  const source = options.records!;
  const text = await readListOption('--records', source, context.streams.stdin);
  const requests = readRecordRequests(session, text);
  if (requests.length === 0)
    throw new UsageError(`${source === '-' ? 'Standard input' : source} lists no records.`, 'Write one table:key a line, e.g. conversations:42.');
  const batch = await planRecordBatch(session, requests);
  await runAnonymizationBatch(
    session,
    {
      batch,
      noun: 'records',
      action: `${RECORD_ACTION}-batch`,
      planJson: (plan: RecordPlan) => ({ record: plan.record, owners: plan.owners, tables: plan.tables }),
      recordDryRun: (item) => recordRecordDryRun(session, item.plan, { batchId: batch.batchId, line: item.line }),
      formatPlan: formatRecordBatchPlan,
      formatResult: formatRecordBatchResult,
      execute: (onItem) => executeRecordBatch(session, batch, { signal: context.signal, vacuum: options.vacuum, onItem }),
    },
    options,
    terminal,
    context,
  );
}

function planJson(plan: RecordPlan) {
  return {
    requestId: plan.requestId,
    record: plan.record,
    owners: plan.owners,
    tables: plan.tables,
    pseudonymousColumns: plan.pseudonymousColumns,
    ...(plan.files ? { files: plan.files } : {}),
  };
}
