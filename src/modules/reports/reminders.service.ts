/**
 * The reminder sweep (Art. 9 deadlines): before a report is due its sender is reminded; once it
 * is overdue an alert is raised and both the sender and the level it reports to are told. The
 * sweep runs on a timer in the server and from the CLI; running it twice queues nothing twice.
 */
import { and, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Unit } from '../../domain/reports/hierarchy.ts';
import { formatPeriod, type ReportPeriod } from '../../domain/reports/period.ts';
import { monthInChina, previousMonth } from '../../domain/trace/months.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { reportRulesInForce } from '../quota/quota.service.ts';
import { divisionSubtree } from '../registry/registry.service.ts';
import { newId } from '../shared/ids.ts';
import { queueNotice } from './outbox.service.ts';
import { dueDatesFor } from './report-calendar.ts';
import { latestVersionsFor } from './report-queries.service.ts';
import { loadUnitTree } from './report-units.ts';
import { reportAlerts } from './reports.tables.ts';

const LEVEL_ZH: Record<Unit['level'], string> = { enterprise: '企业报告', county: '县级汇总', prefecture: '地市级汇总', province: '省级汇总', national: '全国汇总' };

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The periods a sweep looks at: the last three months and the last year. */
export function sweptPeriods(now: Date): ReportPeriod[] {
  const m1 = previousMonth(monthInChina(now));
  const m2 = previousMonth(m1);
  const m3 = previousMonth(m2);
  const months: ReportPeriod[] = [m1, m2, m3].map((m) => ({ kind: 'month', year: m.year, month: m.month }));
  return [...months, { kind: 'year', year: monthInChina(now).year - 1 }];
}

export async function runReminderSweep(db: Db, now: Date = new Date()): Promise<{ reminders: number; overdue: number }> {
  const today = todayInChina(now);
  const { reminderDays } = await reportRulesInForce(db, today);
  let reminders = 0;
  let overdue = 0;
  for (const period of sweptPeriods(now)) {
    const p = formatPeriod(period);
    const tree = await loadUnitTree(db, period);
    const units = [...tree.values()];
    const latest = await latestVersionsFor(db, p, units.map((u) => ({ level: u.level, subjectKey: u.key })));
    const due = await dueDatesFor(db, period);
    const outstanding = units.filter((u) => { const r = latest.get(`${u.level}:${u.key}`); return !r || r.status === 'returned'; });
    await withTransaction(db, async (tx) => {
      for (const u of outstanding) {
        const dueDate = due(u.level);
        const to = u.level === 'enterprise' ? { enterpriseId: u.key } : { divisionCode: u.key };
        const what = `${u.nameZh} ${p} ${LEVEL_ZH[u.level]}`;
        if (today > dueDate) {
          const raised = await tx.insert(reportAlerts).values({
            id: newId(), kind: 'report_overdue', level: u.level, subjectKey: u.key, period: p, divisionCode: u.divisionCode, dueDate,
          }).onConflictDoNothing().returning({ id: reportAlerts.id });
          overdue += raised.length;
          await queueNotice(tx, { topic: 'report.overdue', to, subjectZh: `逾期：${what}应于 ${dueDate} 前提交`, subjectEn: `Overdue: the ${p} report of ${u.nameEn} was due on ${dueDate}`,
            payload: { level: u.level, key: u.key, period: p, dueDate }, dedupeKey: `report.overdue:${u.level}:${u.key}:${p}` });
          if (u.parentKey) {
            await queueNotice(tx, { topic: 'report.overdue_below', to: { divisionCode: u.parentKey }, subjectZh: `下级逾期未报：${what}（应于 ${dueDate} 前）`,
              subjectEn: `Overdue below: the ${p} report of ${u.nameEn} (due ${dueDate})`, payload: { level: u.level, key: u.key, period: p, dueDate }, dedupeKey: `report.overdue_below:${u.level}:${u.key}:${p}` });
          }
        } else if (daysBetween(today, dueDate) <= reminderDays) {
          const queued = await queueNotice(tx, { topic: 'report.reminder', to, subjectZh: `提醒：${what}应于 ${dueDate} 前提交`, subjectEn: `Reminder: the ${p} report of ${u.nameEn} is due on ${dueDate}`,
            payload: { level: u.level, key: u.key, period: p, dueDate }, dedupeKey: `report.reminder:${u.level}:${u.key}:${p}` });
          if (queued) reminders++;
        }
      }
    });
  }
  return { reminders, overdue };
}

export interface ReportAlertOut { id: string; kind: string; level: string; subjectKey: string; period: string; divisionCode: string | null; dueDate: string; raisedAt: string; resolvedAt: string | null }

export async function listReportAlerts(db: Db, actor: Actor, f: { open?: boolean } = {}): Promise<ReportAlertOut[]> {
  requirePermission(actor, 'reports.read');
  const conditions: (SQL | undefined)[] = [f.open ? isNull(reportAlerts.resolvedAt) : undefined];
  if (actor.scope.kind === 'enterprise') conditions.push(eq(reportAlerts.level, 'enterprise'), eq(reportAlerts.subjectKey, actor.scope.enterpriseId));
  if (actor.scope.kind === 'division') conditions.push(inArray(reportAlerts.divisionCode, divisionSubtree(db, actor.scope.divisionCode)));
  const rows = await db.select().from(reportAlerts).where(and(...conditions)).orderBy(desc(reportAlerts.raisedAt)).limit(1000);
  return rows.map((r) => ({ id: r.id, kind: r.kind, level: r.level, subjectKey: r.subjectKey, period: r.period, divisionCode: r.divisionCode, dueDate: r.dueDate, raisedAt: r.raisedAt.toISOString(), resolvedAt: r.resolvedAt?.toISOString() ?? null }));
}


