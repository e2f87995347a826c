/**
 * Lots: the list and one lot with its holdings and movements, within the caller's jurisdiction
 * (a lot is visible where its producer or one of its holders is), and minting of Ytterby lot
 * identifiers with their QR code.
 */
import { and, asc, count, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Db } from '../../db/database.ts';
import { isLotNumber, mintedLotUri, parseMintedLot, verificationPath } from '../../domain/trace/ids.ts';
import { gramsToKg } from '../../domain/trace/quantity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { enterpriseScopeCondition } from '../registry/registry.service.ts';
import { enterprises, products } from '../registry/registry.tables.ts';
import { forbidden, notFound, ProblemList } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { canonicalEpc } from '../../domain/trace/event-fields.ts';
import { traceLots, traceMovements, traceStock } from './flow.tables.ts';
import { eventIdsOf } from './event-refs.ts';

export interface PartyRef { id: string; nameZh: string; nameEn: string | null; provinceCode: string }
export interface LotOut {
  id: string; uri: string; productCode: string; productNameZh: string; productNameEn: string; category: string;
  producer: PartyRef; originKind: string; originDivisionCode: string | null; originCountry: string | null;
  producedKg: string; producedReoKg: string; producedAt: string; withinQuota: boolean | null;
  holdings: { enterpriseId: string; nameZh: string; nameEn: string | null; kg: string }[];
}

const provinceOf = (division: string) => `${division.slice(0, 2)}0000`;

/** Lots whose producer or a holder is within the actor's jurisdiction; undefined for national scope. */
export function visibleLotCondition(db: Db, actor: Actor): SQL | undefined {
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (!scope) return undefined;
  return sql`(${traceLots.producerEnterpriseId} in (select ${enterprises.id} from ${enterprises} where ${scope})
    or ${traceLots.id} in (select ${traceStock.lotId} from ${traceStock} join ${enterprises} on ${enterprises.id} = ${traceStock.enterpriseId} where ${scope}))`;
}

async function lotsOut(db: Db, rows: (typeof traceLots.$inferSelect)[]): Promise<LotOut[]> {
  if (rows.length === 0) return [];
  const productRows = await db.select().from(products).where(inArray(products.id, [...new Set(rows.map((r) => r.productId))]));
  const productById = new Map(productRows.map((p) => [p.id, p]));
  const holdings = await db.select({ lotId: traceStock.lotId, grams: traceStock.grams, enterpriseId: enterprises.id, nameZh: enterprises.nameZh, nameEn: enterprises.nameEn })
    .from(traceStock).innerJoin(enterprises, eq(enterprises.id, traceStock.enterpriseId)).where(and(inArray(traceStock.lotId, rows.map((r) => r.id)), sql`${traceStock.grams} > 0`));
  const producers = await enterpriseRefs(db, rows.map((r) => r.producerEnterpriseId));
  return rows.map((r) => {
    const p = productById.get(r.productId)!;
    return {
      id: r.id, uri: r.uri, productCode: p.code, productNameZh: p.nameZh, productNameEn: p.nameEn, category: p.category,
      producer: producers.get(r.producerEnterpriseId)!, originKind: r.originKind, originDivisionCode: r.originDivisionCode, originCountry: r.originCountry,
      producedKg: gramsToKg(r.producedGrams), producedReoKg: gramsToKg(r.producedReoGrams), producedAt: r.producedAt.toISOString(), withinQuota: r.withinQuota,
      holdings: holdings.filter((h) => h.lotId === r.id).map((h) => ({ enterpriseId: h.enterpriseId, nameZh: h.nameZh, nameEn: h.nameEn, kg: gramsToKg(h.grams) })),
    };
  });
}

export async function enterpriseRefs(db: Db, ids: string[]): Promise<Map<string, PartyRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: enterprises.id, nameZh: enterprises.nameZh, nameEn: enterprises.nameEn, division: enterprises.domicileDivisionCode }).from(enterprises).where(inArray(enterprises.id, unique));
  return new Map(rows.map((e) => [e.id, { id: e.id, nameZh: e.nameZh, nameEn: e.nameEn, provinceCode: provinceOf(e.division) }]));
}

export async function listLots(db: Db, actor: Actor, f: { q?: string; productCode?: string; page: number; pageSize: number }): Promise<{ items: LotOut[]; total: number }> {
  requirePermission(actor, 'trace.read');
  const conditions: (SQL | undefined)[] = [visibleLotCondition(db, actor)];
  if (f.q) conditions.push(ilike(traceLots.uri, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`));
  if (f.productCode) conditions.push(sql`${traceLots.productId} in (select ${products.id} from ${products} where ${products.code} = ${f.productCode})`);
  const where = and(...conditions.filter(Boolean));
  const [total] = await db.select({ n: count() }).from(traceLots).where(where);
  const rows = await db.select().from(traceLots).where(where).orderBy(desc(traceLots.producedAt), asc(traceLots.id)).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  return { items: await lotsOut(db, rows), total: Number(total?.n ?? 0) };
}

/** A lot by its identifier (any spelling of a GS1 key), or 404 outside the caller's jurisdiction. */
export async function findVisibleLot(db: Db, actor: Actor, uri: string) {
  const canonical = canonicalEpc(uri.trim());
  const [row] = await db.select().from(traceLots).where(and(eq(traceLots.uri, canonical), visibleLotCondition(db, actor)));
  if (!row) throw notFound('lot', uri);
  return row;
}

export async function lookupLot(db: Db, actor: Actor, uri: string) {
  requirePermission(actor, 'trace.read');
  const row = await findVisibleLot(db, actor, uri);
  const [lot] = await lotsOut(db, [row]);
  const scope = enterpriseScopeCondition(db, actor.scope);
  const moves = await db.select({ m: traceMovements, nameZh: enterprises.nameZh, nameEn: enterprises.nameEn }).from(traceMovements)
    .innerJoin(enterprises, eq(enterprises.id, traceMovements.enterpriseId))
    .where(and(eq(traceMovements.lotId, row.id), scope)).orderBy(asc(traceMovements.eventTime), asc(traceMovements.id)).limit(1000);
  const counterparties = await enterpriseRefs(db, moves.map((m) => m.m.counterpartyEnterpriseId).filter((x): x is string => x !== null));
  const eventIdOf = await eventIdsOf(db, moves.map((m) => ({ enterpriseId: m.m.eventEnterpriseId, rowId: m.m.eventRowId })));
  return {
    ...lot!,
    movements: moves.map(({ m, nameZh, nameEn }) => ({
      kind: m.kind, kg: gramsToKg(m.grams), reoKg: gramsToKg(m.reoGrams), enterpriseId: m.enterpriseId, enterpriseNameZh: nameZh, enterpriseNameEn: nameEn,
      counterpartyNameZh: m.counterpartyEnterpriseId ? counterparties.get(m.counterpartyEnterpriseId)?.nameZh ?? null : null,
      counterpartyNameEn: m.counterpartyEnterpriseId ? counterparties.get(m.counterpartyEnterpriseId)?.nameEn ?? null : null,
      eventId: eventIdOf.get(m.eventRowId) ?? null, eventTime: m.eventTime.toISOString(), reversal: m.reversesMovementId !== null,
    })),
  };
}

/** Mints a Ytterby lot identifier for the caller's enterprise, with the QR code of its public page. */
export async function mintLot(db: Db, actor: Actor, input: { productCode: string; lotNumber?: string | null }, publicBaseUrl: string): Promise<{ uri: string; verifyUrl: string; qrSvg: string }> {
  requirePermission(actor, 'trace.capture');
  if (!actor.enterpriseId) throw forbidden('lot identifiers are minted by the enterprise that makes the lot', 'trace.enterprise_only');
  const problems = new ProblemList();
  const lotNumber = input.lotNumber?.trim() || `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${newId().slice(-8)}`;
  if (!isLotNumber(lotNumber)) problems.add('lotNumber', 'format', "1–40 letters, digits or -_.!'()*+,:;=");
  const [product] = await db.select({ code: products.code }).from(products).where(eq(products.code, input.productCode));
  if (!product) problems.add('productCode', 'unknown', `${input.productCode} is not in the product catalogue`);
  problems.throwIfAny('trace.mint_invalid');
  const [me] = await db.select({ creditCode: enterprises.creditCode }).from(enterprises).where(eq(enterprises.id, actor.enterpriseId));
  const uri = mintedLotUri({ creditCode: me!.creditCode, productCode: product!.code, lotNumber });
  const verifyUrl = publicBaseUrl.replace(/\/$/, '') + verificationPath(parseMintedLot(uri)!);
  const qrSvg = await QRCode.toString(verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, verifyUrl, qrSvg };
}


