/** Reading reports within jurisdiction: lists, one report with all its versions, the signed document. */
import { and, asc, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { ReportContent } from '../../domain/reports/content.ts';
import type { Seal } from '../../domain/reports/seal.ts';
import type { ReportLevel } from '../../domain/reports/deadlines.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { divisionsByCodes, divisionSubtree } from '../registry/registry.service.ts';
import { notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { reports } from './reports.tables.ts';
import { actorUnitKey, visibleTo } from './report-units.ts';
import type { ReportRow } from './report-store.ts';

export interface ReportSummary {
  id: string; level: ReportLevel; subjectKey: string; nameZh: string; nameEn: string; creditCode: string | null; divisionCode: string | null;
  period: string; periodKind: string; version: number; status: 'submitted' | 'accepted' | 'returned' | 'superseded'; late: boolean; dueDate: string;
  submittedBy: string; submittedAt: string; reviewedBy: string | null; reviewedAt: string | null; returnReason: string | null;
  recipientDivisionCode: string | null; contentHash: string; enterpriseReports: number;
}

export interface ReportDetail extends ReportSummary {
  content: ReportContent; seal: Seal; signature: string; keyId: string; replacesReportId: string | null; correctionReason: string | null;
  versions: ReportSummary[];
  /** Whether the actor's department is the recipient and the version awaits review. */
  canReview: boolean;
}

export function toSummary(r: ReportRow): ReportSummary {
  const c = r.content as ReportContent;
  return {
    id: r.id, level: r.level as ReportLevel, subjectKey: r.subjectKey, nameZh: c.subject.nameZh, nameEn: c.subject.nameEn, creditCode: c.subject.creditCode,
    divisionCode: r.divisionCode, period: r.period, periodKind: r.periodKind, version: r.version, status: r.status as ReportSummary['status'], late: r.late, dueDate: r.dueDate,
    submittedBy: r.submittedBy, submittedAt: r.submittedAt.toISOString(), reviewedBy: r.reviewedBy, reviewedAt: r.reviewedAt?.toISOString() ?? null,
    returnReason: r.returnReason, recipientDivisionCode: r.recipientDivisionCode, contentHash: r.contentHash, enterpriseReports: c.enterpriseReports,
  };
}

function scopeCondition(db: Db, actor: Actor): SQL | undefined {
  switch (actor.scope.kind) {
    case 'national': return undefined;
    case 'enterprise': return and(eq(reports.level, 'enterprise'), eq(reports.enterpriseId, actor.scope.enterpriseId));
    case 'division': return inArray(reports.divisionCode, divisionSubtree(db, actor.scope.divisionCode));
  }
}

export async function findVisibleReport(db: Db, actor: Actor, id: string): Promise<ReportRow | null> {
  const [row] = await db.select().from(reports).where(eq(reports.id, id));
  if (!row) return null;
  const division = row.divisionCode ? (await divisionsByCodes(db, [row.divisionCode])).get(row.divisionCode) ?? null : null;
  return visibleTo(actor, row, division) ? row : null;
}

export interface ReportFilters { period?: string; level?: string; status?: string; enterpriseId?: string; divisionCode?: string; inbox?: boolean; includeSuperseded?: boolean }

export async function listReports(db: Db, actor: Actor, f: ReportFilters): Promise<ReportSummary[]> {
  requirePermission(actor, 'reports.read');
  const conditions: (SQL | undefined)[] = [scopeCondition(db, actor)];
  if (f.period) conditions.push(eq(reports.period, f.period));
  if (f.level) conditions.push(eq(reports.level, f.level));
  if (f.status) conditions.push(eq(reports.status, f.status));
  else if (!f.includeSuperseded) conditions.push(ne(reports.status, 'superseded'));
  if (f.enterpriseId) conditions.push(eq(reports.enterpriseId, f.enterpriseId));
  if (f.divisionCode) conditions.push(inArray(reports.divisionCode, divisionSubtree(db, f.divisionCode)));
  if (f.inbox) {
    const unit = await actorUnitKey(db, actor);
    if (!unit) return [];
    conditions.push(eq(reports.recipientDivisionCode, unit), eq(reports.status, 'submitted'));
  }
  const rows = await db.select().from(reports).where(and(...conditions))
    .orderBy(desc(reports.period), asc(reports.level), asc(reports.subjectKey), desc(reports.version)).limit(1000);
  return rows.map(toSummary);
}

export async function getReport(db: Db, actor: Actor, id: string): Promise<ReportDetail> {
  requirePermission(actor, 'reports.read');
  const row = isUuid(id) ? await findVisibleReport(db, actor, id) : null;
  if (!row) throw notFound('report', id);
  const versions = await db.select().from(reports)
    .where(and(eq(reports.level, row.level), eq(reports.subjectKey, row.subjectKey), eq(reports.period, row.period))).orderBy(desc(reports.version));
  const unit = await actorUnitKey(db, actor);
  return {
    ...toSummary(row), content: row.content as ReportContent, seal: row.seal as Seal, signature: row.signature, keyId: row.keyId,
    replacesReportId: row.replacesReportId, correctionReason: row.correctionReason, versions: versions.map(toSummary),
    canReview: row.status === 'submitted' && unit !== null && unit === row.recipientDivisionCode,
  };
}

/** The latest version of each subject's report for a period, by `${level}:${subjectKey}`. */
export async function latestVersionsFor(db: Db, period: string, keys: { level: string; subjectKey: string }[]): Promise<Map<string, ReportRow>> {
  if (keys.length === 0) return new Map();
  // Only the highest version of each subject leaves the database, not every version's content.
  const rows = await db.selectDistinctOn([reports.level, reports.subjectKey]).from(reports)
    .where(and(eq(reports.period, period), inArray(reports.subjectKey, [...new Set(keys.map((k) => k.subjectKey))])))
    .orderBy(reports.level, reports.subjectKey, desc(reports.version));
  const wanted = new Set(keys.map((k) => `${k.level}:${k.subjectKey}`));
  const out = new Map<string, ReportRow>();
  for (const r of rows) { const k = `${r.level}:${r.subjectKey}`; if (wanted.has(k)) out.set(k, r); }
  return out;
}
