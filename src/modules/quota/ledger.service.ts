/**
 * The quota ledger (Order No. 71 Art. 8): append-only entries per enterprise × year ×
 * indicator. Balances are sums of entries, never stored. A month's production is posted as
 * consumption; re-posting the same figure changes nothing, a different figure appends a
 * correction that refers to what it corrects. Over-consumption is recorded and raises alerts.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { gramsToTonnes, tonnesToGrams } from '../../domain/mass.ts';
import { thresholdsReached, utilisationBasisPoints, type Indicator } from '../../domain/quota.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { divisionSubtree, enterpriseFacts, enterpriseScopeCondition, findVisibleEnterprise } from '../registry/registry.service.ts';
import { divisions, enterprises, rareEarthGroups } from '../registry/registry.tables.ts';
import { forbidden, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { formatSigned, parseTonnes } from './plans.service.ts';
import { annualPlans, ledgerEntries, quotaAlerts } from './quota.tables.ts';
import { rulesInForce } from './quota-rules.service.ts';
import { ledgerTotals, totalsFrom } from './quota.sums.ts';

export interface LedgerEntryOut {
  id: string; enterpriseId: string; year: number; indicator: Indicator; kind: string; amountTonnesReo: string;
  periodMonth: number | null; allocationId: string | null; correctsEntryId: string | null; note: string | null; createdBy: string; createdAt: string;
}
export interface BalanceOut {
  enterpriseId: string; enterpriseNameZh: string; domicileDivisionCode: string; provinceCode: string; groupId: string | null;
  year: number; indicator: Indicator; allocatedTonnesReo: string; consumedTonnesReo: string; balanceTonnesReo: string;
  reductionTonnesReo: string; utilisationPercent: string | null; thresholdsCrossed: number[]; overQuota: boolean;
}
export interface AlertOut {
  id: string; enterpriseId: string; enterpriseNameZh: string; year: number; indicator: Indicator; kind: 'threshold' | 'over_quota';
  thresholdPercent: number; consumedTonnesReo: string; allocatedTonnesReo: string; raisedAt: string;
}

const toEntryOut = (r: typeof ledgerEntries.$inferSelect): LedgerEntryOut => ({
  id: r.id, enterpriseId: r.enterpriseId, year: r.year, indicator: r.indicator as Indicator, kind: r.kind,
  amountTonnesReo: formatSigned(r.amountReoGrams), periodMonth: r.periodMonth, allocationId: r.allocationId,
  correctsEntryId: r.correctsEntryId, note: r.note, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(),
});

function percent(bp: number | null): string | null {
  return bp === null ? null : `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

async function requireVisibleEnterprise(db: Db, actor: Actor, enterpriseId: string) {
  const e = await findVisibleEnterprise(db, actor, enterpriseId);
  if (!e) throw notFound('enterprise', enterpriseId);
  return e;
}

export async function listLedger(db: Db, actor: Actor, filters: { enterpriseId: string; year?: number; indicator?: Indicator }): Promise<LedgerEntryOut[]> {
  requirePermission(actor, 'quota.read');
  await requireVisibleEnterprise(db, actor, filters.enterpriseId);
  const conditions: SQL[] = [eq(ledgerEntries.enterpriseId, filters.enterpriseId)];
  if (filters.year) conditions.push(eq(ledgerEntries.year, filters.year));
  if (filters.indicator) conditions.push(eq(ledgerEntries.indicator, filters.indicator));
  const rows = await db.select().from(ledgerEntries).where(and(...conditions)).orderBy(asc(ledgerEntries.createdAt), asc(ledgerEntries.id));
  return rows.map(toEntryOut);
}

/** Raises the alerts a consumption figure has reached; each at most once per enterprise × year × indicator. */
/** Raises the alerts the new totals reach and returns those totals. */
export async function raiseAlerts(tx: Db, enterpriseId: string, year: number, indicator: string, entryId: string, alertThresholdsPercent: number[]): Promise<ReturnType<typeof totalsFrom>> {
  const totals = await ledgerTotals(tx, enterpriseId, year, indicator);
  for (const t of thresholdsReached(totals.consumed, totals.allocated, alertThresholdsPercent)) {
    await tx.insert(quotaAlerts).values({ id: newId(), enterpriseId, year, indicator, kind: 'threshold', thresholdPercent: t, consumedReoGrams: totals.consumed, allocatedReoGrams: totals.allocated, ledgerEntryId: entryId }).onConflictDoNothing();
  }
  if (totals.consumed > totals.allocated) {
    await tx.insert(quotaAlerts).values({ id: newId(), enterpriseId, year, indicator, kind: 'over_quota', thresholdPercent: 100, consumedReoGrams: totals.consumed, allocatedReoGrams: totals.allocated, ledgerEntryId: entryId }).onConflictDoNothing();
  }
  return totals;
}

export interface ProductionInput { enterpriseId: string; year: number; month: number; indicator: Indicator; amountTonnesReo: string | number; note?: string | null }

/**
 * Posts a month's production for an indicator. The figure is the month's total: the same figure
 * again stores nothing; a different one appends a correction for the difference.
 */
export async function postMonthlyProduction(db: Db, actor: Actor, input: ProductionInput): Promise<{ entry: LedgerEntryOut | null; unchanged: boolean; balance: BalanceOut }> {
  requirePermission(actor, 'quota.consume');
  if (actor.scope.kind === 'enterprise' && actor.scope.enterpriseId !== input.enterpriseId) throw forbidden('an enterprise posts only its own production');
  if (actor.scope.kind === 'division') throw forbidden('local officials do not post production');
  const problems = new ProblemList();
  const amount = parseTonnes(problems, 'amountTonnesReo', input.amountTonnesReo);
  if (!Number.isInteger(input.month) || input.month < 1 || input.month > 12) problems.add('month', 'range', 'a month 1–12');
  const today = todayInChina();
  const [y, m] = today.split('-').map(Number) as [number, number];
  if (input.year > y || (input.year === y && input.month > m)) problems.add('month', 'future', 'production is posted for a month that has begun');
  problems.throwIfAny('quota.production_invalid');
  const [plan] = await db.select({ status: annualPlans.status }).from(annualPlans).where(eq(annualPlans.year, input.year));
  if (!plan || (plan.status !== 'approved' && plan.status !== 'closed')) {
    throw invalid('year', 'plan_not_approved', `production is posted against an approved plan; ${input.year} has ${plan ? `a ${plan.status} plan` : 'none'}`, 'quota.plan_not_approved');
  }
  const facts = await enterpriseFacts(db, input.enterpriseId);
  if (!facts) throw notFound('enterprise', input.enterpriseId);
  const rules = await rulesInForce(db, today);
  return withTransaction(db, async (tx) => {
    // Serialise postings for this enterprise × year × indicator so "the month so far" is exact.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${input.enterpriseId}:${input.year}:${input.indicator}`}))`);
    const previous = await tx.select().from(ledgerEntries).where(and(
      eq(ledgerEntries.enterpriseId, input.enterpriseId), eq(ledgerEntries.year, input.year), eq(ledgerEntries.indicator, input.indicator),
      eq(ledgerEntries.kind, 'consumption'), eq(ledgerEntries.periodMonth, input.month),
    )).orderBy(asc(ledgerEntries.createdAt));
    const postedSoFar = -previous.reduce((s, e) => s + e.amountReoGrams, 0n);
    const delta = amount! - postedSoFar;
    let entry: LedgerEntryOut | null = null;
    let totals: ReturnType<typeof totalsFrom> | null = null;
    if (delta !== 0n) {
      const id = newId();
      const [row] = await tx.insert(ledgerEntries).values({
        id, enterpriseId: input.enterpriseId, year: input.year, indicator: input.indicator, kind: 'consumption', amountReoGrams: -delta,
        periodMonth: input.month, correctsEntryId: previous.length ? previous[previous.length - 1]!.id : null,
        note: input.note ?? (previous.length ? `month ${input.month} restated to ${gramsToTonnes(amount!)} t` : null), createdBy: actor.username,
      }).returning();
      entry = toEntryOut(row!);
      totals = await raiseAlerts(tx, input.enterpriseId, input.year, input.indicator, id, rules.alertThresholdsPercent);
      await recordAudit(tx, actor, { action: previous.length ? 'correct_production' : 'post_production', entity: 'ledger_entry', entityId: id, after: entry });
    }
    const t = totals ?? await ledgerTotals(tx, input.enterpriseId, input.year, input.indicator);
    return { entry, unchanged: delta === 0n, balance: balanceOf(facts, input.year, input.indicator, t, rules.alertThresholdsPercent) };
  });
}

function balanceOf(
  e: { id: string; nameZh: string; domicileDivisionCode: string; provinceCode: string; groupId: string | null },
  year: number, indicator: string, t: ReturnType<typeof totalsFrom>, thresholds: number[],
): BalanceOut {
  return {
    enterpriseId: e.id, enterpriseNameZh: e.nameZh, domicileDivisionCode: e.domicileDivisionCode, provinceCode: e.provinceCode, groupId: e.groupId,
    year, indicator: indicator as Indicator, allocatedTonnesReo: gramsToTonnes(t.allocated), consumedTonnesReo: gramsToTonnes(t.consumed),
    balanceTonnesReo: formatSigned(t.balance), reductionTonnesReo: gramsToTonnes(t.reduction),
    utilisationPercent: percent(utilisationBasisPoints(t.consumed, t.allocated)),
    thresholdsCrossed: thresholdsReached(t.consumed, t.allocated, thresholds), overQuota: t.consumed > t.allocated,
  };
}

/** A correction of any entry: a new entry for the difference, referring to the one it corrects. */
export async function correctEntry(db: Db, actor: Actor, entryId: string, input: { deltaTonnesReo: string | number; reason: string }): Promise<LedgerEntryOut> {
  requirePermission(actor, 'quota.allocate');
  const problems = new ProblemList();
  const delta = parseTonnes(problems, 'deltaTonnesReo', input.deltaTonnesReo, true);
  if (delta === 0n) problems.add('deltaTonnesReo', 'non_zero', 'a correction changes something');
  if (!input.reason?.trim()) problems.add('reason', 'required', 'a correction needs its reason');
  problems.throwIfAny('quota.correction_invalid');
  return withTransaction(db, async (tx) => {
    if (!isUuid(entryId)) throw notFound('ledger entry', entryId);
    const [original] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.id, entryId));
    if (!original) throw notFound('ledger entry', entryId);
    const kind = original.kind === 'consumption' || original.kind === 'reduction' ? original.kind : 'adjustment';
    const id = newId();
    const [row] = await tx.insert(ledgerEntries).values({
      id, enterpriseId: original.enterpriseId, year: original.year, indicator: original.indicator, kind, amountReoGrams: delta!,
      periodMonth: original.periodMonth, correctsEntryId: original.id, note: input.reason, createdBy: actor.username,
    }).returning();
    await raiseAlerts(tx, original.enterpriseId, original.year, original.indicator, id, (await rulesInForce(tx, todayInChina())).alertThresholdsPercent);
    const out = toEntryOut(row!);
    await recordAudit(tx, actor, { action: 'correct', entity: 'ledger_entry', entityId: id, before: toEntryOut(original), after: out });
    return out;
  });
}

export interface BalanceFilters { year: number; enterpriseId?: string; indicator?: Indicator; divisionCode?: string; groupId?: string }

/** Balances per enterprise × indicator for a year, summed from the ledger, within the actor's jurisdiction. */
async function balanceRows(db: Db, actor: Actor, f: BalanceFilters): Promise<BalanceOut[]> {
  const conditions: SQL[] = [eq(ledgerEntries.year, f.year)];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (f.enterpriseId) conditions.push(eq(ledgerEntries.enterpriseId, f.enterpriseId));
  if (f.indicator) conditions.push(eq(ledgerEntries.indicator, f.indicator));
  if (f.divisionCode) conditions.push(inArray(enterprises.domicileDivisionCode, divisionSubtree(db, f.divisionCode)));
  if (f.groupId) conditions.push(eq(enterprises.groupId, f.groupId));
  const rows = await db.select({
    enterpriseId: ledgerEntries.enterpriseId, nameZh: enterprises.nameZh, domicile: enterprises.domicileDivisionCode, provinceCode: divisions.provinceCode,
    groupId: enterprises.groupId, indicator: ledgerEntries.indicator, kind: ledgerEntries.kind, sum: sql<string>`sum(${ledgerEntries.amountReoGrams})::text`,
  }).from(ledgerEntries)
    .innerJoin(enterprises, eq(enterprises.id, ledgerEntries.enterpriseId))
    .innerJoin(divisions, eq(divisions.code, enterprises.domicileDivisionCode))
    .where(and(...conditions))
    .groupBy(ledgerEntries.enterpriseId, enterprises.nameZh, enterprises.domicileDivisionCode, divisions.provinceCode, enterprises.groupId, ledgerEntries.indicator, ledgerEntries.kind);
  const grouped = new Map<string, { row: (typeof rows)[number]; by: Record<string, bigint> }>();
  for (const r of rows) {
    const key = `${r.enterpriseId}:${r.indicator}`;
    const g = grouped.get(key) ?? { row: r, by: {} };
    g.by[r.kind] = BigInt(r.sum);
    grouped.set(key, g);
  }
  const { alertThresholdsPercent } = await rulesInForce(db, todayInChina());
  return [...grouped.values()].map(({ row, by }) => {
    const e = { id: row.enterpriseId, nameZh: row.nameZh, domicileDivisionCode: row.domicile, provinceCode: row.provinceCode, groupId: row.groupId };
    return balanceOf(e, f.year, row.indicator, totalsFrom(by), alertThresholdsPercent);
  }).sort((a, b) => a.enterpriseNameZh.localeCompare(b.enterpriseNameZh, 'zh') || a.indicator.localeCompare(b.indicator));
}

export async function listBalances(db: Db, actor: Actor, f: BalanceFilters): Promise<BalanceOut[]> {
  requirePermission(actor, 'quota.read');
  return balanceRows(db, actor, f);
}

export interface QuotaSummary {
  year: number;
  byIndicator: { indicator: Indicator; allocatedTonnesReo: string; consumedTonnesReo: string }[];
  byProvince: { provinceCode: string; provinceNameZh: string; indicator: Indicator; allocatedTonnesReo: string; consumedTonnesReo: string }[];
  byGroup: { groupId: string | null; groupNameZh: string | null; indicator: Indicator; allocatedTonnesReo: string; consumedTonnesReo: string }[];
  monthly: { month: number; indicator: Indicator; consumedTonnesReo: string; cumulativeTonnesReo: string }[];
}

/** Allocated vs consumed per indicator, province, group and month, within the actor's jurisdiction. */
export async function quotaSummary(db: Db, actor: Actor, f: Omit<BalanceFilters, 'indicator'>): Promise<QuotaSummary> {
  requirePermission(actor, 'quota.read');
  const balances = await balanceRows(db, actor, f);
  const add = (m: Map<string, [bigint, bigint]>, key: string, b: BalanceOut) => {
    const [a, c] = m.get(key) ?? [0n, 0n];
    m.set(key, [a + tonnesToGrams(b.allocatedTonnesReo), c + tonnesToGrams(b.consumedTonnesReo)]);
  };
  const byIndicator = new Map<string, [bigint, bigint]>();
  const byProvince = new Map<string, [bigint, bigint]>();
  const byGroup = new Map<string, [bigint, bigint]>();
  for (const b of balances) {
    add(byIndicator, b.indicator, b);
    add(byProvince, `${b.provinceCode}|${b.indicator}`, b);
    add(byGroup, `${b.groupId ?? ''}|${b.indicator}`, b);
  }
  const provinceNames = new Map((await db.select({ code: divisions.code, nameZh: divisions.nameZh }).from(divisions).where(eq(divisions.level, 'province'))).map((d) => [d.code, d.nameZh]));
  const groupNames = new Map((await db.select({ id: rareEarthGroups.id, nameZh: rareEarthGroups.nameZh }).from(rareEarthGroups)).map((g) => [g.id, g.nameZh]));
  const conditions: SQL[] = [eq(ledgerEntries.year, f.year), eq(ledgerEntries.kind, 'consumption')];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (f.enterpriseId) conditions.push(eq(ledgerEntries.enterpriseId, f.enterpriseId));
  if (f.divisionCode) conditions.push(inArray(enterprises.domicileDivisionCode, divisionSubtree(db, f.divisionCode)));
  if (f.groupId) conditions.push(eq(enterprises.groupId, f.groupId));
  const monthlyRows = await db.select({ month: ledgerEntries.periodMonth, indicator: ledgerEntries.indicator, sum: sql<string>`(-sum(${ledgerEntries.amountReoGrams}))::text` })
    .from(ledgerEntries).innerJoin(enterprises, eq(enterprises.id, ledgerEntries.enterpriseId))
    .where(and(...conditions)).groupBy(ledgerEntries.periodMonth, ledgerEntries.indicator).orderBy(asc(ledgerEntries.periodMonth));
  const cumulative = new Map<string, bigint>();
  const monthly = monthlyRows.filter((r) => r.month !== null).map((r) => {
    const c = (cumulative.get(r.indicator) ?? 0n) + BigInt(r.sum);
    cumulative.set(r.indicator, c);
    return { month: r.month!, indicator: r.indicator as Indicator, consumedTonnesReo: gramsToTonnes(BigInt(r.sum)), cumulativeTonnesReo: gramsToTonnes(c) };
  });
  const pair = ([a, c]: [bigint, bigint]) => ({ allocatedTonnesReo: gramsToTonnes(a), consumedTonnesReo: gramsToTonnes(c) });
  return {
    year: f.year,
    byIndicator: [...byIndicator].map(([indicator, v]) => ({ indicator: indicator as Indicator, ...pair(v) })),
    byProvince: [...byProvince].map(([k, v]) => {
      const [provinceCode, indicator] = k.split('|') as [string, Indicator];
      return { provinceCode, provinceNameZh: provinceNames.get(provinceCode) ?? provinceCode, indicator, ...pair(v) };
    }),
    byGroup: [...byGroup].map(([k, v]) => {
      const [groupId, indicator] = k.split('|') as [string, Indicator];
      return { groupId: groupId || null, groupNameZh: groupId ? groupNames.get(groupId) ?? null : null, indicator, ...pair(v) };
    }),
    monthly,
  };
}


export async function listAlerts(db: Db, actor: Actor, f: { year?: number; enterpriseId?: string }): Promise<AlertOut[]> {
  requirePermission(actor, 'quota.read');
  const conditions: SQL[] = [];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (f.year) conditions.push(eq(quotaAlerts.year, f.year));
  if (f.enterpriseId) conditions.push(eq(quotaAlerts.enterpriseId, f.enterpriseId));
  const rows = await db.select({ a: quotaAlerts, nameZh: enterprises.nameZh }).from(quotaAlerts)
    .innerJoin(enterprises, eq(enterprises.id, quotaAlerts.enterpriseId))
    .where(conditions.length ? and(...conditions) : undefined).orderBy(desc(quotaAlerts.raisedAt));
  return rows.map(({ a, nameZh }) => ({
    id: a.id, enterpriseId: a.enterpriseId, enterpriseNameZh: nameZh, year: a.year, indicator: a.indicator as Indicator, kind: a.kind as AlertOut['kind'],
    thresholdPercent: a.thresholdPercent, consumedTonnesReo: gramsToTonnes(a.consumedReoGrams), allocatedTonnesReo: gramsToTonnes(a.allocatedReoGrams), raisedAt: a.raisedAt.toISOString(),
  }));
}

