/**
 * Checking received reports (Art. 9): the departments a report was submitted to accept it, or
 * return it with a reason for the sender to correct. Only the recipient acts; the levels above
 * see it but do not decide on it.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, forbidden, invalid, notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { queueNotice } from './outbox.service.ts';
import { reports } from './reports.tables.ts';
import { actorUnitKey } from './report-units.ts';
import type { ReportRow } from './report-store.ts';
import { findVisibleReport } from './report-queries.service.ts';

export const RETURN_REASON_MAX = 2000;

/** Checks the actor is the recipient; the row is read again, locked, inside the decision's transaction. */
async function requireRecipient(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'reports.review');
  const row = isUuid(id) ? await findVisibleReport(db, actor, id) : null;
  if (!row) throw notFound('report', id);
  const unit = await actorUnitKey(db, actor);
  if (!unit || unit !== row.recipientDivisionCode) {
    throw forbidden('only the departments the report was submitted to accept or return it', 'reports.not_recipient');
  }
}

export async function decideReport(db: Db, actor: Actor, id: string, decision: 'accept' | 'return', reason?: string | null): Promise<ReportRow> {
  await requireRecipient(db, actor, id);
  const text = reason?.trim() ?? '';
  if (decision === 'return' && !text) throw invalid('reason', 'required', 'a returned report says what to correct', 'reports.return_reason_required');
  if (text.length > RETURN_REASON_MAX) throw invalid('reason', 'max', `at most ${RETURN_REASON_MAX} characters`, 'reports.invalid');
  return withTransaction(db, async (tx) => {
    const [current] = await tx.select().from(reports).where(eq(reports.id, id)).for('update');
    if (current!.status !== 'submitted') {
      throw conflict('status', 'not_submitted', `this version is ${current!.status}; only a submitted version awaiting review is accepted or returned`, 'reports.not_awaiting_review');
    }
    const [updated] = await tx.update(reports).set({
      status: decision === 'accept' ? 'accepted' : 'returned', reviewedBy: actor.username, reviewedAt: new Date(),
      returnReason: decision === 'return' ? text : null,
    }).where(eq(reports.id, id)).returning();
    const content = current!.content as { subject: { nameZh: string; nameEn: string } };
    const to = current!.level === 'enterprise' ? { enterpriseId: current!.enterpriseId! } : { divisionCode: current!.subjectKey };
    await queueNotice(tx, {
      topic: decision === 'accept' ? 'report.accepted' : 'report.returned', to,
      subjectZh: decision === 'accept' ? `${current!.period} 执行情况报告（第 ${current!.version} 版）已通过审核` : `${current!.period} 执行情况报告（第 ${current!.version} 版）被退回：${text}`,
      subjectEn: decision === 'accept' ? `The ${current!.period} implementation report (version ${current!.version}) was accepted` : `The ${current!.period} implementation report (version ${current!.version}) was returned: ${text}`,
      payload: { reportId: id, subject: content.subject.nameZh, reason: text || null }, dedupeKey: `report.${decision}:${id}`,
    });
    await recordAudit(tx, actor, { action: decision, entity: 'report', entityId: id, before: { status: 'submitted' }, after: { status: updated!.status, reason: text || null } });
    return updated!;
  });
}
