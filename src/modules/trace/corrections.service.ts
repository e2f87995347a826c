/**
 * EPCIS error declarations (EPCIS 2.0 §7.4.1.4): the original event stays, marked, with its
 * corrective events named; what it posted is undone by compensating records (reversing
 * movements, cancelled shipments, inactive genealogy edges, a quota correction), never by
 * deleting. A declaration is refused when later flows already depend on it.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { FlowProblem } from '../../domain/trace/flow.ts';
import { gramsToKg } from '../../domain/trace/quantity.ts';
import type { Actor } from '../auth/actor.ts';
import { reverseFlowConsumption } from '../quota/quota.service.ts';
import { products } from '../registry/registry.tables.ts';
import { newId } from '../shared/ids.ts';
import { traceLotEdges, traceLots, traceMovements, traceShipments, traceStock } from './flow.tables.ts';

/** Undoes what an event posted; returns problems instead when later flows depend on it. */
export async function reverseEventFlows(tx: Db, actor: Actor, enterpriseId: string, rowId: string, reason: string): Promise<FlowProblem[]> {
  const moved = await tx.select().from(traceMovements)
    .where(and(eq(traceMovements.eventEnterpriseId, enterpriseId), eq(traceMovements.eventRowId, rowId), isNull(traceMovements.reversesMovementId)));
  if (moved.length === 0) return [];
  const problems: FlowProblem[] = [];
  const shipped = await tx.select().from(traceShipments).where(eq(traceShipments.shipEventRowId, rowId)).for('update');
  for (const s of shipped) {
    if (s.status === 'received') problems.push({ field: 'errorDeclaration', rule: 'declaration_blocked', message: 'the receiver has already received this shipment; its receipt is declared in error first' });
  }
  const lotIds = [...new Set(moved.map((m) => m.lotId))];
  const held = new Map((await tx.select().from(traceStock).where(and(eq(traceStock.enterpriseId, enterpriseId), inArray(traceStock.lotId, lotIds))).for('update')).map((s) => [s.lotId, s.grams]));
  const net = new Map<string, bigint>();
  for (const m of moved) net.set(m.lotId, (net.get(m.lotId) ?? 0n) + m.grams);
  for (const [lotId, grams] of net) {
    if (grams > (held.get(lotId) ?? 0n)) problems.push({ field: 'errorDeclaration', rule: 'declaration_blocked', message: `${gramsToKg(grams - (held.get(lotId) ?? 0n))} kg of what this event brought in has since been used or shipped; declare those events in error first` });
  }
  if (problems.length) return problems;

  await tx.insert(traceMovements).values(moved.map((m) => ({ ...m, id: newId(), grams: -m.grams, reoGrams: -m.reoGrams, reversesMovementId: m.id })));
  for (const [lotId, grams] of net) {
    await tx.update(traceStock).set({ grams: (held.get(lotId) ?? 0n) - grams }).where(and(eq(traceStock.enterpriseId, enterpriseId), eq(traceStock.lotId, lotId)));
  }
  if (shipped.length) await tx.update(traceShipments).set({ status: 'cancelled' }).where(eq(traceShipments.shipEventRowId, rowId));
  await tx.update(traceShipments).set({ status: 'in_transit', receivedGrams: null, receiptEventRowId: null, receivedAt: null }).where(eq(traceShipments.receiptEventRowId, rowId));
  await tx.update(traceLotEdges).set({ active: false }).where(and(eq(traceLotEdges.enterpriseId, enterpriseId), eq(traceLotEdges.eventRowId, rowId)));

  // Quota: mining consumed the REO it mined; separation the REO of its mineral inputs.
  const made = await tx.select({ quotaEntryId: traceLots.quotaEntryId }).from(traceLots).where(and(eq(traceLots.eventEnterpriseId, enterpriseId), eq(traceLots.eventRowId, rowId)));
  const entryId = made.find((l) => l.quotaEntryId)?.quotaEntryId;
  if (entryId) {
    const mineral = new Set((await tx.select({ id: products.id }).from(products).where(eq(products.category, 'mineral_product'))).map((p) => p.id));
    const consumed = moved.reduce((s, m) => s + (m.kind === 'mined' ? m.reoGrams : m.kind === 'used' && mineral.has(m.productId) ? -m.reoGrams : 0n), 0n);
    await reverseFlowConsumption(tx, actor, entryId, consumed, `error declaration: ${reason}`);
  }
  return [];
}
