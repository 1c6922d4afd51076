import { describe, expect, it } from 'vitest';
import { foldCase, matchContext, MATCH_MASK, wordsIn } from '../../../src/core/search-context.js';
import { searchWords } from '../../../src/core/text-search.js';

const transcript =
  'Good morning. The customer wrote in yesterday because order ORD-10042 arrived damaged; please reply to jane.doe@example.com or call +44 20 7946 0958 before Friday. Agent notes follow.';

describe('find --text: the context of a match', () => {
  it('shows about 30 characters either side of the first match, the match masked and the detected personal data replaced', () => {
    const context = matchContext(transcript, ['ord-10042'])!;
    expect(context).toContain(MATCH_MASK);
    expect(context).not.toMatch(/ORD-10042/i);
    expect(context.startsWith('…')).toBe(true);
    expect(context.endsWith('…')).toBe(true);
    // Cut at word boundaries, not inside a word.
    expect(context).toBe('…in yesterday because order ••• arrived damaged; please reply…');
  });

  it('masks personal data that the detectors find, and never shows half of one cut by the edge', () => {
    const context = matchContext(transcript, ['damaged'])!;
    expect(context).toContain('•••');
    expect(context).not.toContain('jane');
    expect(context).not.toContain('example.com');
    expect(context).toContain('[EMAIL]');
    // The e-mail crossed the context's edge: it is shown whole, as its placeholder.
    expect(context).toMatch(/\[EMAIL\]/);
    const phone = matchContext(transcript, ['call'])!;
    expect(phone).toContain('[PHONE]');
    expect(phone).not.toMatch(/7946|0958/);
  });

  it('a match inside a piece of personal data masks all of it', () => {
    const context = matchContext('Reply to jane.doe@example.com today', ['example.com'])!;
    expect(context).toBe('Reply to ••• today');
  });

  it('masks every occurrence of every word in the context, case-insensitively', () => {
    const context = matchContext('Refund REFUND refund for ORD-1', ['refund', 'ord-1'])!;
    expect(context).toBe('••• ••• ••• for •••');
  });

  it('--show-values: the text as it is, on one line', () => {
    const context = matchContext('Order ORD-10042\nfor jane.doe@example.com', ['ord-10042'], { showValues: true });
    expect(context).toBe('Order ORD-10042 for jane.doe@example.com');
  });

  it('folds case as JavaScript does, mapping offsets back to the original text', () => {
    const { folded, start, end } = foldCase('İstanbul ÉLODIE');
    expect(folded).toBe('i̇stanbul élodie');
    expect(start.length).toBe(folded.length);
    expect(end[1]).toBe(1);
    expect(matchContext('Bonjour ÉLODIE Martin', ['élodie'], { detection: { types: ['EMAIL'] } })).toBe('Bonjour ••• Martin');
    expect(matchContext('İstanbul office', ['i̇stanbul'])).toBe('••• office');
    expect(matchContext('emoji 😀 then ORD-7 after', ['ord-7'], { showValues: true })).toBe('emoji 😀 then ORD-7 after');
    expect(wordsIn('Résumé attached', ['résumé', 'resume'])).toEqual(new Set(['résumé']));
  });

  it('the map allow and deny lists apply', () => {
    expect(matchContext('ticket ORD-1 from the Acme desk', ['ord-1'], { detection: { deny: ['Acme'] } })).toBe('ticket ••• from the [REDACTED] desk');
  });

  it('nothing when no word occurs', () => {
    expect(matchContext('nothing here', ['absent'])).toBeUndefined();
  });

  it('reads words and "quoted phrases", folded, once each', () => {
    expect(searchWords('ORD-10042  "Late  Delivery" ord-10042 "" ')).toEqual(['ord-10042', 'late delivery']);
    expect(searchWords('   ')).toEqual([]);
  });
});

describe('find --text: folding', () => {
  it('folds a final sigma as the words and the database do', () => {
    expect(wordsIn('ΟΔΟΣ 12', ['οδος'])).toEqual(new Set(['οδος']));
    expect(matchContext('ΟΔΟΣ 12', ['οδος'])).toBe('••• 12');
  });
});
