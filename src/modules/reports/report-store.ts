/**
 * Storing a report version: sealed and signed, frozen from then on. Re-sending the same
 * content changes nothing; a different content is a new version that names the one it
 * replaces (enterprise corrections must name it, so two browser tabs cannot overwrite each
 * other). Lateness is judged on the first version, so a correction asked for by the county
 * does not make a report late.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { contentHash, signSeal, type Seal, type SignedReport } from '../../domain/reports/seal.ts';
import type { ReportContent } from '../../domain/reports/content.ts';
import type { ReportLevel } from '../../domain/reports/deadlines.ts';
import { formatPeriod, type ReportPeriod } from '../../domain/reports/period.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { queueNotice } from './outbox.service.ts';
import { reportAlerts, reports } from './reports.tables.ts';
import type { SigningKey } from './signing-keys.service.ts';

export type ReportRow = typeof reports.$inferSelect;

export interface VersionInput {
  level: ReportLevel;
  subjectKey: string;
  enterpriseId: string | null;
  divisionCode: string | null;
  recipient: { level: ReportLevel; divisionCode: string } | null;
  period: ReportPeriod;
  content: ReportContent;
  dueDate: string;
  submittedByName: string;
  /** Enterprise corrections name the version they replace; compilations are simply compiled again. */
  requireReplaces: boolean;
  replacesReportId?: string | null;
  correctionReason?: string | null;
  /** The national compilation has nobody above it to accept it. */
  final: boolean;
  /** When it was submitted; only the demo seed and imports of paper-era reports set it, the API never does. */
  submittedAt?: Date;
}

export async function latestVersion(db: Db, level: string, subjectKey: string, period: string): Promise<ReportRow | null> {
  const [row] = await db.select().from(reports)
    .where(and(eq(reports.level, level), eq(reports.subjectKey, subjectKey), eq(reports.period, period)))
    .orderBy(desc(reports.version)).limit(1);
  return row ?? null;
}

export function signedDocument(row: ReportRow): SignedReport {
  return { seal: row.seal as Seal, signature: row.signature, content: row.content as ReportContent };
}

export async function storeVersion(db: Db, actor: Actor, key: SigningKey, input: VersionInput): Promise<{ row: ReportRow; unchanged: boolean }> {
  const period = formatPeriod(input.period);
  const hash = contentHash(input.content);
  return withTransaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`report:${input.level}:${input.subjectKey}:${period}`}))`);
    const latest = await latestVersion(tx, input.level, input.subjectKey, period);
    if (latest && latest.status !== 'returned' && latest.contentHash === hash) return { row: latest, unchanged: true };
    if (latest && input.requireReplaces) {
      if (!input.replacesReportId) {
        throw conflict('replacesReportId', 'required', `version ${latest.version} of this report exists (${latest.status}); a correction names the version it replaces`, 'reports.correction_must_name_version');
      }
      if (input.replacesReportId !== latest.id) {
        throw conflict('replacesReportId', 'stale', `the latest version is ${latest.version} (${latest.id}); reload and correct that one`, 'reports.stale_version');
      }
      if (latest.status !== 'returned' && !input.correctionReason?.trim()) {
        throw invalid('correctionReason', 'required', 'a correction of a submitted report says why it is corrected', 'reports.correction_reason_required');
      }
    }
    const first = latest ? (await tx.select({ late: reports.late }).from(reports)
      .where(and(eq(reports.level, input.level), eq(reports.subjectKey, input.subjectKey), eq(reports.period, period), eq(reports.version, 1))))[0] : undefined;
    const submittedAt = input.submittedAt ?? new Date();
    const id = newId();
    const version = (latest?.version ?? 0) + 1;
    const seal: Seal = {
      reportId: id, version, replacesReportId: latest?.id ?? null, period, level: input.level, subjectKey: input.subjectKey,
      contentHash: hash, submittedBy: actor.username, submittedByName: input.submittedByName, submittedAt: submittedAt.toISOString(),
      keyId: key.id, algorithm: 'Ed25519',
    };
    if (latest && latest.status !== 'returned') await tx.update(reports).set({ status: 'superseded' }).where(eq(reports.id, latest.id));
    const [row] = await tx.insert(reports).values({
      id, level: input.level, subjectKey: input.subjectKey, enterpriseId: input.enterpriseId, divisionCode: input.divisionCode,
      recipientDivisionCode: input.recipient?.divisionCode ?? null, recipientLevel: input.recipient?.level ?? null,
      periodKind: input.period.kind, period, version, replacesReportId: latest?.id ?? null,
      correctionReason: input.correctionReason?.trim() || null, status: input.final ? 'accepted' : 'submitted',
      content: input.content, contentHash: hash, seal, signature: signSeal(seal, key.privateKey), keyId: key.id,
      dueDate: input.dueDate, late: first ? first.late : todayInChina(submittedAt) > input.dueDate,
      submittedBy: actor.username, submittedAt,
    }).returning();
    await tx.update(reportAlerts).set({ resolvedAt: submittedAt }).where(and(
      eq(reportAlerts.level, input.level), eq(reportAlerts.subjectKey, input.subjectKey), eq(reportAlerts.period, period), isNull(reportAlerts.resolvedAt)));
    if (input.recipient) {
      const what = version > 1 ? '更正' : '提交';
      await queueNotice(tx, {
        topic: 'report.submitted', to: { divisionCode: input.recipient.divisionCode },
        subjectZh: `${input.content.subject.nameZh} ${what}了 ${period} 执行情况报告（第 ${version} 版）`,
        subjectEn: `${input.content.subject.nameEn} ${version > 1 ? 'corrected' : 'submitted'} the ${period} implementation report (version ${version})`,
        payload: { reportId: id, level: input.level, period, version }, dedupeKey: `report.submitted:${id}`,
      });
    }
    await recordAudit(tx, actor, { action: version > 1 ? 'correct' : 'submit', entity: 'report', entityId: id, after: { level: input.level, subjectKey: input.subjectKey, period, version, contentHash: hash } });
    return { row: row!, unchanged: false };
  });
}
