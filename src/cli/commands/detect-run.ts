import { z } from 'zod';
import { detect, detectorTypes, type DetectorType, type Span } from '../../detect/index.js';
import { type CliContext, terminalFor, type GlobalOptions } from '../context.js';
import { readStandardInput, standardInputLines } from '../input.js';
import { parseOptions } from '../parse-options.js';
import type { Terminal } from '../terminal/terminal.js';

const detectOptions = z.object({
  jsonl: z.boolean().default(false),
  types: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const types = text
        .split(',')
        .map((t) => t.trim().toUpperCase())
        .filter(Boolean);
      const unknown = types.filter((t) => !(detectorTypes as readonly string[]).includes(t));
      if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown type ${unknown.join(', ')} (known: ${detectorTypes.join(', ')})` });
      return types as DetectorType[];
    }),
  purpose: z.enum(['find', 'redact']).default('redact'),
  threshold: z.coerce.number().min(0).max(1).optional(),
});

/** `lethe detect`, loaded when it runs (detect.ts defines its options and help). */
export async function runDetect(context: CliContext, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(detectOptions, raw);
  const terminal = terminalFor(context, globals);
  const settings = {
    purpose: options.purpose,
    ...(options.types ? { types: options.types } : {}),
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  };
  if (options.jsonl) {
    let line = 0;
    for await (const text of standardInputLines(context.streams.stdin)) {
      line += 1;
      const spans = detect(text, settings).map((s) => ({ type: s.type, start: s.start, end: s.end, score: round(s.score), text: text.slice(s.start, s.end) }));
      context.streams.stdout.write(`${JSON.stringify({ line, spans })}\n`);
    }
    return;
  }
  const text = await readStandardInput(context.streams.stdin);
  const spans = detect(text, settings);
  if (terminal.options.json) {
    terminal.json({ spans: spans.map((s) => ({ type: s.type, start: s.start, end: s.end, score: round(s.score), text: text.slice(s.start, s.end) })) });
    return;
  }
  terminal.result(highlight(text, spans, terminal));
  terminal.info(`${spans.length} span${spans.length === 1 ? '' : 's'}${spans.length ? `: ${summary(spans)}` : ''}.`);
}

/** The text with each span marked: coloured on a terminal, `[TYPE: text]` otherwise. */
function highlight(text: string, spans: Span[], terminal: Terminal): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    const found = text.slice(span.start, span.end);
    const marked = terminal.palette.level > 0 ? `${terminal.palette.inverse(found)}${terminal.palette.dim(`[${span.type}]`)}` : `[${span.type}: ${found}]`;
    out += text.slice(at, span.start) + marked;
    at = span.end;
  }
  return out + text.slice(at);
}

function summary(spans: Span[]): string {
  const counts = new Map<string, number>();
  for (const s of spans) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => `${type} ${n}`).join(', ');
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
