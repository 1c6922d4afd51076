import type { AuditStore } from '../audit/index.js';
import type { SubjectMapping } from '../config/data-map.js';
import type { RowKey } from './subject-lookup.js';

/** When and under which audit entry a person was anonymized. */
export interface AnonymizationRecord {
  at: string;
  auditEntry: number;
  requestId: string;
}

/** The latest completed anonymization of this person in the audit trail, if any. */
export function previousAnonymization(audit: AuditStore, subject: Pick<SubjectMapping, 'name' | 'table'>, subjectKey: RowKey): AnonymizationRecord | undefined {
  const [latest] = audit.findCompleted({ action: 'anonymize', subjectName: subject.name, subjectTable: subject.table, subjectKey });
  return latest ? { at: latest.at, auditEntry: latest.id, requestId: latest.requestId } : undefined;
}
