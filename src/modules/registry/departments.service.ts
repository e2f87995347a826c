/** Use cases for departments: national ministries and the local industry & IT and natural-resources departments (Art. 4, 6, 9, 12). */
import { and, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, notFound, ProblemList } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import { departments, divisions } from './registry.tables.ts';
import type { DepartmentOut } from './registry.schemas.ts';

export interface DepartmentInput {
  code: string; nameZh: string; nameEn: string; kind: DepartmentOut['kind']; level: DepartmentOut['level']; divisionCode?: string | null;
}
export interface DepartmentFilters { level?: DepartmentOut['level']; kind?: DepartmentOut['kind']; divisionCode?: string; active?: boolean }

type Row = typeof departments.$inferSelect;
const toOut = (r: Row): DepartmentOut => ({
  id: r.id, code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, kind: r.kind as DepartmentOut['kind'],
  level: r.level as DepartmentOut['level'], divisionCode: r.divisionCode, active: r.active,
});

export async function listDepartments(db: Db, actor: Actor, query: ListQuery & DepartmentFilters): Promise<Page<DepartmentOut>> {
  requirePermission(actor, 'registry.read');
  const conditions: SQL[] = [];
  if (query.level) conditions.push(eq(departments.level, query.level));
  if (query.kind) conditions.push(eq(departments.kind, query.kind));
  if (query.divisionCode) conditions.push(eq(departments.divisionCode, query.divisionCode));
  if (query.active !== undefined) conditions.push(eq(departments.active, query.active));
  if (query.q) {
    const p = likePattern(query.q);
    conditions.push(or(ilike(departments.nameZh, p), ilike(departments.nameEn, p), ilike(departments.code, p))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(departments).where(where)
      .orderBy(...orderBy(query, { code: departments.code, nameZh: departments.nameZh, level: departments.level }, 'code', departments.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(departments).where(where),
  ]);
  return { items: rows.map(toOut), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function findDepartment(db: Db, id: string): Promise<DepartmentOut | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(departments).where(eq(departments.id, id));
  return row ? toOut(row) : null;
}

export async function findDepartmentByCode(db: Db, code: string): Promise<DepartmentOut | null> {
  const [row] = await db.select().from(departments).where(eq(departments.code, code));
  return row ? toOut(row) : null;
}

export async function getDepartment(db: Db, actor: Actor, id: string): Promise<DepartmentOut> {
  requirePermission(actor, 'registry.read');
  const found = await findDepartment(db, id);
  if (!found) throw notFound('department', id);
  return found;
}

export async function createDepartment(db: Db, actor: Actor, input: DepartmentInput): Promise<DepartmentOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const problems = new ProblemList();
    const divisionCode = input.divisionCode ?? null;
    if (input.level === 'national' && divisionCode) problems.add('divisionCode', 'not_allowed', 'a national department has no division');
    if (input.level !== 'national') {
      if (!divisionCode) problems.add('divisionCode', 'required', `a ${input.level} department is tied to its division`);
      else {
        const [division] = await tx.select().from(divisions).where(eq(divisions.code, divisionCode));
        if (!division) problems.add('divisionCode', 'exists', `division ${divisionCode} does not exist`);
        else if (division.level !== input.level) problems.add('divisionCode', 'level', `division ${divisionCode} is a ${division.level}, not a ${input.level}`);
      }
    }
    problems.throwIfAny('registry.department_invalid');
    if (await findDepartmentByCode(tx, input.code)) throw conflict('code', 'unique', `department code ${input.code} is taken`);
    const [row] = await tx.insert(departments).values({ id: newId(), ...input, divisionCode }).returning();
    const out = toOut(row!);
    await recordAudit(tx, actor, { action: 'create', entity: 'department', entityId: out.id, after: out });
    return out;
  });
}

export async function updateDepartment(db: Db, actor: Actor, id: string, patch: { nameZh?: string; nameEn?: string; active?: boolean }, action = 'update'): Promise<DepartmentOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const before = await findDepartment(tx, id);
    if (!before) throw notFound('department', id);
    const [row] = await tx.update(departments).set({ ...patch, updatedAt: new Date() }).where(eq(departments.id, id)).returning();
    const after = toOut(row!);
    await recordAudit(tx, actor, { action, entity: 'department', entityId: id, before, after });
    return after;
  });
}

/** Active departments of given kinds tied to a division (e.g. a province's industry & IT and natural-resources departments). */
export async function departmentsAt(db: Db, divisionCode: string, kinds: DepartmentOut['kind'][]): Promise<DepartmentOut[]> {
  const rows = await db.select().from(departments)
    .where(and(eq(departments.divisionCode, divisionCode), eq(departments.active, true)));
  return rows.map(toOut).filter((d) => kinds.includes(d.kind));
}
