/** Sums the quota rules compare against, shared by plans, allocations and the ledger. */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { allocations, ledgerEntries } from './quota.tables.ts';

const sumText = (column: typeof allocations.amountReoGrams | typeof ledgerEntries.amountReoGrams) => sql<string>`coalesce(sum(${column}), 0)::text`;

/** Top-level allocations (to enterprises or groups, not withdrawn) against a plan line. */
export async function allocatedOnLine(db: Db, lineId: string): Promise<bigint> {
  const [row] = await db.select({ sum: sumText(allocations.amountReoGrams) }).from(allocations)
    .where(and(eq(allocations.planLineId, lineId), isNull(allocations.parentAllocationId), ne(allocations.status, 'withdrawn')));
  return BigInt(row?.sum ?? '0');
}

/** A group's sub-allocations (not withdrawn) under its allocation. */
export async function subAllocated(db: Db, parentId: string): Promise<bigint> {
  const [row] = await db.select({ sum: sumText(allocations.amountReoGrams) }).from(allocations)
    .where(and(eq(allocations.parentAllocationId, parentId), ne(allocations.status, 'withdrawn')));
  return BigInt(row?.sum ?? '0');
}

/** Ledger sums for one enterprise × year × indicator, by kind. */
export async function ledgerTotals(db: Db, enterpriseId: string, year: number, indicator: string) {
  const rows = await db.select({ kind: ledgerEntries.kind, sum: sumText(ledgerEntries.amountReoGrams) }).from(ledgerEntries)
    .where(and(eq(ledgerEntries.enterpriseId, enterpriseId), eq(ledgerEntries.year, year), eq(ledgerEntries.indicator, indicator)))
    .groupBy(ledgerEntries.kind);
  const by = Object.fromEntries(rows.map((r) => [r.kind, BigInt(r.sum)])) as Record<string, bigint>;
  return totalsFrom(by);
}

/** Allocated = allocations + adjustments − reductions; consumed = −consumption entries; balance is their difference (the sum of all entries). */
export function totalsFrom(by: Record<string, bigint>) {
  const allocation = by.allocation ?? 0n;
  const adjustment = by.adjustment ?? 0n;
  const reduction = by.reduction ?? 0n; // stored negative
  const consumption = by.consumption ?? 0n; // stored negative
  const allocated = allocation + adjustment + reduction;
  const consumed = -consumption;
  return { allocated, consumed, balance: allocated - consumed, allocation, adjustment, reduction: -reduction };
}
