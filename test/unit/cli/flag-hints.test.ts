import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inCliTerms } from '../../../src/cli/flag-hints.js';
import type { RequestProblem } from '../../../src/core/request-problem.js';
import { readListOption, readStandardInput, standardInputLines } from '../../../src/cli/input.js';
import { withProblem } from '../../../src/core/request-problem.js';
import { AmbiguousSubjectError } from '../../../src/core/subject-lookup.js';
import { LetheError, UsageError } from '../../../src/errors.js';

describe("a core refusal in the CLI's words", () => {
  it('gets the hint of its problem, and keeps its class, message, code and JSON', () => {
    const error = withProblem(
      new UsageError('/tmp/x.json already exists (a file); lethe does not replace it unless asked to.', 'Name another path.', { code: 'output-exists' }),
      {
        kind: 'output-exists',
        directory: false,
      },
    );
    const shown = inCliTerms(error, { debug: false }) as UsageError;
    expect(shown).toBeInstanceOf(UsageError);
    expect(shown).toMatchObject({ message: error.message, code: 'output-exists', exitCode: 2, hint: 'Add --force to replace it, or name another path.' });
    expect(shown.toJSON()).toEqual({ code: 'output-exists', message: error.message, hint: 'Add --force to replace it, or name another path.' });
    expect(error.hint).toBe('Name another path.');
  });

  it("keeps a subclass's own fields: an ambiguity still lists its candidates", () => {
    const subject = (name: string) => ({ name, table: `${name}s` }) as never;
    const error = new AmbiguousSubjectError([
      { subject: subject('customer'), key: 1, matchedBy: ['email'] },
      { subject: subject('agent'), key: 2, matchedBy: ['email'] },
    ]);
    expect(error.hint).not.toMatch(/--/);
    const shown = inCliTerms(error, { debug: false }) as AmbiguousSubjectError;
    expect(shown).toBeInstanceOf(AmbiguousSubjectError);
    expect(shown.hint).toBe('Nothing was changed. Say which kind of person with --subject (customer, agent).');
    expect(shown.toJSON()).toMatchObject({
      code: 'ambiguous',
      subject: null,
      candidates: [
        { subject: 'customer', key: 1 },
        { subject: 'agent', key: 2 },
      ],
    });
  });

  it('says how to see a database error, unless --debug shows it already', () => {
    const failed = new LetheError('Anonymization of customer 1 failed and was rolled back (SQLITE_BUSY); nothing was changed.', 1, undefined, {
      cause: new Error('driver text'),
    });
    expect((inCliTerms(failed, { debug: false }) as LetheError).hint).toBe('Run again with --debug for the database error.');
    expect(inCliTerms(failed, { debug: true })).toBe(failed);
    // A hint of the core's is kept, and the way to see the database error added to it.
    const batch = new LetheError('The sweep failed on messages.', 1, 'Earlier batches stay applied; run the sweep again.', { cause: new Error('driver text') });
    expect((inCliTerms(batch, { debug: false }) as LetheError).hint).toBe(
      'Earlier batches stay applied; run the sweep again. Run again with --debug for the database error.',
    );
    const plain = new UsageError('No subject has an identifier named mail.', 'Known identifiers: id, email.');
    expect(inCliTerms(plain, { debug: false })).toBe(plain);
    const bug = new TypeError('x');
    expect(inCliTerms(bug, { debug: false })).toBe(bug);
  });

  it('words every problem with a flag', () => {
    const flagHint = (problem: RequestProblem) => (inCliTerms(withProblem(new UsageError('x'), problem), { debug: false }) as UsageError).hint;
    expect(flagHint({ kind: 'record-of-a-person', subject: 'customer', identifier: 'id', severalSubjects: true })).toBe(
      'To anonymize the person: lethe anonymize <key> --by id --subject customer.',
    );
    expect(flagHint({ kind: 'several-subjects', subjects: ['customer', 'employee'] })).toBe('Choose one with --subject (customer, employee).');
    expect(flagHint({ kind: 'output-not-a-file', jsonExport: true })).toMatch(/--out export\.json.*--format csv/);
  });
});

describe('standard input and lists', () => {
  const stdin = (...chunks: (string | Buffer)[]) => Readable.from(chunks);

  it('reads all of it as UTF-8, a character split across chunks included', async () => {
    const bytes = Buffer.from('jane@example.com\nJosé\n');
    const at = bytes.indexOf(0xc3) + 1;
    expect(await readStandardInput(stdin(bytes.subarray(0, at), bytes.subarray(at)))).toBe('jane@example.com\nJosé\n');
  });

  it('reads it a line at a time, without the line ends', async () => {
    const lines: string[] = [];
    for await (const line of standardInputLines(stdin('one\r\ntw', 'o\n\nthree'))) lines.push(line);
    expect(lines).toEqual(['one', 'two', '', 'three']);
  });

  it('reads a list from standard input for -, and names the flag when a file cannot be read', async () => {
    expect(await readListOption('--from', '-', stdin('a\nb\n'))).toBe('a\nb\n');
    await expect(readListOption('--records', '/nonexistent/list.txt', stdin())).rejects.toThrow('Cannot read --records /nonexistent/list.txt (ENOENT).');
  });
});
