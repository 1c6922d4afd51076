import type { z } from 'zod';
import { UsageError } from '../errors.js';

/** Validates a command's options with its zod schema; a bad value is a usage error naming the flag. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.map((p) => `--${String(p).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(' ');
  throw new UsageError(`${flag}: ${issue.message}`, 'See --help for the options.');
}
