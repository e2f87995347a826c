/**
 * Compilation upward (Art. 9, 12): a county compiles the accepted reports of its enterprises,
 * a prefecture those of its counties, a province those of its prefectures (and of counties
 * directly under it), the ministries those of the provinces. Every figure is the sum of the
 * level below; what is missing, late or returned, here or further down, is listed. A report
 * still awaiting review holds the compilation back: the department decides on it first.
 */
import type { Db } from '../../db/database.ts';
import { compile, type Constituent, type ListedUnit, type ReportContent } from '../../domain/reports/content.ts';
import { childrenOf, type Unit } from '../../domain/reports/hierarchy.ts';
import { formatPeriod, periodEnded, type ReportPeriod } from '../../domain/reports/period.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { findDepartment } from '../registry/registry.service.ts';
import { AppError, forbidden, invalid } from '../shared/errors.ts';
import { requirePeriod } from './enterprise-reports.service.ts';
import { dueDatesFor } from './report-calendar.ts';
import { latestVersionsFor } from './report-queries.service.ts';
import { storeVersion, type ReportRow } from './report-store.ts';
import { loadUnitTree, requireActorUnit } from './report-units.ts';
import { activeSigningKey } from './signing-keys.service.ts';

export const REMARKS_MAX = 2000;

export interface CompilationPreview {
  content: ReportContent;
  /** Reports of the level below still awaiting this department's review. */
  pending: { reportId: string; level: string; key: string; nameZh: string; nameEn: string }[];
  dueDate: string;
  unit: Unit;
  parentLevel: Unit['level'] | null;
}

const constituentOf = (u: Unit, r: ReportRow): Constituent => ({
  reportId: r.id, version: r.version, level: u.level, key: u.key, nameZh: u.nameZh, nameEn: u.nameEn,
  contentHash: r.contentHash, submittedAt: r.submittedAt.toISOString(), late: r.late,
});

/** What a unit's compilation for a period would state now. */
export async function buildCompilation(db: Db, unitKey: string, period: ReportPeriod, remarks: string | null): Promise<CompilationPreview> {
  const tree = await loadUnitTree(db, period, unitKey);
  const unit = tree.get(unitKey);
  if (!unit) throw invalid('divisionCode', 'unknown', `division ${unitKey} is not in the registry`, 'reports.unknown_division');
  const children = childrenOf(tree, unitKey);
  const p = formatPeriod(period);
  const latest = await latestVersionsFor(db, p, children.map((c) => ({ level: c.level, subjectKey: c.key })));
  const included: { content: ReportContent; constituent: Constituent }[] = [];
  const listed: ListedUnit[] = [];
  const pending: CompilationPreview['pending'] = [];
  for (const child of children) {
    const r = latest.get(`${child.level}:${child.key}`);
    const base = { level: child.level, key: child.key, nameZh: child.nameZh, nameEn: child.nameEn, viaKey: null };
    if (!r) listed.push({ ...base, reason: 'missing' });
    else if (r.status === 'returned') listed.push({ ...base, reason: 'returned' });
    else if (r.status === 'submitted') pending.push({ reportId: r.id, level: child.level, key: child.key, nameZh: child.nameZh, nameEn: child.nameEn });
    else included.push({ content: r.content as ReportContent, constituent: constituentOf(child, r) });
  }
  const content = compile({
    period: p,
    subject: { level: unit.level, enterpriseId: null, creditCode: null, divisionCode: unit.divisionCode, nameZh: unit.nameZh, nameEn: unit.nameEn },
    included, listed, remarks,
  });
  const parentLevel = unit.parentKey ? tree.get(unit.parentKey)?.level ?? null : null;
  return { content, pending, dueDate: (await dueDatesFor(db, period))(unit.level), unit, parentLevel };
}

async function unitForActor(db: Db, actor: Actor, divisionCode: string | undefined, what: string): Promise<string> {
  const key = await requireActorUnit(db, actor, what);
  if (divisionCode && divisionCode !== key) throw forbidden(`a department compiles only for its own division (${key})`, 'reports.not_own_division');
  return key;
}

export async function previewCompilation(db: Db, actor: Actor, input: { period: string; divisionCode?: string }): Promise<CompilationPreview> {
  requirePermission(actor, 'reports.read');
  const key = await unitForActor(db, actor, input.divisionCode, 'compilation preview');
  return buildCompilation(db, key, requirePeriod(input.period), null);
}

export async function submitCompilation(db: Db, actor: Actor, input: { period: string; divisionCode?: string; remarks?: string | null }, options: { submittedAt?: Date } = {}): Promise<{ row: ReportRow; unchanged: boolean }> {
  requirePermission(actor, 'reports.compile');
  const key = await unitForActor(db, actor, input.divisionCode, 'compilation');
  const period = requirePeriod(input.period);
  if (!periodEnded(period, todayInChina())) throw invalid('period', 'not_ended', `${formatPeriod(period)} is not over yet`, 'reports.period_not_ended');
  if ((input.remarks?.length ?? 0) > REMARKS_MAX) throw invalid('remarks', 'max', `at most ${REMARKS_MAX} characters`, 'reports.invalid');
  const preview = await buildCompilation(db, key, period, input.remarks?.trim() || null);
  if (preview.pending.length > 0) {
    throw new AppError('conflict', 'reports.pending_review', `${preview.pending.length} report(s) of the level below await your review; accept or return them before compiling`,
      preview.pending.map((p) => ({ field: `pending.${p.key}`, rule: 'pending_review', message: `${p.nameZh}: submitted, not yet accepted or returned` })));
  }
  const unit = preview.unit;
  const department = actor.departmentId ? await findDepartment(db, actor.departmentId) : null;
  return storeVersion(db, actor, await activeSigningKey(db), {
    level: unit.level, subjectKey: unit.key, enterpriseId: null, divisionCode: unit.divisionCode,
    recipient: unit.parentKey && preview.parentLevel ? { level: preview.parentLevel, divisionCode: unit.parentKey } : null,
    period, content: preview.content, dueDate: preview.dueDate, submittedByName: department?.nameZh ?? actor.username,
    requireReplaces: false, final: unit.level === 'national', submittedAt: options.submittedAt,
  });
}
