import { z } from 'zod';
import { detectorTypes } from '../detect/detector-types.js';
import { detect, looksLikeEmail, looksLikePhone, resolveOverlaps, type DetectOptions, type Span } from '../detect/index.js';
import { defineStrategy } from './definition.js';
import type { MaskingStrategy, SubjectTraits } from './types.js';

const STYLES: Record<'placeholder' | 'mask', string> = {
  placeholder: 'each span becomes its type: [EMAIL], [PHONE]',
  mask: 'each span keeps its shape: xxxx@xxxxxxx.xxx',
};
const typesProblem = () => `redact.types must be a list of ${detectorTypes.join(', ')}`;

const redactOptions = z.strictObject({
  placeholders: z.boolean().optional().describe('false: [REDACTED] for every span instead of [EMAIL], [PHONE], [NAME]...'),
  types: z
    .array(z.enum(detectorTypes, { error: typesProblem }), { error: typesProblem })
    .min(1)
    .optional()
    .describe('Only these kinds of PII (all by default).'),
  threshold: z
    .number({ error: () => 'redact.threshold must be a number from 0 to 1' })
    .min(0)
    .max(1)
    .optional()
    .describe('Score a span needs, from 0 to 1 (default: detection.threshold).'),
  style: z
    .enum(['placeholder', 'mask'] satisfies (keyof typeof STYLES)[], {
      error: () => 'redact.style must be placeholder ([EMAIL]) or mask (format-keeping: xxxx@xxxxxxx.xxx)',
    })
    .optional()
    .describe(
      Object.entries(STYLES)
        .map(([style, effect]) => `${style}: ${effect}`)
        .join('; '),
    ),
});

/** placeholders: false writes "[REDACTED]" for every span instead of "[EMAIL]", "[PHONE]", "[NAME]", "[ID]"; style mask keeps the shape, hiding the characters (`xxxx@xxxxxxx.xxx`). */
export type RedactOptions = z.output<typeof redactOptions>;

export const redactDefinition = defineStrategy({
  name: 'redact',
  description: "Free text: every span the detectors find becomes a placeholder ([EMAIL]) or keeps its shape; the person's own identifiers and name go too.",
  options: redactOptions,
  bare: true,
  create: (options) => redactStrategy(options),
});

interface Replacement {
  start: number;
  end: number;
  score: number;
  placeholder: string;
}

/** `[EMAIL]`, `[PHONE]`, `[IBAN]`...; a person's name is `[NAME]`, as for the subject's own name. */
function placeholderOf(type: Span['type']): string {
  return type === 'PERSON' ? '[NAME]' : type === 'DENY' ? '[REDACTED]' : `[${type}]`;
}

/** Format-keeping: letters become x, digits 0, the rest (@ . + spaces) stays. */
function maskKeepingShape(text: string): string {
  return text.replace(/\p{L}/gu, 'x').replace(/\p{N}/gu, '0');
}
const GENERIC_PLACEHOLDER = '[REDACTED]';
const MIN_NAME_PART_LENGTH = 3;
// A user id such as "1" or "42" would otherwise redact every such number in the text.
const SHORT_NUMBER = /^\d{1,3}$/;
// Letters and digits on either side mean the match is inside a longer word or number.
const NOT_GLUED_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_GLUED_AFTER = '(?![\\p{L}\\p{N}])';

export function redactStrategy(spec: RedactOptions): MaskingStrategy {
  const typedPlaceholders = spec.placeholders ?? true;
  const options = { ...(spec.types ? { types: spec.types } : {}), ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}) };
  return {
    kind: 'redact',
    pseudonymous: false,
    apply(value, ctx) {
      if (typeof value !== 'string') return value ?? null;
      const replacements = resolveOverlaps([
        ...detectedPii(value, { ...ctx.detection, ...options, purpose: 'redact' }),
        ...subjectMentions(value, ctx.subject),
      ]);
      let text = value;
      // From the end, so earlier offsets stay valid.
      for (const { start, end, placeholder } of replacements.reverse()) {
        const replacement = spec.style === 'mask' ? maskKeepingShape(value.slice(start, end)) : typedPlaceholders ? placeholder : GENERIC_PLACEHOLDER;
        text = text.slice(0, start) + replacement + text.slice(end);
      }
      return text;
    },
    describe: () =>
      `redact (${spec.types ? spec.types.join(', ') : 'e-mails, phones, IBANs, cards, names, addresses and other PII'}${spec.style === 'mask' ? ', shape kept' : ''}, and the person's own identifiers and name)`,
  };
}

function detectedPii(text: string, options: DetectOptions): Replacement[] {
  return detect(text, options).map(({ start, end, score, type }) => ({ start, end, score, placeholder: placeholderOf(type) }));
}

/** Where the text mentions the subject's identifiers, full names, and name parts, with the placeholder for each. */
function subjectMentions(text: string, subject: SubjectTraits | undefined): Replacement[] {
  if (!subject) return [];
  const mentions: Replacement[] = [];
  for (const identifier of distinct(subject.identifiers)) {
    if (SHORT_NUMBER.test(identifier)) continue;
    const placeholder = looksLikeEmail(identifier) ? '[EMAIL]' : looksLikePhone(identifier) ? '[PHONE]' : '[ID]';
    mentions.push(...occurrences(text, identifier, placeholder, 0.9));
  }
  const names = distinct(subject.names);
  for (const name of names) mentions.push(...occurrences(text, name, '[NAME]', 0.9));
  // "Müller-Lüdenscheidt" is also written as either half alone.
  const words = names.flatMap((name) => name.split(/[\s,]+/u));
  const parts = distinct([...words, ...words.flatMap((word) => (word.includes('-') ? word.split('-') : []))]);
  for (const part of parts) {
    if ([...part].length >= MIN_NAME_PART_LENGTH) mentions.push(...occurrences(text, part, '[NAME]', 0.8));
  }
  return mentions;
}

/** Whole-word, case-insensitive occurrences of `needle`; runs of whitespace inside it match any whitespace. */
function occurrences(text: string, needle: string, placeholder: string, score: number): Replacement[] {
  const pattern = needle.split(/\s+/u).map(escapeRegExp).join('\\s+');
  const regex = new RegExp(`${NOT_GLUED_BEFORE}${pattern}${NOT_GLUED_AFTER}`, 'giu');
  return [...text.matchAll(regex)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    score,
    placeholder,
  }));
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
