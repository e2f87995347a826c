/** Due dates of reports from the reporting calendar in force and the official holiday calendar. */
import type { Db } from '../../db/database.ts';
import { dueDate, type ReportLevel } from '../../domain/reports/deadlines.ts';
import { periodDays, type ReportPeriod } from '../../domain/reports/period.ts';
import { reportRulesInForce } from '../quota/quota.service.ts';
import { holidayCalendar } from '../registry/registry.service.ts';

export type DueDates = (level: ReportLevel) => string;

/** Due dates per level for a period, under the rules in force on its last day. */
export async function dueDatesFor(db: Db, period: ReportPeriod): Promise<DueDates> {
  const rules = await reportRulesInForce(db, periodDays(period).last);
  const calendar = await holidayCalendar(db);
  const memo = new Map<ReportLevel, string>();
  return (level) => {
    let d = memo.get(level);
    if (!d) memo.set(level, (d = dueDate(period, rules.deadlines[`${level}_${period.kind}`]!, calendar)));
    return d;
  };
}
