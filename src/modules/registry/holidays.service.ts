/**
 * The official holiday calendar (days off and worked weekends, 调休) that working-day deadlines
 * count with. Loaded from the State Council's notices in the reference data; the ministry
 * adds next year's days when the notice is published, or corrects one, and every change is audited.
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { isIsoDate } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { invalid, notFound, ProblemList } from '../shared/errors.ts';
import { holidays } from './registry.tables.ts';

export interface HolidayOut { date: string; nameZh: string; isOffDay: boolean }

export async function listHolidays(db: Db, actor: Actor, year?: number): Promise<HolidayOut[]> {
  requirePermission(actor, 'registry.read');
  const range = year ? and(gte(holidays.date, `${year}-01-01`), lte(holidays.date, `${year}-12-31`)) : undefined;
  return db.select().from(holidays).where(range).orderBy(asc(holidays.date));
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) throw invalid('date', 'format', 'a date as YYYY-MM-DD', 'registry.holiday_invalid');
}

/** Sets a day: off (a holiday) or a worked weekend day. */
export async function setHoliday(db: Db, actor: Actor, date: string, input: { nameZh: string; isOffDay: boolean }): Promise<HolidayOut> {
  requirePermission(actor, 'registry.write');
  checkDate(date);
  const problems = new ProblemList();
  if (!input.nameZh.trim()) problems.add('nameZh', 'required', 'the holiday’s name as the notice gives it, e.g. 国庆节');
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (!input.isOffDay && weekday !== 0 && weekday !== 6) problems.add('isOffDay', 'weekday', 'a worked day (调休) is a Saturday or Sunday; weekdays are worked anyway');
  problems.throwIfAny('registry.holiday_invalid');
  return withTransaction(db, async (tx) => {
    const [before] = await tx.select().from(holidays).where(eq(holidays.date, date));
    const row = { date, nameZh: input.nameZh.trim(), isOffDay: input.isOffDay };
    await tx.insert(holidays).values(row).onConflictDoUpdate({ target: holidays.date, set: { nameZh: row.nameZh, isOffDay: row.isOffDay } });
    await recordAudit(tx, actor, { action: before ? 'update' : 'create', entity: 'holiday', entityId: date, before: before ?? undefined, after: row });
    return row;
  });
}

export async function removeHoliday(db: Db, actor: Actor, date: string): Promise<void> {
  requirePermission(actor, 'registry.write');
  checkDate(date);
  await withTransaction(db, async (tx) => {
    const [before] = await tx.delete(holidays).where(eq(holidays.date, date)).returning();
    if (!before) throw notFound('holiday', date);
    await recordAudit(tx, actor, { action: 'delete', entity: 'holiday', entityId: date, before });
  });
}
