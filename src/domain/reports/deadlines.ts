/**
 * The reporting calendar: when each level's report for a period is due. A deadline rule says
 * how many months after the period's last month and on which day (clamped to the month's end:
 * 31 means "the end of the month"); a due date that falls on a day off moves to the next
 * working day of the official calendar, as administrative deadlines do in China.
 */
import { isWorkingDay, type HolidayCalendar } from '../working-days.ts';
import { daysInMonth, isoDate, periodMonths, type ReportPeriod } from './period.ts';

export const REPORT_LEVELS = ['enterprise', 'county', 'prefecture', 'province', 'national'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];
/** Levels that compile the reports of the level below. */
export type CompilingLevel = Exclude<ReportLevel, 'enterprise'>;

export interface DeadlineRule { monthsAfter: number; day: number }

/** Problem with a deadline rule's value, or null when it is usable. */
export function deadlineRuleProblem(value: unknown): string | null {
  const v = value as Partial<DeadlineRule> | null;
  const ok = v !== null && typeof v === 'object'
    && Number.isInteger(v.monthsAfter) && v.monthsAfter! >= 0 && v.monthsAfter! <= 12
    && Number.isInteger(v.day) && v.day! >= 1 && v.day! <= 31;
  return ok ? null : '{"monthsAfter": 0–12, "day": 1–31} (31 = the end of the month)';
}

/**
 * The last day a report for the period is on time.
 * @example dueDate({ kind: 'month', year: 2026, month: 9 }, { monthsAfter: 1, day: 10 }, calendar) // '2026-10-12' (10 Oct 2026 is a Saturday)
 */
export function dueDate(p: ReportPeriod, rule: DeadlineRule, calendar: HolidayCalendar | null): string {
  const { to } = periodMonths(p);
  const index = to.year * 12 + (to.month - 1) + rule.monthsAfter;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  let date = isoDate(year, month, Math.min(rule.day, daysInMonth(year, month)));
  if (calendar) while (!isWorkingDay(date, calendar)) date = nextDay(date);
  return date;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Days past due (0 when on time). */
export function daysLate(due: string, on: string): number {
  if (on <= due) return 0;
  return Math.round((Date.parse(`${on}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}
