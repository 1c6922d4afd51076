/** A retention period, kept in calendar units: "24 months" is not 730 days. */
export interface Duration {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  /** As written in the map, for messages and exports. */
  text: string;
}

const UNITS: Record<string, keyof Omit<Duration, 'text'>> = {
  year: 'years',
  years: 'years',
  y: 'years',
  month: 'months',
  months: 'months',
  mo: 'months',
  week: 'days',
  weeks: 'days',
  w: 'days',
  day: 'days',
  days: 'days',
  d: 'days',
  hour: 'hours',
  hours: 'hours',
  h: 'hours',
  minute: 'minutes',
  minutes: 'minutes',
  min: 'minutes',
  second: 'seconds',
  seconds: 'seconds',
  s: 'seconds',
};

const ISO = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Reads `30 days`, `24 months`, `5 years`, `2 years 6 months` or ISO 8601 (`P2Y`, `P1Y6M`, `PT12H`). */
export function parseDuration(text: string): Duration | undefined {
  const trimmed = text.trim();
  const zero = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, text: trimmed };
  const iso = ISO.exec(trimmed.toUpperCase());
  if (iso && trimmed.length > 1 && trimmed.toUpperCase() !== 'PT') {
    const [, y, mo, w, d, h, mi, s] = iso.map((part) => Number(part ?? 0));
    return { ...zero, years: y!, months: mo!, days: w! * 7 + d!, hours: h!, minutes: mi!, seconds: s! };
  }
  const parts = [...trimmed.toLowerCase().matchAll(/(\d+)\s*([a-z]+)\s*,?\s*/g)];
  if (
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join('')
      .trim() !== trimmed.toLowerCase()
  )
    return undefined;
  const duration = { ...zero };
  for (const [, amount, unit] of parts) {
    const field = UNITS[unit!];
    if (!field) return undefined;
    duration[field] += Number(amount) * (unit!.startsWith('w') ? 7 : 1);
  }
  return duration;
}

/**
 * `now` minus the duration, in UTC calendar arithmetic. A day that the target month lacks
 * is clamped (31 March minus one month is 28 February, not 3 March), so nothing is
 * processed before its period has run.
 */
export function before(now: Date, duration: Duration): Date {
  const months = now.getUTCFullYear() * 12 + now.getUTCMonth() - duration.years * 12 - duration.months;
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(
    Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()),
  );
  return new Date(date.getTime() - ((duration.days * 24 + duration.hours) * 60 + duration.minutes) * 60_000 - duration.seconds * 1000);
}

/** Rough length in days, only to compare two periods in config checks. */
export function approximateDays(duration: Duration): number {
  return duration.years * 365.25 + duration.months * 30.44 + duration.days + duration.hours / 24 + duration.minutes / 1440 + duration.seconds / 86400;
}

/** `start` plus the duration, in UTC calendar arithmetic, clamped like `before` (31 January plus one month is 28 February). */
export function after(start: Date, duration: Duration): Date {
  const months = start.getUTCFullYear() * 12 + start.getUTCMonth() + duration.years * 12 + duration.months;
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(
    Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()),
  );
  return new Date(date.getTime() + ((duration.days * 24 + duration.hours) * 60 + duration.minutes) * 60_000 + duration.seconds * 1000);
}
