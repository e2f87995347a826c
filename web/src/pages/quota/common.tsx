import { Select, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../../api/client';
import { currentYear, type AllocationStatus, type BatchStatus, type Indicator, type Plan, type PlanStatus } from '../../api/quota';

const PLAN_COLOURS: Record<PlanStatus, string> = { draft: 'default', agreed: 'cyan', submitted: 'blue', approved: 'green', closed: 'purple' };
const BATCH_COLOURS: Record<BatchStatus, string> = { draft: 'default', prepared: 'gold', issued: 'green' };
const ALLOCATION_COLOURS: Record<AllocationStatus, string> = { draft: 'default', issued: 'green', withdrawn: 'red' };

export function PlanStatusTag({ status }: { status: PlanStatus }) {
  const { t } = useTranslation();
  return <Tag color={PLAN_COLOURS[status]} data-testid="plan-status">{t(`quota.planStatus.${status}`)}</Tag>;
}

export function BatchStatusTag({ status }: { status: BatchStatus }) {
  const { t } = useTranslation();
  return <Tag color={BATCH_COLOURS[status]} data-testid="batch-status">{t(`quota.batchStatus.${status}`)}</Tag>;
}

export function AllocationStatusTag({ status }: { status: AllocationStatus }) {
  const { t } = useTranslation();
  return <Tag color={ALLOCATION_COLOURS[status]}>{t(`quota.allocationStatus.${status}`)}</Tag>;
}

export function useIndicatorLabel() {
  const { t } = useTranslation();
  return (i: Indicator | string) => t(`quota.indicator.${i}`);
}

/** Colour of a utilisation figure: the alert thresholds 80 / 95 / 100 %. */
export function utilisationColour(percent: number | null): string | undefined {
  if (percent === null) return undefined;
  if (percent > 100) return '#a8071a';
  if (percent >= 100) return '#cf1322';
  if (percent >= 95) return '#fa541c';
  if (percent >= 80) return '#d48806';
  return '#389e0d';
}

export function Utilisation({ percent }: { percent: string | null }) {
  const { t } = useTranslation();
  if (percent === null) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const n = Number(percent);
  return <span style={{ color: utilisationColour(n), fontWeight: n >= 80 ? 600 : undefined, whiteSpace: 'nowrap' }} data-testid="utilisation">{percent}%</span>;
}

/** All plans (few: one per year), cached. */
export function usePlans() {
  return useQuery({ queryKey: ['quota', 'plans'], queryFn: () => api.get<Plan[]>('/quota/plans') });
}

/** A year picker over the years that have a plan, always including the current year. */
export function YearSelect({ value, onChange, testId = 'year-select' }: { value: number; onChange: (y: number) => void; testId?: string }) {
  const { t } = useTranslation();
  const plans = useQuery({ queryKey: ['quota', 'plans'], queryFn: () => api.get<Plan[]>('/quota/plans'), retry: false });
  const years = new Set<number>([currentYear(), value, ...(plans.data ?? []).map((p) => p.year)]);
  return (
    <Select<number>
      value={value}
      onChange={onChange}
      style={{ width: 120 }}
      data-testid={testId}
      aria-label={t('quota.year')}
      options={[...years].sort((a, b) => b - a).map((y) => ({ value: y, label: t('quota.yearLabel', { year: y }) }))}
    />
  );
}

/**
 * The Article 14 reduction basis the server writes in English
 * ("Order No. 71 Art. 14: penalties 包工信罚〔2030〕1号 (2026-09-01); 10% of the draft allocation")
 * in the console's language; the raw text when it has another shape.
 */
export function reductionBasisText(t: TFunction, lang: string, raw: string): string {
  const m = /^Order No\. 71 Art\. 14: penalties (.+); ([^;]+)$/.exec(raw.trim());
  if (!m) return raw;
  const [, docsRaw, howRaw] = m as unknown as [string, string, string];
  const n = '(\\d+(?:\\.\\d+)?)';
  const percent = new RegExp(`^${n}% of the draft allocation$`).exec(howRaw);
  const factor = new RegExp(`^${n} × over-produced amount(?:, at least ${n}%)?$`).exec(howRaw);
  let how: string;
  if (percent) how = t('quota.art14.percent', { percent: percent[1] });
  else if (factor) how = t('quota.art14.factor', { factor: factor[1] }) + (factor[2] ? t('quota.art14.atLeast', { percent: factor[2] }) : '');
  else return raw;
  const docs = lang.startsWith('zh')
    ? docsRaw.replace(/ \((\d{4}-\d{2}-\d{2})\)(, )?/g, (_, d: string, sep?: string) => `（${d}）${sep ? '、' : ''}`)
    : docsRaw;
  return t('quota.art14.basis', { docs, how, interpolation: { escapeValue: false } });
}

export function useReductionBasis() {
  const { t, i18n } = useTranslation();
  return (raw: string) => reductionBasisText(t, i18n.language, raw);
}

/** The approval document of a plan; historical plans carry "published" (the figures were published, not approved here). */
export function useApprovalDocument() {
  const { t } = useTranslation();
  return (doc: string | null) => (doc === 'published' ? t('quota.published') : doc);
}
