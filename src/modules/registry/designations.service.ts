/** Use cases for designations (Order No. 71 Art. 7): who may mine or separate, under which document, until when. */
import { and, count, eq, gt, gte, ilike, inArray, isNotNull, isNull, lt, lte, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { isIsoDate, todayInChina, validityStatus } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import { designations, enterprises } from './registry.tables.ts';
import type { DesignationOut } from './registry.schemas.ts';
import { divisionSubtree, enterpriseScopeCondition } from './registry.scope.ts';

type Activity = DesignationOut['activity'];
type OreKind = NonNullable<DesignationOut['oreKind']>;
type Status = DesignationOut['status'];

export interface DesignationInput {
  enterpriseId: string;
  activity: Activity;
  oreKind?: OreKind | null;
  designatedBy: string;
  documentNo: string;
  validFrom: string;
  validTo: string;
}
export interface DesignationFilters { enterpriseId?: string; activity?: Activity; status?: Status }

const columns = {
  id: designations.id, enterpriseId: designations.enterpriseId, enterpriseNameZh: enterprises.nameZh, enterpriseNameEn: enterprises.nameEn,
  activity: designations.activity, oreKind: designations.oreKind, designatedBy: designations.designatedBy,
  documentNo: designations.documentNo, validFrom: designations.validFrom, validTo: designations.validTo,
  revokedAt: designations.revokedAt, revocationReason: designations.revocationReason, active: designations.active,
};

function baseQuery(db: Db) {
  return db.select(columns).from(designations).innerJoin(enterprises, eq(enterprises.id, designations.enterpriseId));
}
type Row = Awaited<ReturnType<typeof baseQuery>>[number];

function toOut(r: Row, today: string): DesignationOut {
  return {
    ...r, activity: r.activity as Activity, oreKind: r.oreKind as OreKind | null,
    revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
    status: validityStatus(r, today),
  };
}

/** SQL for a status on a date, so the status filter pages correctly. */
function statusCondition(status: Status, today: string): SQL {
  switch (status) {
    case 'revoked': return isNotNull(designations.revokedAt);
    case 'pending': return and(isNull(designations.revokedAt), gt(designations.validFrom, today))!;
    case 'expired': return and(isNull(designations.revokedAt), lt(designations.validTo, today))!;
    case 'current': return and(isNull(designations.revokedAt), lte(designations.validFrom, today), gte(designations.validTo, today))!;
  }
}


export async function listDesignations(db: Db, actor: Actor, query: ListQuery & DesignationFilters): Promise<Page<DesignationOut>> {
  requirePermission(actor, 'registry.read');
  const today = todayInChina();
  const conditions: SQL[] = [];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (query.enterpriseId) conditions.push(eq(designations.enterpriseId, query.enterpriseId));
  if (query.activity) conditions.push(eq(designations.activity, query.activity));
  if (query.status) conditions.push(statusCondition(query.status, today));
  if (query.q) conditions.push(or(eq(designations.documentNo, query.q), ilike(enterprises.nameZh, likePattern(query.q)))!);
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    baseQuery(db).where(where)
      .orderBy(...orderBy(query, {
        validFrom: designations.validFrom, validTo: designations.validTo, enterpriseNameZh: enterprises.nameZh, activity: designations.activity,
      }, 'enterpriseNameZh', designations.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(designations).innerJoin(enterprises, eq(enterprises.id, designations.enterpriseId)).where(where),
  ]);
  return { items: rows.map((r) => toOut(r, today)), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}


async function findVisible(db: Db, actor: Actor, id: string): Promise<DesignationOut | null> {
  if (!isUuid(id)) return null;
  const scope = enterpriseScopeCondition(db, actor.scope);
  const [row] = await baseQuery(db).where(scope ? and(eq(designations.id, id), scope) : eq(designations.id, id));
  return row ? toOut(row, todayInChina()) : null;
}

export async function getDesignation(db: Db, actor: Actor, id: string): Promise<DesignationOut> {
  requirePermission(actor, 'registry.read');
  const found = await findVisible(db, actor, id);
  if (!found) throw notFound('designation', id);
  return found;
}

function checkDates(problems: ProblemList, validFrom: string, validTo: string): void {
  if (!isIsoDate(validFrom)) problems.add('validFrom', 'date', 'not a calendar date');
  if (!isIsoDate(validTo)) problems.add('validTo', 'date', 'not a calendar date');
  else if (validTo < validFrom) problems.add('validTo', 'date_range', 'valid-to is before valid-from');
}

/** An unrevoked designation of the same enterprise, activity and ore kind whose dates overlap. */
async function findOverlap(tx: Db, d: { enterpriseId: string; activity: string; oreKind: string | null; validFrom: string; validTo: string }, exceptId?: string) {
  const conditions: SQL[] = [
    eq(designations.enterpriseId, d.enterpriseId), eq(designations.activity, d.activity), isNull(designations.revokedAt),
    lte(designations.validFrom, d.validTo), gte(designations.validTo, d.validFrom),
    d.oreKind ? eq(designations.oreKind, d.oreKind) : isNull(designations.oreKind),
  ];
  if (exceptId) conditions.push(ne(designations.id, exceptId));
  const [row] = await tx.select({ id: designations.id, documentNo: designations.documentNo }).from(designations).where(and(...conditions)).limit(1);
  return row ?? null;
}

export async function createDesignation(db: Db, actor: Actor, input: DesignationInput): Promise<DesignationOut> {
  requirePermission(actor, 'registry.write');
  const problems = new ProblemList();
  const oreKind = input.oreKind ?? null;
  if (input.activity === 'mining' && !oreKind) problems.add('oreKind', 'required', 'a mining designation names the ore kind (rock-type or ion-adsorption)');
  if (input.activity === 'smelting_separation' && oreKind) problems.add('oreKind', 'not_allowed', 'a smelting-separation designation has no ore kind');
  checkDates(problems, input.validFrom, input.validTo);
  problems.throwIfAny('registry.designation_invalid');
  return withTransaction(db, async (tx) => {
    const [enterprise] = await tx.select().from(enterprises).where(eq(enterprises.id, input.enterpriseId));
    if (!enterprise || !enterprise.active) throw invalid('enterpriseId', 'exists', `enterprise ${input.enterpriseId} does not exist or is deactivated`);
    if (!enterprise.activities.includes(input.activity)) {
      throw invalid('activity', 'registered_activity', `the enterprise is not registered for ${input.activity}; add the activity to its registration first`);
    }
    const overlap = await findOverlap(tx, { ...input, oreKind });
    if (overlap) throw conflict('validFrom', 'overlap', `designation ${overlap.documentNo} already covers part of this period`, 'registry.designation_overlap');
    const id = newId();
    await tx.insert(designations).values({ id, ...input, oreKind });
    const out = (await findVisible(tx, actor, id))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'designation', entityId: id, after: out });
    return out;
  });
}

export async function updateDesignation(
  db: Db, actor: Actor, id: string, patch: Partial<Pick<DesignationInput, 'designatedBy' | 'documentNo' | 'validFrom' | 'validTo'>> & { active?: boolean },
  action = 'update',
): Promise<DesignationOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const before = await findVisible(tx, actor, id);
    if (!before) throw notFound('designation', id);
    if (before.revokedAt && action !== 'deactivate') throw conflict('id', 'revoked', 'a revoked designation cannot be changed');
    const merged = { ...before, ...patch };
    const problems = new ProblemList();
    checkDates(problems, merged.validFrom, merged.validTo);
    problems.throwIfAny('registry.designation_invalid');
    if (patch.validFrom || patch.validTo) {
      const overlap = await findOverlap(tx, merged, id);
      if (overlap) throw conflict('validFrom', 'overlap', `designation ${overlap.documentNo} already covers part of this period`, 'registry.designation_overlap');
    }
    await tx.update(designations).set({ ...patch, updatedAt: new Date() }).where(eq(designations.id, id));
    const after = (await findVisible(tx, actor, id))!;
    await recordAudit(tx, actor, { action, entity: 'designation', entityId: id, before, after });
    return after;
  });
}

export async function revokeDesignation(db: Db, actor: Actor, id: string, reason: string): Promise<DesignationOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const before = await findVisible(tx, actor, id);
    if (!before) throw notFound('designation', id);
    if (before.revokedAt) throw conflict('id', 'already_revoked', 'this designation is already revoked');
    await tx.update(designations).set({ revokedAt: new Date(), revocationReason: reason, revokedBy: actor.userId, updatedAt: new Date() })
      .where(eq(designations.id, id));
    const after = (await findVisible(tx, actor, id))!;
    await recordAudit(tx, actor, { action: 'revoke', entity: 'designation', entityId: id, before, after });
    return after;
  });
}

/**
 * The current designation of an enterprise for an activity (and ore kind) on a date, or null.
 * Other modules (quota, trace) use it for Art. 7 checks.
 */
export async function currentDesignation(db: Db, enterpriseId: string, activity: Activity, onDate: string, oreKind?: OreKind) {
  const conditions: SQL[] = [
    eq(designations.enterpriseId, enterpriseId), eq(designations.activity, activity), isNull(designations.revokedAt),
    eq(designations.active, true), eq(enterprises.active, true), lte(designations.validFrom, onDate), gte(designations.validTo, onDate),
  ];
  if (oreKind) conditions.push(eq(designations.oreKind, oreKind));
  const [row] = await baseQuery(db).where(and(...conditions)).limit(1);
  return row ? toOut(row, onDate) : null;
}

export async function countCurrentDesignations(db: Db, actor: Actor): Promise<number> {
  const conditions: SQL[] = [statusCondition('current', todayInChina()), eq(designations.active, true)];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  const [row] = await db.select({ n: count() }).from(designations).innerJoin(enterprises, eq(enterprises.id, designations.enterpriseId)).where(and(...conditions));
  return Number(row?.n ?? 0);
}

export interface ReportingEnterprise { id: string; creditCode: string; nameZh: string; nameEn: string | null; domicileDivisionCode: string }

/**
 * Enterprises that owe implementation reports for a period (Art. 9): active, with a mining or
 * separation designation in force on any day of it, optionally within a division's subtree.
 */
export async function reportingEnterprises(db: Db, period: { first: string; last: string }, filter: { within?: string; enterpriseId?: string } = {}): Promise<ReportingEnterprise[]> {
  const conditions: SQL[] = [
    eq(enterprises.active, true), eq(designations.active, true),
    lte(designations.validFrom, period.last), gte(designations.validTo, period.first),
    or(isNull(designations.revokedAt), gte(designations.revokedAt, new Date(`${period.first}T00:00:00+08:00`)))!,
  ];
  if (filter.within) conditions.push(inArray(enterprises.domicileDivisionCode, divisionSubtree(db, filter.within)));
  if (filter.enterpriseId) conditions.push(eq(enterprises.id, filter.enterpriseId));
  return db.selectDistinct({
    id: enterprises.id, creditCode: enterprises.creditCode, nameZh: enterprises.nameZh, nameEn: enterprises.nameEn, domicileDivisionCode: enterprises.domicileDivisionCode,
  }).from(enterprises).innerJoin(designations, eq(designations.enterpriseId, enterprises.id))
    .where(and(...conditions)).orderBy(enterprises.domicileDivisionCode, enterprises.nameZh);
}
