/**
 * Annual plans (Order No. 71 Art. 5): drafted by MIIT with MNR and NDRC, each of whom signs off
 * or sends the draft back; submitted to the State Council; approved with its document number;
 * afterwards changed only through recorded adjustments; closed at year end.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { DecimalFormatError } from '../../domain/decimal.ts';
import { gramsToTonnes, tonnesToGrams } from '../../domain/mass.ts';
import { INDICATORS, type Indicator } from '../../domain/quota.ts';
import { isIsoDate, todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findDepartment } from '../registry/registry.service.ts';
import { AppError, conflict, forbidden, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { annualPlans, planAdjustments, planLines, planSignoffs } from './quota.tables.ts';
import { allocatedOnLine } from './quota.sums.ts';

export const SIGNING_MINISTRIES = ['MIIT', 'MNR', 'NDRC'] as const;
export type PlanStatus = 'draft' | 'agreed' | 'submitted' | 'approved' | 'closed';

export interface PlanLineOut { id: string; indicator: Indicator; approvedTonnesReo: string; adjustmentsTonnesReo: string; effectiveTonnesReo: string }
export interface PlanOut {
  id: string; year: number; status: PlanStatus; round: number; historical: boolean; note: string | null;
  basisText: string; basisFigures: Record<string, string>;
  lines: PlanLineOut[];
  signoffs: { departmentCode: string; decision: 'agree' | 'return'; reason: string | null; username: string; at: string; round: number }[];
  adjustments: { id: string; indicator: Indicator; deltaTonnesReo: string; reason: string; documentNo: string; username: string; at: string }[];
  submittedAt: string | null; approvalDocumentNo: string | null; approvedOn: string | null; closedAt: string | null;
}

export interface PlanInput {
  year: number;
  basisText?: string;
  basisFigures?: Record<string, string>;
  lines: { indicator: Indicator; amountTonnesReo: string | number }[];
}

// A hundred times the largest national indicator ever issued: beyond it is a typing slip.
const MAX_TONNES_GRAMS = 100_000_000n * 1_000_000n;

function parseTonnes(problems: ProblemList, field: string, value: string | number, allowNegative = false): bigint | null {
  try {
    const text = String(value).trim();
    const negative = allowNegative && text.startsWith('-');
    const grams = tonnesToGrams(negative ? text.slice(1) : text);
    if (grams > MAX_TONNES_GRAMS) {
      problems.add(field, 'max', 'at most 100,000,000 t REO');
      return null;
    }
    return negative ? -grams : grams;
  } catch (error) {
    if (!(error instanceof DecimalFormatError)) throw error;
    const rule = error.rule === 'negative' ? 'min' : error.rule;
    problems.add(field, rule, `tonnes of REO: ${error.message}`);
    return null;
  }
}

export { parseTonnes };

async function loadPlan(db: Db, year: number): Promise<PlanOut | null> {
  const [plan] = await db.select().from(annualPlans).where(eq(annualPlans.year, year));
  if (!plan) return null;
  const lines = await db.select().from(planLines).where(eq(planLines.planId, plan.id)).orderBy(asc(planLines.indicator));
  const adjustments = lines.length
    ? await db.select().from(planAdjustments).where(inArray(planAdjustments.planLineId, lines.map((l) => l.id))).orderBy(asc(planAdjustments.at))
    : [];
  const signoffs = await db.select().from(planSignoffs).where(eq(planSignoffs.planId, plan.id)).orderBy(asc(planSignoffs.at));
  const indicatorOf = new Map(lines.map((l) => [l.id, l.indicator as Indicator]));
  return {
    id: plan.id, year: plan.year, status: plan.status as PlanStatus, round: plan.round, historical: plan.historical, note: plan.note,
    basisText: plan.basisText, basisFigures: plan.basisFigures,
    lines: lines.map((l) => {
      const delta = adjustments.filter((a) => a.planLineId === l.id).reduce((s, a) => s + a.deltaReoGrams, 0n);
      return {
        id: l.id, indicator: l.indicator as Indicator, approvedTonnesReo: gramsToTonnes(l.amountReoGrams),
        adjustmentsTonnesReo: formatSigned(delta), effectiveTonnesReo: gramsToTonnes(l.amountReoGrams + delta),
      };
    }),
    signoffs: signoffs.map((s) => ({ departmentCode: s.departmentCode, decision: s.decision as 'agree' | 'return', reason: s.reason, username: s.username, at: s.at.toISOString(), round: s.round })),
    adjustments: adjustments.map((a) => ({ id: a.id, indicator: indicatorOf.get(a.planLineId)!, deltaTonnesReo: formatSigned(a.deltaReoGrams), reason: a.reason, documentNo: a.documentNo, username: a.username, at: a.at.toISOString() })),
    submittedAt: plan.submittedAt?.toISOString() ?? null, approvalDocumentNo: plan.approvalDocumentNo, approvedOn: plan.approvedOn,
    closedAt: plan.closedAt?.toISOString() ?? null,
  };
}

export function formatSigned(grams: bigint): string {
  return grams < 0n ? `-${gramsToTonnes(-grams)}` : gramsToTonnes(grams);
}

export async function listPlans(db: Db, actor: Actor): Promise<PlanOut[]> {
  requirePermission(actor, 'quota.read');
  const years = await db.select({ year: annualPlans.year }).from(annualPlans).orderBy(desc(annualPlans.year));
  const out: PlanOut[] = [];
  for (const { year } of years) out.push((await loadPlan(db, year))!);
  return out;
}

export async function getPlan(db: Db, actor: Actor, year: number): Promise<PlanOut> {
  requirePermission(actor, 'quota.read');
  const plan = await loadPlan(db, year);
  if (!plan) throw notFound('plan', String(year));
  return plan;
}

/** The approved plan of a year, or a validation problem naming the rule. Used by allocation. */
/** The year's plan if the State Council approved it; otherwise a validation problem naming the rule. */
export async function requireApprovedPlan(db: Db, year: number, field = 'year') {
  const [plan] = await db.select().from(annualPlans).where(eq(annualPlans.year, year));
  if (!plan || plan.status !== 'approved') {
    throw invalid(field, 'plan_not_approved', plan ? `the ${year} plan is ${plan.status}, not approved by the State Council` : `there is no plan for ${year}`, 'quota.plan_not_approved');
  }
  return plan;
}

export async function approvedPlanLine(db: Db, year: number, indicator: Indicator, field = 'year') {
  const plan = await requireApprovedPlan(db, year, field);
  const [line] = await db.select().from(planLines).where(and(eq(planLines.planId, plan.id), eq(planLines.indicator, indicator)));
  if (!line) throw invalid('indicator', 'no_plan_line', `the ${year} plan has no ${indicator} line`, 'quota.no_plan_line');
  return line;
}

/** Approved amount plus recorded adjustments; call with the line locked when checking a cap. */
export async function effectiveLineGrams(db: Db, lineId: string): Promise<bigint> {
  const [line] = await db.select({ amount: planLines.amountReoGrams }).from(planLines).where(eq(planLines.id, lineId));
  const [adj] = await db.select({ sum: sql<string>`coalesce(sum(${planAdjustments.deltaReoGrams}), 0)::text` }).from(planAdjustments).where(eq(planAdjustments.planLineId, lineId));
  return line!.amount + BigInt(adj?.sum ?? '0');
}

function validateLines(problems: ProblemList, lines: PlanInput['lines']): { indicator: Indicator; grams: bigint }[] {
  const seen = new Set<string>();
  const out: { indicator: Indicator; grams: bigint }[] = [];
  lines.forEach((l, i) => {
    if (seen.has(l.indicator)) problems.add(`lines.${i}.indicator`, 'unique', `${l.indicator} appears twice`);
    seen.add(l.indicator);
    const grams = parseTonnes(problems, `lines.${i}.amountTonnesReo`, l.amountTonnesReo);
    if (grams !== null) out.push({ indicator: l.indicator, grams });
  });
  if (seen.has('mining') && (seen.has('mining_rock_type') || seen.has('mining_ion_adsorption'))) {
    problems.add('lines', 'mining_split', 'give mining either undivided or split into rock-type and ion-adsorption, not both');
  }
  return out;
}

/**
 * Drafts a plan. `preapproved` loads a plan decided outside the system (the published history,
 * or demo data) as approved, with its document; `historical` marks published figures.
 */
export async function createPlan(db: Db, actor: Actor, input: PlanInput, options: { preapproved?: { approvalDocumentNo: string; approvedOn: string; note?: string; historical: boolean } } = {}): Promise<PlanOut> {
  requirePermission(actor, 'quota.plan');
  const problems = new ProblemList();
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) problems.add('year', 'range', 'a year between 2000 and 2100');
  if (input.lines.length === 0) problems.add('lines', 'required', 'at least one indicator line');
  const lines = validateLines(problems, input.lines);
  problems.throwIfAny('quota.plan_invalid');
  return withTransaction(db, async (tx) => {
    if (await loadPlan(tx, input.year)) throw conflict('year', 'unique', `a plan for ${input.year} already exists`, 'quota.plan_exists');
    const id = newId();
    await tx.insert(annualPlans).values({
      id, year: input.year, basisText: input.basisText ?? '', basisFigures: input.basisFigures ?? {},
      ...(options.preapproved ? { status: 'approved', historical: options.preapproved.historical, approvalDocumentNo: options.preapproved.approvalDocumentNo, approvedOn: options.preapproved.approvedOn, note: options.preapproved.note ?? null } : {}),
    });
    await tx.insert(planLines).values(lines.map((l) => ({ id: newId(), planId: id, indicator: l.indicator, amountReoGrams: l.grams })));
    const out = (await loadPlan(tx, input.year))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'plan', entityId: String(input.year), after: out });
    return out;
  });
}

async function mutatePlan(db: Db, actor: Actor, year: number, action: string, fn: (tx: Db, plan: PlanOut) => Promise<void>): Promise<PlanOut> {
  return withTransaction(db, async (tx) => {
    // Lock the plan row so concurrent sign-offs and transitions see each other.
    const [locked] = await tx.select({ id: annualPlans.id }).from(annualPlans).where(eq(annualPlans.year, year)).for('update');
    if (!locked) throw notFound('plan', String(year));
    const before = (await loadPlan(tx, year))!;
    await fn(tx, before);
    await tx.update(annualPlans).set({ updatedAt: new Date() }).where(eq(annualPlans.year, year));
    const after = (await loadPlan(tx, year))!;
    await recordAudit(tx, actor, { action, entity: 'plan', entityId: String(year), before, after });
    return after;
  });
}

function requireStatus(plan: PlanOut, allowed: PlanStatus[], action: string): void {
  if (!allowed.includes(plan.status)) {
    throw new AppError('conflict', 'quota.plan_state', `cannot ${action} a plan that is ${plan.status} (needs ${allowed.join(' or ')})`, [{ field: 'status', rule: 'state', message: `plan is ${plan.status}` }]);
  }
}

export async function updateDraftPlan(db: Db, actor: Actor, year: number, patch: Omit<Partial<PlanInput>, 'year'>): Promise<PlanOut> {
  requirePermission(actor, 'quota.plan');
  const problems = new ProblemList();
  const lines = patch.lines ? validateLines(problems, patch.lines) : null;
  problems.throwIfAny('quota.plan_invalid');
  return mutatePlan(db, actor, year, 'update', async (tx, plan) => {
    requireStatus(plan, ['draft'], 'edit');
    const changes = {
      ...(patch.basisText !== undefined ? { basisText: patch.basisText } : {}),
      ...(patch.basisFigures !== undefined ? { basisFigures: patch.basisFigures } : {}),
      // Sign-offs were given to the draft as it was: any change starts a new round.
      ...((lines || Object.keys(patch).length) && plan.signoffs.some((s) => s.round === plan.round) ? { round: plan.round + 1 } : {}),
    };
    if (Object.keys(changes).length) await tx.update(annualPlans).set(changes).where(eq(annualPlans.id, plan.id));
    if (lines) {
      await tx.delete(planLines).where(eq(planLines.planId, plan.id));
      await tx.insert(planLines).values(lines.map((l) => ({ id: newId(), planId: plan.id, indicator: l.indicator, amountReoGrams: l.grams })));
    }
  });
}

/** A ministry's sign-off: the signer's own department decides, once per round. */
export async function signOffPlan(db: Db, actor: Actor, year: number, decision: 'agree' | 'return', reason?: string): Promise<PlanOut> {
  requirePermission(actor, 'quota.signoff');
  const department = actor.departmentId ? await findDepartment(db, actor.departmentId) : null;
  const code = department?.code;
  if (!code || !(SIGNING_MINISTRIES as readonly string[]).includes(code)) {
    throw forbidden('only MIIT, MNR and NDRC sign off the annual plan', 'quota.not_a_signing_ministry');
  }
  if (decision === 'return' && !reason?.trim()) throw invalid('reason', 'required', 'say why the draft goes back');
  return mutatePlan(db, actor, year, decision === 'agree' ? 'signoff_agree' : 'signoff_return', async (tx, plan) => {
    requireStatus(plan, ['draft'], 'sign off');
    if (plan.signoffs.some((s) => s.round === plan.round && s.departmentCode === code)) {
      throw conflict('decision', 'already_signed', `${code} has already signed this round`, 'quota.already_signed');
    }
    await tx.insert(planSignoffs).values({ id: newId(), planId: plan.id, round: plan.round, departmentCode: code, decision, reason: reason ?? null, userId: actor.userId, username: actor.username });
    if (decision === 'return') {
      await tx.update(annualPlans).set({ round: plan.round + 1 }).where(eq(annualPlans.id, plan.id));
    } else {
      const agreed = new Set([...plan.signoffs.filter((s) => s.round === plan.round && s.decision === 'agree').map((s) => s.departmentCode), code]);
      if (SIGNING_MINISTRIES.every((m) => agreed.has(m))) await tx.update(annualPlans).set({ status: 'agreed' }).where(eq(annualPlans.id, plan.id));
    }
  });
}

export async function submitPlan(db: Db, actor: Actor, year: number): Promise<PlanOut> {
  requirePermission(actor, 'quota.plan');
  return mutatePlan(db, actor, year, 'submit', async (tx, plan) => {
    requireStatus(plan, ['agreed'], 'submit');
    await tx.update(annualPlans).set({ status: 'submitted', submittedAt: new Date() }).where(eq(annualPlans.id, plan.id));
  });
}

export async function recordApproval(db: Db, actor: Actor, year: number, input: { documentNo: string; approvedOn: string }): Promise<PlanOut> {
  requirePermission(actor, 'quota.plan');
  if (!isIsoDate(input.approvedOn)) throw invalid('approvedOn', 'date', 'not a calendar date');
  if (input.approvedOn > todayInChina()) throw invalid('approvedOn', 'future', 'an approval is recorded once it has been given');
  return mutatePlan(db, actor, year, 'approve', async (tx, plan) => {
    requireStatus(plan, ['submitted'], 'record approval of');
    await tx.update(annualPlans).set({ status: 'approved', approvalDocumentNo: input.documentNo, approvedOn: input.approvedOn }).where(eq(annualPlans.id, plan.id));
  });
}

export async function adjustPlanLine(db: Db, actor: Actor, year: number, input: { indicator: Indicator; deltaTonnesReo: string | number; reason: string; documentNo: string }): Promise<PlanOut> {
  requirePermission(actor, 'quota.plan');
  const problems = new ProblemList();
  const delta = parseTonnes(problems, 'deltaTonnesReo', input.deltaTonnesReo, true);
  if (delta === 0n) problems.add('deltaTonnesReo', 'non_zero', 'an adjustment changes the line');
  problems.throwIfAny('quota.adjustment_invalid');
  return mutatePlan(db, actor, year, 'adjust', async (tx, plan) => {
    requireStatus(plan, ['approved'], 'adjust');
    const line = plan.lines.find((l) => l.indicator === input.indicator);
    if (!line) throw invalid('indicator', 'no_plan_line', `the ${year} plan has no ${input.indicator} line`);
    await tx.select({ id: planLines.id }).from(planLines).where(eq(planLines.id, line.id)).for('update');
    const effective = await effectiveLineGrams(tx, line.id);
    const allocated = await allocatedOnLine(tx, line.id);
    if (effective + delta! < allocated) {
      throw conflict('deltaTonnesReo', 'below_allocated', `the line would fall below the ${gramsToTonnes(allocated)} t already allocated`, 'quota.adjustment_below_allocated');
    }
    await tx.insert(planAdjustments).values({ id: newId(), planLineId: line.id, deltaReoGrams: delta!, reason: input.reason, documentNo: input.documentNo, username: actor.username });
  });
}

export async function closePlan(db: Db, actor: Actor, year: number): Promise<PlanOut> {
  requirePermission(actor, 'quota.plan');
  return mutatePlan(db, actor, year, 'close', async (tx, plan) => {
    requireStatus(plan, ['approved'], 'close');
    if (todayInChina() < `${year}-12-31`) throw conflict('year', 'before_year_end', `the ${year} plan closes at year end, not before 31 December`, 'quota.close_before_year_end');
    await tx.update(annualPlans).set({ status: 'closed', closedAt: new Date() }).where(eq(annualPlans.id, plan.id));
  });
}

export { INDICATORS };
