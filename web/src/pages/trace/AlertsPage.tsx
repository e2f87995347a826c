import { useState } from 'react';
import { Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { currentYear } from '../../api/quota';
import { TRACE_ALERT_KINDS, traceApi, type TraceAlert } from '../../api/trace';
import { COMPACT_TAG, ErrorState, FilterBar, PageHeader } from '../../components/common';
import { localName } from '../../lib/format';
import { EnterpriseName } from '../../components/selects';
import { formatKg, shortEventId, useEnterpriseUser, formatChinaTime } from './common';

const KIND_COLOURS: Record<string, string> = {
  undesignated_activity: 'red', receipt_mismatch: 'orange', mass_balance_difference: 'volcano', shipment_unreceived: 'gold', closing_missing: 'magenta',
};

/** An alert's details as "key: value" pairs; masses in kg formatted, the rest as given. */
function Details({ details }: { details: Record<string, unknown> }) {
  const { t } = useTranslation();
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return null;
  return (
    <span style={{ fontSize: 12 }}>
      {entries.map(([k, v], i) => {
        const text = typeof v === 'string' && /(^kg|Kg)$/.test(k) ? formatKg(v) : typeof v === 'string' && /(At|By)$/.test(k) ? formatChinaTime(v) : k === 'fromEnterpriseId' && typeof v === 'string' ? <EnterpriseName id={v} /> : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
        return (
          <span key={k}>
            {i ? t('common.listSeparator') : ''}
            <Typography.Text type="secondary">{t(`trace.alertDetail.${k}`, { defaultValue: k })}</Typography.Text> {text}
          </span>
        );
      })}
    </span>
  );
}

/** Trace alerts (GET /api/trace/alerts): undesignated activity, receipt mismatches, mass balance differences, unreceived shipments, missing closings. */
export function AlertsPage() {
  const { t, i18n } = useTranslation();
  const { enterpriseUser } = useEnterpriseUser();
  const [kind, setKind] = useState<string>();
  const [year, setYear] = useState<number | undefined>(currentYear());
  const alerts = useQuery({ queryKey: ['trace', 'alerts', kind, year], queryFn: () => traceApi.alerts({ kind, year }) });
  const years = Array.from({ length: 6 }, (_, i) => currentYear() - i);

  const columns: TableColumnsType<TraceAlert> = [
    { key: 'raisedAt', dataIndex: 'raisedAt', title: t('trace.raisedAt'), width: 160, render: formatChinaTime, sorter: (a, b) => a.raisedAt.localeCompare(b.raisedAt), defaultSortOrder: 'descend' },
    {
      key: 'kind', dataIndex: 'kind', title: t('trace.alertKind'), width: 160,
      render: (k: string) => <Tag color={KIND_COLOURS[k]} style={COMPACT_TAG} data-testid="alert-kind">{t(`trace.alertKinds.${k}`, { defaultValue: k })}</Tag>,
    },
    ...(enterpriseUser ? [] : [{ key: 'enterprise', title: t('trace.enterprise'), render: (_: unknown, a: TraceAlert) => localName(i18n.language, { nameZh: a.enterpriseNameZh, nameEn: a.enterpriseNameEn }) }]),
    { key: 'period', title: t('trace.month'), width: 120, onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_, a) => (a.year && a.month ? t('trace.yearMonth', { year: a.year, month: a.month }) : a.year ?? '') },
    { key: 'details', title: t('trace.details'), render: (_, a) => <Details details={a.details} /> },
    { key: 'eventId', dataIndex: 'eventId', title: t('trace.eventId'), render: (v: string | null) => (v ? <Typography.Text copyable={{ text: v }} style={{ fontFamily: 'monospace', fontSize: 12 }}>{shortEventId(v)}</Typography.Text> : '') },
  ];

  return (
    <>
      <PageHeader title={t('trace.alertsTitle')} />
      <FilterBar>
        <Select
          allowClear placeholder={t('trace.alertKind')} value={kind} onChange={setKind} style={{ width: 220 }} data-testid="alerts-kind"
          options={TRACE_ALERT_KINDS.map((k) => ({ value: k, label: t(`trace.alertKinds.${k}`) }))}
        />
        <Select<number | undefined>
          allowClear placeholder={t('trace.allYears')} value={year} onChange={setYear} style={{ width: 120 }} data-testid="alerts-year"
          options={years.map((y) => ({ value: y, label: t('quota.yearLabel', { year: y }) }))}
        />
      </FilterBar>
      {alerts.isError ? <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} /> : (
        <Table<TraceAlert>
          size="small" rowKey="id" loading={alerts.isFetching} dataSource={alerts.data ?? []} columns={columns} data-testid="trace-alerts-table"
          pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
          scroll={{ x: 'max-content' }} locale={{ emptyText: t('trace.noAlerts') }}
          expandable={{ expandedRowRender: (a) => <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify(a.details, null, 2)}</pre> }}
        />
      )}
    </>
  );
}
