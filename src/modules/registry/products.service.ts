/** Use cases for the product catalogue (Order No. 71 Art. 2–3): categories, HS codes, REO content, element split, export control. */
import { and, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { exportControlOf, type ExportControlRule } from '../../domain/export-control.ts';
import { fractionToPpm, ppmToFraction, PPM, type FractionProblem } from '../../domain/fraction.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, notFound, ProblemList } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import { exportControlRules, products, rareEarthElements } from './registry.tables.ts';
import type { ProductOut, PRODUCT_CATEGORIES } from './registry.schemas.ts';

type Category = (typeof PRODUCT_CATEGORIES)[number];
export interface ProductInput {
  code: string;
  nameZh: string;
  nameEn: string;
  category: Category;
  hsCode?: string | null;
  reoContent: string | number;
  elementSplit?: Record<string, string | number> | null;
}
export type ProductPatch = Partial<Omit<ProductInput, 'code'>> & { active?: boolean };
export interface ProductFilters { category?: Category; active?: boolean }

type Row = typeof products.$inferSelect;

const FRACTION_MESSAGES: Record<FractionProblem, string> = {
  format: 'a decimal fraction such as 0.92',
  scale: 'at most 6 decimal places',
  negative: 'must be 0 or more',
  above_one: 'must be 1 or less',
};
// Rules named in the API: below 0 is `min`, above 1 is `max`.
const FRACTION_RULES: Record<FractionProblem, string> = { format: 'format', scale: 'scale', negative: 'min', above_one: 'max' };

export async function activeExportControlRules(db: Db): Promise<ExportControlRule[]> {
  return db.select({
    announcement: exportControlRules.announcement, elements: exportControlRules.elements,
    effectiveFrom: exportControlRules.effectiveFrom, suspendedFrom: exportControlRules.suspendedFrom, suspendedTo: exportControlRules.suspendedTo,
  }).from(exportControlRules).where(eq(exportControlRules.active, true));
}

function toOut(r: Row, rules: ExportControlRule[], today: string): ProductOut {
  const split = r.elementSplitPpm;
  const elements = split ? Object.keys(split) : [];
  return {
    id: r.id, code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, category: r.category as Category, hsCode: r.hsCode,
    reoContent: ppmToFraction(r.reoPpm),
    elementSplit: split ? Object.fromEntries(Object.entries(split).map(([el, ppm]) => [el, ppmToFraction(ppm)])) : null,
    exportControl: elements.flatMap((el) => exportControlOf(el, rules, today)),
    active: r.active,
  };
}

export async function listProducts(db: Db, actor: Actor, query: ListQuery & ProductFilters): Promise<Page<ProductOut>> {
  requirePermission(actor, 'registry.read');
  const conditions: SQL[] = [];
  if (query.category) conditions.push(eq(products.category, query.category));
  if (query.active !== undefined) conditions.push(eq(products.active, query.active));
  if (query.q) {
    const p = likePattern(query.q);
    conditions.push(or(ilike(products.nameZh, p), ilike(products.nameEn, p), ilike(products.code, p), ilike(products.hsCode, p))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total], rules] = await Promise.all([
    db.select().from(products).where(where)
      .orderBy(...orderBy(query, { code: products.code, nameZh: products.nameZh, category: products.category, reoContent: products.reoPpm }, 'code', products.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(products).where(where),
    activeExportControlRules(db),
  ]);
  const today = todayInChina();
  return { items: rows.map((r) => toOut(r, rules, today)), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function find(db: Db, id: string): Promise<ProductOut | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(products).where(eq(products.id, id));
  return row ? toOut(row, await activeExportControlRules(db), todayInChina()) : null;
}

export async function getProduct(db: Db, actor: Actor, id: string): Promise<ProductOut> {
  requirePermission(actor, 'registry.read');
  const found = await find(db, id);
  if (!found) throw notFound('product', id);
  return found;
}

/** Validates the REO content and element split; returns them in ppm. */
async function validate(db: Db, input: ProductPatch): Promise<{ reoPpm?: number; splitPpm?: Record<string, number> | null }> {
  const problems = new ProblemList();
  const out: { reoPpm?: number; splitPpm?: Record<string, number> | null } = {};
  if (input.reoContent !== undefined) {
    const parsed = fractionToPpm(input.reoContent);
    if ('problem' in parsed) problems.add('reoContent', FRACTION_RULES[parsed.problem], `REO content ${FRACTION_MESSAGES[parsed.problem]}`);
    else out.reoPpm = parsed.ppm;
  }
  if (input.hsCode && !/^\d{10}$/.test(input.hsCode)) problems.add('hsCode', 'format', 'a China customs code has 10 digits');
  if (input.elementSplit === null) out.splitPpm = null;
  else if (input.elementSplit) {
    const known = new Set((await db.select({ symbol: rareEarthElements.symbol }).from(rareEarthElements)).map((e) => e.symbol));
    const split: Record<string, number> = {};
    let sum = 0;
    for (const [element, share] of Object.entries(input.elementSplit)) {
      if (!known.has(element)) { problems.add(`elementSplit.${element}`, 'element', `${element} is not a rare earth element symbol`); continue; }
      const parsed = fractionToPpm(share);
      if ('problem' in parsed) { problems.add(`elementSplit.${element}`, FRACTION_RULES[parsed.problem], FRACTION_MESSAGES[parsed.problem]); continue; }
      split[element] = parsed.ppm;
      sum += parsed.ppm;
    }
    if (Object.keys(input.elementSplit).length === 0) problems.add('elementSplit', 'required', 'name at least one element, or leave the split empty');
    else if (problems.items.length === 0 && sum !== PPM) problems.add('elementSplit', 'sum', `the shares add up to ${ppmToFraction(sum)}, not 1`);
    out.splitPpm = split;
  }
  problems.throwIfAny('registry.product_invalid');
  return out;
}

export async function createProduct(db: Db, actor: Actor, input: ProductInput): Promise<ProductOut> {
  requirePermission(actor, 'registry.write');
  const { reoPpm, splitPpm } = await validate(db, input);
  return withTransaction(db, async (tx) => {
    const [existing] = await tx.select({ id: products.id }).from(products).where(eq(products.code, input.code));
    if (existing) throw conflict('code', 'unique', `product code ${input.code} is taken`);
    const id = newId();
    await tx.insert(products).values({
      id, code: input.code, nameZh: input.nameZh, nameEn: input.nameEn, category: input.category, hsCode: input.hsCode ?? null,
      reoPpm: reoPpm!, elementSplitPpm: splitPpm ?? null,
    });
    const out = (await find(tx, id))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'product', entityId: id, after: out });
    return out;
  });
}

export async function updateProduct(db: Db, actor: Actor, id: string, patch: ProductPatch, action = 'update'): Promise<ProductOut> {
  requirePermission(actor, 'registry.write');
  const { reoPpm, splitPpm } = await validate(db, patch);
  return withTransaction(db, async (tx) => {
    const before = await find(tx, id);
    if (!before) throw notFound('product', id);
    const { reoContent: _r, elementSplit: _s, ...fields } = patch;
    await tx.update(products).set({
      ...fields, ...(reoPpm !== undefined ? { reoPpm } : {}), ...(splitPpm !== undefined ? { elementSplitPpm: splitPpm } : {}), updatedAt: new Date(),
    }).where(eq(products.id, id));
    const after = (await find(tx, id))!;
    await recordAudit(tx, actor, { action, entity: 'product', entityId: id, before, after });
    return after;
  });
}

export async function countProducts(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(products).where(eq(products.active, true));
  return Number(row?.n ?? 0);
}
