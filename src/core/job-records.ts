import type { AuditDetail, AuditSubject, AuditTables } from '../audit/index.js';
import type { Session } from './session.js';

/** A job that asked for confirmation: what the audit trail says of it when none came. */
export interface UnconfirmedJob {
  command: string;
  action: string;
  requestId: string;
  subject?: AuditSubject | null;
  /** What it would have done (table names, counts, keys; never values). */
  tables: AuditTables;
  detail?: AuditDetail;
}

/**
 * A job refused (no terminal and no --yes) or cancelled at its confirmation: nothing was
 * changed, and the trail says so.
 */
export function recordUnconfirmed(session: Session, job: UnconfirmedJob, outcome: 'refused' | 'cancelled'): number {
  return session.audit.recordEvent({
    operator: session.operator,
    command: job.command,
    action: job.action,
    requestId: job.requestId,
    subject: job.subject ?? null,
    dryRun: false,
    outcome,
    tables: job.tables,
    detail: job.detail ?? null,
  }).id;
}
