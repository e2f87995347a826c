/** Use cases for administrative divisions (GB/T 2260). */
import { and, count, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { allowedParentLevels, codeFitsParent, isDivisionCode, levelOfCode } from '../../domain/division-code.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import { divisions } from './registry.tables.ts';
import type { DivisionOut } from './registry.schemas.ts';
import { divisionSubtree } from './registry.scope.ts';

type Row = typeof divisions.$inferSelect;

function toOut(r: Row): DivisionOut {
  return {
    code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, level: r.level as DivisionOut['level'], parentCode: r.parentCode,
    provinceCode: r.provinceCode, prefectureCode: r.prefectureCode, active: r.active,
  };
}

export interface DivisionFilters { level?: DivisionOut['level']; parentCode?: string; active?: boolean; within?: string }

export async function listDivisions(db: Db, actor: Actor, query: ListQuery & DivisionFilters): Promise<Page<DivisionOut>> {
  requirePermission(actor, 'registry.read');
  const conditions: SQL[] = [];
  if (query.level) conditions.push(eq(divisions.level, query.level));
  if (query.parentCode) conditions.push(eq(divisions.parentCode, query.parentCode));
  if (query.active !== undefined) conditions.push(eq(divisions.active, query.active));
  if (query.q) conditions.push(or(ilike(divisions.nameZh, likePattern(query.q)), ilike(divisions.nameEn, likePattern(query.q)), ilike(divisions.code, `${query.q}%`))!);
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(divisions).where(where)
      .orderBy(...orderBy(query, { code: divisions.code, nameZh: divisions.nameZh, level: divisions.level }, 'code', divisions.code))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(divisions).where(where),
  ]);
  return { items: rows.map(toOut), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function findDivision(db: Db, code: string): Promise<DivisionOut | null> {
  const [row] = await db.select().from(divisions).where(eq(divisions.code, code));
  return row ? toOut(row) : null;
}

export async function getDivision(db: Db, actor: Actor, code: string): Promise<DivisionOut> {
  requirePermission(actor, 'registry.read');
  const found = await findDivision(db, code);
  if (!found) throw notFound('division', code);
  return found;
}

export { divisionSubtree };

export async function createDivision(
  db: Db, actor: Actor, input: { code: string; nameZh: string; nameEn?: string | null; parentCode?: string | null },
): Promise<DivisionOut> {
  requirePermission(actor, 'registry.write');
  const problems = new ProblemList();
  if (!isDivisionCode(input.code)) problems.add('code', 'format', 'a division code is 6 digits (GB/T 2260)');
  problems.throwIfAny();
  const level = levelOfCode(input.code);
  return withTransaction(db, async (tx) => {
    if (await findDivision(tx, input.code)) throw conflict('code', 'unique', `division ${input.code} already exists`);
    let provinceCode = input.code;
    let prefectureCode: string | null = null;
    const parentLevels = allowedParentLevels(level);
    if (parentLevels.length === 0) {
      if (input.parentCode) throw invalid('parentCode', 'not_allowed', 'a province has no parent');
    } else {
      if (!input.parentCode) throw invalid('parentCode', 'required', `a ${level} needs its parent division`);
      const parent = await findDivision(tx, input.parentCode);
      if (!parent) throw invalid('parentCode', 'exists', `division ${input.parentCode} does not exist`);
      if (!parentLevels.includes(parent.level) || !codeFitsParent(input.code, parent.code, parent.level)) {
        throw invalid('parentCode', 'hierarchy', `${input.code} cannot belong to ${parent.code} (${parent.level})`);
      }
      provinceCode = parent.provinceCode;
      prefectureCode = parent.level === 'prefecture' ? parent.code : null;
      if (level === 'prefecture') prefectureCode = input.code;
    }
    const [row] = await tx.insert(divisions).values({
      code: input.code, nameZh: input.nameZh, nameEn: input.nameEn ?? null, level, parentCode: input.parentCode ?? null,
      provinceCode, prefectureCode,
    }).returning();
    const out = toOut(row!);
    await recordAudit(tx, actor, { action: 'create', entity: 'division', entityId: out.code, after: out });
    return out;
  });
}

export async function updateDivision(
  db: Db, actor: Actor, code: string, patch: { nameZh?: string; nameEn?: string | null; active?: boolean },
  action = 'update',
): Promise<DivisionOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const before = await findDivision(tx, code);
    if (!before) throw notFound('division', code);
    const [row] = await tx.update(divisions).set({ ...patch, updatedAt: new Date() }).where(eq(divisions.code, code)).returning();
    const after = toOut(row!);
    await recordAudit(tx, actor, { action, entity: 'division', entityId: code, before, after });
    return after;
  });
}

export async function countDivisions(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(divisions);
  return Number(row?.n ?? 0);
}

/** Divisions by code, for modules that name many at once (report compilations). */
export async function divisionsByCodes(db: Db, codes: string[]): Promise<Map<string, DivisionOut>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select().from(divisions).where(inArray(divisions.code, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, toOut(r)]));
}
