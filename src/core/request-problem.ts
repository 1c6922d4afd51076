import type { LetheError } from '../errors.js';

/**
 * What a job was asked that it could not do, named so that a front end can say how to ask
 * instead, in its own terms. The core's messages and hints state facts; the CLI
 * (src/cli/flag-hints.ts) turns a problem into a hint with its flags.
 */
export type RequestProblem =
  /** The output file or directory is there already, and replacing it was not asked for. */
  | { kind: 'output-exists'; directory: boolean }
  /** A file was wanted and the path is a directory or a device; `jsonExport`: the file of a JSON export. */
  | { kind: 'output-not-a-file'; jsonExport: boolean }
  /** The stream an export was written to was closed before the end. */
  | { kind: 'output-closed' }
  /** A value matched several people: of one kind, or (`subjects`) of several kinds. */
  | { kind: 'ambiguous'; subjects: string[] }
  /** The map has several kinds of person and the request named none. */
  | { kind: 'several-subjects'; subjects: string[] }
  /** No person matched the value. */
  | { kind: 'nothing-matched' }
  /** A record was asked for, and the table's rows are people: `identifier` finds them by key. */
  | { kind: 'record-of-a-person'; subject: string; identifier?: string; severalSubjects: boolean }
  /** A text search with no word in it. */
  | { kind: 'no-search-words' }
  /** A text search narrowed by a personal column; `table`: one table was named. */
  | { kind: 'narrowed-by-personal-column'; table: boolean }
  /** A text search over a time range, of a table that has no time. */
  | { kind: 'table-has-no-time' };

/** `error`, marked with the problem it reports. */
export function withProblem<E extends LetheError>(error: E, problem: RequestProblem): E {
  return Object.assign(error, { problem });
}

export function problemOf(error: unknown): RequestProblem | undefined {
  return (error as { problem?: RequestProblem } | null | undefined)?.problem;
}
