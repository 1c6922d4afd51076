import { describe, expect, it } from 'vitest';
import { TRIGGER_PHRASES, triggerBefore } from '../../../src/detect/person/triggers.js';

describe('person triggers', () => {
  const cases = TRIGGER_PHRASES.flatMap(({ trigger, phrases, colon }) => phrases.map((phrase) => [trigger, phrase, colon ? ':' : ','] as const));

  // The quick last-word check must never rule out a phrase that its pattern would match.
  it.each(cases)('%s: "%s" is recognised before a name, on a line or after another sentence', (_trigger, phrase, punctuation) => {
    const capitalised = phrase.charAt(0).toUpperCase() + phrase.slice(1);
    const colon = punctuation === ':' ? ':' : '';
    for (const text of [`${phrase}${colon} Jane`, `Ok. ${capitalised}${colon} Jane`, `${phrase}${punctuation}\nJane`]) {
      expect(triggerBefore(text, text.length - 'Jane'.length), text).toBeDefined();
    }
  });

  it('needs the phrase to end right before the word', () => {
    expect(triggerBefore('hi there Jane', 9)).toBeUndefined();
    expect(triggerBefore('the name Jane', 9)).toBeUndefined();
    expect(triggerBefore('Name: Jane', 6)).toBe('introduction');
    expect(triggerBefore('die beste Qualität', 10)).toBeUndefined();
    expect(triggerBefore('Beste Joost', 6)).toBe('greeting');
  });
});
