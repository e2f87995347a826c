/**
 * The rules a rare-earth flow meets at capture (Order No. 71 Art. 3, 7, 8, 10; docs/traceability.md)
 * and what it posts: lots, stock, movements, genealogy edges, shipments, receipt alerts and quota
 * consumption. Runs inside the capture's transaction on the document's new events in order, so a
 * lot made earlier in a document can be used later in it; every refusal names the event and the
 * rule, and nothing of the document is stored.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { canonicalEpc } from '../../domain/trace/event-fields.ts';
import { readFlow, type FlowProblem, type LotQuantity } from '../../domain/trace/flow.ts';
import { parseMintedLot, parsePartyUri } from '../../domain/trace/ids.ts';
import { monthInChina } from '../../domain/trace/months.ts';
import { gramsToKg } from '../../domain/trace/quantity.ts';
import { PPM, reoGrams, reoPpmOfProduct } from '../../domain/trace/reo.ts';
import type { Indicator } from '../../domain/quota.ts';
import type { Actor } from '../auth/actor.ts';
import { flowIndicator, postFlowConsumption, traceRulesInForce, type FlowActivity } from '../quota/quota.service.ts';
import { currentDesignation } from '../registry/registry.service.ts';
import { enterprises, products, rareEarthElements } from '../registry/registry.tables.ts';
import { newId } from '../shared/ids.ts';
import { todayInChina } from '../../domain/validity.ts';
import { traceAlerts, traceLocations, traceLotEdges, traceLots, traceMovements, traceShipments, traceStock } from './flow.tables.ts';

type Json = Record<string, unknown>;

export interface CapturedEvent { index: number; rowId: string; eventId: string; event: Json; eventTime: Date }
export interface EventProblem extends FlowProblem { index: number }
export interface PendingAlert { kind: 'undesignated_activity' | 'receipt_mismatch'; enterpriseId: string; year: number; month: number; eventId: string; details: Record<string, unknown> }

export class FlowRefusal extends Error {
  constructor(readonly problems: EventProblem[], readonly alerts: PendingAlert[]) { super('flows refused'); }
}

interface LotState { id: string; uri: string; productId: string; reoPpm: bigint; isNew: boolean }
type ProductRow = typeof products.$inferSelect;

const kg = gramsToKg;

/** Applies the flows among a document's new events; throws FlowRefusal listing every problem. */
export async function applyFlows(tx: Db, actor: Actor, enterpriseId: string, events: CapturedEvent[], namespaces: Readonly<Record<string, string>>): Promise<{ flowCount: number }> {
  if (events.length === 0) return { flowCount: 0 };
  const classes = new Set<string>();
  for (const { event } of events) {
    for (const key of ['quantityList', 'inputQuantityList', 'outputQuantityList']) {
      for (const q of Array.isArray(event[key]) ? (event[key] as Json[]) : []) if (typeof q?.epcClass === 'string') classes.add(q.epcClass);
    }
  }
  const uris = [...new Set([...classes].map(canonicalEpc))];
  const known = uris.length ? await tx.select().from(traceLots).where(inArray(traceLots.uri, uris)) : [];
  const lots = new Map<string, LotState>(known.map((l) => [l.uri, { id: l.id, uri: l.uri, productId: l.productId, reoPpm: l.reoPpm, isNew: false }]));
  const knownOriginal = new Set(lots.keys());
  // A lot created by an earlier event of the document counts as known to the later ones.
  const readings = events.map((e) => {
    const reading = readFlow(e.event, namespaces, (u) => knownOriginal.has(u));
    const f = reading.flow;
    for (const q of f?.kind === 'commissioning' ? f.lots : f?.kind === 'transformation' ? f.outputs : []) if (q.lot) knownOriginal.add(q.lot);
    return { ...e, reading };
  });
  const flows = readings.filter((r) => r.reading.flow || r.reading.problems.length);
  if (flows.length === 0) return { flowCount: 0 };

  const problems: EventProblem[] = [];
  const alerts: PendingAlert[] = [];
  for (const r of flows) for (const p of r.reading.problems) problems.push({ index: r.index, ...p });

  const [me] = await tx.select().from(enterprises).where(eq(enterprises.id, enterpriseId));
  const catalogue = await tx.select().from(products);
  const byCode = new Map(catalogue.map((p) => [p.code, p]));
  const byId = new Map(catalogue.map((p) => [p.id, p]));
  const factors = Object.fromEntries((await tx.select().from(rareEarthElements)).map((e) => [e.symbol, e.metalToOxide]));
  const productPpm = (p: ProductRow) => reoPpmOfProduct({ category: p.category, reoPpm: p.reoPpm, elementSplitPpm: p.elementSplitPpm ?? null }, factors);
  const locations = new Map((await tx.select().from(traceLocations).where(eq(traceLocations.enterpriseId, enterpriseId))).map((l) => [l.uri, l]));
  const rules = await traceRulesInForce(tx, todayInChina());

  // Stock this enterprise holds of the lots concerned, locked for the rest of the transaction.
  const stock = new Map<string, bigint>();
  const heldIds = [...lots.values()].map((l) => l.id);
  if (heldIds.length) {
    const rows = await tx.select().from(traceStock).where(and(eq(traceStock.enterpriseId, enterpriseId), inArray(traceStock.lotId, heldIds))).for('update');
    for (const r of rows) stock.set(r.lotId, r.grams);
  }
  const touched = new Set<string>();
  const changeStock = (lotId: string, grams: bigint) => {
    stock.set(lotId, (stock.get(lotId) ?? 0n) + grams);
    touched.add(lotId);
  };

  // Counterparties named by party URI.
  const partyCodes = new Set<string>();
  for (const r of flows) {
    const f = r.reading.flow;
    const party = f?.kind === 'shipment' ? f.destinationParty : f?.kind === 'receipt' ? f.sourceParty : null;
    const code = party ? parsePartyUri(party) : null;
    if (code) partyCodes.add(code);
  }
  const parties = new Map((partyCodes.size ? await tx.select({ id: enterprises.id, creditCode: enterprises.creditCode, active: enterprises.active }).from(enterprises).where(inArray(enterprises.creditCode, [...partyCodes])) : []).map((e) => [e.creditCode, e]));

  // Shipments awaiting receipt here, for receipts.
  const openShipments = flows.some((r) => r.reading.flow?.kind === 'receipt') && heldIds.length
    ? await tx.select().from(traceShipments).where(and(eq(traceShipments.toEnterpriseId, enterpriseId), eq(traceShipments.status, 'in_transit'), inArray(traceShipments.lotId, heldIds))).orderBy(traceShipments.shippedAt).for('update')
    : [];

  const designationCache = new Map<string, boolean>();
  const designated = async (activity: 'mining' | 'smelting_separation', date: string, oreKind?: 'rock_type' | 'ion_adsorption') => {
    const key = `${activity}:${oreKind ?? ''}:${date}`;
    if (!designationCache.has(key)) designationCache.set(key, (await currentDesignation(tx, enterpriseId, activity, date, oreKind)) !== null);
    return designationCache.get(key)!;
  };
  const indicatorCache = new Map<string, Indicator | null>();
  const indicatorFor = async (year: number, activity: FlowActivity, oreKind: 'rock_type' | 'ion_adsorption' | null) => {
    const key = `${year}:${activity}:${oreKind}`;
    if (!indicatorCache.has(key)) indicatorCache.set(key, await flowIndicator(tx, year, activity, oreKind));
    return indicatorCache.get(key)!;
  };

  const newLots: (typeof traceLots.$inferInsert)[] = [];
  const movements: (typeof traceMovements.$inferInsert)[] = [];
  const edges: (typeof traceLotEdges.$inferInsert)[] = [];
  const shipments: (typeof traceShipments.$inferInsert)[] = [];
  const receivedShipments: { id: string; receivedGrams: bigint; receiptEventRowId: string; receivedAt: Date }[] = [];
  const postings = new Map<string, { year: number; month: number; indicator: Indicator; grams: bigint; lotIds: string[] }>();
  const post = (year: number, month: number, indicator: Indicator, grams: bigint, lotIds: string[]) => {
    const key = `${year}:${month}:${indicator}`;
    const p = postings.get(key) ?? { year, month, indicator, grams: 0n, lotIds: [] };
    p.grams += grams;
    p.lotIds.push(...lotIds);
    postings.set(key, p);
  };

  for (const r of flows) {
    const flow = r.reading.flow;
    if (!flow || r.reading.problems.length) continue;
    const fail = (field: string, rule: string, message: string) => { problems.push({ index: r.index, field, rule, message }); };
    const before = problems.length;
    const { year, month } = monthInChina(r.eventTime);
    const date = new Date(r.eventTime.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const movement = (lot: LotState, kind: string, grams: bigint, counterparty: string | null = null) => {
      movements.push({
        id: newId(), enterpriseId, lotId: lot.id, productId: lot.productId, kind, grams, reoGrams: grams < 0n ? -reoGrams(-grams, lot.reoPpm) : reoGrams(grams, lot.reoPpm),
        year, month, eventTime: r.eventTime, eventEnterpriseId: enterpriseId, eventRowId: r.rowId, counterpartyEnterpriseId: counterparty,
      });
    };
    /** A lot this event creates: new, named for its product, made by this enterprise. */
    const newLot = (q: LotQuantity, productCode: string | null): { product: ProductRow; uri: string } | null => {
      if (!q.lot) { fail(`${q.field}.epcClass`, 'lot_required', 'each quantity names its lot (epcClass)'); return null; }
      if (lots.has(q.lot)) { fail(`${q.field}.epcClass`, 'lot_exists', `lot ${q.lot} already exists; a lot is created once`); return null; }
      const minted = parseMintedLot(q.lot);
      if (minted && me && minted.creditCode !== me.creditCode) { fail(`${q.field}.epcClass`, 'lot_not_yours', `a Ytterby lot identifier carries its maker's credit code; ${minted.creditCode} is not yours (${me.creditCode})`); return null; }
      const code = minted?.productCode ?? productCode;
      const product = code ? byCode.get(code) : undefined;
      if (!product) { fail(code ? `${q.field}.epcClass` : 'ilmd.ytb:product', 'product_unknown', code ? `product ${code} is not in the catalogue` : 'name the product: a Ytterby lot identifier or ilmd ytb:product'); return null; }
      if (minted && productCode && productCode !== minted.productCode) { fail('ilmd.ytb:product', 'product_mismatch', `the lot identifier names ${minted.productCode}, ilmd names ${productCode}`); return null; }
      return { product, uri: q.lot };
    };
    /** A lot this event takes from the enterprise's stock. */
    const takeLot = (q: LotQuantity, verb: string): LotState | null => {
      const lot = lots.get(q.lot);
      if (!lot) { fail(`${q.field}.epcClass`, 'lot_unknown', `lot ${q.lot} is not recorded: it must be mined, imported, made or received first`); return null; }
      const held = stock.get(lot.id) ?? 0n;
      if (q.grams > held) { fail(`${q.field}.quantity`, 'exceeds_remaining', `${verb} ${kg(q.grams)} kg of lot ${q.lot}, but ${kg(held)} kg of it remain with you`); return null; }
      return lot;
    };
    const create = (uri: string, product: ProductRow, ppm: bigint, grams: bigint, origin: Partial<typeof traceLots.$inferInsert>): LotState => {
      const lot: LotState = { id: newId(), uri, productId: product.id, reoPpm: ppm, isNew: true };
      lots.set(uri, lot);
      newLots.push({ id: lot.id, uri, productId: product.id, producerEnterpriseId: enterpriseId, originKind: 'transformed', reoPpm: ppm, producedGrams: grams, producedReoGrams: reoGrams(grams, ppm), producedAt: r.eventTime, eventEnterpriseId: enterpriseId, eventRowId: r.rowId, ...origin });
      changeStock(lot.id, grams);
      return lot;
    };

    switch (flow.kind) {
      case 'commissioning': {
        const made = flow.lots.map((q) => ({ q, lot: newLot(q, flow.productCode) }));
        if (problems.length > before) break;
        if (flow.import) {
          for (const { q, lot } of made) {
            const l = create(lot!.uri, lot!.product, productPpm(lot!.product), q.grams, { originKind: 'imported', originCountry: flow.import.country, assay: { customsDeclarationNo: flow.import.customsDeclarationNo } });
            movement(l, 'imported', q.grams);
          }
          break;
        }
        const mine = flow.location ? locations.get(flow.location) : undefined;
        if (!mine || mine.kind !== 'mine' || !mine.active) { fail('bizLocation', 'mine_unregistered', `mining output is recorded at a registered mine of yours (bizLocation); ${flow.location ?? 'none'} is not one`); break; }
        for (const { lot } of made) if (lot!.product.category !== 'mineral_product') fail('quantityList', 'commission_mineral_only', `${lot!.product.code} is not a mineral product: other products are made by a transformation, received or imported`);
        if (problems.length > before) break;
        const oreKind = mine.oreKind as 'rock_type' | 'ion_adsorption';
        if (!(await designated('mining', date, oreKind))) {
          fail('bizLocation', 'undesignated', `Art. 7: mining ${oreKind === 'rock_type' ? 'rock-type' : 'ion-adsorption'} ore needs a current designation on ${date}; ${me?.nameZh ?? enterpriseId} has none`);
          alerts.push({ kind: 'undesignated_activity', enterpriseId, year, month, eventId: r.eventId, details: { activity: 'mining', oreKind, date, location: flow.location } });
          break;
        }
        const indicator = await indicatorFor(year, 'mining', oreKind);
        if (!indicator) { fail('eventTime', 'plan_not_approved', `there is no approved ${year} quota plan with a mining indicator to consume`); break; }
        let total = 0n;
        const ids: string[] = [];
        for (const { q, lot } of made) {
          const ppm = flow.assay?.treoPpm || BigInt(lot!.product.reoPpm);
          const l = create(lot!.uri, lot!.product, ppm, q.grams, { originKind: 'mined', originDivisionCode: mine.divisionCode, assay: flow.assay ? { treoPercent: Number(flow.assay.treoPpm) / 10_000, elements: flow.assay.elements, location: mine.uri } : { location: mine.uri } });
          movement(l, 'mined', q.grams);
          total += reoGrams(q.grams, ppm);
          ids.push(l.id);
        }
        post(year, month, indicator, total, ids);
        break;
      }
      case 'transformation': {
        const inputs = flow.inputs.map((q) => ({ q, lot: takeLot(q, 'using') }));
        const outputs = flow.outputs.map((q) => ({ q, lot: newLot(q, flow.productCode) }));
        if (problems.length > before) break;
        // The same lot listed twice must still fit what is held.
        const used = new Map<string, bigint>();
        for (const { q, lot } of inputs) used.set(lot!.id, (used.get(lot!.id) ?? 0n) + q.grams);
        for (const [lotId, grams] of used) if (grams > (stock.get(lotId) ?? 0n)) fail('inputQuantityList', 'exceeds_remaining', `the inputs use ${kg(grams)} kg of one lot, more than the ${kg(stock.get(lotId) ?? 0n)} kg you hold`);
        const inReo = inputs.reduce((s, { q, lot }) => s + reoGrams(q.grams, lot!.reoPpm), 0n);
        const outReo = outputs.reduce((s, { q, lot }) => s + reoGrams(q.grams, productPpm(lot!.product)), 0n);
        if (outReo > inReo) fail('outputQuantityList', 'reo_exceeds_inputs', `the outputs contain ${kg(outReo)} kg REO, more than the ${kg(inReo)} kg REO of the inputs`);
        const mineral = inputs.filter(({ lot }) => byId.get(lot!.productId)?.category === 'mineral_product');
        let indicator: Indicator | null = null;
        if (mineral.length && problems.length === before) {
          if (!(await designated('smelting_separation', date))) {
            fail('inputQuantityList', 'undesignated', `Art. 7: separating mineral products needs a current smelting-separation designation on ${date}; ${me?.nameZh ?? enterpriseId} has none`);
            alerts.push({ kind: 'undesignated_activity', enterpriseId, year, month, eventId: r.eventId, details: { activity: 'smelting_separation', date } });
          } else if (!(indicator = await indicatorFor(year, 'smelting_separation', null))) {
            fail('eventTime', 'plan_not_approved', `there is no approved ${year} quota plan with a smelting-separation indicator to consume`);
          }
        }
        if (problems.length > before) break;
        for (const { q, lot } of inputs) { changeStock(lot!.id, -q.grams); movement(lot!, 'used', -q.grams); }
        const made = outputs.map(({ q, lot }) => ({ q, lot: create(lot!.uri, lot!.product, productPpm(lot!.product), q.grams, { originKind: 'transformed' }) }));
        for (const o of made) movement(o.lot, 'produced', o.q.grams);
        for (const i of inputs) {
          for (const o of made) {
            edges.push({ parentLotId: i.lot!.id, childLotId: o.lot.id, enterpriseId, eventRowId: r.rowId, parentGrams: i.q.grams, parentReoGrams: reoGrams(i.q.grams, i.lot!.reoPpm), childGrams: o.q.grams, childReoGrams: reoGrams(o.q.grams, o.lot.reoPpm) });
          }
        }
        if (indicator) post(year, month, indicator, mineral.reduce((s, { q, lot }) => s + reoGrams(q.grams, lot!.reoPpm), 0n), made.map((m) => m.lot.id));
        break;
      }
      case 'shipment': {
        let to: string | null = null;
        if (!flow.export) {
          const code = flow.destinationParty ? parsePartyUri(flow.destinationParty) : null;
          const party = code ? parties.get(code) : undefined;
          if (!party || !party.active) { fail('destinationList', 'destination_unknown', `the destination ${flow.destinationParty} is not a registered, active enterprise (https://id.ytterby.cn/party/{credit code})`); break; }
          if (party.id === enterpriseId) { fail('destinationList', 'destination_self', 'a shipment goes to another enterprise'); break; }
          to = party.id;
        }
        const taken = flow.lots.map((q) => ({ q, lot: takeLot(q, flow.export ? 'exporting' : 'shipping') }));
        if (problems.length > before) break;
        for (const { q, lot } of taken) {
          changeStock(lot!.id, -q.grams);
          movement(lot!, flow.export ? 'exported' : 'shipped', -q.grams, to);
          shipments.push({
            id: newId(), lotId: lot!.id, fromEnterpriseId: enterpriseId, toEnterpriseId: to, shipEventRowId: r.rowId, grams: q.grams, reoGrams: reoGrams(q.grams, lot!.reoPpm),
            shippedAt: r.eventTime, dueBy: flow.export ? null : new Date(r.eventTime.getTime() + rules.receiptDueDays * 86_400_000), invoiceNo: flow.invoiceNo,
            exportCountry: flow.export?.country ?? null, customsDeclarationNo: flow.export?.customsDeclarationNo ?? null, status: flow.export ? 'exported' : 'in_transit',
          });
        }
        break;
      }
      case 'receipt': {
        const code = flow.sourceParty ? parsePartyUri(flow.sourceParty) : null;
        const from = code ? parties.get(code) : undefined;
        if (!from) { fail('sourceList', 'source_unknown', `the source ${flow.sourceParty} is not a registered enterprise`); break; }
        for (const q of flow.lots) {
          const lot = lots.get(q.lot);
          const match = lot ? openShipments.find((s) => s.lotId === lot.id && s.fromEnterpriseId === from.id && !receivedShipments.some((x) => x.id === s.id)) : undefined;
          if (!lot || !match) { fail(`${q.field}.epcClass`, 'no_matching_shipment', `no shipment of lot ${q.lot} from ${code} to you awaits receipt`); continue; }
          receivedShipments.push({ id: match.id, receivedGrams: q.grams, receiptEventRowId: r.rowId, receivedAt: r.eventTime });
          const difference = q.grams > match.grams ? q.grams - match.grams : match.grams - q.grams;
          if (difference * PPM > match.grams * rules.receiptTolerancePpm) {
            alerts.push({ kind: 'receipt_mismatch', enterpriseId, year, month, eventId: r.eventId, details: { lot: q.lot, shippedKg: kg(match.grams), receivedKg: kg(q.grams), fromEnterpriseId: from.id, shipmentId: match.id } });
          }
          changeStock(lot.id, q.grams);
          movement(lot, 'received', q.grams, from.id);
        }
        break;
      }
    }
  }
  if (problems.length) throw new FlowRefusal(problems, alerts.filter((a) => a.kind === 'undesignated_activity'));

  // Quota first, so each lot carries the entry it consumed.
  const quotaOf = new Map<string, { entryId: string; withinQuota: boolean }>();
  for (const p of postings.values()) {
    if (p.grams === 0n) continue;
    const posted = await postFlowConsumption(tx, actor, { enterpriseId, year: p.year, month: p.month, indicator: p.indicator, grams: p.grams, note: `product flows: ${p.lotIds.length} lot(s)` });
    for (const id of p.lotIds) quotaOf.set(id, posted);
  }
  const lotRows = newLots.map((l) => ({ ...l, quotaEntryId: quotaOf.get(l.id!)?.entryId ?? null, withinQuota: quotaOf.get(l.id!)?.withinQuota ?? null }));
  for (let i = 0; i < lotRows.length; i += 500) await tx.insert(traceLots).values(lotRows.slice(i, i + 500));
  // Rows of every lot concerned were locked above, so the held amounts computed here are exact.
  const stockRows = [...touched].map((lotId) => ({ lotId, enterpriseId, grams: stock.get(lotId)! }));
  for (let i = 0; i < stockRows.length; i += 500) {
    await tx.insert(traceStock).values(stockRows.slice(i, i + 500)).onConflictDoUpdate({ target: [traceStock.lotId, traceStock.enterpriseId], set: { grams: sql`excluded.grams` } });
  }
  for (let i = 0; i < movements.length; i += 500) await tx.insert(traceMovements).values(movements.slice(i, i + 500));
  for (let i = 0; i < edges.length; i += 500) await tx.insert(traceLotEdges).values(edges.slice(i, i + 500));
  for (let i = 0; i < shipments.length; i += 500) await tx.insert(traceShipments).values(shipments.slice(i, i + 500));
  for (const s of receivedShipments) {
    await tx.update(traceShipments).set({ status: 'received', receivedGrams: s.receivedGrams, receiptEventRowId: s.receiptEventRowId, receivedAt: s.receivedAt }).where(eq(traceShipments.id, s.id));
  }
  const stored = alerts.filter((a) => a.kind === 'receipt_mismatch');
  if (stored.length) await tx.insert(traceAlerts).values(stored.map((a) => ({ id: newId(), ...a })));
  return { flowCount: flows.length };
}

/** Alerts that outlive a refused capture (Art. 7: an attempt by an undesignated enterprise is itself reported). */
export async function recordRefusalAlerts(tx: Db, alerts: PendingAlert[]): Promise<void> {
  if (alerts.length) await tx.insert(traceAlerts).values(alerts.map((a) => ({ id: newId(), ...a })));
}

