/**
 * What the flows say about a reporting period (Art. 9 reports, from Art. 10 records): each
 * product's mass balance in grams with REO beside it, and how many of the period's months the
 * enterprise closed on time, late, not at all, or may still close.
 */
import { and, between, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { ClosingSummary, MassBalanceLine } from '../../domain/reports/content.ts';
import { closingDeadline, monthKey, nextMonth, type YearMonth } from '../../domain/trace/months.ts';
import { products } from '../registry/registry.tables.ts';
import { traceRulesInForce } from '../quota/quota.service.ts';
import { movementSums } from './closings.service.ts';
import { monthClosings } from './flow.tables.ts';

export async function periodMassBalance(db: Db, enterpriseId: string, from: YearMonth, to: YearMonth): Promise<MassBalanceLine[]> {
  const rows = await movementSums(db, enterpriseId, from, to);
  if (rows.length === 0) return [];
  const catalogue = new Map((await db.select({ id: products.id, code: products.code, nameZh: products.nameZh, nameEn: products.nameEn }).from(products)
    .where(inArray(products.id, rows.map((r) => r.productId)))).map((p) => [p.id, p]));
  const neg = (v: string) => String(-BigInt(v));
  return rows.map((r) => {
    const p = catalogue.get(r.productId)!;
    return {
      productCode: p.code, productNameZh: p.nameZh, productNameEn: p.nameEn,
      openingGrams: r.opening, receiptsGrams: r.receipts, productionGrams: r.production, useGrams: neg(r.use), shipmentsGrams: neg(r.shipments), closingGrams: r.closing,
      openingReoGrams: r.openingReo, receiptsReoGrams: r.receiptsReo, productionReoGrams: r.productionReo, useReoGrams: neg(r.useReo), shipmentsReoGrams: neg(r.shipmentsReo), closingReoGrams: r.closingReo,
    };
  }).sort((a, b) => a.productCode.localeCompare(b.productCode));
}

/** Closing status of each month of [from, to] for each enterprise, counted. */
export async function closingSummaries(db: Db, enterpriseIds: string[], from: YearMonth, to: YearMonth, today: string): Promise<Map<string, ClosingSummary>> {
  const rules = await traceRulesInForce(db, today);
  const rows = enterpriseIds.length === 0 ? [] : await db.select({ enterpriseId: monthClosings.enterpriseId, year: monthClosings.year, month: monthClosings.month, late: monthClosings.late })
    .from(monthClosings)
    .where(and(inArray(monthClosings.enterpriseId, enterpriseIds), eq(monthClosings.year, from.year),
      between(sql`${monthClosings.year} * 100 + ${monthClosings.month}`, monthKey(from), monthKey(to))));
  const closed = new Map(rows.map((r) => [`${r.enterpriseId}:${r.month}`, r.late]));
  const months: YearMonth[] = [];
  for (let m = from; monthKey(m) <= monthKey(to); m = nextMonth(m)) months.push(m);
  return new Map(enterpriseIds.map((id) => {
    const s: ClosingSummary = { months: months.length, closed: 0, late: 0, missing: 0, open: 0 };
    for (const m of months) {
      const late = closed.get(`${id}:${m.month}`);
      if (late === false) s.closed++;
      else if (late === true) s.late++;
      else if (today > closingDeadline(m, rules.monthClosingDay)) s.missing++;
      else s.open++;
    }
    return [id, s];
  }));
}
