/**
 * Notices of issued indicators (Order No. 71 Art. 6): the receiving enterprise and the
 * industry & IT and natural-resources departments of its province are notified on issue; a
 * province forwards to the departments of the counties where the enterprises are domiciled.
 * Each notice records delivered, read and acknowledged.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { departmentsAt, enterpriseFacts, findDepartment } from '../registry/registry.service.ts';
import { departments, enterprises } from '../registry/registry.tables.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { allocationBatches, allocations, quotaNotices } from './quota.tables.ts';

const NOTIFIED_KINDS = ['industry_it', 'natural_resources'] as const;

export interface NoticeOut {
  id: string; batchId: string; batchName: string; year: number;
  recipient: { kind: 'department' | 'enterprise'; id: string; code: string | null; nameZh: string; level: string | null };
  forwardedFromId: string | null; deliveredAt: string; readAt: string | null; acknowledgedAt: string | null; acknowledgedBy: string | null; forwardedAt: string | null;
  canForward: boolean;
}

async function insertNotice(tx: Db, batchId: string, recipient: { departmentId?: string; enterpriseId?: string }, forwardedFromId: string | null = null): Promise<void> {
  await tx.insert(quotaNotices).values({ id: newId(), batchId, departmentId: recipient.departmentId ?? null, enterpriseId: recipient.enterpriseId ?? null, forwardedFromId })
    .onConflictDoNothing();
}

/** On issue (or a group's sub-allocation): each enterprise and its province's departments, once per batch. */
export async function sendIssueNotices(tx: Db, batchId: string, enterpriseIds: string[]): Promise<void> {
  for (const enterpriseId of new Set(enterpriseIds)) {
    const facts = await enterpriseFacts(tx, enterpriseId);
    if (!facts) continue;
    await insertNotice(tx, batchId, { enterpriseId });
    for (const d of await departmentsAt(tx, facts.provinceCode, [...NOTIFIED_KINDS])) {
      await insertNotice(tx, batchId, { departmentId: d.id });
      // The province already forwarded this batch: a later recipient's county is told the same way.
      const [provinceNotice] = await tx.select().from(quotaNotices).where(and(eq(quotaNotices.batchId, batchId), eq(quotaNotices.departmentId, d.id)));
      if (provinceNotice?.forwardedAt) {
        for (const code of [facts.prefectureCode, facts.domicileDivisionCode]) {
          if (!code) continue;
          for (const local of await departmentsAt(tx, code, [d.kind])) await insertNotice(tx, batchId, { departmentId: local.id }, provinceNotice.id);
        }
      }
    }
  }
}

async function toOut(db: Db, rows: (typeof quotaNotices.$inferSelect)[]): Promise<NoticeOut[]> {
  if (rows.length === 0) return [];
  const batchIds = [...new Set(rows.map((r) => r.batchId))];
  const batches = new Map((await db.select().from(allocationBatches).where(inArray(allocationBatches.id, batchIds))).map((b) => [b.id, b]));
  const deptIds = rows.map((r) => r.departmentId).filter((x): x is string => !!x);
  const entIds = rows.map((r) => r.enterpriseId).filter((x): x is string => !!x);
  const depts = new Map(deptIds.length ? (await db.select().from(departments).where(inArray(departments.id, deptIds))).map((d) => [d.id, d]) : []);
  const ents = new Map(entIds.length ? (await db.select().from(enterprises).where(inArray(enterprises.id, entIds))).map((e) => [e.id, e]) : []);
  return rows.map((r) => {
    const b = batches.get(r.batchId)!;
    const d = r.departmentId ? depts.get(r.departmentId) : undefined;
    const e = r.enterpriseId ? ents.get(r.enterpriseId) : undefined;
    return {
      id: r.id, batchId: r.batchId, batchName: b.name, year: b.year,
      recipient: d ? { kind: 'department', id: d.id, code: d.code, nameZh: d.nameZh, level: d.level } : { kind: 'enterprise', id: e!.id, code: e!.creditCode, nameZh: e!.nameZh, level: null },
      forwardedFromId: r.forwardedFromId, deliveredAt: r.deliveredAt.toISOString(), readAt: r.readAt?.toISOString() ?? null,
      acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null, acknowledgedBy: r.acknowledgedBy, forwardedAt: r.forwardedAt?.toISOString() ?? null,
      canForward: d?.level === 'province' && !r.forwardedAt,
    };
  });
}

/** Notices addressed to the actor's own department or enterprise. */
export async function myNotices(db: Db, actor: Actor): Promise<NoticeOut[]> {
  requirePermission(actor, 'quota.notice');
  const where = actor.enterpriseId ? eq(quotaNotices.enterpriseId, actor.enterpriseId) : actor.departmentId ? eq(quotaNotices.departmentId, actor.departmentId) : undefined;
  if (!where) return [];
  return toOut(db, await db.select().from(quotaNotices).where(where).orderBy(asc(quotaNotices.deliveredAt)));
}

/** Every notice of a batch, for ministries to see who has not acknowledged. */
export async function batchNotices(db: Db, actor: Actor, batchId: string): Promise<NoticeOut[]> {
  requirePermission(actor, 'quota.read');
  if (actor.scope.kind !== 'national') throw forbidden('the notice status of a whole batch is for the ministries');
  if (!isUuid(batchId)) throw notFound('batch', batchId);
  return toOut(db, await db.select().from(quotaNotices).where(eq(quotaNotices.batchId, batchId)).orderBy(asc(quotaNotices.deliveredAt)));
}

async function ownNotice(tx: Db, actor: Actor, id: string) {
  if (!isUuid(id)) throw notFound('notice', id);
  const [n] = await tx.select().from(quotaNotices).where(eq(quotaNotices.id, id)).for('update');
  const own = n && ((n.enterpriseId && n.enterpriseId === actor.enterpriseId) || (n.departmentId && n.departmentId === actor.departmentId));
  if (!n || !own) throw notFound('notice', id);
  return n;
}

export async function markNoticeRead(db: Db, actor: Actor, id: string): Promise<NoticeOut> {
  requirePermission(actor, 'quota.notice');
  return withTransaction(db, async (tx) => {
    const n = await ownNotice(tx, actor, id);
    if (!n.readAt) await tx.update(quotaNotices).set({ readAt: new Date() }).where(eq(quotaNotices.id, id));
    return (await toOut(tx, await tx.select().from(quotaNotices).where(eq(quotaNotices.id, id))))[0]!;
  });
}

export async function acknowledgeNotice(db: Db, actor: Actor, id: string): Promise<NoticeOut> {
  requirePermission(actor, 'quota.notice');
  return withTransaction(db, async (tx) => {
    const n = await ownNotice(tx, actor, id);
    if (!n.acknowledgedAt) {
      await tx.update(quotaNotices).set({ readAt: n.readAt ?? new Date(), acknowledgedAt: new Date(), acknowledgedBy: actor.username }).where(eq(quotaNotices.id, id));
      await recordAudit(tx, actor, { action: 'acknowledge', entity: 'notice', entityId: id });
    }
    return (await toOut(tx, await tx.select().from(quotaNotices).where(eq(quotaNotices.id, id))))[0]!;
  });
}

/**
 * A province forwards to the same-kind departments of the counties (and their prefectures)
 * where the batch's enterprises of that province are domiciled. Forwarding twice is refused.
 */
export async function forwardNotice(db: Db, actor: Actor, id: string): Promise<NoticeOut[]> {
  requirePermission(actor, 'quota.notice');
  return withTransaction(db, async (tx) => {
    const n = await ownNotice(tx, actor, id);
    const department = n.departmentId ? await findDepartment(tx, n.departmentId) : null;
    if (!department || department.level !== 'province') throw forbidden('only provincial departments forward notices to counties', 'quota.forward_not_province');
    if (n.forwardedAt) throw conflict('id', 'already_forwarded', 'this notice was already forwarded');
    const recipients = await tx.select({ enterpriseId: allocations.enterpriseId }).from(allocations)
      .where(and(eq(allocations.batchId, n.batchId), eq(allocations.status, 'issued')));
    const targets = new Set<string>();
    for (const r of recipients) {
      if (!r.enterpriseId) continue;
      const facts = await enterpriseFacts(tx, r.enterpriseId);
      if (!facts || facts.provinceCode !== department.divisionCode) continue;
      for (const code of [facts.prefectureCode, facts.domicileDivisionCode]) {
        if (!code) continue;
        for (const d of await departmentsAt(tx, code, [department.kind])) targets.add(d.id);
      }
    }
    for (const departmentId of targets) await insertNotice(tx, n.batchId, { departmentId }, n.id);
    await tx.update(quotaNotices).set({ forwardedAt: new Date(), readAt: n.readAt ?? new Date(), ...(n.acknowledgedAt ? {} : { acknowledgedAt: new Date(), acknowledgedBy: actor.username }) }).where(eq(quotaNotices.id, id));
    await recordAudit(tx, actor, { action: 'forward', entity: 'notice', entityId: id, after: { forwardedTo: [...targets] } });
    return toOut(tx, await tx.select().from(quotaNotices).where(eq(quotaNotices.forwardedFromId, id)));
  });
}

/** Unacknowledged notices of a batch. */
export async function unacknowledged(db: Db, actor: Actor, batchId: string): Promise<NoticeOut[]> {
  const all = await batchNotices(db, actor, batchId);
  return all.filter((n) => !n.acknowledgedAt);
}

