/**
 * Execution of the indicators over a period, for implementation reports (Art. 9): the year's
 * allocation, production in the period and before it, and how much of the period's production
 * came from recorded product flows. One query for any number of enterprises.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Indicator } from '../../domain/quota.ts';
import { ledgerEntries } from './quota.tables.ts';

export interface ExecutionFacts {
  enterpriseId: string; indicator: Indicator;
  allocated: bigint; period: bigint; yearToDateBefore: bigint; flow: bigint;
}

export async function executionFacts(db: Db, enterpriseIds: string[], year: number, fromMonth: number, toMonth: number): Promise<ExecutionFacts[]> {
  if (enterpriseIds.length === 0) return [];
  const amount = ledgerEntries.amountReoGrams;
  const m = ledgerEntries.periodMonth;
  const consumption = sql`${ledgerEntries.kind} = 'consumption'`;
  const rows = await db.select({
    enterpriseId: ledgerEntries.enterpriseId, indicator: ledgerEntries.indicator,
    allocated: sql<string>`coalesce(sum(${amount}) filter (where ${ledgerEntries.kind} in ('allocation','adjustment','reduction')), 0)::text`,
    period: sql<string>`coalesce(-sum(${amount}) filter (where ${consumption} and ${m} between ${fromMonth} and ${toMonth}), 0)::text`,
    before: sql<string>`coalesce(-sum(${amount}) filter (where ${consumption} and ${m} < ${fromMonth}), 0)::text`,
    flow: sql<string>`coalesce(-sum(${amount}) filter (where ${consumption} and ${ledgerEntries.source} = 'flow' and ${m} between ${fromMonth} and ${toMonth}), 0)::text`,
  }).from(ledgerEntries)
    .where(and(inArray(ledgerEntries.enterpriseId, enterpriseIds), eq(ledgerEntries.year, year)))
    .groupBy(ledgerEntries.enterpriseId, ledgerEntries.indicator);
  return rows.map((r) => ({
    enterpriseId: r.enterpriseId, indicator: r.indicator as Indicator,
    allocated: BigInt(r.allocated), period: BigInt(r.period), yearToDateBefore: BigInt(r.before), flow: BigInt(r.flow),
  }));
}
