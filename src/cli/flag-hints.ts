import { problemOf, type RequestProblem } from '../core/request-problem.js';
import { LetheError } from '../errors.js';

/**
 * The core says what could not be done, in facts; the CLI says how to ask for it instead, in
 * its flags. A core error becomes the error the CLI reports: with the hint for its problem,
 * or, for a failure whose database error is shown only under --debug, how to see it.
 */
export function inCliTerms(error: unknown, options: { debug: boolean }): unknown {
  if (!(error instanceof LetheError)) return error;
  const problem = problemOf(error);
  if (problem) return withHint(error, flagHint(problem));
  const driverError = error.cause instanceof Error && !(error.cause instanceof LetheError);
  if (!driverError || options.debug || error.hint?.includes('--debug')) return error;
  return withHint(error, error.hint === undefined ? DEBUG_HINT : `${error.hint} ${DEBUG_HINT}`);
}

const DEBUG_HINT = 'Run again with --debug for the database error.';

function flagHint(problem: RequestProblem): string {
  switch (problem.kind) {
    case 'output-exists':
      return problem.directory
        ? 'Name a new directory, e.g. --out ./export-2026-05-01, or add --force to replace an earlier export there.'
        : 'Add --force to replace it, or name another path.';
    case 'output-not-a-file':
      return problem.jsonExport
        ? 'A JSON export is one file: name a file, e.g. --out export.json, or use --format csv for a directory.'
        : 'Name a file, or use --out - for standard output.';
    case 'output-closed':
      return 'Write the export to a file with --out FILE, or to a program that reads all of it.';
    case 'ambiguous':
      return problem.subjects.length > 1
        ? `Nothing was changed. Say which kind of person with --subject (${problem.subjects.join(', ')}).`
        : 'Nothing was changed. Look one up with --by NAME or a more exact value, e.g. --by id.';
    case 'several-subjects':
      return `Choose one with --subject (${problem.subjects.join(', ')}).`;
    case 'nothing-matched':
      return 'Check the value, or name the identifier with --by.';
    case 'record-of-a-person':
      return `To anonymize the person: lethe anonymize <key>${problem.identifier ? ` --by ${problem.identifier}` : ''}${problem.severalSubjects ? ` --subject ${problem.subject}` : ''}.`;
    case 'no-search-words':
      return 'e.g. lethe find --text "ORD-10042"';
    case 'narrowed-by-personal-column':
      return problem.table
        ? 'Search for the value with --text instead.'
        : 'Search for the value with --text, or name a table that keeps the column with --table.';
    case 'table-has-no-time':
      return 'Leave out --since and --until, or set retention.timestamp.';
  }
}

/** The same error (its class, fields and JSON) with another hint: a LetheError's hint is set when it is made. */
function withHint<E extends LetheError>(error: E, hint: string): E {
  return Object.create(Object.getPrototypeOf(error) as object, { ...Object.getOwnPropertyDescriptors(error), hint: { value: hint, enumerable: true } }) as E;
}
