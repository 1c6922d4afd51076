import { z } from 'zod';
import { parseDuration } from '../../config/duration.js';

/** The options of `lethe sweep`, loaded when it runs (sweep.ts defines them for commander and --help). */
export const sweepOptions = z.object({
  dryRun: z.boolean().default(false),
  yes: z.boolean().default(false),
  table: z.string().optional(),
  batchSize: z.coerce.number().int().min(1).max(100_000).optional(),
  pause: z.coerce.number().int().min(0).default(0),
  maxDuration: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const ms = timeLimitMs(text);
      if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a time limit: write e.g. 30m, 2h or 90s` });
      return ms;
    }),
  full: z.boolean().default(false),
  vacuum: z.boolean().default(false),
  now: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const date = new Date(text);
      if (Number.isNaN(date.getTime())) ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO 8601 time` });
      return date;
    }),
});

/** `90s`, `30m`, `2h`, `1h30m`, or a period such as `30 minutes`. */
function timeLimitMs(text: string): number | undefined {
  const compact = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (compact && text.trim() !== '') {
    const [, h, m, s] = compact.map((p) => Number(p ?? 0));
    return ((h! * 60 + m!) * 60 + s!) * 1000;
  }
  const period = parseDuration(text);
  if (!period || period.years || period.months) return undefined;
  return (((period.days * 24 + period.hours) * 60 + period.minutes) * 60 + period.seconds) * 1000;
}
