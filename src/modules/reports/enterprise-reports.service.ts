/**
 * Enterprise implementation reports (Order No. 71 Art. 9): prefilled from the quota ledger and
 * the product flows, explained by the enterprise where a threshold was crossed or the ledger
 * differs from the flows, then sealed and submitted to the departments of its domicile county.
 */
import type { Db } from '../../db/database.ts';
import { explanationNeeded, indicatorLine, REPORT_SCHEMA, type ReportContent } from '../../domain/reports/content.ts';
import { formatPeriod, parsePeriod, periodDays, periodEnded, periodMonths, type ReportPeriod } from '../../domain/reports/period.ts';
import { INDICATORS } from '../../domain/quota.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { executionFacts, rulesInForce } from '../quota/quota.service.ts';
import { divisionsByCodes, reportingEnterprises, type ReportingEnterprise } from '../registry/registry.service.ts';
import { closingSummaries, periodMassBalance } from '../trace/trace.service.ts';
import { forbidden, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { dueDatesFor } from './report-calendar.ts';
import { latestVersion, storeVersion, type ReportRow } from './report-store.ts';
import { activeSigningKey } from './signing-keys.service.ts';

export const EXPLANATION_MAX = 2000;

export function requirePeriod(text: string, field = 'period'): ReportPeriod {
  const p = parsePeriod(text);
  if (!p) throw invalid(field, 'format', 'a month as YYYY-MM or a year as YYYY, 2000–2100', 'reports.period_invalid');
  return p;
}

/** The enterprise's report content from the ledger and the flows, without explanations. */
export async function enterpriseContent(db: Db, e: ReportingEnterprise, period: ReportPeriod, today: string): Promise<ReportContent> {
  const { from, to } = periodMonths(period);
  const thresholds = (await rulesInForce(db, periodDays(period).last)).alertThresholdsPercent;
  const facts = await executionFacts(db, [e.id], period.year, from.month, to.month);
  const lines = INDICATORS.flatMap((i) => facts.filter((f) => f.indicator === i)).map((f) => indicatorLine(f, thresholds));
  const massBalance = await periodMassBalance(db, e.id, from, to);
  const closing = (await closingSummaries(db, [e.id], from, to, today)).get(e.id)!;
  return {
    schema: REPORT_SCHEMA, period: formatPeriod(period),
    subject: { level: 'enterprise', enterpriseId: e.id, creditCode: e.creditCode, divisionCode: e.domicileDivisionCode, nameZh: e.nameZh, nameEn: e.nameEn ?? e.nameZh },
    lines, massBalance, closing, remarks: null, enterpriseReports: 1, constituents: [], listed: [], explanations: [],
  };
}

async function reportingEnterprise(db: Db, enterpriseId: string, period: ReportPeriod): Promise<ReportingEnterprise> {
  const [found] = await reportingEnterprises(db, periodDays(period), { enterpriseId });
  if (!found) {
    throw invalid('enterpriseId', 'not_reporting', 'this enterprise held no mining or separation designation in the period, so it owes no implementation report', 'reports.enterprise_not_reporting');
  }
  return found;
}

function requireOwnEnterprise(actor: Actor, enterpriseId: string): void {
  if (actor.scope.kind !== 'enterprise' || actor.scope.enterpriseId !== enterpriseId) {
    throw forbidden('an enterprise submits only its own implementation report', 'reports.not_own_enterprise');
  }
}

export interface Prefill {
  content: ReportContent;
  explanationsRequired: { index: number; indicator: string; reason: string }[];
  dueDate: string;
  latest: { id: string; version: number; status: string; returnReason: string | null } | null;
}

export async function prefillEnterpriseReport(db: Db, actor: Actor, input: { enterpriseId: string; period: string }): Promise<Prefill> {
  requirePermission(actor, 'reports.read');
  const period = requirePeriod(input.period);
  if (actor.scope.kind === 'enterprise' && actor.scope.enterpriseId !== input.enterpriseId) throw notFound('enterprise', input.enterpriseId);
  if (actor.scope.kind === 'division') {
    const [e] = await reportingEnterprises(db, periodDays(period), { within: actor.scope.divisionCode, enterpriseId: input.enterpriseId });
    if (!e) throw notFound('enterprise', input.enterpriseId);
  }
  const e = await reportingEnterprise(db, input.enterpriseId, period);
  const content = await enterpriseContent(db, e, period, todayInChina());
  const latest = await latestVersion(db, 'enterprise', e.id, formatPeriod(period));
  const previous = latest ? (latest.content as ReportContent) : null;
  // Carry the last version's explanations forward, so a correction starts from what was said.
  if (previous) {
    for (const line of content.lines) line.explanation = previous.lines.find((l) => l.indicator === line.indicator)?.explanation ?? null;
    content.remarks = previous.remarks;
  }
  return {
    content,
    explanationsRequired: content.lines.flatMap((l, index) => {
      const reason = explanationNeeded(l);
      return reason ? [{ index, indicator: l.indicator, reason }] : [];
    }),
    dueDate: (await dueDatesFor(db, period))('enterprise'),
    latest: latest ? { id: latest.id, version: latest.version, status: latest.status, returnReason: latest.returnReason } : null,
  };
}

export interface SubmitInput {
  enterpriseId: string;
  period: string;
  lines?: { indicator: string; explanation?: string | null }[];
  remarks?: string | null;
  replacesReportId?: string | null;
  correctionReason?: string | null;
}

export async function submitEnterpriseReport(db: Db, actor: Actor, input: SubmitInput, options: { submittedAt?: Date } = {}): Promise<{ row: ReportRow; unchanged: boolean }> {
  requirePermission(actor, 'reports.submit');
  requireOwnEnterprise(actor, input.enterpriseId);
  const period = requirePeriod(input.period);
  const today = todayInChina();
  if (!periodEnded(period, today)) throw invalid('period', 'not_ended', `${formatPeriod(period)} is not over yet; a report covers a finished month or year`, 'reports.period_not_ended');
  const e = await reportingEnterprise(db, input.enterpriseId, period);
  const content = await enterpriseContent(db, e, period, today);
  const problems = new ProblemList();
  const given = input.lines ?? [];
  given.forEach((l, i) => {
    if (!content.lines.some((c) => c.indicator === l.indicator)) problems.add(`lines.${i}.indicator`, 'unknown', `${l.indicator} is not among this enterprise's indicators for ${formatPeriod(period)}`);
    if ((l.explanation?.length ?? 0) > EXPLANATION_MAX) problems.add(`lines.${i}.explanation`, 'max', `at most ${EXPLANATION_MAX} characters`);
  });
  content.lines.forEach((line, i) => {
    const text = given.find((l) => l.indicator === line.indicator)?.explanation?.trim() || null;
    line.explanation = text;
    const reason = explanationNeeded(line);
    if (reason && !text) {
      problems.add(`lines.${i}.explanation`, 'required', reason === 'threshold_crossed'
        ? `${line.indicator}: utilisation crossed ${line.thresholdsCrossed.join('%, ')}% this period; explain it`
        : `${line.indicator}: the ledger's production differs from what the recorded flows give; explain the difference`);
    }
  });
  if ((input.remarks?.length ?? 0) > EXPLANATION_MAX) problems.add('remarks', 'max', `at most ${EXPLANATION_MAX} characters`);
  problems.throwIfAny('reports.invalid');
  content.remarks = input.remarks?.trim() || null;
  const domicile = (await divisionsByCodes(db, [e.domicileDivisionCode])).get(e.domicileDivisionCode)!;
  const recipientLevel = domicile.level;
  const key = await activeSigningKey(db);
  return storeVersion(db, actor, key, {
    level: 'enterprise', subjectKey: e.id, enterpriseId: e.id, divisionCode: e.domicileDivisionCode,
    recipient: { level: recipientLevel, divisionCode: domicile.code }, period, content,
    dueDate: (await dueDatesFor(db, period))('enterprise'), submittedByName: e.nameZh,
    requireReplaces: true, replacesReportId: input.replacesReportId ?? null, correctionReason: input.correctionReason ?? null, final: false,
    submittedAt: options.submittedAt,
  });
}
