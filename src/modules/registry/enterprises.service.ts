/** Use cases for enterprises and their licences; every read and write is limited to the actor's jurisdiction. */
import { and, arrayContains, asc, count, eq, gte, ilike, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { validateCreditCode } from '../../domain/credit-code.ts';
import { DecimalFormatError } from '../../domain/decimal.ts';
import { gramsToTonnes, tonnesToGrams } from '../../domain/mass.ts';
import { isIsoDate, todayInChina, validityStatus } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, forbidden, notFound, ProblemList } from '../shared/errors.ts';
import { newId, isUuid } from '../shared/ids.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import { designations, divisions, enterpriseLicences, enterprises, rareEarthGroups } from './registry.tables.ts';
import type { EnterpriseOut, ACTIVITIES, LICENCE_KINDS } from './registry.schemas.ts';
import { divisionInScope, divisionSubtree, enterpriseScopeCondition } from './registry.scope.ts';

type Activity = (typeof ACTIVITIES)[number];
type LicenceKind = (typeof LICENCE_KINDS)[number];

export interface LicenceInput { kind: LicenceKind; number: string; issuedBy: string; validFrom: string; validTo: string }
export interface EnterpriseInput {
  creditCode: string;
  nameZh: string;
  nameEn?: string | null;
  groupId?: string | null;
  domicileDivisionCode: string;
  activities: Activity[];
  capacityTonnesReo?: string | number | null;
  licences?: LicenceInput[];
}
export type EnterprisePatch = Partial<Omit<EnterpriseInput, 'creditCode'>> & { active?: boolean };
export interface EnterpriseFilters { groupId?: string; divisionCode?: string; activity?: Activity; active?: boolean }

// Far above any plant on earth; keeps typing slips out of the BIGINT range.
const MAX_CAPACITY_GRAMS = 10_000_000n * 1_000_000n;

const CREDIT_CODE_MESSAGES: Record<string, string> = {
  length: 'a unified social credit code has 18 characters',
  alphabet: 'only digits and capital letters other than I, O, Z, S, V are allowed',
  division_digits: 'characters 3–8 must be the 6-digit division code',
  check_character: 'the check character (18th) does not match GB 32100',
};

type Row = typeof enterprises.$inferSelect;
type LicenceRow = typeof enterpriseLicences.$inferSelect;

function toOut(r: Row, licences: LicenceRow[], today: string): EnterpriseOut {
  return {
    id: r.id, creditCode: r.creditCode, nameZh: r.nameZh, nameEn: r.nameEn, groupId: r.groupId,
    domicileDivisionCode: r.domicileDivisionCode, activities: r.activities as Activity[],
    capacityTonnesReo: r.capacityReoGrams === null ? null : gramsToTonnes(r.capacityReoGrams),
    licences: licences.map((l) => ({
      id: l.id, kind: l.kind as LicenceKind, number: l.number, issuedBy: l.issuedBy, validFrom: l.validFrom, validTo: l.validTo,
      status: validityStatus({ ...l, revokedAt: null }, today),
    })),
    active: r.active, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

async function licencesOf(db: Db, ids: string[]): Promise<Map<string, LicenceRow[]>> {
  const map = new Map<string, LicenceRow[]>();
  if (ids.length === 0) return map;
  const rows = await db.select().from(enterpriseLicences)
    .where(and(inArray(enterpriseLicences.enterpriseId, ids), eq(enterpriseLicences.active, true)))
    .orderBy(asc(enterpriseLicences.kind), asc(enterpriseLicences.validFrom));
  for (const row of rows) map.set(row.enterpriseId, [...(map.get(row.enterpriseId) ?? []), row]);
  return map;
}

export async function listEnterprises(db: Db, actor: Actor, query: ListQuery & EnterpriseFilters): Promise<Page<EnterpriseOut>> {
  requirePermission(actor, 'registry.read');
  const conditions: SQL[] = [];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (query.groupId) conditions.push(eq(enterprises.groupId, query.groupId));
  if (query.divisionCode) conditions.push(inArray(enterprises.domicileDivisionCode, divisionSubtree(db, query.divisionCode)));
  if (query.activity) conditions.push(arrayContains(enterprises.activities, [query.activity]));
  if (query.active !== undefined) conditions.push(eq(enterprises.active, query.active));
  if (query.q) {
    const p = likePattern(query.q);
    conditions.push(or(ilike(enterprises.nameZh, p), ilike(enterprises.nameEn, p), ilike(enterprises.creditCode, p))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(enterprises).where(where)
      .orderBy(...orderBy(query, {
        nameZh: enterprises.nameZh, creditCode: enterprises.creditCode, domicileDivisionCode: enterprises.domicileDivisionCode,
        capacity: enterprises.capacityReoGrams, createdAt: enterprises.createdAt,
      }, 'nameZh', enterprises.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(enterprises).where(where),
  ]);
  const licences = await licencesOf(db, rows.map((r) => r.id));
  const today = todayInChina();
  return { items: rows.map((r) => toOut(r, licences.get(r.id) ?? [], today)), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** The enterprise if it exists and lies in the actor's jurisdiction; otherwise null (callers answer 404, not 403, to not reveal it). */
export async function findVisibleEnterprise(db: Db, actor: Actor, id: string): Promise<EnterpriseOut | null> {
  if (!isUuid(id)) return null;
  const scope = enterpriseScopeCondition(db, actor.scope);
  const [row] = await db.select().from(enterprises).where(scope ? and(eq(enterprises.id, id), scope) : eq(enterprises.id, id));
  if (!row) return null;
  const licences = await licencesOf(db, [row.id]);
  return toOut(row, licences.get(row.id) ?? [], todayInChina());
}

export async function getEnterprise(db: Db, actor: Actor, id: string): Promise<EnterpriseOut> {
  requirePermission(actor, 'registry.read');
  const found = await findVisibleEnterprise(db, actor, id);
  if (!found) throw notFound('enterprise', id);
  return found;
}

/** Checks everything but uniqueness; returns the capacity in grams. */
async function validate(db: Db, actor: Actor, input: EnterprisePatch & { creditCode?: string }): Promise<bigint | null | undefined> {
  const problems = new ProblemList();
  if (input.creditCode !== undefined) {
    const problem = validateCreditCode(input.creditCode);
    if (problem) problems.add('creditCode', problem, CREDIT_CODE_MESSAGES[problem]!);
  }
  if (input.domicileDivisionCode !== undefined) {
    const [division] = await db.select().from(divisions).where(eq(divisions.code, input.domicileDivisionCode));
    if (!division || !division.active) {
      problems.add('domicileDivisionCode', 'exists', `division ${input.domicileDivisionCode} does not exist`);
    } else if (division.level !== 'county') {
      problems.add('domicileDivisionCode', 'county_level', 'the domicile must be a county-level division');
    } else if (!divisionInScope(division, actor.scope)) {
      problems.add('domicileDivisionCode', 'jurisdiction', 'the domicile is outside your jurisdiction');
    }
  }
  if (input.groupId) {
    const [group] = await db.select({ id: rareEarthGroups.id }).from(rareEarthGroups).where(eq(rareEarthGroups.id, input.groupId));
    if (!group) problems.add('groupId', 'exists', `group ${input.groupId} does not exist`);
  }
  if (input.activities && new Set(input.activities).size !== input.activities.length) {
    problems.add('activities', 'unique', 'each activity once');
  }
  input.licences?.forEach((l, i) => {
    if (!isIsoDate(l.validFrom)) problems.add(`licences.${i}.validFrom`, 'date', 'not a calendar date');
    if (!isIsoDate(l.validTo)) problems.add(`licences.${i}.validTo`, 'date', 'not a calendar date');
    else if (l.validTo < l.validFrom) problems.add(`licences.${i}.validTo`, 'date_range', 'valid-to is before valid-from');
  });
  let capacity: bigint | null | undefined;
  if (input.capacityTonnesReo === null) capacity = null;
  else if (input.capacityTonnesReo !== undefined && input.capacityTonnesReo !== '') {
    try {
      capacity = tonnesToGrams(input.capacityTonnesReo);
      if (capacity > MAX_CAPACITY_GRAMS) problems.add('capacityTonnesReo', 'max', 'at most 10,000,000 t REO per year');
    } catch (error) {
      if (!(error instanceof DecimalFormatError)) throw error;
      problems.add('capacityTonnesReo', error.rule, `capacity in tonnes REO per year: ${error.message}`);
    }
  }
  problems.throwIfAny('registry.enterprise_invalid');
  return capacity;
}

async function replaceLicences(tx: Db, enterpriseId: string, licences: LicenceInput[]): Promise<void> {
  await tx.update(enterpriseLicences).set({ active: false, updatedAt: new Date() })
    .where(and(eq(enterpriseLicences.enterpriseId, enterpriseId), eq(enterpriseLicences.active, true)));
  if (licences.length > 0) {
    await tx.insert(enterpriseLicences).values(licences.map((l) => ({ id: newId(), enterpriseId, ...l })));
  }
}

export async function createEnterprise(db: Db, actor: Actor, input: EnterpriseInput): Promise<EnterpriseOut> {
  requirePermission(actor, 'enterprise.write');
  const capacity = await validate(db, actor, input);
  return withTransaction(db, async (tx) => {
    const [existing] = await tx.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.creditCode, input.creditCode));
    if (existing) throw conflict('creditCode', 'unique', `an enterprise with credit code ${input.creditCode} is already registered`, 'registry.credit_code_taken');
    const id = newId();
    await tx.insert(enterprises).values({
      id, creditCode: input.creditCode, nameZh: input.nameZh, nameEn: input.nameEn ?? null, groupId: input.groupId ?? null,
      domicileDivisionCode: input.domicileDivisionCode, activities: input.activities, capacityReoGrams: capacity ?? null,
    });
    await replaceLicences(tx, id, input.licences ?? []);
    const out = (await findVisibleEnterprise(tx, actor, id))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'enterprise', entityId: id, after: out });
    return out;
  });
}

export async function updateEnterprise(db: Db, actor: Actor, id: string, patch: EnterprisePatch, action = 'update'): Promise<EnterpriseOut> {
  requirePermission(actor, 'enterprise.write');
  if (actor.scope.kind === 'enterprise') throw forbidden('enterprises cannot change their own registration');
  const capacity = await validate(db, actor, patch);
  return withTransaction(db, async (tx) => {
    const before = await findVisibleEnterprise(tx, actor, id);
    if (!before) throw notFound('enterprise', id);
    if (patch.activities) {
      // Art. 7: a designated activity stays registered while its designation is unrevoked and not expired.
      const held = await tx.select({ activity: designations.activity, documentNo: designations.documentNo }).from(designations)
        .where(and(eq(designations.enterpriseId, id), isNull(designations.revokedAt), gte(designations.validTo, todayInChina())));
      const dropped = held.find((d) => !patch.activities!.includes(d.activity as Activity));
      if (dropped) throw conflict('activities', 'designated_activity', `${dropped.activity} is designated by ${dropped.documentNo}; revoke the designation first`, 'registry.activity_designated');
    }
    const { licences, capacityTonnesReo: _capacity, ...fields } = patch;
    await tx.update(enterprises).set({
      ...fields, ...(capacity !== undefined ? { capacityReoGrams: capacity } : {}), updatedAt: new Date(),
    }).where(eq(enterprises.id, id));
    if (licences) await replaceLicences(tx, id, licences);
    // A move out of the official's jurisdiction was refused in validate(); read back with national sight.
    const after = (await findVisibleEnterprise(tx, { ...actor, scope: { kind: 'national' } }, id))!;
    await recordAudit(tx, actor, { action, entity: 'enterprise', entityId: id, before, after });
    return after;
  });
}

export async function countEnterprises(db: Db, actor: Actor): Promise<number> {
  const scope = enterpriseScopeCondition(db, actor.scope);
  const [row] = await db.select({ n: count() }).from(enterprises).where(scope ? and(scope, eq(enterprises.active, true)) : eq(enterprises.active, true));
  return Number(row?.n ?? 0);
}

/** Facts the quota module needs to decide eligibility, without the jurisdiction filter (callers are ministries). */
export async function enterpriseFacts(db: Db, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ enterprise: enterprises, division: divisions }).from(enterprises)
    .innerJoin(divisions, eq(divisions.code, enterprises.domicileDivisionCode)).where(eq(enterprises.id, id));
  if (!row) return null;
  const licences = (await licencesOf(db, [id])).get(id) ?? [];
  const licenceValidTo: Partial<Record<string, string>> = {};
  for (const l of licences) if (!licenceValidTo[l.kind] || licenceValidTo[l.kind]! < l.validTo) licenceValidTo[l.kind] = l.validTo;
  return {
    id: row.enterprise.id, nameZh: row.enterprise.nameZh, groupId: row.enterprise.groupId, active: row.enterprise.active,
    capacityReoGrams: row.enterprise.capacityReoGrams, domicileDivisionCode: row.enterprise.domicileDivisionCode,
    provinceCode: row.division.provinceCode, prefectureCode: row.division.prefectureCode, licenceValidTo,
  };
}
