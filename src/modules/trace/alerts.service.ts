/**
 * Traceability alerts for the caller's jurisdiction: those raised at capture and closing
 * (undesignated activity, receipt mismatch, mass-balance difference) and those that arise with
 * time (a shipment not received by its due date; a month not closed by its deadline, for
 * enterprises that record flows).
 */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { closingDeadline, monthInChina, previousMonth, type YearMonth } from '../../domain/trace/months.ts';
import { gramsToKg } from '../../domain/trace/quantity.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { traceRulesInForce } from '../quota/quota.service.ts';
import { enterpriseScopeCondition } from '../registry/registry.service.ts';
import { enterprises } from '../registry/registry.tables.ts';
import { monthClosings, traceAlerts, traceLots, traceMovements, traceShipments } from './flow.tables.ts';

export const ALERT_KINDS = ['undesignated_activity', 'receipt_mismatch', 'mass_balance_difference', 'shipment_unreceived', 'closing_missing'] as const;
export type TraceAlertKind = (typeof ALERT_KINDS)[number];

export interface TraceAlertOut {
  id: string; kind: TraceAlertKind; enterpriseId: string; enterpriseNameZh: string; enterpriseNameEn: string | null;
  year: number | null; month: number | null; eventId: string | null; details: Record<string, unknown>; raisedAt: string;
}

export async function listTraceAlerts(db: Db, actor: Actor, f: { kind?: TraceAlertKind; year?: number }): Promise<TraceAlertOut[]> {
  requirePermission(actor, 'trace.read');
  const scope = enterpriseScopeCondition(db, actor.scope);
  const out: TraceAlertOut[] = [];
  const wants = (k: TraceAlertKind) => !f.kind || f.kind === k;
  if (!f.kind || ['undesignated_activity', 'receipt_mismatch', 'mass_balance_difference'].includes(f.kind)) {
    const rows = await db.select({ a: traceAlerts, nameZh: enterprises.nameZh, nameEn: enterprises.nameEn }).from(traceAlerts)
      .innerJoin(enterprises, eq(enterprises.id, traceAlerts.enterpriseId))
      .where(and(scope, f.kind ? eq(traceAlerts.kind, f.kind) : undefined, f.year ? eq(traceAlerts.year, f.year) : undefined))
      .orderBy(desc(traceAlerts.raisedAt)).limit(500);
    out.push(...rows.map(({ a, nameZh, nameEn }) => ({
      id: a.id, kind: a.kind as TraceAlertKind, enterpriseId: a.enterpriseId, enterpriseNameZh: nameZh, enterpriseNameEn: nameEn,
      year: a.year, month: a.month, eventId: a.eventId, details: a.details, raisedAt: a.raisedAt.toISOString(),
    })));
  }
  if (wants('shipment_unreceived')) {
    const rows = await db.select({ s: traceShipments, uri: traceLots.uri, nameZh: enterprises.nameZh, nameEn: enterprises.nameEn }).from(traceShipments)
      .innerJoin(enterprises, eq(enterprises.id, traceShipments.toEnterpriseId)).innerJoin(traceLots, eq(traceLots.id, traceShipments.lotId))
      .where(and(eq(traceShipments.status, 'in_transit'), lt(traceShipments.dueBy, new Date()), scope)).orderBy(traceShipments.dueBy).limit(500);
    out.push(...rows.map(({ s, uri, nameZh, nameEn }) => ({
      id: s.id, kind: 'shipment_unreceived' as const, enterpriseId: s.toEnterpriseId!, enterpriseNameZh: nameZh, enterpriseNameEn: nameEn,
      year: null, month: null, eventId: null, details: { lot: uri, kg: gramsToKg(s.grams), fromEnterpriseId: s.fromEnterpriseId, shippedAt: s.shippedAt.toISOString(), dueBy: s.dueBy!.toISOString() }, raisedAt: s.dueBy!.toISOString(),
    })));
  }
  if (wants('closing_missing')) {
    const today = todayInChina();
    const rules = await traceRulesInForce(db, today);
    // The latest month whose deadline has passed.
    let month: YearMonth = previousMonth(monthInChina(new Date()));
    if (closingDeadline(month, rules.monthClosingDay) >= today) month = previousMonth(month);
    const deadline = closingDeadline(month, rules.monthClosingDay);
    const recorders = db.selectDistinct({ id: traceMovements.enterpriseId }).from(traceMovements);
    const rows = await db.select({ e: enterprises }).from(enterprises)
      .leftJoin(monthClosings, and(eq(monthClosings.enterpriseId, enterprises.id), eq(monthClosings.year, month.year), eq(monthClosings.month, month.month)))
      .where(and(eq(enterprises.active, true), inArray(enterprises.id, recorders), sql`${monthClosings.enterpriseId} is null`, scope)).limit(1000);
    if (!f.year || f.year === month.year) {
      out.push(...rows.map(({ e }) => ({
        id: `closing:${e.id}:${month.year}-${month.month}`, kind: 'closing_missing' as const, enterpriseId: e.id, enterpriseNameZh: e.nameZh, enterpriseNameEn: e.nameEn,
        year: month.year, month: month.month, eventId: null, details: { deadline }, raisedAt: new Date(`${deadline}T16:00:00Z`).toISOString(),
      })));
    }
  }
  return out.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
}
