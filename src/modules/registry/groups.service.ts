/** Use cases for the rare earth groups that hold designations and sub-allocate quotas. */
import { and, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import { rareEarthGroups } from './registry.tables.ts';
import type { GroupOut } from './registry.schemas.ts';

export interface GroupInput { code: string; nameZh: string; nameEn: string; status?: GroupOut['status']; mergedIntoId?: string | null }
export type GroupPatch = Partial<Omit<GroupInput, 'code'>> & { active?: boolean };

type Row = typeof rareEarthGroups.$inferSelect;
const toOut = (r: Row): GroupOut => ({
  id: r.id, code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, status: r.status as GroupOut['status'], mergedIntoId: r.mergedIntoId, active: r.active,
});

export async function listGroups(db: Db, actor: Actor, query: ListQuery & { active?: boolean }): Promise<Page<GroupOut>> {
  requirePermission(actor, 'registry.read');
  const conditions: SQL[] = [];
  if (query.active !== undefined) conditions.push(eq(rareEarthGroups.active, query.active));
  if (query.q) {
    const p = likePattern(query.q);
    conditions.push(or(ilike(rareEarthGroups.nameZh, p), ilike(rareEarthGroups.nameEn, p), ilike(rareEarthGroups.code, p))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(rareEarthGroups).where(where)
      .orderBy(...orderBy(query, { code: rareEarthGroups.code, nameZh: rareEarthGroups.nameZh, status: rareEarthGroups.status }, 'code', rareEarthGroups.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(rareEarthGroups).where(where),
  ]);
  return { items: rows.map(toOut), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function find(db: Db, id: string): Promise<GroupOut | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(rareEarthGroups).where(eq(rareEarthGroups.id, id));
  return row ? toOut(row) : null;
}

export async function findGroupByCode(db: Db, code: string): Promise<GroupOut | null> {
  const [row] = await db.select().from(rareEarthGroups).where(eq(rareEarthGroups.code, code));
  return row ? toOut(row) : null;
}

export async function getGroup(db: Db, actor: Actor, id: string): Promise<GroupOut> {
  requirePermission(actor, 'registry.read');
  const found = await find(db, id);
  if (!found) throw notFound('group', id);
  return found;
}

async function checkMerge(tx: Db, status: GroupOut['status'], mergedIntoId: string | null, selfId?: string): Promise<void> {
  if (status === 'merged' && !mergedIntoId) throw invalid('mergedIntoId', 'required', 'a merged group names the group it merged into');
  if (status === 'active' && mergedIntoId) throw invalid('mergedIntoId', 'not_allowed', 'an active group has not merged into another');
  if (mergedIntoId) {
    if (mergedIntoId === selfId) throw invalid('mergedIntoId', 'self', 'a group cannot merge into itself');
    if (!(await find(tx, mergedIntoId))) throw invalid('mergedIntoId', 'exists', `group ${mergedIntoId} does not exist`);
  }
}

export async function createGroup(db: Db, actor: Actor, input: GroupInput): Promise<GroupOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const status = input.status ?? 'active';
    await checkMerge(tx, status, input.mergedIntoId ?? null);
    if (await findGroupByCode(tx, input.code)) throw conflict('code', 'unique', `group code ${input.code} is taken`);
    const [row] = await tx.insert(rareEarthGroups).values({ id: newId(), ...input, status, mergedIntoId: input.mergedIntoId ?? null }).returning();
    const out = toOut(row!);
    await recordAudit(tx, actor, { action: 'create', entity: 'group', entityId: out.id, after: out });
    return out;
  });
}

export async function updateGroup(db: Db, actor: Actor, id: string, patch: GroupPatch, action = 'update'): Promise<GroupOut> {
  requirePermission(actor, 'registry.write');
  return withTransaction(db, async (tx) => {
    const before = await find(tx, id);
    if (!before) throw notFound('group', id);
    const status = patch.status ?? before.status;
    const mergedIntoId = patch.mergedIntoId !== undefined ? patch.mergedIntoId : before.mergedIntoId;
    await checkMerge(tx, status, mergedIntoId, id);
    const [row] = await tx.update(rareEarthGroups).set({ ...patch, status, mergedIntoId, updatedAt: new Date() }).where(eq(rareEarthGroups.id, id)).returning();
    const after = toOut(row!);
    await recordAudit(tx, actor, { action, entity: 'group', entityId: id, before, after });
    return after;
  });
}
