import type { AuditStore } from '../audit/index.js';
import type { RowKey } from './subject-lookup.js';

/** When and under which audit entry a person was anonymized. */
export interface AnonymizationRecord {
  at: string;
  auditEntry: number;
  requestId: string;
}

/** The latest completed anonymization of this person in the audit trail, if any. */
export function previousAnonymization(audit: AuditStore, subjectName: string, subjectKey: RowKey): AnonymizationRecord | undefined {
  const [latest] = audit.findCompleted({ action: 'anonymize', subjectName, subjectKey });
  return latest ? { at: latest.at, auditEntry: latest.id, requestId: latest.requestId } : undefined;
}
