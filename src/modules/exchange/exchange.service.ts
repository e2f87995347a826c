/**
 * Intake of what Commerce, Customs and Taxation share (draft traceability measures): each
 * department delivers its own kind of record, through the API or as a file; a delivery is one
 * transaction, idempotent on each record's own number and content hash, and refused whole, with
 * every problem named by record and field, if any record is wrong.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { sqlState, withTransaction } from '../../db/transaction.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { activeExportControlRules } from '../registry/products.service.ts';
import { departments, divisions, enterprises, products, rareEarthElements } from '../registry/registry.tables.ts';
import { AppError, forbidden, invalidFields, type FieldProblem } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import {
  checkRecords, controlledScopeElements, DELIVERER, licenceDecision, rareEarthHsCodes,
  type AnyRecord, type CatalogueProduct, type DeclarationRecord, type InvoiceRecord, type Kind, type LicenceRecord, type RecordContext,
} from './exchange.records.ts';
import { exchangeDeclarations, exchangeDeliveries, exchangeInvoices, exchangeLicenceItems, exchangeLicences } from './exchange.tables.ts';

export const MAX_RECORDS = 10_000;

export interface DeliveryIn {
  kind: Kind;
  channel: 'api' | 'file';
  fileName: string | null;
  records: unknown[];
  /** For files: adds sheet rows and columns to the problems. */
  locate?: (problems: FieldProblem[]) => FieldProblem[];
}

export interface DeliveryOut { deliveryId: string; created: number; unchanged: number; revised: number }

async function departmentCodeOf(db: Db, actor: Actor): Promise<string | null> {
  if (!actor.departmentId) return null;
  const [row] = await db.select({ code: departments.code }).from(departments).where(eq(departments.id, actor.departmentId));
  return row?.code ?? null;
}

export async function recordContext(db: Db): Promise<RecordContext> {
  const [productRows, elementRows, rules] = await Promise.all([
    db.select({
      id: products.id, code: products.code, nameZh: products.nameZh, nameEn: products.nameEn, category: products.category,
      reoPpm: products.reoPpm, elementSplitPpm: products.elementSplitPpm,
    }).from(products).where(eq(products.active, true)),
    db.select({ symbol: rareEarthElements.symbol }).from(rareEarthElements),
    activeExportControlRules(db),
  ]);
  return {
    products: new Map(productRows.map((p) => [p.code, p as CatalogueProduct])),
    elements: new Set(elementRows.map((e) => e.symbol)),
    rules, hsCodes: rareEarthHsCodes(),
  };
}

function contentHash(record: AnyRecord): string {
  const { number: _number, ...content } = record;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export async function deliver(db: Db, actor: Actor, input: DeliveryIn): Promise<DeliveryOut> {
  requirePermission(actor, 'exchange.deliver');
  const department = await departmentCodeOf(db, actor);
  if (department !== DELIVERER[input.kind]) {
    throw forbidden(`${input.kind} are delivered by ${DELIVERER[input.kind]}; your department (${department ?? 'none'}) delivers ${Object.entries(DELIVERER).filter(([, d]) => d === department).map(([k]) => k).join(', ') || 'nothing'}`, 'exchange.not_your_records');
  }
  if (input.records.length === 0) throw invalidFields([{ field: 'records', rule: 'min_items', message: 'a delivery holds at least one record' }]);
  if (input.records.length > MAX_RECORDS) throw invalidFields([{ field: 'records', rule: 'max_items', message: `at most ${MAX_RECORDS} records per delivery` }]);
  const ctx = await recordContext(db);
  const { records, problems } = checkRecords(input.kind, input.records, ctx);
  if (problems.length) {
    // Nothing of it is stored; the attempt is logged so the department and the ministries see it failed.
    const located = (input.locate ?? ((p) => p))(problems.slice(0, 1000));
    const refused = new Set(problems.map((p) => /^records\.(\d+)/.exec(p.field)?.[1] ?? '-')).size;
    const deliveryId = newId();
    await withTransaction(db, async (tx) => {
      await tx.insert(exchangeDeliveries).values({
        id: deliveryId, departmentId: actor.departmentId!, departmentCode: department, kind: input.kind, channel: input.channel, status: 'refused',
        fileName: input.fileName, recordCount: input.records.length, refused, problemCount: problems.length, created: 0, unchanged: 0, revised: 0,
        deliveredBy: actor.username,
      });
      await recordAudit(tx, actor, {
        action: 'refuse', entity: 'exchange_delivery', entityId: deliveryId,
        after: { kind: input.kind, channel: input.channel, fileName: input.fileName, records: input.records.length, refused, problems: problems.length },
      });
    });
    throw new AppError('validation', 'exchange.invalid_records',
      `${refused} of ${input.records.length} records have problems; nothing of this delivery was stored`, located, { deliveryId, refused });
  }

  // Two deliveries naming the same new number at once: the loser hits the unique index on the
  // current revision and is run again, when it sees the winner's row (unchanged or a revision).
  for (let attempt = 0; ; attempt++) {
    try {
      return await storeDelivery(db, actor, input, department, records, ctx);
    } catch (error) {
      if (attempt < 3 && sqlState(error) === '23505') continue;
      throw error;
    }
  }
}

async function storeDelivery(db: Db, actor: Actor, input: DeliveryIn, department: string, records: AnyRecord[], ctx: RecordContext): Promise<DeliveryOut> {
  return withTransaction(db, async (tx) => {
    const deliveryId = newId();
    await tx.insert(exchangeDeliveries).values({
      id: deliveryId, departmentId: actor.departmentId!, departmentCode: department, kind: input.kind, channel: input.channel, status: 'stored',
      fileName: input.fileName, recordCount: records.length, refused: 0, problemCount: 0, created: 0, unchanged: 0, revised: 0, deliveredBy: actor.username,
    });
    const codes = [...new Set(records.flatMap(partiesOf).map((p) => p.creditCode))];
    const linked = new Map((codes.length
      ? await tx.select({ id: enterprises.id, creditCode: enterprises.creditCode }).from(enterprises).where(inArray(enterprises.creditCode, codes))
      : []).map((e) => [e.creditCode, e.id]));
    const counts = { created: 0, unchanged: 0, revised: 0 };
    const base = { deliveryId, departmentCode: department };
    for (const record of records) {
      const hash = contentHash(record);
      const outcome = await store(tx, input.kind, record, hash, base, linked, ctx);
      counts[outcome]++;
    }
    await tx.update(exchangeDeliveries).set(counts).where(eq(exchangeDeliveries.id, deliveryId));
    await recordAudit(tx, actor, {
      action: 'deliver', entity: 'exchange_delivery', entityId: deliveryId,
      after: { kind: input.kind, channel: input.channel, fileName: input.fileName, records: records.length, ...counts },
    });
    return { deliveryId, ...counts };
  });
}

function partiesOf(record: AnyRecord) {
  if ('licenceNo' in record && 'exporter' in record) return [record.exporter];
  if ('declarant' in record) return [record.declarant, record.party];
  return [(record as InvoiceRecord).seller, (record as InvoiceRecord).buyer];
}

type Outcome = 'created' | 'unchanged' | 'revised';

async function store(
  tx: Db, kind: Kind, record: AnyRecord, hash: string, base: { deliveryId: string; departmentCode: string },
  linked: Map<string, string>, ctx: RecordContext,
): Promise<Outcome> {
  const table = kind === 'licences' ? exchangeLicences : kind === 'declarations' ? exchangeDeclarations : exchangeInvoices;
  const key: SQL = kind === 'licences' ? eq(exchangeLicences.licenceNo, (record as LicenceRecord).licenceNo)
    : kind === 'declarations' ? eq(exchangeDeclarations.declarationNo, (record as DeclarationRecord).declarationNo)
    : and(eq(exchangeInvoices.invoiceCode, (record as InvoiceRecord).invoiceCode), eq(exchangeInvoices.invoiceNumber, (record as InvoiceRecord).invoiceNumber))!;
  const [current] = await tx.select({ id: table.id, revision: table.revision, contentHash: table.contentHash })
    .from(table).where(and(key, eq(table.current, true))).for('update');
  if (current?.contentHash === hash) return 'unchanged';
  if (current) await tx.update(table).set({ current: false }).where(eq(table.id, current.id));
  const id = newId();
  const common = { id, revision: (current?.revision ?? 0) + 1, current: true, contentHash: hash, ...base };
  const link = (code: string) => linked.get(code) ?? null;
  if (kind === 'licences') {
    const r = record as LicenceRecord;
    await tx.insert(exchangeLicences).values({
      ...common, licenceNo: r.licenceNo, exporterCreditCode: r.exporter.creditCode, exporterName: r.exporter.name,
      exporterEnterpriseId: link(r.exporter.creditCode), endUserName: r.endUserName, endUserCountry: r.endUserCountry,
      validFrom: r.validFrom, validTo: r.validTo,
    });
    await tx.insert(exchangeLicenceItems).values(r.items.map((item, lineNo) => ({
      licenceId: id, lineNo: lineNo + 1, element: item.element, productCode: item.productCode,
      productId: ctx.products.get(item.productCode)?.id ?? null, quantityGrams: item.quantityGrams, reoGrams: item.reoGrams,
    })));
  } else if (kind === 'declarations') {
    const r = record as DeclarationRecord;
    await tx.insert(exchangeDeclarations).values({
      ...common, declarationNo: r.declarationNo, direction: r.direction,
      declarantCreditCode: r.declarant.creditCode, declarantName: r.declarant.name, declarantEnterpriseId: link(r.declarant.creditCode),
      partyCreditCode: r.party.creditCode, partyName: r.party.name, partyEnterpriseId: link(r.party.creditCode),
      hsCode: r.hsCode, goodsDescription: r.goodsDescription, productCode: r.productCode, quantity: r.quantity, unit: r.unit,
      quantityGrams: r.quantityGrams, reoGrams: r.reoGrams, country: r.country, port: r.port, declaredOn: r.declaredOn, licenceNo: r.licenceNo,
    });
  } else {
    const r = record as InvoiceRecord;
    await tx.insert(exchangeInvoices).values({
      ...common, invoiceCode: r.invoiceCode, invoiceNumber: r.invoiceNumber,
      sellerCreditCode: r.seller.creditCode, sellerName: r.seller.name, sellerEnterpriseId: link(r.seller.creditCode),
      buyerCreditCode: r.buyer.creditCode, buyerName: r.buyer.name, buyerEnterpriseId: link(r.buyer.creditCode),
      goodsName: r.goodsName, productCode: r.productCode, productId: ctx.products.get(r.productCode)!.id, quantityBasis: r.quantityBasis,
      quantityGrams: r.quantityGrams, reoGrams: r.reoGrams, amountFen: r.amountFen, issuedOn: r.issuedOn,
    });
  }
  return current ? 'revised' : 'created';
}

// ---------------------------------------------------------------------------------------------
// Reads within mandate

/**
 * Who reads what. Ministries (MIIT, MNR, NDRC), auditors and the three exchange systems read all
 * three kinds nationally (Customs checks exports against licences, Taxation export rebates against
 * declarations); a local department reads the records naming an enterprise domiciled in its
 * division. The end user of a licence is sensitive: only MOFCOM's system and MIIT's ministry
 * staff see it; everyone else gets it redacted.
 */
const END_USER_READERS: { role: Actor['role']; department: string }[] = [
  { role: 'exchange_system', department: 'MOFCOM' },
  { role: 'ministry_admin', department: 'MIIT' },
  { role: 'ministry_reviewer', department: 'MIIT' },
];
export const REDACTED = '[redacted]';

export interface ListQuery { number?: string; current: boolean; page: number; pageSize: number }

async function enterprisesInScope(db: Db, actor: Actor): Promise<string[] | null> {
  const scope = actor.scope;
  if (scope.kind === 'national') return null;
  if (scope.kind === 'enterprise') return [scope.enterpriseId];
  const column = scope.level === 'province' ? divisions.provinceCode : scope.level === 'prefecture' ? divisions.prefectureCode : divisions.code;
  const rows = await db.select({ id: enterprises.id }).from(enterprises)
    .innerJoin(divisions, eq(divisions.code, enterprises.domicileDivisionCode)).where(eq(column, scope.divisionCode));
  return rows.map((r) => r.id);
}

const str = (v: bigint | null) => (v === null ? null : v.toString());

export async function listRecords(db: Db, actor: Actor, kind: Kind, query: ListQuery) {
  requirePermission(actor, 'exchange.read');
  const department = await departmentCodeOf(db, actor);
  const inScope = await enterprisesInScope(db, actor);
  if (inScope && inScope.length === 0) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const offset = (query.page - 1) * query.pageSize;
  let items: Record<string, unknown>[];
  if (kind === 'licences') {
    const t = exchangeLicences;
    const where = and(query.current ? eq(t.current, true) : undefined, query.number ? eq(t.licenceNo, query.number) : undefined,
      inScope ? inArray(t.exporterEnterpriseId, inScope) : undefined);
    const rows = await db.select().from(t).where(where).orderBy(desc(t.receivedAt), desc(t.id)).limit(query.pageSize).offset(offset);
    const ids = rows.map((r) => r.id);
    const itemRows = ids.length ? await db.select().from(exchangeLicenceItems).where(inArray(exchangeLicenceItems.licenceId, ids)).orderBy(exchangeLicenceItems.lineNo) : [];
    const numbers = [...new Set(rows.map((r) => r.licenceNo))];
    // A licence is used up by the exports recorded against it.
    const used = numbers.length ? await db.select({ licenceNo: exchangeDeclarations.licenceNo, grams: sql<string>`sum(${exchangeDeclarations.quantityGrams})::text` })
      .from(exchangeDeclarations)
      .where(and(eq(exchangeDeclarations.current, true), eq(exchangeDeclarations.direction, 'export'), inArray(exchangeDeclarations.licenceNo, numbers)))
      .groupBy(exchangeDeclarations.licenceNo) : [];
    const usedBy = new Map(used.map((u) => [u.licenceNo, BigInt(u.grams)]));
    const seesEndUser = END_USER_READERS.some((r) => r.role === actor.role && r.department === department);
    items = rows.map((r) => {
      const lines = itemRows.filter((i) => i.licenceId === r.id);
      const licensed = lines.reduce((s, i) => s + i.quantityGrams, 0n);
      const usedGrams = usedBy.get(r.licenceNo) ?? 0n;
      return {
        id: r.id, licenceNo: r.licenceNo, revision: r.revision, current: r.current, deliveryId: r.deliveryId, departmentCode: r.departmentCode,
        contentHash: r.contentHash, receivedAt: r.receivedAt.toISOString(),
        exporter: { creditCode: r.exporterCreditCode, name: r.exporterName, enterpriseId: r.exporterEnterpriseId },
        endUser: seesEndUser ? { name: r.endUserName, country: r.endUserCountry } : { name: REDACTED, country: REDACTED },
        validFrom: r.validFrom, validTo: r.validTo,
        items: lines.map((i) => ({ lineNo: i.lineNo, element: i.element, productCode: i.productCode, quantityGrams: str(i.quantityGrams), reoGrams: str(i.reoGrams) })),
        licensedGrams: licensed.toString(), usedGrams: usedGrams.toString(), remainingGrams: (licensed - usedGrams).toString(),
      };
    });
  } else if (kind === 'declarations') {
    const t = exchangeDeclarations;
    const where = and(query.current ? eq(t.current, true) : undefined, query.number ? eq(t.declarationNo, query.number) : undefined,
      inScope ? or(inArray(t.partyEnterpriseId, inScope), inArray(t.declarantEnterpriseId, inScope)) : undefined);
    const rows = await db.select().from(t).where(where).orderBy(desc(t.receivedAt), desc(t.id)).limit(query.pageSize).offset(offset);
    items = rows.map((r) => ({
      id: r.id, declarationNo: r.declarationNo, revision: r.revision, current: r.current, deliveryId: r.deliveryId, departmentCode: r.departmentCode,
      contentHash: r.contentHash, receivedAt: r.receivedAt.toISOString(), direction: r.direction,
      declarant: { creditCode: r.declarantCreditCode, name: r.declarantName, enterpriseId: r.declarantEnterpriseId },
      party: { creditCode: r.partyCreditCode, name: r.partyName, enterpriseId: r.partyEnterpriseId },
      hsCode: r.hsCode, goodsDescription: r.goodsDescription, productCode: r.productCode, quantity: r.quantity, unit: r.unit,
      quantityGrams: str(r.quantityGrams), reoGrams: str(r.reoGrams), country: r.country, port: r.port, declaredOn: r.declaredOn, licenceNo: r.licenceNo,
    }));
  } else {
    const t = exchangeInvoices;
    const [code, number] = query.number?.split('-') ?? [];
    const where = and(query.current ? eq(t.current, true) : undefined,
      query.number ? and(eq(t.invoiceCode, code ?? ''), eq(t.invoiceNumber, number ?? '')) : undefined,
      inScope ? or(inArray(t.sellerEnterpriseId, inScope), inArray(t.buyerEnterpriseId, inScope)) : undefined);
    const rows = await db.select().from(t).where(where).orderBy(desc(t.receivedAt), desc(t.id)).limit(query.pageSize).offset(offset);
    items = rows.map((r) => ({
      id: r.id, invoiceCode: r.invoiceCode, invoiceNumber: r.invoiceNumber, revision: r.revision, current: r.current, deliveryId: r.deliveryId,
      departmentCode: r.departmentCode, contentHash: r.contentHash, receivedAt: r.receivedAt.toISOString(),
      seller: { creditCode: r.sellerCreditCode, name: r.sellerName, enterpriseId: r.sellerEnterpriseId },
      buyer: { creditCode: r.buyerCreditCode, name: r.buyerName, enterpriseId: r.buyerEnterpriseId },
      goodsName: r.goodsName, productCode: r.productCode, quantityBasis: r.quantityBasis, quantityGrams: str(r.quantityGrams),
      reoGrams: str(r.reoGrams), amountFen: str(r.amountFen), issuedOn: r.issuedOn,
    }));
  }
  // Every read of another department's records is audited, naming what was shown.
  if (department !== DELIVERER[kind] && items.length > 0) {
    await withTransaction(db, (tx) => recordAudit(tx, actor, {
      action: 'read', entity: `exchange_${kind}`, entityId: items.length === 1 ? String(items[0]!.id) : `${items.length} records`,
      after: { ids: items.map((i) => i.id), query: { number: query.number ?? null, current: query.current, page: query.page } },
    }));
  }
  return { items, page: query.page, pageSize: query.pageSize };
}

export async function deliveries(db: Db, actor: Actor, page: number, pageSize: number) {
  requirePermission(actor, 'exchange.read');
  if (actor.scope.kind !== 'national') throw forbidden('deliveries are visible to national departments', 'exchange.not_in_mandate');
  const department = await departmentCodeOf(db, actor);
  // A department's system sees its own deliveries; ministries and auditors see all.
  const own = actor.role === 'exchange_system';
  const rows = await db.select().from(exchangeDeliveries)
    .where(own ? eq(exchangeDeliveries.departmentCode, department ?? '') : undefined)
    .orderBy(desc(exchangeDeliveries.at), desc(exchangeDeliveries.id)).limit(pageSize).offset((page - 1) * pageSize);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** Whether exporting an element, or a catalogue product or HS line, needs a licence on a date, from the dated rules. */
export async function exportControlDecision(db: Db, actor: Actor, q: { element?: string; productCode?: string; hsCode?: string; date?: string }) {
  requirePermission(actor, 'registry.read');
  const ctx = await recordContext(db);
  const date = q.date ?? todayInChina();
  const problems: FieldProblem[] = [];
  if (q.element && !ctx.elements.has(q.element)) problems.push({ field: 'element', rule: 'element', message: `${q.element} is not a rare earth element symbol` });
  if (q.productCode && !ctx.products.has(q.productCode)) problems.push({ field: 'productCode', rule: 'catalogue', message: `${q.productCode} is not in the catalogue` });
  if (!q.element && !q.productCode && !q.hsCode) problems.push({ field: 'element', rule: 'required', message: 'name an element, a productCode or an hsCode' });
  if (problems.length) throw invalidFields(problems);
  const elements = q.element ? [q.element] : controlledScopeElements(ctx, q.productCode ?? null, q.hsCode ?? null);
  return licenceDecision(elements, ctx.rules, date);
}

