/**
 * The local audit store. Entries carry no personal data: callers pass only table and
 * column names, counts, primary keys and codes (see store.ts).
 */
export { AuditStore, AUDIT_SCHEMA_VERSION } from './store.js';
export type {
  AuditStoreOptions,
  AuditFilter,
  AuditListOptions,
  AuditVerification,
  IntentFields,
  EventFields,
  OutcomeFields,
  PendingIntent,
  PendingOutcome,
  PendingSuppressions,
} from './store.js';
export type { SuppressionPolicy } from './suppression-table.js';
export { ownerEnded, type JobOwner } from './job-owner.js';
export { GENESIS_HASH, canonicalJson, digestKeys, hashInput, tombstoneHashInput } from './chain.js';
export type { ChainMode, TombstoneHashFields } from './chain.js';
export { AUDIT_OUTCOMES, AUDIT_PHASES, AUDIT_TABLE_ACTIONS } from './entry.js';
export type {
  AuditDatabase,
  AuditDetail,
  AuditDetailScalar,
  AuditEntry,
  AuditKey,
  AuditOutcome,
  AuditPhase,
  AuditSubject,
  AuditTableAction,
  AuditTableRecord,
  AuditTables,
  NewAuditEntry,
} from './entry.js';
