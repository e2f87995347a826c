/**
 * Quota consumption posted from product flows (Order No. 71 Art. 8, 10): a mining output or a
 * separation's mineral inputs consume REO from the enterprise's indicator, inside the capture's
 * transaction, one ledger entry per captured document × month × indicator.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { gramsToTonnes } from '../../domain/mass.ts';
import type { Indicator } from '../../domain/quota.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { newId } from '../shared/ids.ts';
import { annualPlans, ledgerEntries, planLines } from './quota.tables.ts';
import { rulesInForce } from './quota-rules.service.ts';
import { raiseAlerts } from './ledger.service.ts';

export type FlowActivity = 'mining' | 'smelting_separation';

/**
 * The indicator a flow consumes in a year: the ore kind's mining line where the plan splits
 * mining, else the undivided line; null when the year has no approved plan with such a line.
 */
export async function flowIndicator(db: Db, year: number, activity: FlowActivity, oreKind: 'rock_type' | 'ion_adsorption' | null): Promise<Indicator | null> {
  const lines = await db.select({ indicator: planLines.indicator }).from(planLines).innerJoin(annualPlans, eq(annualPlans.id, planLines.planId))
    .where(and(eq(annualPlans.year, year), sql`${annualPlans.status} in ('approved','closed')`));
  const have = new Set(lines.map((l) => l.indicator));
  const wanted: Indicator[] = activity === 'smelting_separation' ? ['smelting_separation'] : [oreKind === 'rock_type' ? 'mining_rock_type' : 'mining_ion_adsorption', 'mining'];
  return wanted.find((w) => have.has(w)) ?? null;
}

export interface FlowPosting { enterpriseId: string; year: number; month: number; indicator: Indicator; grams: bigint; note: string }

/** Appends consumption for flows; says whether the enterprise is still within its allocation after it. */
export async function postFlowConsumption(tx: Db, actor: Actor, p: FlowPosting): Promise<{ entryId: string; withinQuota: boolean }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${p.enterpriseId}:${p.year}:${p.indicator}`}))`);
  const id = newId();
  await tx.insert(ledgerEntries).values({
    id, enterpriseId: p.enterpriseId, year: p.year, indicator: p.indicator, kind: 'consumption', amountReoGrams: -p.grams,
    periodMonth: p.month, source: 'flow', note: p.note, createdBy: actor.username,
  });
  const totals = await raiseAlerts(tx, p.enterpriseId, p.year, p.indicator, id, (await rulesInForce(tx, todayInChina())).alertThresholdsPercent);
  await recordAudit(tx, actor, { action: 'post_flow_consumption', entity: 'ledger_entry', entityId: id, after: { indicator: p.indicator, year: p.year, month: p.month, tonnesReo: gramsToTonnes(p.grams), note: p.note } });
  return { entryId: id, withinQuota: totals.consumed <= totals.allocated };
}

/** Gives back the consumption of a flow declared in error: a correction referring to the entry. */
export async function reverseFlowConsumption(tx: Db, actor: Actor, entryId: string, grams: bigint, reason: string): Promise<void> {
  const [original] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.id, entryId));
  if (!original || grams === 0n) return;
  const id = newId();
  await tx.insert(ledgerEntries).values({
    id, enterpriseId: original.enterpriseId, year: original.year, indicator: original.indicator, kind: 'consumption', amountReoGrams: grams,
    periodMonth: original.periodMonth, source: 'flow', correctsEntryId: original.id, note: reason, createdBy: actor.username,
  });
  await recordAudit(tx, actor, { action: 'reverse_flow_consumption', entity: 'ledger_entry', entityId: id, after: { corrects: entryId, tonnesReo: gramsToTonnes(grams), reason } });
}

/** Ledger entries by id (for genealogy: the quota a lot consumed). */
export async function ledgerEntriesByIds(db: Db, ids: string[]): Promise<{ id: string; year: number; indicator: string; enterpriseId: string }[]> {
  if (ids.length === 0) return [];
  return db.select({ id: ledgerEntries.id, year: ledgerEntries.year, indicator: ledgerEntries.indicator, enterpriseId: ledgerEntries.enterpriseId })
    .from(ledgerEntries).where(inArray(ledgerEntries.id, [...new Set(ids)]));
}
