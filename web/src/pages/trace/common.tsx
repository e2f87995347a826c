import { DatePicker, Select, Tag, Tooltip, Typography, type SelectProps } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { verificationPath, type ClosingStatus, type OriginKind } from '../../api/trace';
import type { Page, Product } from '../../api/types';
import { COMPACT_TAG } from '../../components/common';
import { formatTonnes, localName } from '../../lib/format';
import { isEnterpriseRole } from '../../lib/permissions';
import { useMe } from '../../lib/session';

const CHINA_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/**
 * An instant as China time, "2026-10-15 17:00:00", whatever the browser's zone: events belong to
 * the month of their time in China (docs/traceability.md), so the console shows them so too.
 */
export function formatChinaTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : CHINA_TIME.format(d);
}

/** "12345.600" → "12,345.6 kg" (exact, string-based); empty for null. */
export function formatKg(value: string | null | undefined, withUnit = true): string {
  if (value === null || value === undefined || value === '') return '';
  const n = formatTonnes(value);
  return withUnit ? `${n} kg` : n;
}

/** Whether the signed-in user records flows for an enterprise (rather than overseeing a region). */
export function useEnterpriseUser(): { enterpriseUser: boolean; enterpriseId: string | undefined } {
  const me = useMe();
  const enterpriseId = me.enterprise?.id ?? me.jurisdiction.enterpriseId ?? undefined;
  return { enterpriseUser: isEnterpriseRole(me.role) || me.jurisdiction.level === 'enterprise', enterpriseId };
}

/** The previous month in China: the one an enterprise records and closes by the 10th. */
export function previousMonthInChina(): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric' }).formatToParts(new Date());
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

/** A month picker over year + month numbers. */
export function MonthPicker({ year, month, onChange, testId, status }: { year: number; month: number; onChange: (v: { year: number; month: number }) => void; testId?: string; status?: 'error' }) {
  const { t } = useTranslation();
  return (
    <DatePicker
      picker="month"
      allowClear={false}
      value={dayjs(new Date(year, month - 1, 1))}
      onChange={(d) => d && onChange({ year: d.year(), month: d.month() + 1 })}
      disabledDate={(d) => d.isAfter(dayjs().endOf('month'))}
      aria-label={t('trace.month')}
      data-testid={testId}
      status={status}
      style={{ width: 130 }}
    />
  );
}

/** The whole product catalogue (small), cached: code → product. */
export function useProducts() {
  return useQuery({
    queryKey: ['products', 'all'],
    queryFn: () => api.get<Page<Product>>('/products', { pageSize: 200, sort: 'code', order: 'asc' }),
    staleTime: 5 * 60_000,
  });
}

/** A product picker by catalogue code. */
export function ProductCodeSelect(props: Omit<SelectProps<string>, 'options' | 'showSearch'>) {
  const { i18n } = useTranslation();
  const products = useProducts();
  return (
    <Select<string>
      allowClear
      {...props}
      loading={products.isPending}
      showSearch={{ optionFilterProp: 'label' }}
      options={(products.data?.items ?? []).map((p) => ({ value: p.code, label: `${p.code} ${localName(i18n.language, p)}` }))}
      popupMatchSelectWidth={false}
    />
  );
}

const CLOSING_COLOURS: Record<ClosingStatus, string> = { closed: 'green', late: 'orange', missing: 'red', open: 'blue' };
export const CLOSING_CHART_COLOURS: Record<ClosingStatus, string> = { closed: '#389e0d', late: '#fa8c16', missing: '#cf1322', open: '#1677ff' };

export function ClosingStatusTag({ status }: { status: ClosingStatus }) {
  const { t } = useTranslation();
  return <Tag color={CLOSING_COLOURS[status]} style={COMPACT_TAG} data-testid="closing-status">{t(`trace.closingStatus.${status}`)}</Tag>;
}

export function OriginText({ kind, divisionName, country }: { kind: OriginKind; divisionName?: string; country?: string | null }) {
  const { t } = useTranslation();
  const where = kind === 'imported' ? country ?? '' : kind === 'mined' ? divisionName ?? '' : '';
  return <>{t(`trace.origin.${kind}`)}{where ? ` · ${where}` : ''}</>;
}

export function QuotaTag({ withinQuota }: { withinQuota: boolean | null }) {
  const { t } = useTranslation();
  if (withinQuota === null) return <Typography.Text type="secondary">{t('trace.quotaNone')}</Typography.Text>;
  return withinQuota
    ? <Tag color="green" style={COMPACT_TAG} data-testid="within-quota">{t('trace.withinQuota')}</Tag>
    : <Tag color="red" style={COMPACT_TAG} data-testid="within-quota">{t('trace.overQuota')}</Tag>;
}

/** A link to the public verification page of a minted lot (same path on this server), or nothing. */
export function VerifyLink({ uri, iconOnly = false }: { uri: string; iconOnly?: boolean }) {
  const { t } = useTranslation();
  const path = verificationPath(uri);
  if (!path) return null;
  const link = (
    <Typography.Link href={path} target="_blank" rel="noopener" data-testid="verify-link">
      <LinkOutlined />{iconOnly ? null : <> {t('trace.verifyPage')}</>}
    </Typography.Link>
  );
  return iconOnly ? <Tooltip title={t('trace.verifyPage')}>{link}</Tooltip> : link;
}

/** A lot URI in full, monospace and copyable. */
export function LotUri({ uri }: { uri: string }) {
  return (
    <Typography.Text copyable={{ text: uri }} style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }} data-testid="lot-uri">
      {uri}
    </Typography.Text>
  );
}

/** An event ID cut to its telling end: the hash of a CBV 2.0 hash ID (without "?ver=…"), or the end of a URI. */
export function shortEventId(id: string): string {
  const bare = id.replace(/\?ver=.*$/, '');
  return bare.length > 14 ? `…${bare.slice(-12)}` : bare;
}
