import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
      'call [[PHONE:020 79]]',
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
    expect(problems[2]!.message).toMatch(/6 to 15 digits/);
    expect(problems[5]!.message).toMatch(/unknown type PASSPORT/);
    expect(problems[6]!.message).toMatch(/unknown hard-negative kind ORDERS/);
    expect(problems[7]!.message).toMatch(/unbalanced/);
    expect(problems[9]!.message).toMatch(/is a valid IBAN/);
    expect(problems[10]!.message).toMatch(/"@"/);
    expect(lines.at(-1)!.gold.map((g) => g.type)).toEqual(['EMAIL', 'PHONE']);
  });

  it('takes phone numbers as people write them, valid in a numbering plan or not, with extensions', () => {
    for (const phone of ['06 12 34 56 78', '+33 6 12 34 56 78', '(99) 645-791', '+1-903-140-4508x769', '(02) 9374 4000 ext. 12', '089/1234-56']) {
      expect(parseCorpusFile('en.txt', 'en', `[[PHONE:${phone}]]`).problems, phone).toEqual([]);
    }
    for (const notPhone of ['12345', 'call 0612345678', '+44 20 7946 0958 0000 0000', '0612-ABC']) {
      expect(parseCorpusFile('en.txt', 'en', `[[PHONE:${notPhone}]]`).problems, notPhone).toHaveLength(1);
    }
  });

  it('reads \\n as a line break, inside a span and outside', () => {
    const { lines, problems } = parseCorpusFile('en.txt', 'en', 'Ship to:\\n[[STREET_ADDRESS:PSC 1234, Box 5678\\nAPO AE 09204]]\\nthanks');
    expect(problems).toEqual([]);
    expect(lines[0]!.text).toBe('Ship to:\nPSC 1234, Box 5678\nAPO AE 09204\nthanks');
    expect(lines[0]!.gold[0]).toMatchObject({ type: 'STREET_ADDRESS', text: 'PSC 1234, Box 5678\nAPO AE 09204', start: 9 });
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

  it('reads a development and a sealed part, each file in the language its name starts with', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-corpus-'));
    await mkdir(path.join(dir, 'dev'));
    await mkdir(path.join(dir, 'sealed'));
    await writeFile(path.join(dir, 'dev', 'fr.txt'), 'Je suis [[PERSON:Camille]]\n');
    await writeFile(path.join(dir, 'sealed', 'de-world.txt'), 'Ich bin [[PERSON:Jörg]]\n');
    const lines = await loadCorpus(dir);
    expect(lines.map((l) => [l.source, l.part, l.lang])).toEqual([
      ['dev/fr.txt', 'dev', 'fr'],
      ['sealed/de-world.txt', 'sealed', 'de'],
    ]);
  });

  it('refuses a directory without corpus files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-corpus-'));
    await expect(loadCorpus(dir)).rejects.toBeInstanceOf(CorpusError);
  });

  it('loads the real corpus: well-formed, every label checked, big enough', async () => {
    const lines = (await loadCorpus(corpusDir)).filter((l) => l.part === 'dev');
    expect(lines.length).toBeGreaterThanOrEqual(600);
    const languages = new Set(lines.map((l) => l.lang));
    for (const lang of ['en', 'fr', 'de', 'es', 'it', 'nl']) expect(languages).toContain(lang);
    const gold = (type: string) => lines.flatMap((l) => l.gold).filter((g) => g.type === type).length;
    // Enough spans for a 0.99 target to allow at most one mistake.
    for (const type of ['EMAIL', 'IBAN', 'CREDIT_CARD', 'IP_ADDRESS', 'PHONE', 'PERSON']) expect(gold(type), type).toBeGreaterThanOrEqual(100);
    expect(lines.flatMap((l) => l.decoys).length).toBeGreaterThanOrEqual(300);
  });
});
