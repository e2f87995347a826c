/**
 * Reporting periods (Order No. 71 Art. 9): a calendar month or a calendar year, written
 * `2026-10` or `2026`, in China time.
 */
import type { YearMonth } from '../trace/months.ts';

export type ReportPeriod =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'year'; year: number };

export type PeriodKind = ReportPeriod['kind'];

/** @example parsePeriod('2026-10') // { kind: 'month', year: 2026, month: 10 } */
export function parsePeriod(text: string): ReportPeriod | null {
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
  if (m[2] === undefined) return { kind: 'year', year };
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { kind: 'month', year, month } : null;
}

export function formatPeriod(p: ReportPeriod): string {
  return p.kind === 'year' ? String(p.year) : `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** First and last month the period covers. */
export function periodMonths(p: ReportPeriod): { from: YearMonth; to: YearMonth } {
  return p.kind === 'year'
    ? { from: { year: p.year, month: 1 }, to: { year: p.year, month: 12 } }
    : { from: { year: p.year, month: p.month }, to: { year: p.year, month: p.month } };
}

/** First and last day (ISO) of the period. */
export function periodDays(p: ReportPeriod): { first: string; last: string } {
  const { from, to } = periodMonths(p);
  return { first: isoDate(from.year, from.month, 1), last: isoDate(to.year, to.month, daysInMonth(to.year, to.month)) };
}

/** A period can be reported once it is over: its last day is before today (China time). */
export function periodEnded(p: ReportPeriod, today: string): boolean {
  return periodDays(p).last < today;
}

/** The months of a year up to and including a period's last month; for charts and year-to-date. */
export function monthsOfYearThrough(p: ReportPeriod): ReportPeriod[] {
  const last = p.kind === 'year' ? 12 : p.month;
  return Array.from({ length: last }, (_, i) => ({ kind: 'month', year: p.year, month: i + 1 }) as const);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
