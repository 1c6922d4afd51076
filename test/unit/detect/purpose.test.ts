import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, detect } from '../../../src/detect/index.js';
import { redactStrategy } from '../../../src/masking/redact.js';

// "Chidinma" is a given name of the large lexicon only, alone in the middle of a sentence:
// weak evidence, scored between the two thresholds.
const WEAK = 'The booking is under Chidinma, room 12';
const names = (options: Parameters<typeof detect>[1]) => detect(WEAK, { ...options, types: ['PERSON'] }).map((s) => WEAK.slice(s.start, s.end));

describe('two uses, two thresholds', () => {
  it('find reports what is surely personal data, redact what is likely too', () => {
    expect(DEFAULT_THRESHOLDS.redact).toBeLessThan(DEFAULT_THRESHOLDS.find);
    expect(names({})).toEqual([]);
    expect(names({ purpose: 'find' })).toEqual([]);
    expect(names({ purpose: 'redact' })).toEqual(['Chidinma']);
  });

  it('takes each purpose’s threshold from the map, and a single threshold over both', () => {
    expect(names({ purpose: 'redact', thresholds: { redact: 0.6 } })).toEqual([]);
    expect(names({ purpose: 'find', thresholds: { find: 0.3 } })).toEqual(['Chidinma']);
    expect(names({ purpose: 'redact', threshold: 0.9, thresholds: { redact: 0.1 } })).toEqual([]);
  });

  it('redact anonymizes what the redact threshold takes', () => {
    const strategy = redactStrategy({});
    expect(strategy.apply(WEAK, { detection: {} } as Parameters<typeof strategy.apply>[1])).not.toContain('Chidinma');
  });
});
