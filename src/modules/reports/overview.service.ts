/**
 * Where reporting stands for a period, at any level (Art. 9, 12): each unit below with its
 * report's status and figures, what is missing, returned or overdue at every level, and the
 * execution of the indicators month by month through the year. The ministries open it at
 * national level and drill province → prefecture → county → enterprise.
 */
import { and, desc, inArray, like, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { sumLines, type IndicatorLine, type ReportContent } from '../../domain/reports/content.ts';
import { childrenOf, descendantsOf, NATIONAL_KEY, type Unit } from '../../domain/reports/hierarchy.ts';
import { formatPeriod, periodEnded, type ReportPeriod } from '../../domain/reports/period.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { divisionInScope, divisionsByCodes, divisionSubtree } from '../registry/registry.service.ts';
import { forbidden, invalid, notFound } from '../shared/errors.ts';
import { requirePeriod } from './enterprise-reports.service.ts';
import { dueDatesFor } from './report-calendar.ts';
import { latestVersionsFor } from './report-queries.service.ts';
import type { ReportRow } from './report-store.ts';
import { actorUnitKey, loadUnitTree } from './report-units.ts';
import { reports } from './reports.tables.ts';

export type UnitReportStatus = 'missing' | 'submitted' | 'accepted' | 'returned';

export interface UnitStatus {
  level: Unit['level']; key: string; nameZh: string; nameEn: string; divisionCode: string | null; creditCode: string | null; parentKey: string | null;
  dueDate: string; status: UnitReportStatus; overdue: boolean; late: boolean;
  reportId: string | null; version: number | null; submittedAt: string | null; returnReason: string | null;
  lines: IndicatorLine[] | null; enterpriseReports: number | null; childCount: number;
}

export interface Overview {
  period: string;
  unit: UnitStatus;
  children: UnitStatus[];
  /** The children's reported figures summed (submitted and accepted ones): what a compilation would show. */
  childrenTotal: IndicatorLine[];
  /** Every unit below without a report (or with one returned), at every level. */
  outstanding: UnitStatus[];
  late: UnitStatus[];
}

/** The unit an actor looks at: its own, or a division inside its jurisdiction. */
async function viewedUnit(db: Db, actor: Actor, divisionCode?: string): Promise<string> {
  requirePermission(actor, 'reports.read');
  if (actor.scope.kind === 'enterprise') throw forbidden('enterprises see their own reports, not regional overviews', 'reports.overview_forbidden');
  if (!divisionCode || divisionCode === NATIONAL_KEY) {
    if (actor.scope.kind === 'national') return NATIONAL_KEY;
    if (!divisionCode) return (await actorUnitKey(db, actor))!;
    throw forbidden('the national overview is for the ministries', 'reports.overview_forbidden');
  }
  const division = (await divisionsByCodes(db, [divisionCode])).get(divisionCode);
  if (!division || !divisionInScope(division, actor.scope)) throw notFound('division', divisionCode);
  return divisionCode;
}

export async function reportOverview(db: Db, actor: Actor, input: { period: string; divisionCode?: string }): Promise<Overview> {
  const key = await viewedUnit(db, actor, input.divisionCode);
  const period = requirePeriod(input.period);
  const p = formatPeriod(period);
  const tree = await loadUnitTree(db, period, key);
  const unit = tree.get(key);
  if (!unit) throw notFound('division', key);
  const below = descendantsOf(tree, key);
  const latest = await latestVersionsFor(db, p, [unit, ...below].map((u) => ({ level: u.level, subjectKey: u.key })));
  const due = await dueDatesFor(db, period);
  const today = todayInChina();
  const childCounts = new Map<string, number>();
  for (const u of tree.values()) if (u.parentKey) childCounts.set(u.parentKey, (childCounts.get(u.parentKey) ?? 0) + 1);
  const statusOf = (u: Unit): UnitStatus => {
    const r: ReportRow | undefined = latest.get(`${u.level}:${u.key}`);
    const dueDate = due(u.level);
    const status: UnitReportStatus = r ? r.status as UnitReportStatus : 'missing'; // the latest version is never superseded
    const content = r && status !== 'returned' ? r.content as ReportContent : null;
    return {
      level: u.level, key: u.key, nameZh: u.nameZh, nameEn: u.nameEn, divisionCode: u.divisionCode, creditCode: u.creditCode, parentKey: u.parentKey,
      dueDate, status, overdue: (status === 'missing' || status === 'returned') && today > dueDate, late: r?.late ?? false,
      reportId: r?.id ?? null, version: r?.version ?? null, submittedAt: r?.submittedAt.toISOString() ?? null, returnReason: r?.returnReason ?? null,
      lines: content?.lines ?? null, enterpriseReports: content?.enterpriseReports ?? null, childCount: childCounts.get(u.key) ?? 0,
    };
  };
  const children = childrenOf(tree, key).map(statusOf);
  const all = below.map(statusOf);
  return {
    period: p, unit: statusOf(unit), children,
    childrenTotal: sumLines(children.filter((c) => c.lines).map((c) => c.lines!)),
    outstanding: all.filter((u) => u.status === 'missing' || u.status === 'returned'),
    late: all.filter((u) => u.late),
  };
}

export interface ExecutionMonth {
  month: number; source: 'compilation' | 'enterprise_reports' | 'none'; enterpriseReports: number; lines: IndicatorLine[];
}

/**
 * The unit's execution month by month through a year: its own compilation where it made one,
 * otherwise the sum of the enterprise reports below it received so far.
 */
export async function executionSeries(db: Db, actor: Actor, input: { year: number; divisionCode?: string }): Promise<{ year: number; unitKey: string; months: ExecutionMonth[] }> {
  const key = await viewedUnit(db, actor, input.divisionCode);
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) throw invalid('year', 'range', 'a year 2000–2100', 'reports.invalid');
  const today = todayInChina();
  const inUnit = key === NATIONAL_KEY ? undefined : inArray(reports.divisionCode, divisionSubtree(db, key));
  // The latest version of each subject and month, and only the figures the series needs.
  const latest = await db.selectDistinctOn([reports.period, reports.level, reports.subjectKey], {
    level: reports.level, subjectKey: reports.subjectKey, period: reports.period,
    lines: sql<IndicatorLine[]>`${reports.content}->'lines'`, enterpriseReports: sql<number>`(${reports.content}->>'enterpriseReports')::int`,
  }).from(reports).where(and(like(reports.period, `${input.year}-%`), ne(reports.status, 'returned'), inUnit))
    .orderBy(reports.period, reports.level, reports.subjectKey, desc(reports.version));
  const months: ExecutionMonth[] = [];
  for (let month = 1; month <= 12; month++) {
    const period: ReportPeriod = { kind: 'month', year: input.year, month };
    if (!periodEnded(period, today)) break;
    const p = formatPeriod(period);
    const mine = latest.find((r) => r.period === p && r.subjectKey === key && r.level !== 'enterprise');
    if (mine) {
      months.push({ month, source: 'compilation', enterpriseReports: mine.enterpriseReports, lines: mine.lines });
      continue;
    }
    const enterprises = latest.filter((r) => r.period === p && r.level === 'enterprise');
    months.push({ month, source: enterprises.length ? 'enterprise_reports' : 'none', enterpriseReports: enterprises.length, lines: sumLines(enterprises.map((c) => c.lines)) });
  }
  return { year: input.year, unitKey: key, months };
}


