import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CorpusError, loadCorpus, parseCorpusFile } from '../../../eval/corpus.js';

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/detect-corpus');

describe('parseCorpusFile', () => {
  it('turns the markup into plain text and UTF-16 offsets', () => {
    const { lines, problems } = parseCorpusFile(
      'en.txt',
      'en',
      '# a comment\n\n😀 Hi, I’m [[PERSON:Zoë Doe]]: [[EMAIL:zoe@example.org]] — order [[!ORDER:40321877]]\n',
    );
    expect(problems).toEqual([]);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line!.lineNumber).toBe(3);
    expect(line!.text).toBe('😀 Hi, I’m Zoë Doe: zoe@example.org — order 40321877');
    for (const span of [...line!.gold, ...line!.decoys]) expect(line!.text.slice(span.start, span.end)).toBe(span.text);
    // The emoji is two UTF-16 code units.
    expect(line!.gold[0]).toMatchObject({ type: 'PERSON', start: 11, end: 18 });
    expect(line!.gold[1]).toMatchObject({ type: 'EMAIL', text: 'zoe@example.org' });
    expect(line!.decoys).toEqual([{ kind: 'ORDER', start: 44, end: 52, text: '40321877' }]);
  });

  it('reports every problem with its line, and keeps the good lines', () => {
    const content = [
      'IBAN [[IBAN:DE89 3704 0044 0532 0130 01]]',
      'card [[CREDIT_CARD:4111 1111 1111 1112]]',
      'call [[PHONE:020 7946 095]]',
      'ip [[IP_ADDRESS:999.1.1.1]]',
      'nir [[FR_NIR:1 85 05 78 006 084 92]]',
      'a [[PASSPORT:X123]] and [[!ORDERS:1]]',
      'broken [[EMAIL:a@example.org]',
      'spaced [[PERSON: Jane]]',
      'not really bad [[!BAD_IBAN:DE89 3704 0044 0532 0130 00]]',
      'forgot to mark jane@example.org',
      'or this IBAN GB29 NWBK 6016 1331 9268 19 and card 4111 1111 1111 1111',
      'fine: [[EMAIL:jane@example.org]] and [[PHONE:020 7946 0958]]',
    ].join('\n');
    const { lines, problems } = parseCorpusFile('en.txt', 'en', content);
    expect(problems.map((p) => p.lineNumber)).toEqual([1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 11]);
    expect(problems[0]!.message).toMatch(/IBAN .*checksum/);
    expect(problems[1]!.message).toMatch(/Luhn/);
    expect(problems[2]!.message).toMatch(/libphonenumber/);
    expect(problems[5]!.message).toMatch(/unknown type PASSPORT/);
    expect(problems[6]!.message).toMatch(/unknown hard-negative kind ORDERS/);
    expect(problems[7]!.message).toMatch(/unbalanced/);
    expect(problems[9]!.message).toMatch(/is a valid IBAN/);
    expect(problems[10]!.message).toMatch(/"@"/);
    expect(lines.at(-1)!.gold.map((g) => g.type)).toEqual(['EMAIL', 'PHONE']);
  });

  it('checks national phone numbers in the regions of the file’s language', () => {
    expect(parseCorpusFile('fr.txt', 'fr', '[[PHONE:06 12 34 56 78]]').problems).toEqual([]);
    expect(parseCorpusFile('en.txt', 'en', '[[PHONE:06 12 34 56 78]]').problems).toHaveLength(1);
    expect(parseCorpusFile('en.txt', 'en', '[[PHONE:+33 6 12 34 56 78]]').problems).toEqual([]);
  });
});

describe('loadCorpus', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('lists the problems of every file at once', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-corpus-'));
    await writeFile(path.join(dir, 'en.txt'), 'IBAN [[IBAN:DE89 3704 0044 0532 0130 01]]\n');
    await writeFile(path.join(dir, 'fr.txt'), 'ok\n[[PERSON:42]]\n');
    const error = await loadCorpus(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as CorpusError).problems.map((p) => `${p.source}:${p.lineNumber}`)).toEqual(['en.txt:1', 'fr.txt:2']);
    expect((error as CorpusError).message).toContain('fr.txt:2: gold PERSON "42"');
  });

  it('refuses a directory without corpus files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-corpus-'));
    await expect(loadCorpus(dir)).rejects.toBeInstanceOf(CorpusError);
  });

  it('loads the real corpus: well-formed, every label checked, big enough', async () => {
    const lines = await loadCorpus(corpusDir);
    expect(lines.length).toBeGreaterThanOrEqual(600);
    const languages = new Set(lines.map((l) => l.lang));
    for (const lang of ['en', 'fr', 'de', 'es', 'it', 'nl']) expect(languages).toContain(lang);
    const gold = (type: string) => lines.flatMap((l) => l.gold).filter((g) => g.type === type).length;
    // Enough spans for a 0.99 target to allow at most one mistake.
    for (const type of ['EMAIL', 'IBAN', 'CREDIT_CARD', 'IP_ADDRESS', 'PHONE', 'PERSON']) expect(gold(type), type).toBeGreaterThanOrEqual(100);
    expect(lines.flatMap((l) => l.decoys).length).toBeGreaterThanOrEqual(300);
  });
});
