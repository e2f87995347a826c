/**
 * Allocation (Order No. 71 Art. 6–7): batches of indicators to designated enterprises or to
 * groups, who sub-allocate to their members within a deadline in working days. The sum on a
 * plan line never exceeds it (the line row is locked while checking); issuing needs a second
 * person; issue posts the ledger and sends the notices.
 */
import { and, asc, desc, eq, gte, inArray, lte, ne } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { gramsToTonnes } from '../../domain/mass.ts';
import { article14Reduction, designationFor, eligibilityProblems, type Indicator } from '../../domain/quota.ts';
import { isIsoDate, todayInChina } from '../../domain/validity.ts';
import { addWorkingDays } from '../../domain/working-days.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { currentDesignation, enterpriseFacts, enterpriseScopeCondition, findDepartment, getGroup, holidayCalendar } from '../registry/registry.service.ts';
import { enterprises } from '../registry/registry.tables.ts';
import { AppError, conflict, forbidden, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { sendIssueNotices } from './notices.service.ts';
import { approvedPlanLine, effectiveLineGrams, parseTonnes, requireApprovedPlan } from './plans.service.ts';
import { allocationBatches, allocations, ledgerEntries, penalties, planLines } from './quota.tables.ts';
import { rulesInForce } from './quota-rules.service.ts';
import { allocatedOnLine, subAllocated } from './quota.sums.ts';

export type BatchStatus = 'draft' | 'prepared' | 'issued';
export interface AllocationOut {
  id: string; batchId: string; year: number; indicator: Indicator;
  enterpriseId: string | null; enterpriseNameZh: string | null; groupId: string | null; parentAllocationId: string | null;
  amountTonnesReo: string; reductionTonnesReo: string; netTonnesReo: string; reductionBasis: string | null; reductionOverrideReason: string | null;
  basis: Record<string, string>; status: 'draft' | 'issued' | 'withdrawn'; subAllocationDue: string | null;
  subAllocatedTonnesReo: string | null;
  /** A group that has not split everything it received by the working-day deadline. */
  subAllocationOverdue: boolean;
  createdBy: string; createdAt: string;
}
export interface BatchOut {
  id: string; year: number; ordinal: number; name: string; status: BatchStatus; documentNo: string | null;
  preparedByUsername: string | null; preparedAt: string | null; issuedByUsername: string | null; issuedAt: string | null;
  totals: { indicator: Indicator; tonnesReo: string }[];
  allocations: AllocationOut[];
}

export interface AllocationInput {
  enterpriseId?: string | null;
  groupId?: string | null;
  indicator: Indicator;
  amountTonnesReo: string | number;
  basis?: Record<string, string>;
  /** Article 14: replaces the computed reduction; needs a reason. */
  reductionOverride?: { tonnesReo: string | number; reason: string } | null;
}

async function toAllocationOut(db: Db, rows: (typeof allocations.$inferSelect)[]): Promise<AllocationOut[]> {
  const ids = [...new Set(rows.map((r) => r.enterpriseId).filter((x): x is string => !!x))];
  const names = ids.length ? new Map((await db.select({ id: enterprises.id, nameZh: enterprises.nameZh }).from(enterprises).where(inArray(enterprises.id, ids))).map((e) => [e.id, e.nameZh])) : new Map<string, string>();
  const out: AllocationOut[] = [];
  for (const r of rows) {
    const sub = r.groupId ? await subAllocated(db, r.id) : null;
    out.push({
      id: r.id, batchId: r.batchId, year: r.year, indicator: r.indicator as Indicator, enterpriseId: r.enterpriseId,
      enterpriseNameZh: r.enterpriseId ? names.get(r.enterpriseId) ?? null : null, groupId: r.groupId, parentAllocationId: r.parentAllocationId,
      amountTonnesReo: gramsToTonnes(r.amountReoGrams), reductionTonnesReo: gramsToTonnes(r.reductionReoGrams),
      netTonnesReo: gramsToTonnes(r.amountReoGrams - r.reductionReoGrams), reductionBasis: r.reductionBasis, reductionOverrideReason: r.reductionOverrideReason,
      basis: r.basis, status: r.status as AllocationOut['status'], subAllocationDue: r.subAllocationDue,
      subAllocatedTonnesReo: sub === null ? null : gramsToTonnes(sub),
      subAllocationOverdue: sub !== null && r.status === 'issued' && r.subAllocationDue !== null && todayInChina() > r.subAllocationDue && sub < r.amountReoGrams,
      createdBy: r.createdBy, createdAt: r.createdAt.toISOString(),
    });
  }
  return out;
}

/** Allocations the actor may see: all for nationals; for others only those to enterprises in scope. */
async function visibleAllocations(db: Db, actor: Actor, where: ReturnType<typeof and>) {
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (!scope) return db.select().from(allocations).where(where).orderBy(asc(allocations.createdAt));
  const rows = await db.select({ a: allocations }).from(allocations).innerJoin(enterprises, eq(enterprises.id, allocations.enterpriseId))
    .where(and(where, scope)).orderBy(asc(allocations.createdAt));
  return rows.map((r) => r.a);
}

async function loadBatch(db: Db, actor: Actor, id: string): Promise<BatchOut | null> {
  if (!isUuid(id)) return null;
  const [b] = await db.select().from(allocationBatches).where(eq(allocationBatches.id, id));
  if (!b) return null;
  const all = await db.select().from(allocations).where(and(eq(allocations.batchId, id), ne(allocations.status, 'withdrawn')));
  const totals = new Map<string, bigint>();
  for (const a of all) if (!a.parentAllocationId) totals.set(a.indicator, (totals.get(a.indicator) ?? 0n) + a.amountReoGrams);
  const visible = await visibleAllocations(db, actor, and(eq(allocations.batchId, id), ne(allocations.status, 'withdrawn')));
  return {
    id: b.id, year: b.year, ordinal: b.ordinal, name: b.name, status: b.status as BatchStatus, documentNo: b.documentNo,
    preparedByUsername: b.preparedByUsername, preparedAt: b.preparedAt?.toISOString() ?? null,
    issuedByUsername: b.issuedByUsername, issuedAt: b.issuedAt?.toISOString() ?? null,
    totals: actor.scope.kind === 'national' ? [...totals].map(([indicator, g]) => ({ indicator: indicator as Indicator, tonnesReo: gramsToTonnes(g) })) : [],
    allocations: await toAllocationOut(db, visible),
  };
}

export async function listBatches(db: Db, actor: Actor, year?: number): Promise<BatchOut[]> {
  requirePermission(actor, 'quota.read');
  const rows = await db.select({ id: allocationBatches.id }).from(allocationBatches)
    .where(year ? eq(allocationBatches.year, year) : undefined).orderBy(desc(allocationBatches.year), asc(allocationBatches.ordinal));
  const out: BatchOut[] = [];
  for (const r of rows) out.push((await loadBatch(db, actor, r.id))!);
  return out;
}

export async function getBatch(db: Db, actor: Actor, id: string): Promise<BatchOut> {
  requirePermission(actor, 'quota.read');
  const batch = await loadBatch(db, actor, id);
  if (!batch) throw notFound('batch', id);
  return batch;
}

export async function createBatch(db: Db, actor: Actor, input: { year: number; name: string; documentNo?: string | null }): Promise<BatchOut> {
  requirePermission(actor, 'quota.allocate');
  return withTransaction(db, async (tx) => {
    await requireApprovedPlan(tx, input.year);
    const existing = await tx.select({ ordinal: allocationBatches.ordinal }).from(allocationBatches).where(eq(allocationBatches.year, input.year));
    const ordinal = existing.reduce((m, b) => Math.max(m, b.ordinal), 0) + 1;
    const id = newId();
    await tx.insert(allocationBatches).values({ id, year: input.year, ordinal, name: input.name, documentNo: input.documentNo ?? null });
    const out = (await loadBatch(tx, actor, id))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'batch', entityId: id, after: out });
    return out;
  });
}

async function lockBatch(tx: Db, id: string) {
  if (!isUuid(id)) throw notFound('batch', id);
  const [b] = await tx.select().from(allocationBatches).where(eq(allocationBatches.id, id)).for('update');
  if (!b) throw notFound('batch', id);
  return b;
}

function stateError(what: string, status: string, needed: string): AppError {
  return new AppError('conflict', 'quota.batch_state', `cannot ${what}: the batch is ${status} (needs ${needed})`, [{ field: 'status', rule: 'state', message: `batch is ${status}` }]);
}

/** Article 14: penalties of the year before, turned into a reduction by the rule in force. */
async function reductionFor(tx: Db, enterpriseId: string, year: number, amount: bigint) {
  const rows = await tx.select().from(penalties).where(and(eq(penalties.enterpriseId, enterpriseId), gte(penalties.decidedOn, `${year - 1}-01-01`), lte(penalties.decidedOn, `${year - 1}-12-31`)));
  const rules = await rulesInForce(tx, todayInChina());
  const computed = article14Reduction(amount, rows.map((p) => ({ documentNo: p.documentNo, decidedOn: p.decidedOn, overProducedReoGrams: p.overProducedReoGrams })), rules.reductionRule);
  if (rules.reductionRule.kind === 'percent' || computed.reduction === 0n) return { ...computed, penalties: rows.length };
  // A factor rule fixes the year's total cut: allocations issued earlier that year already took their part.
  const earlier = await tx.select({ reduction: allocations.reductionReoGrams }).from(allocations)
    .where(and(eq(allocations.enterpriseId, enterpriseId), eq(allocations.year, year), ne(allocations.status, 'withdrawn')));
  const taken = earlier.reduce((s, a) => s + a.reduction, 0n);
  const facts = rows.map((p) => ({ documentNo: p.documentNo, decidedOn: p.decidedOn, overProducedReoGrams: p.overProducedReoGrams }));
  // The year's total is the over-produced amount times the factor; a minimum percentage still applies per allocation.
  const yearTotal = article14Reduction(BigInt(Number.MAX_SAFE_INTEGER), facts, { ...rules.reductionRule, minimumPercent: undefined }).reduction;
  const left = yearTotal > taken ? yearTotal - taken : 0n;
  let reduction = left < amount ? left : amount;
  if (rules.reductionRule.minimumPercent !== undefined) {
    const floor = (amount * BigInt(Math.round(rules.reductionRule.minimumPercent * 100))) / 10_000n;
    if (reduction < floor) reduction = floor;
  }
  return { reduction, basis: computed.basis, penalties: rows.length };
}

/** Whether an enterprise may receive an indicator today (Art. 7 designation, licences, minimum capacity); null if it does not exist. */
export async function eligibilityOf(db: Db, enterpriseId: string, indicator: Indicator) {
  const facts = await enterpriseFacts(db, enterpriseId);
  if (!facts) return null;
  const today = todayInChina();
  const wanted = designationFor(indicator);
  const designation = await currentDesignation(db, enterpriseId, wanted.activity, today, wanted.oreKind ?? undefined);
  const rules = await rulesInForce(db, today);
  return { facts, problems: eligibilityProblems(indicator, { ...facts, hasCurrentDesignation: designation !== null }, today, rules.minSeparationCapacityGrams) };
}

async function checkEnterpriseEligible(tx: Db, enterpriseId: string, indicator: Indicator, field: string) {
  const eligibility = await eligibilityOf(tx, enterpriseId, indicator);
  if (!eligibility) throw invalid(field, 'exists', `enterprise ${enterpriseId} does not exist`);
  const { facts, problems } = eligibility;
  if (problems.length) {
    throw new AppError('validation', `quota.${problems[0]!.reason}`, `the enterprise cannot receive a ${indicator} indicator: ${problems.map((p) => p.detail).join('; ')}`,
      problems.map((p) => ({ field, rule: p.reason, message: p.detail })));
  }
  return facts;
}

export async function addAllocation(db: Db, actor: Actor, batchId: string, input: AllocationInput): Promise<AllocationOut> {
  requirePermission(actor, 'quota.allocate');
  const problems = new ProblemList();
  const amount = parseTonnes(problems, 'amountTonnesReo', input.amountTonnesReo);
  if (amount === 0n) problems.add('amountTonnesReo', 'positive', 'an allocation is more than zero');
  if (!input.enterpriseId === !input.groupId) problems.add('enterpriseId', 'one_recipient', 'allocate to an enterprise or to a group, not both or neither');
  const override = input.reductionOverride ? parseTonnes(problems, 'reductionOverride.tonnesReo', input.reductionOverride.tonnesReo) : undefined;
  if (input.reductionOverride && !input.reductionOverride.reason?.trim()) problems.add('reductionOverride.reason', 'required', 'an override of the Article 14 reduction needs its reason');
  problems.throwIfAny('quota.allocation_invalid');
  return withTransaction(db, async (tx) => {
    const batch = await lockBatch(tx, batchId);
    if (batch.status !== 'draft') throw stateError('add an allocation', batch.status, 'draft');
    const line = await approvedPlanLine(tx, batch.year, input.indicator, 'indicator');
    if (input.enterpriseId) await checkEnterpriseEligible(tx, input.enterpriseId, input.indicator, 'enterpriseId');
    else {
      const group = await getGroup(tx, actor, input.groupId!).catch(() => null);
      if (!group || group.status !== 'active' || !group.active) throw invalid('groupId', 'active_group', 'only an active rare earth group receives indicators to sub-allocate');
    }
    // The line row lock serialises every writer on this line: the sum below is then exact.
    await tx.select({ id: planLines.id }).from(planLines).where(eq(planLines.id, line.id)).for('update');
    const effective = await effectiveLineGrams(tx, line.id); // sequential: one connection in a transaction
    const allocated = await allocatedOnLine(tx, line.id);
    if (allocated + amount! > effective) {
      throw new AppError('conflict', 'quota.exceeds_plan_line', `allocating ${gramsToTonnes(amount!)} t would exceed the ${batch.year} ${input.indicator} line: ${gramsToTonnes(effective)} t approved, ${gramsToTonnes(allocated)} t already allocated, ${gramsToTonnes(effective - allocated)} t left`,
        [{ field: 'amountTonnesReo', rule: 'exceeds_plan_line', message: `${gramsToTonnes(effective - allocated)} t left on the line` }],
        { lineTonnesReo: gramsToTonnes(effective), allocatedTonnesReo: gramsToTonnes(allocated), remainingTonnesReo: gramsToTonnes(effective - allocated) });
    }
    let reduction = 0n;
    let reductionBasis: string | null = null;
    if (input.enterpriseId) {
      const computed = await reductionFor(tx, input.enterpriseId, batch.year, amount!);
      reduction = computed.reduction;
      reductionBasis = computed.basis || null;
    }
    if (override !== undefined && override !== null) {
      if (!input.enterpriseId || reductionBasis === null) {
        throw invalid('reductionOverride', 'no_penalty', 'Article 14 reductions follow a penalty in the previous year; this recipient has none to override');
      }
      if (override > amount!) throw invalid('reductionOverride.tonnesReo', 'max', 'a reduction cannot exceed the allocation');
      reduction = override;
    }
    const id = newId();
    await tx.insert(allocations).values({
      id, batchId, year: batch.year, indicator: input.indicator, planLineId: line.id, enterpriseId: input.enterpriseId ?? null,
      groupId: input.groupId ?? null, amountReoGrams: amount!, reductionReoGrams: reduction, reductionBasis,
      reductionOverrideReason: input.reductionOverride?.reason ?? null, basis: input.basis ?? {}, createdBy: actor.username,
    });
    const [out] = await toAllocationOut(tx, await tx.select().from(allocations).where(eq(allocations.id, id)));
    await recordAudit(tx, actor, { action: 'create', entity: 'allocation', entityId: id, after: out });
    return out!;
  });
}

export async function withdrawAllocation(db: Db, actor: Actor, id: string): Promise<AllocationOut> {
  requirePermission(actor, 'quota.allocate');
  return withTransaction(db, async (tx) => {
    if (!isUuid(id)) throw notFound('allocation', id);
    const [row] = await tx.select().from(allocations).where(eq(allocations.id, id));
    if (!row) throw notFound('allocation', id);
    const batch = await lockBatch(tx, row.batchId);
    if (batch.status !== 'draft' || row.status !== 'draft') throw stateError('withdraw an allocation', batch.status, 'draft');
    await tx.update(allocations).set({ status: 'withdrawn' }).where(eq(allocations.id, id));
    const [after] = await toAllocationOut(tx, await tx.select().from(allocations).where(eq(allocations.id, id)));
    await recordAudit(tx, actor, { action: 'withdraw', entity: 'allocation', entityId: id, after });
    return after!;
  });
}

export async function prepareBatch(db: Db, actor: Actor, id: string): Promise<BatchOut> {
  requirePermission(actor, 'quota.allocate');
  return withTransaction(db, async (tx) => {
    const batch = await lockBatch(tx, id);
    if (batch.status !== 'draft') throw stateError('prepare', batch.status, 'draft');
    const count = await tx.select({ id: allocations.id }).from(allocations).where(and(eq(allocations.batchId, id), eq(allocations.status, 'draft')));
    if (count.length === 0) throw invalid('allocations', 'required', 'a batch needs at least one allocation before it is prepared');
    await tx.update(allocationBatches).set({ status: 'prepared', preparedBy: actor.userId, preparedByUsername: actor.username, preparedAt: new Date() }).where(eq(allocationBatches.id, id));
    const after = (await loadBatch(tx, actor, id))!;
    await recordAudit(tx, actor, { action: 'prepare', entity: 'batch', entityId: id, after: { status: after.status } });
    return after;
  });
}

/** Posts an issued allocation to its enterprise's ledger: the allocation, then any Article 14 reduction. */
async function postToLedger(tx: Db, a: typeof allocations.$inferSelect, by: string): Promise<void> {
  await tx.insert(ledgerEntries).values({ id: newId(), enterpriseId: a.enterpriseId!, year: a.year, indicator: a.indicator, kind: 'allocation', amountReoGrams: a.amountReoGrams, allocationId: a.id, createdBy: by, note: null });
  if (a.reductionReoGrams > 0n) {
    await tx.insert(ledgerEntries).values({ id: newId(), enterpriseId: a.enterpriseId!, year: a.year, indicator: a.indicator, kind: 'reduction', amountReoGrams: -a.reductionReoGrams, allocationId: a.id, createdBy: by, note: a.reductionOverrideReason ?? a.reductionBasis });
  }
}

/** The second person issues: posts the ledger, starts group deadlines, sends notices. */
export async function issueBatch(db: Db, actor: Actor, id: string, documentNo?: string): Promise<BatchOut> {
  requirePermission(actor, 'quota.approve');
  return withTransaction(db, async (tx) => {
    const batch = await lockBatch(tx, id);
    if (batch.status !== 'prepared') throw stateError('issue', batch.status, 'prepared');
    // Art. 6: MIIT with MNR issue indicators; another ministry's reviewer cannot be the second person.
    const department = actor.departmentId ? await findDepartment(tx, actor.departmentId) : null;
    if (actor.userId !== null && !['MIIT', 'MNR'].includes(department?.code ?? '')) {
      throw forbidden('batches are issued by MIIT or MNR', 'quota.not_an_issuing_ministry');
    }
    if ((batch.preparedBy !== null && batch.preparedBy === actor.userId) || batch.preparedByUsername === actor.username) {
      throw forbidden('the person who prepared a batch cannot also issue it: a second person approves', 'quota.four_eyes');
    }
    const today = todayInChina();
    const rules = await rulesInForce(tx, today);
    const due = addWorkingDays(today, rules.groupSubAllocationWorkingDays, await holidayCalendar(tx));
    const drafts = await tx.select().from(allocations).where(and(eq(allocations.batchId, id), eq(allocations.status, 'draft')));
    for (const a of drafts) {
      await tx.update(allocations).set({ status: 'issued', ...(a.groupId ? { subAllocationDue: due } : {}) }).where(eq(allocations.id, a.id));
      if (a.enterpriseId) await postToLedger(tx, a, actor.username);
    }
    await tx.update(allocationBatches).set({ status: 'issued', issuedBy: actor.userId, issuedByUsername: actor.username, issuedAt: new Date(), ...(documentNo ? { documentNo } : {}) }).where(eq(allocationBatches.id, id));
    await sendIssueNotices(tx, id, drafts.filter((a) => a.enterpriseId).map((a) => a.enterpriseId!));
    const after = (await loadBatch(tx, actor, id))!;
    await recordAudit(tx, actor, { action: 'issue', entity: 'batch', entityId: id, after: { status: after.status, totals: after.totals } });
    return after;
  });
}

/** A group's split of its allocation among member enterprises, filed after issue. */
export async function subAllocate(db: Db, actor: Actor, parentId: string, input: { enterpriseId: string; amountTonnesReo: string | number; basis?: Record<string, string> }): Promise<AllocationOut> {
  requirePermission(actor, 'quota.allocate');
  const problems = new ProblemList();
  const amount = parseTonnes(problems, 'amountTonnesReo', input.amountTonnesReo);
  if (amount === 0n) problems.add('amountTonnesReo', 'positive', 'a sub-allocation is more than zero');
  problems.throwIfAny('quota.allocation_invalid');
  return withTransaction(db, async (tx) => {
    if (!isUuid(parentId)) throw notFound('allocation', parentId);
    const [parent] = await tx.select().from(allocations).where(eq(allocations.id, parentId)).for('update');
    if (!parent || !parent.groupId) throw notFound('group allocation', parentId);
    if (parent.status !== 'issued') throw new AppError('conflict', 'quota.parent_not_issued', 'the group allocation is not issued yet', [{ field: 'parentAllocationId', rule: 'state', message: 'not issued' }]);
    const facts = await checkEnterpriseEligible(tx, input.enterpriseId, parent.indicator as Indicator, 'enterpriseId');
    if (facts.groupId !== parent.groupId) throw invalid('enterpriseId', 'group_member', 'the enterprise is not a member of the group that received the allocation');
    const already = await subAllocated(tx, parentId);
    if (already + amount! > parent.amountReoGrams) {
      throw new AppError('conflict', 'quota.exceeds_group_allocation', `the group has ${gramsToTonnes(parent.amountReoGrams - already)} t left to sub-allocate`,
        [{ field: 'amountTonnesReo', rule: 'exceeds_group_allocation', message: `${gramsToTonnes(parent.amountReoGrams - already)} t left` }]);
    }
    const computed = await reductionFor(tx, input.enterpriseId, parent.year, amount!);
    const id = newId();
    const row = {
      id, batchId: parent.batchId, year: parent.year, indicator: parent.indicator, planLineId: parent.planLineId, enterpriseId: input.enterpriseId,
      groupId: null, parentAllocationId: parentId, amountReoGrams: amount!, reductionReoGrams: computed.reduction, reductionBasis: computed.basis || null,
      reductionOverrideReason: null, basis: input.basis ?? {}, status: 'issued', createdBy: actor.username,
    };
    await tx.insert(allocations).values(row);
    const [inserted] = await tx.select().from(allocations).where(eq(allocations.id, id));
    await postToLedger(tx, inserted!, actor.username);
    await sendIssueNotices(tx, parent.batchId, [input.enterpriseId]);
    const [out] = await toAllocationOut(tx, [inserted!]);
    await recordAudit(tx, actor, { action: 'sub_allocate', entity: 'allocation', entityId: id, after: { ...out, late: parent.subAllocationDue !== null && todayInChina() > parent.subAllocationDue } });
    return out!;
  });
}

/** Allocations of the enterprises the actor may see, for a year. */
export async function listAllocations(db: Db, actor: Actor, filters: { year?: number; enterpriseId?: string }): Promise<AllocationOut[]> {
  requirePermission(actor, 'quota.read');
  const conditions = [ne(allocations.status, 'withdrawn')];
  if (filters.year) conditions.push(eq(allocations.year, filters.year));
  if (filters.enterpriseId) conditions.push(eq(allocations.enterpriseId, filters.enterpriseId));
  return toAllocationOut(db, await visibleAllocations(db, actor, and(...conditions)));
}

export async function recordPenalty(db: Db, actor: Actor, input: { enterpriseId: string; decidedOn: string; authority: string; legalBasis: string; documentNo: string; overProducedTonnesReo?: string | number | null }) {
  requirePermission(actor, 'quota.allocate');
  const problems = new ProblemList();
  const over = input.overProducedTonnesReo === undefined || input.overProducedTonnesReo === null ? null : parseTonnes(problems, 'overProducedTonnesReo', input.overProducedTonnesReo);
  if (!isIsoDate(input.decidedOn)) problems.add('decidedOn', 'date', 'not a calendar date');
  else if (input.decidedOn > todayInChina()) problems.add('decidedOn', 'future', 'a penalty is recorded once decided');
  problems.throwIfAny('quota.penalty_invalid');
  return withTransaction(db, async (tx) => {
    if (!(await enterpriseFacts(tx, input.enterpriseId))) throw invalid('enterpriseId', 'exists', `enterprise ${input.enterpriseId} does not exist`);
    const [dup] = await tx.select({ id: penalties.id }).from(penalties).where(eq(penalties.documentNo, input.documentNo));
    if (dup) throw conflict('documentNo', 'unique', `penalty decision ${input.documentNo} is already recorded`);
    const id = newId();
    await tx.insert(penalties).values({ id, enterpriseId: input.enterpriseId, decidedOn: input.decidedOn, authority: input.authority, legalBasis: input.legalBasis, documentNo: input.documentNo, overProducedReoGrams: over, createdBy: actor.username });
    const out = { id, ...input, overProducedTonnesReo: over === null ? null : gramsToTonnes(over) };
    await recordAudit(tx, actor, { action: 'create', entity: 'penalty', entityId: id, after: out });
    return out;
  });
}


export interface PenaltyOut { id: string; enterpriseId: string; enterpriseNameZh: string; decidedOn: string; authority: string; legalBasis: string; documentNo: string; overProducedTonnesReo: string | null; createdBy: string; createdAt: string }

/** Penalties that feed Article 14, within the actor's jurisdiction. */
export async function listPenalties(db: Db, actor: Actor, filters: { year?: number }): Promise<PenaltyOut[]> {
  requirePermission(actor, 'quota.read');
  const conditions = [];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (filters.year) conditions.push(gte(penalties.decidedOn, `${filters.year}-01-01`), lte(penalties.decidedOn, `${filters.year}-12-31`));
  const rows = await db.select({ p: penalties, nameZh: enterprises.nameZh }).from(penalties).innerJoin(enterprises, eq(enterprises.id, penalties.enterpriseId))
    .where(conditions.length ? and(...conditions) : undefined).orderBy(desc(penalties.decidedOn));
  return rows.map(({ p, nameZh }) => ({
    id: p.id, enterpriseId: p.enterpriseId, enterpriseNameZh: nameZh, decidedOn: p.decidedOn, authority: p.authority, legalBasis: p.legalBasis, documentNo: p.documentNo,
    overProducedTonnesReo: p.overProducedReoGrams === null ? null : gramsToTonnes(p.overProducedReoGrams), createdBy: p.createdBy, createdAt: p.createdAt.toISOString(),
  }));
}
