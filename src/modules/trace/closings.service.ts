/**
 * Monthly closing (Order No. 71 Art. 10) and mass balance: an enterprise closes month M by the
 * rule's day of M+1; closing compares each product's mass balance (opening + receipts +
 * production − use − shipments) with the declared stocktake and raises an alert beyond the
 * tolerance. Officials see closed, late, missing and open enterprises for their region.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { closingDeadline, monthInChina, monthKey, type YearMonth } from '../../domain/trace/months.ts';
import { gramsToKg, kgToGrams } from '../../domain/trace/quantity.ts';
import { PPM } from '../../domain/trace/reo.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { traceRulesInForce } from '../quota/quota.service.ts';
import { enterpriseScopeCondition, findVisibleEnterprise } from '../registry/registry.service.ts';
import { divisions, enterprises, products } from '../registry/registry.tables.ts';
import { conflict, forbidden, notFound, ProblemList } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { monthClosings, stocktakes, traceAlerts, traceMovements } from './flow.tables.ts';

export interface MassBalanceRow {
  productCode: string; productNameZh: string; productNameEn: string;
  openingKg: string; receiptsKg: string; productionKg: string; useKg: string; shipmentsKg: string; closingKg: string;
  openingReoKg: string; receiptsReoKg: string; productionReoKg: string; useReoKg: string; shipmentsReoKg: string; closingReoKg: string; declaredKg: string | null; differenceKg: string | null; withinTolerance: boolean | null;
}

function checkMonth(problems: ProblemList, m: YearMonth): void {
  if (!Number.isInteger(m.year) || m.year < 2000 || m.year > 2100) problems.add('year', 'range', 'a year 2000–2100');
  if (!Number.isInteger(m.month) || m.month < 1 || m.month > 12) problems.add('month', 'range', 'a month 1–12');
}

interface Balance { productId: string; rows: MassBalanceRow; closing: bigint; declared: bigint | null }

/** Raw sums of an enterprise's movements per product over months [from, to]: grams and REO grams. */
export async function movementSums(db: Db, enterpriseId: string, from: YearMonth, to: YearMonth) {
  const fromKey = monthKey(from);
  const toKey = monthKey(to);
  const mk = sql`(${traceMovements.year} * 100 + ${traceMovements.month})`;
  const sum = (cond: ReturnType<typeof sql>, column: typeof traceMovements.grams | typeof traceMovements.reoGrams = traceMovements.grams) => sql<string>`coalesce(sum(${column}) filter (where ${cond}), 0)::text`;
  const inPeriod = (kinds: string[]) => sql`${mk} between ${fromKey} and ${toKey} and ${traceMovements.kind} in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`;
  return db.select({
    productId: traceMovements.productId,
    opening: sum(sql`${mk} < ${fromKey}`), openingReo: sum(sql`${mk} < ${fromKey}`, traceMovements.reoGrams),
    receipts: sum(inPeriod(['received', 'imported'])), production: sum(inPeriod(['mined', 'produced'])),
    use: sum(inPeriod(['used'])), shipments: sum(inPeriod(['shipped', 'exported'])),
    receiptsReo: sum(inPeriod(['received', 'imported']), traceMovements.reoGrams), productionReo: sum(inPeriod(['mined', 'produced']), traceMovements.reoGrams),
    useReo: sum(inPeriod(['used']), traceMovements.reoGrams), shipmentsReo: sum(inPeriod(['shipped', 'exported']), traceMovements.reoGrams),
    closing: sum(sql`true`), closingReo: sum(sql`true`, traceMovements.reoGrams),
  }).from(traceMovements).where(and(eq(traceMovements.enterpriseId, enterpriseId), sql`${mk} <= ${toKey}`)).groupBy(traceMovements.productId);
}

async function balances(db: Db, enterpriseId: string, m: YearMonth, tolerancePpm: bigint): Promise<Balance[]> {
  const rows = await movementSums(db, enterpriseId, m, m);
  const declared = await db.select().from(stocktakes).where(and(eq(stocktakes.enterpriseId, enterpriseId), eq(stocktakes.year, m.year), eq(stocktakes.month, m.month)));
  const productIds = new Set([...rows.map((r) => r.productId), ...declared.map((d) => d.productId)]);
  const catalogue = new Map((await db.select().from(products)).map((p) => [p.id, p]));
  return [...productIds].map((productId) => {
    const r = rows.find((x) => x.productId === productId);
    const g = (v: string | undefined) => BigInt(v ?? '0');
    const closing = g(r?.closing);
    const d = declared.find((x) => x.productId === productId)?.grams ?? null;
    const difference = d === null ? null : d - closing;
    const abs = difference === null ? null : difference < 0n ? -difference : difference;
    const p = catalogue.get(productId)!;
    return {
      productId, closing, declared: d,
      rows: {
        productCode: p.code, productNameZh: p.nameZh, productNameEn: p.nameEn,
        openingKg: gramsToKg(g(r?.opening)), receiptsKg: gramsToKg(g(r?.receipts)), productionKg: gramsToKg(g(r?.production)),
        useKg: gramsToKg(-g(r?.use)), shipmentsKg: gramsToKg(-g(r?.shipments)), closingKg: gramsToKg(closing),
        openingReoKg: gramsToKg(g(r?.openingReo)), receiptsReoKg: gramsToKg(g(r?.receiptsReo)), productionReoKg: gramsToKg(g(r?.productionReo)),
        useReoKg: gramsToKg(-g(r?.useReo)), shipmentsReoKg: gramsToKg(-g(r?.shipmentsReo)), closingReoKg: gramsToKg(g(r?.closingReo)),
        declaredKg: d === null ? null : gramsToKg(d), differenceKg: difference === null ? null : gramsToKg(difference),
        withinTolerance: abs === null ? null : abs * PPM <= (closing > d! ? closing : d!) * tolerancePpm,
      },
    };
  }).sort((a, b) => a.rows.productCode.localeCompare(b.rows.productCode));
}

export async function massBalance(db: Db, actor: Actor, input: { enterpriseId: string; year: number; month: number }): Promise<{ items: MassBalanceRow[] }> {
  requirePermission(actor, 'trace.read');
  const problems = new ProblemList();
  checkMonth(problems, input);
  problems.throwIfAny('trace.month_invalid');
  if (!(await findVisibleEnterprise(db, actor, input.enterpriseId))) throw notFound('enterprise', input.enterpriseId);
  const rules = await traceRulesInForce(db, todayInChina());
  return { items: (await balances(db, input.enterpriseId, input, rules.massBalanceTolerancePpm)).map((b) => b.rows) };
}

export async function declareStocktake(db: Db, actor: Actor, input: { year: number; month: number; productCode: string; closingKg: string | number }) {
  requirePermission(actor, 'trace.capture');
  if (!actor.enterpriseId) throw forbidden('a stocktake is declared by the enterprise that holds the stock', 'trace.enterprise_only');
  const problems = new ProblemList();
  checkMonth(problems, input);
  let grams = 0n;
  try { grams = kgToGrams(input.closingKg); } catch (error) { problems.add('closingKg', 'decimal', `kilograms with up to three decimals: ${(error as Error).message}`); }
  const [product] = await db.select().from(products).where(eq(products.code, input.productCode));
  if (!product) problems.add('productCode', 'unknown', `${input.productCode} is not in the product catalogue`);
  problems.throwIfAny('trace.stocktake_invalid');
  const enterpriseId = actor.enterpriseId;
  return withTransaction(db, async (tx) => {
    const [closed] = await tx.select().from(monthClosings).where(and(eq(monthClosings.enterpriseId, enterpriseId), eq(monthClosings.year, input.year), eq(monthClosings.month, input.month)));
    if (closed) throw conflict('month', 'month_closed', `${input.year}-${input.month} is closed; its stocktake was compared at closing`, 'trace.month_closed');
    const [before] = await tx.select().from(stocktakes).where(and(eq(stocktakes.enterpriseId, enterpriseId), eq(stocktakes.productId, product!.id), eq(stocktakes.year, input.year), eq(stocktakes.month, input.month)));
    await tx.insert(stocktakes).values({ enterpriseId, productId: product!.id, year: input.year, month: input.month, grams, declaredBy: actor.username })
      .onConflictDoUpdate({ target: [stocktakes.enterpriseId, stocktakes.productId, stocktakes.year, stocktakes.month], set: { grams, declaredBy: actor.username, declaredAt: new Date() } });
    const out = { year: input.year, month: input.month, productCode: product!.code, closingKg: gramsToKg(grams) };
    await recordAudit(tx, actor, { action: 'declare_stocktake', entity: 'trace_stocktake', entityId: `${enterpriseId}:${product!.code}:${input.year}-${input.month}`, before: before ? { ...out, closingKg: gramsToKg(before.grams) } : null, after: out });
    return out;
  });
}

/** Closes a month for the caller's enterprise: no later events dated in it except corrections. */
export async function closeMonth(db: Db, actor: Actor, input: YearMonth) {
  requirePermission(actor, 'trace.capture');
  if (!actor.enterpriseId) throw forbidden('a month is closed by the enterprise whose flows it holds', 'trace.enterprise_only');
  const problems = new ProblemList();
  checkMonth(problems, input);
  const now = monthInChina(new Date());
  if (problems.items.length === 0 && monthKey(input) >= monthKey(now)) problems.add('month', 'not_ended', 'a month is closed once it has ended');
  problems.throwIfAny('trace.month_invalid');
  const enterpriseId = actor.enterpriseId;
  const today = todayInChina();
  const rules = await traceRulesInForce(db, today);
  const deadline = closingDeadline(input, rules.monthClosingDay);
  return withTransaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`epcis-chain:${enterpriseId}`}))`); // no capture of this enterprise runs meanwhile
    const [already] = await tx.select().from(monthClosings).where(and(eq(monthClosings.enterpriseId, enterpriseId), eq(monthClosings.year, input.year), eq(monthClosings.month, input.month)));
    if (already) throw conflict('month', 'already_closed', `${input.year}-${String(input.month).padStart(2, '0')} was closed on ${already.closedAt.toISOString()}`, 'trace.already_closed');
    const late = today > deadline;
    const [row] = await tx.insert(monthClosings).values({ enterpriseId, year: input.year, month: input.month, deadline, closedBy: actor.username, late }).returning();
    const balance = await balances(tx, enterpriseId, input, rules.massBalanceTolerancePpm);
    const differences = balance.filter((b) => b.rows.withinTolerance === false);
    if (differences.length) {
      await tx.insert(traceAlerts).values(differences.map((b) => ({
        id: newId(), kind: 'mass_balance_difference', enterpriseId, year: input.year, month: input.month, eventId: null,
        details: { productCode: b.rows.productCode, closingKg: b.rows.closingKg, declaredKg: b.rows.declaredKg, differenceKg: b.rows.differenceKg },
      })));
    }
    await recordAudit(tx, actor, { action: 'close_month', entity: 'trace_month_closing', entityId: `${enterpriseId}:${input.year}-${input.month}`, after: { year: input.year, month: input.month, deadline, late, differences: differences.length } });
    return { enterpriseId, year: row!.year, month: row!.month, deadline, closedAt: row!.closedAt.toISOString(), late, massBalance: balance.map((b) => b.rows) };
  });
}

export type ClosingStatus = 'closed' | 'late' | 'missing' | 'open';

/** Every active enterprise in the caller's jurisdiction with its closing status for a month. */
export async function closingStatus(db: Db, actor: Actor, input: YearMonth & { divisionCode?: string }) {
  requirePermission(actor, 'trace.read');
  const problems = new ProblemList();
  checkMonth(problems, input);
  problems.throwIfAny('trace.month_invalid');
  const rules = await traceRulesInForce(db, todayInChina());
  const deadline = closingDeadline(input, rules.monthClosingDay);
  const overdue = todayInChina() > deadline;
  const scope = enterpriseScopeCondition(db, actor.scope);
  const region = input.divisionCode ? sql`${enterprises.domicileDivisionCode} in (select ${divisions.code} from ${divisions} where ${divisions.code} = ${input.divisionCode} or ${divisions.provinceCode} = ${input.divisionCode} or ${divisions.prefectureCode} = ${input.divisionCode})` : undefined;
  const rows = await db.select({ e: enterprises, c: monthClosings }).from(enterprises)
    .leftJoin(monthClosings, and(eq(monthClosings.enterpriseId, enterprises.id), eq(monthClosings.year, input.year), eq(monthClosings.month, input.month)))
    .where(and(eq(enterprises.active, true), scope, region)).orderBy(asc(enterprises.domicileDivisionCode), asc(enterprises.nameZh));
  return {
    year: input.year, month: input.month, deadline,
    items: rows.map(({ e, c }) => ({
      enterpriseId: e.id, nameZh: e.nameZh, nameEn: e.nameEn, divisionCode: e.domicileDivisionCode, provinceCode: `${e.domicileDivisionCode.slice(0, 2)}0000`,
      status: (c ? (c.late ? 'late' : 'closed') : overdue ? 'missing' : 'open') as ClosingStatus,
      closedAt: c?.closedAt.toISOString() ?? null, closedBy: c?.closedBy ?? null,
    })),
  };
}
