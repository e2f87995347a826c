/**
 * Shared pieces of the reporting pages (Order No. 71 Art. 9, 12): periods, status tags, the
 * indicator and mass-balance tables in tonnes, the closing summary and the downloads.
 */
import type { ReactNode } from 'react';
import { Button, DatePicker, Dropdown, Flex, Segmented, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, FilePdfOutlined, FileExcelOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  MASS_FIELDS, downloadUrl, type ClosingSummary, type IndicatorLine, type ListedReason, type MassBalanceLine, type ReportLevel, type ReportStatus, type UnitReportStatus,
} from '../../api/reports';
import { COMPACT_TAG } from '../../components/common';
import { localName } from '../../lib/format';
import { useIndicatorLabel, Utilisation } from '../quota/common';

// ── Masses ───────────────────────────────────────────────────────────────

/** Integer grams (a decimal string) rounded half away from zero to whole kilograms, exactly. */
function gramsToKg(grams: string): bigint | null {
  if (!/^-?\d+$/.test(grams.trim())) return null;
  const g = BigInt(grams.trim());
  const negative = g < 0n;
  const abs = negative ? -g : g;
  const kg = (abs + 500n) / 1000n;
  return negative ? -kg : kg;
}

/** Integer grams → tonnes with three decimals and thousands separators: "117208000" → "117.208". */
export function gramsToTonnes(grams: string | null | undefined): string {
  if (grams === null || grams === undefined || grams === '') return '';
  const kg = gramsToKg(grams);
  if (kg === null) return grams;
  const negative = kg < 0n;
  const digits = (negative ? -kg : kg).toString().padStart(4, '0');
  const whole = digits.slice(0, -3).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${digits.slice(-3)}`;
}

/** Integer grams → tonnes as a number, for charts only (never for sums that are shown as figures). */
export const gramsToTonnesNumber = (grams: string | null | undefined): number => (grams ? Number(grams) / 1e6 : 0);

/** A number of tonnes for a chart's tooltip. */
export const tonnesLabel = (v: number): string => v.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

// ── Periods ──────────────────────────────────────────────────────────────

const CHINA_YEAR_MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric' });

/** The current year and month in China. */
export function currentMonthInChina(): { year: number; month: number } {
  const parts = CHINA_YEAR_MONTH.formatToParts(new Date());
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
}

/** The previous month in China as "YYYY-MM": the month reported by the 10th. */
export function previousPeriod(): string {
  const { year, month } = currentMonthInChina();
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

export const isYearPeriod = (period: string): boolean => /^\d{4}$/.test(period);
export const periodYear = (period: string): number => Number(period.slice(0, 4));

/** "2026-10" → "2026年10月" / "October 2026"; "2026" → "2026年度" / "Year 2026". */
export function usePeriodLabel() {
  const { t } = useTranslation();
  return (period: string): string => {
    const m = /^(\d{4})(?:-(\d{2}))?$/.exec(period);
    if (!m) return period;
    if (!m[2]) return t('reports.periodYear', { year: m[1] });
    return t('reports.periodMonth', { year: m[1], month: Number(m[2]), monthName: t(`reports.monthNames.${Number(m[2])}`) });
  };
}

/** Period picker: a month (default) or a whole year; future periods cannot be picked. */
export function PeriodPicker({ value, onChange, testId = 'report-period', allowYear = true }: { value: string; onChange: (p: string) => void; testId?: string; allowYear?: boolean }) {
  const { t } = useTranslation();
  const year = isYearPeriod(value);
  const date = year ? dayjs(`${value}-01-01`) : dayjs(`${value}-01`);
  return (
    <Flex gap={6} align="center" data-testid={testId}>
      {allowYear ? (
        <Segmented<'month' | 'year'>
          size="small"
          value={year ? 'year' : 'month'}
          data-testid={`${testId}-kind`}
          onChange={(k) => onChange(k === 'year' ? String(date.year()) : year ? `${date.year()}-12` : value)}
          options={[{ value: 'month', label: t('reports.monthly') }, { value: 'year', label: t('reports.annual') }]}
        />
      ) : null}
      <DatePicker
        picker={year ? 'year' : 'month'}
        allowClear={false}
        value={date}
        format={year ? 'YYYY' : 'YYYY-MM'}
        onChange={(d) => d && onChange(year ? String(d.year()) : d.format('YYYY-MM'))}
        disabledDate={(d) => d.isAfter(dayjs().endOf(year ? 'year' : 'month'))}
        aria-label={t('reports.period')}
        data-testid={`${testId}-input`}
        style={{ width: 120 }}
      />
    </Flex>
  );
}

// ── Status ───────────────────────────────────────────────────────────────

const STATUS_COLOURS: Record<ReportStatus | UnitReportStatus, string> = {
  submitted: 'blue', accepted: 'green', returned: 'volcano', superseded: 'default', missing: 'red',
};

export function ReportStatusTag({ status, testId = 'report-status' }: { status: ReportStatus | UnitReportStatus | string; testId?: string }) {
  const { t } = useTranslation();
  const colour = STATUS_COLOURS[status as ReportStatus] ?? 'default';
  return <Tag color={colour} style={COMPACT_TAG} data-testid={testId} data-status={status}>{t(`reports.status.${status}`, { defaultValue: status })}</Tag>;
}

export function LateTag({ late }: { late: boolean }) {
  const { t } = useTranslation();
  return late ? <Tag color="orange" style={COMPACT_TAG} data-testid="late-tag">{t('reports.late')}</Tag> : null;
}

export function OverdueTag({ overdue }: { overdue: boolean }) {
  const { t } = useTranslation();
  return overdue ? <Tag color="red" style={COMPACT_TAG} data-testid="overdue-tag">{t('reports.overdue')}</Tag> : null;
}

export function ListedReasonTag({ reason }: { reason: ListedReason }) {
  const { t } = useTranslation();
  const colour = reason === 'missing' ? 'red' : reason === 'returned' ? 'volcano' : 'orange';
  return <Tag color={colour} style={COMPACT_TAG} data-testid="listed-reason" data-reason={reason}>{t(`reports.listedReason.${reason}`)}</Tag>;
}

export function useLevelLabel() {
  const { t } = useTranslation();
  return (level: ReportLevel | string) => t(`reports.level.${level}`, { defaultValue: level });
}

/** The name of a report subject in the console's language. */
export function useSubjectName() {
  const { i18n } = useTranslation();
  return (s: { nameZh: string; nameEn?: string | null }) => localName(i18n.language, s);
}

// ── Tables ───────────────────────────────────────────────────────────────

const right = 'right' as const;

/** The indicator lines of a report (tonnes REO, three decimals); explanations when shown. */
export function IndicatorTable({ lines, showExplanations = true, testId = 'indicator-table', extraColumns = [] }: {
  lines: IndicatorLine[]; showExplanations?: boolean; testId?: string; extraColumns?: TableColumnsType<IndicatorLine & { index: number }>;
}) {
  const { t } = useTranslation();
  const label = useIndicatorLabel();
  const tonnes = (v: string) => gramsToTonnes(v);
  const columns: TableColumnsType<IndicatorLine & { index: number }> = [
    { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: string) => <span data-testid="line-indicator" data-indicator={i}>{label(i)}</span> },
    { key: 'allocated', dataIndex: 'allocatedReoGrams', title: t('reports.allocated'), align: right, render: tonnes },
    { key: 'period', dataIndex: 'periodReoGrams', title: t('reports.periodProduction'), align: right, render: (v: string) => <span data-testid="line-period">{tonnes(v)}</span> },
    { key: 'flow', dataIndex: 'flowReoGrams', title: t('reports.flowProduction'), align: right, render: (v: string, l) => <span data-testid="line-flow" style={{ color: v !== l.periodReoGrams ? '#d46b08' : undefined }}>{tonnes(v)}</span> },
    { key: 'ytd', dataIndex: 'yearToDateReoGrams', title: t('reports.yearToDate'), align: right, render: (v: string) => <span data-testid="line-ytd">{tonnes(v)}</span> },
    { key: 'remaining', dataIndex: 'remainingReoGrams', title: t('reports.remaining'), align: right, render: (v: string) => <span style={{ color: v.startsWith('-') ? '#cf1322' : undefined }}>{tonnes(v)}</span> },
    { key: 'utilisation', dataIndex: 'utilisationPercent', title: t('reports.utilisation'), align: right, render: (v: string | null) => <Utilisation percent={v} /> },
    {
      key: 'thresholds', dataIndex: 'thresholdsCrossed', title: t('reports.thresholdsCrossed'),
      render: (v: number[]) => (v.length ? <Flex gap={3}>{v.map((p) => <Tag key={p} color={p >= 100 ? 'red' : p >= 95 ? 'volcano' : 'gold'} style={COMPACT_TAG}>{p}%</Tag>)}</Flex> : ''),
    },
    ...(showExplanations ? [{ key: 'explanation', dataIndex: 'explanation', title: t('reports.explanation'), width: 280, render: (v: string | null) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid="line-explanation">{v ?? ''}</Typography.Text> }] : []),
    ...extraColumns,
  ];
  return (
    <Table<IndicatorLine & { index: number }>
      size="small" rowKey="indicator" dataSource={lines.map((l, index) => ({ ...l, index }))} columns={columns} pagination={false}
      scroll={{ x: 'max-content' }} data-testid={testId} locale={{ emptyText: t('reports.noLines') }}
    />
  );
}

/** A report's mass balance per product: product tonnes, REO beside each term. */
export function MassBalanceTable({ rows, testId = 'report-mass-balance' }: { rows: MassBalanceLine[]; testId?: string }) {
  const { t, i18n } = useTranslation();
  const cell = (r: MassBalanceLine, f: string) => (
    <Flex vertical align="end" style={{ lineHeight: '16px' }}>
      <span>{gramsToTonnes(r[`${f}Grams`])}</span>
      <Typography.Text type="secondary" style={{ fontSize: 11 }}>{gramsToTonnes(r[`${f}ReoGrams`])}</Typography.Text>
    </Flex>
  );
  const columns: TableColumnsType<MassBalanceLine> = [
    { key: 'product', title: t('trace.product'), render: (_, r) => <span title={r.productCode}>{localName(i18n.language, { nameZh: r.productNameZh, nameEn: r.productNameEn })}</span> },
    ...MASS_FIELDS.map((f) => ({ key: f, title: t(`reports.mass.${f}`), align: right, render: (_: unknown, r: MassBalanceLine) => cell(r, f) })),
  ];
  return (
    <>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('reports.massHelp')}</Typography.Text>
      <Table<MassBalanceLine>
        size="small" rowKey="productCode" dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }}
        data-testid={testId} locale={{ emptyText: t('reports.noMassBalance') }}
      />
    </>
  );
}

/** How the months of the period were closed (Art. 10), counted. */
export function ClosingSummaryView({ closing }: { closing: ClosingSummary }) {
  const { t } = useTranslation();
  const items: { key: keyof ClosingSummary; colour?: string }[] = [
    { key: 'months' }, { key: 'closed', colour: '#389e0d' }, { key: 'late', colour: '#d46b08' }, { key: 'missing', colour: '#cf1322' }, { key: 'open', colour: '#1677ff' },
  ];
  return (
    <Flex wrap gap={16} data-testid="closing-summary">
      {items.map((i) => (
        <Flex key={i.key} vertical style={{ minWidth: 64 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`reports.closing.${i.key}`)}</Typography.Text>
          <span style={{ fontSize: 18, color: closing[i.key] && i.colour ? i.colour : undefined }} data-testid={`closing-${i.key}`}>{closing[i.key]}</span>
        </Flex>
      ))}
    </Flex>
  );
}

/** Downloads of a sealed report: PDF (Chinese or English), XLSX, and the signed JSON. */
export function ReportDownloads({ id, size = 'small' }: { id: string; size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const link = (href: string, label: ReactNode, testId: string) => ({ key: testId, label: <a href={href} download data-testid={testId}>{label}</a> });
  return (
    <Flex gap={6} wrap data-testid="report-downloads">
      <Button size={size} icon={<FilePdfOutlined />} href={downloadUrl(id, 'pdf', lang)} download data-testid="download-pdf">{t('reports.downloadPdf')}</Button>
      <Button size={size} icon={<FileExcelOutlined />} href={downloadUrl(id, 'xlsx', lang)} download data-testid="download-xlsx">XLSX</Button>
      <Tooltip title={t('reports.signedHelp')}>
        <Button size={size} icon={<SafetyCertificateOutlined />} href={downloadUrl(id, 'signed')} download data-testid="download-signed">{t('reports.downloadSigned')}</Button>
      </Tooltip>
      <Dropdown
        menu={{
          items: [
            link(downloadUrl(id, 'pdf', 'zh-CN'), t('reports.pdfZh'), 'download-pdf-zh'),
            link(downloadUrl(id, 'pdf', 'en'), t('reports.pdfEn'), 'download-pdf-en'),
            link(downloadUrl(id, 'xlsx', 'zh-CN'), t('reports.xlsxZh'), 'download-xlsx-zh'),
            link(downloadUrl(id, 'xlsx', 'en'), t('reports.xlsxEn'), 'download-xlsx-en'),
          ],
        }}
      >
        <Button size={size} icon={<DownloadOutlined />} data-testid="download-more">{t('reports.moreDownloads')}</Button>
      </Dropdown>
    </Flex>
  );
}
