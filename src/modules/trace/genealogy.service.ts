/**
 * Genealogy of a lot: upstream through transformations to the mines (or imports) and the quota
 * each consumed, downstream to everything derived from it and where it went; quantities and REO
 * on every edge. Lots outside the caller's jurisdiction appear redacted (product, producer and
 * province, but no quantities or customers). Upstream traces say whether the chain is complete:
 * every origin a designated mine within quota, or a declared import.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { gramsToKg } from '../../domain/trace/quantity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { ledgerEntriesByIds } from '../quota/quota.service.ts';
import { enterprises, products } from '../registry/registry.tables.ts';
import { invalid } from '../shared/errors.ts';
import { traceLotEdges, traceLots, traceShipments } from './flow.tables.ts';
import { enterpriseRefs, findVisibleLot, visibleLotCondition, type PartyRef } from './lots.service.ts';
import { eventIdsOf } from './event-refs.ts';
import { canonicalEpc } from '../../domain/trace/event-fields.ts';

export type Direction = 'upstream' | 'downstream';

export interface GenealogyNode {
  lotId: string; uri: string; productCode: string; productNameZh: string; productNameEn: string; category: string;
  producer: PartyRef | null; originKind: string; originDivisionCode: string | null; originCountry: string | null;
  producedKg: string | null; producedReoKg: string | null;
  quota: { year: number; indicator: string; ledgerEntryId: string; withinQuota: boolean | null } | null;
  redacted: boolean; hasMoreUpstream: boolean; hasMoreDownstream: boolean;
  shipments: { toNameZh: string | null; toNameEn: string | null; kg: string | null; exportCountry: string | null; status: string }[];
}
export interface GenealogyEdge { from: string; to: string; eventId: string | null; parentKg: string | null; parentReoKg: string | null; childKg: string | null; childReoKg: string | null }
export interface Genealogy { root: string; direction: Direction; complete: boolean; problems: { lot: string; reason: string }[]; nodes: GenealogyNode[]; edges: GenealogyEdge[] }

type EdgeRow = { parent: string; child: string; enterprise_id: string; event_row_id: string; parent_grams: string; parent_reo_grams: string; child_grams: string; child_reo_grams: string; depth: number };

/** The edges reachable from a lot within a depth, by one recursive query. */
export async function genealogyEdges(db: Db, lotId: string, direction: Direction, depth: number): Promise<EdgeRow[]> {
  const [near, far] = direction === 'upstream' ? [sql`child_lot_id`, sql`parent_lot_id`] : [sql`parent_lot_id`, sql`child_lot_id`];
  const result = await db.execute(sql`
    with recursive walk(parent, child, enterprise_id, event_row_id, parent_grams, parent_reo_grams, child_grams, child_reo_grams, depth, next) as (
      select parent_lot_id, child_lot_id, enterprise_id, event_row_id, parent_grams, parent_reo_grams, child_grams, child_reo_grams, 1, ${far}
      from trace_lot_edges where ${near} = ${lotId} and active
      union
      select e.parent_lot_id, e.child_lot_id, e.enterprise_id, e.event_row_id, e.parent_grams, e.parent_reo_grams, e.child_grams, e.child_reo_grams, w.depth + 1,
        ${direction === 'upstream' ? sql`e.parent_lot_id` : sql`e.child_lot_id`}
      from walk w join trace_lot_edges e on ${direction === 'upstream' ? sql`e.child_lot_id` : sql`e.parent_lot_id`} = w.next and e.active
      where w.depth < ${depth}
    )
    select distinct on (parent, child, event_row_id) parent::text, child::text, enterprise_id::text, event_row_id::text, parent_grams::text, parent_reo_grams::text, child_grams::text, child_reo_grams::text, depth
    from walk order by parent, child, event_row_id, depth`);
  return (result as unknown as { rows: EdgeRow[] }).rows;
}

export async function genealogy(db: Db, actor: Actor, input: { lot: string; direction: Direction; depth: number }): Promise<Genealogy> {
  requirePermission(actor, 'trace.read');
  if (!Number.isInteger(input.depth) || input.depth < 1 || input.depth > 30) throw invalid('depth', 'range', 'a depth of 1–30 steps', 'trace.genealogy_invalid');
  const root = await reachableLot(db, actor, input.lot);
  const edgeRows = await genealogyEdges(db, root.id, input.direction, input.depth);
  const lotIds = [...new Set([root.id, ...edgeRows.flatMap((e) => [e.parent, e.child])])];
  // Independent reads side by side: on PostgreSQL each takes its own pooled connection, so a trace
  // costs about four round trips whatever its size (PGlite runs them one after another).
  const scope = visibleLotCondition(db, actor);
  const [lots, visibleRows, productRows, parentRows, childRows, shipments, eventIds] = await Promise.all([
    db.select().from(traceLots).where(inArray(traceLots.id, lotIds)),
    scope ? db.select({ id: traceLots.id }).from(traceLots).where(and(inArray(traceLots.id, lotIds), scope)) : Promise.resolve(lotIds.map((id) => ({ id }))),
    db.select().from(products),
    // Whether each node has more beyond what was returned, so the console can offer to expand it.
    db.select({ id: traceLotEdges.childLotId }).from(traceLotEdges).where(and(inArray(traceLotEdges.childLotId, lotIds), eq(traceLotEdges.active, true))),
    db.select({ id: traceLotEdges.parentLotId }).from(traceLotEdges).where(and(inArray(traceLotEdges.parentLotId, lotIds), eq(traceLotEdges.active, true))),
    db.select({ s: traceShipments, toZh: enterprises.nameZh, toEn: enterprises.nameEn }).from(traceShipments)
      .leftJoin(enterprises, eq(enterprises.id, traceShipments.toEnterpriseId)).where(and(inArray(traceShipments.lotId, lotIds), sql`${traceShipments.status} <> 'cancelled'`)),
    eventIdsOf(db, edgeRows.map((e) => ({ enterpriseId: e.enterprise_id, rowId: e.event_row_id }))),
  ]);
  const byId = new Map(lots.map((l) => [l.id, l]));
  const visible = new Set(visibleRows.map((r) => r.id));
  const productById = new Map(productRows.map((p) => [p.id, p]));
  const [producers, entryRows] = await Promise.all([
    enterpriseRefs(db, lots.map((l) => l.producerEnterpriseId)),
    ledgerEntriesByIds(db, lots.map((l) => l.quotaEntryId).filter((x): x is string => x !== null)),
  ]);
  const entries = new Map(entryRows.map((e) => [e.id, e]));
  const parents = new Set(parentRows.map((r) => r.id));
  const children = new Set(childRows.map((r) => r.id));
  const returnedAsChild = new Set(edgeRows.map((e) => e.child));
  const returnedAsParent = new Set(edgeRows.map((e) => e.parent));

  const nodes: GenealogyNode[] = lotIds.map((id) => {
    const l = byId.get(id)!;
    const p = productById.get(l.productId)!;
    const shown = visible.has(id);
    const entry = l.quotaEntryId ? entries.get(l.quotaEntryId) : undefined;
    return {
      lotId: id, uri: l.uri, productCode: p.code, productNameZh: p.nameZh, productNameEn: p.nameEn, category: p.category,
      producer: producers.get(l.producerEnterpriseId) ?? null, originKind: l.originKind, originDivisionCode: l.originDivisionCode, originCountry: l.originCountry,
      producedKg: shown ? gramsToKg(l.producedGrams) : null, producedReoKg: shown ? gramsToKg(l.producedReoGrams) : null,
      quota: entry ? { year: entry.year, indicator: entry.indicator, ledgerEntryId: entry.id, withinQuota: l.withinQuota } : null,
      redacted: !shown,
      hasMoreUpstream: parents.has(id) && !returnedAsChild.has(id),
      hasMoreDownstream: children.has(id) && !returnedAsParent.has(id),
      shipments: shipments.filter((s) => s.s.lotId === id).map((s) => ({
        toNameZh: shown ? s.toZh : null, toNameEn: shown ? s.toEn : null, kg: shown ? gramsToKg(s.s.grams) : null, exportCountry: s.s.exportCountry, status: s.s.status,
      })),
    };
  });
  const uriOf = (id: string) => byId.get(id)!.uri;
  const edges: GenealogyEdge[] = edgeRows.map((e) => {
    // The quantities of a transformation are the transforming enterprise's: shown where its output is.
    const shown = visible.has(e.child);
    return {
      from: uriOf(e.parent), to: uriOf(e.child), eventId: eventIds.get(e.event_row_id) ?? null,
      parentKg: shown ? gramsToKg(BigInt(e.parent_grams)) : null, parentReoKg: shown ? gramsToKg(BigInt(e.parent_reo_grams)) : null,
      childKg: shown ? gramsToKg(BigInt(e.child_grams)) : null, childReoKg: shown ? gramsToKg(BigInt(e.child_reo_grams)) : null,
    };
  });
  const problems = input.direction === 'upstream' ? completenessProblems(nodes, parents) : [];
  return { root: root.uri, direction: input.direction, complete: input.direction === 'upstream' ? problems.length === 0 : false, problems, nodes, edges };
}

/**
 * The lot to trace from: one in the caller's jurisdiction, or one on the genealogy of such a lot
 * (so a chain can be expanded past a supplier's lot, which then shows redacted).
 */
async function reachableLot(db: Db, actor: Actor, uri: string) {
  try {
    return await findVisibleLot(db, actor, uri);
  } catch (error) {
    const scope = visibleLotCondition(db, actor);
    const [lot] = scope ? await db.select().from(traceLots).where(eq(traceLots.uri, canonicalEpc(uri.trim()))) : [];
    if (!lot || !scope) throw error;
    for (const direction of ['upstream', 'downstream'] as const) {
      const ids = [...new Set((await genealogyEdges(db, lot.id, direction, 30)).flatMap((e) => [e.parent, e.child]))];
      if (ids.length && (await db.select({ id: traceLots.id }).from(traceLots).where(and(inArray(traceLots.id, ids), scope)).limit(1)).length) return lot;
    }
    throw error;
  }
}

/** Why an upstream chain is not complete back to designated producers within quota. */
function completenessProblems(nodes: GenealogyNode[], hasParents: Set<string>): { lot: string; reason: string }[] {
  const problems: { lot: string; reason: string }[] = [];
  for (const n of nodes) {
    if (n.hasMoreUpstream) { problems.push({ lot: n.uri, reason: 'trace_truncated' }); continue; }
    if (hasParents.has(n.lotId)) continue;
    if (n.originKind === 'mined' && n.quota?.withinQuota === false) problems.push({ lot: n.uri, reason: 'mined_beyond_quota' });
    else if (n.originKind === 'mined' && !n.quota) problems.push({ lot: n.uri, reason: 'no_quota_posting' });
    else if (n.originKind === 'transformed') problems.push({ lot: n.uri, reason: 'inputs_unrecorded' });
  }
  return problems;
}
