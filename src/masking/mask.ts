import type { MaskingStrategy } from './types.js';

export function maskStrategy(spec: { keepFirst: number; keepLast: number; char: string }): MaskingStrategy {
  const { keepFirst, keepLast, char } = spec;
  return {
    kind: 'mask',
    pseudonymous: false,
    apply(value) {
      if (value === null || value === undefined) return null;
      const characters = [...String(value)];
      // Keeping first and last parts of a short value would keep all of it, or nearly.
      if (characters.length <= keepFirst + keepLast) return char.repeat(characters.length);
      const hidden = characters.length - keepFirst - keepLast;
      return characters.slice(0, keepFirst).join('') + char.repeat(hidden) + characters.slice(characters.length - keepLast).join('');
    },
    describe: () => `mask (keep first ${keepFirst}, last ${keepLast}, mask with ${JSON.stringify(char)})`,
  };
}
