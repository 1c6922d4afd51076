import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../../src/masking/index.js';
import { maskingContext } from './masking-context.js';

const context = maskingContext();

describe('mask', () => {
  it('keeps the last four by default', () => {
    const mask = createStrategy({ kind: 'mask', keepFirst: 0, keepLast: 4, char: '*' });
    expect(mask.apply('4111111111111234', context)).toBe('************1234');
    expect(mask.describe()).toBe('mask (keep first 0, last 4, mask with "*")');
  });

  it('keeps the first and last characters asked for, with the chosen character', () => {
    const mask = createStrategy({ kind: 'mask', keepFirst: 2, keepLast: 2, char: '#' });
    expect(mask.apply('GB29NWBK60161331926819', context)).toBe('GB##################19');
  });

  it('masks everything when the value is too short to keep anything safely', () => {
    const mask = createStrategy({ kind: 'mask', keepFirst: 1, keepLast: 4, char: '*' });
    expect(mask.apply('12345', context)).toBe('*****');
    expect(mask.apply('1234', context)).toBe('****');
    expect(mask.apply('123456', context)).toBe('1*3456');
  });

  it('keeps the length in characters, not UTF-16 units', () => {
    const mask = createStrategy({ kind: 'mask', keepFirst: 1, keepLast: 1, char: '*' });
    expect(mask.apply('😀abc😀', context)).toBe('😀***😀');
  });

  it('masks the text form of numbers and keeps NULL', () => {
    const mask = createStrategy({ kind: 'mask', keepFirst: 0, keepLast: 2, char: '*' });
    expect(mask.apply(123456, context)).toBe('****56');
    expect(mask.apply(null, context)).toBeNull();
    expect(mask.apply('', context)).toBe('');
  });
});
