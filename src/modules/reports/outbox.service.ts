/**
 * Notices through the transactional outbox: written in the transaction of what caused them,
 * shown in the console now (in-app), ready for an e-mail or broker relay later. A dedupe key
 * makes a reminder sweep that runs twice queue each notice once.
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { outbox } from './reports.tables.ts';
import { actorUnitKey } from './report-units.ts';

export interface NoticeInput {
  topic: string;
  to: { enterpriseId: string } | { divisionCode: string };
  subjectZh: string;
  subjectEn: string;
  payload: Record<string, unknown>;
  dedupeKey: string;
}

/** Queues a notice; false when one with the same dedupe key was queued before. */
export async function queueNotice(tx: Db, n: NoticeInput): Promise<boolean> {
  const inserted = await tx.insert(outbox).values({
    id: newId(), topic: n.topic, channel: 'in_app',
    recipientEnterpriseId: 'enterpriseId' in n.to ? n.to.enterpriseId : null,
    recipientDivisionCode: 'divisionCode' in n.to ? n.to.divisionCode : null,
    subjectZh: n.subjectZh, subjectEn: n.subjectEn, payload: n.payload, dedupeKey: n.dedupeKey,
  }).onConflictDoNothing({ target: outbox.dedupeKey }).returning({ id: outbox.id });
  return inserted.length > 0;
}

export interface NoticeOut { id: string; topic: string; subjectZh: string; subjectEn: string; payload: unknown; createdAt: string; readAt: string | null }

async function recipientCondition(db: Db, actor: Actor): Promise<SQL | null> {
  if (actor.scope.kind === 'enterprise') return eq(outbox.recipientEnterpriseId, actor.scope.enterpriseId);
  const unit = await actorUnitKey(db, actor);
  return unit ? eq(outbox.recipientDivisionCode, unit) : null;
}

/** The in-app notices addressed to the actor's enterprise or division, newest first. */
export async function myNotices(db: Db, actor: Actor, options: { unreadOnly?: boolean } = {}): Promise<NoticeOut[]> {
  const to = await recipientCondition(db, actor);
  if (!to) return [];
  const rows = await db.select().from(outbox).where(and(to, options.unreadOnly ? isNull(outbox.readAt) : undefined))
    .orderBy(desc(outbox.createdAt)).limit(200);
  return rows.map((r) => ({ id: r.id, topic: r.topic, subjectZh: r.subjectZh, subjectEn: r.subjectEn, payload: r.payload, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null }));
}

export async function markNoticeRead(db: Db, actor: Actor, id: string): Promise<void> {
  const to = await recipientCondition(db, actor);
  const done = to ? await db.update(outbox).set({ readAt: sql`coalesce(${outbox.readAt}, now())`, deliveredAt: sql`coalesce(${outbox.deliveredAt}, now())` })
    .where(and(eq(outbox.id, id), to)).returning({ id: outbox.id }) : [];
  if (done.length === 0) throw notFound('notice', id);
}
