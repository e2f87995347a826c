/** Reporting months in China Standard Time (UTC+8), and the Art. 10 closing deadline. */
const CST_MS = 8 * 3600_000;

export interface YearMonth { year: number; month: number }

/** @example monthInChina(new Date('2026-03-31T17:00:00Z')) // { year: 2026, month: 4 } */
export function monthInChina(instant: Date): YearMonth {
  const d = new Date(instant.getTime() + CST_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export const nextMonth = ({ year, month }: YearMonth): YearMonth => (month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 });
export const previousMonth = ({ year, month }: YearMonth): YearMonth => (month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 });

/** The last day (inclusive, China time) to close month M: the rule's day of M+1. */
export function closingDeadline(m: YearMonth, closingDay: number): string {
  const n = nextMonth(m);
  return `${n.year}-${String(n.month).padStart(2, '0')}-${String(closingDay).padStart(2, '0')}`;
}

/** The first instant of a month in China time. */
export const monthStart = ({ year, month }: YearMonth): Date => new Date(Date.UTC(year, month - 1, 1) - CST_MS);

export const monthKey = ({ year, month }: YearMonth): number => year * 100 + month;
