import { useState } from 'react';
import { Button, Form, Input, InputNumber, Space, Table, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { currentYear, type Batch } from '../../api/quota';
import { ErrorState, FilterBar, PageHeader } from '../../components/common';
import { FormModal } from '../../components/FormModal';
import { formatDateTime, formatTonnes } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useMe } from '../../lib/session';
import { BatchStatusTag, useIndicatorLabel, usePlans, YearSelect } from './common';

export function BatchesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const label = useIndicatorLabel();
  const search = useSearch({ strict: false }) as { year?: number };
  const year = search.year ?? currentYear();
  const setYear = (y: number) => void navigate({ to: '/quota/batches', search: { year: y }, replace: true });
  const batches = useQuery({ queryKey: ['quota', 'batches', year], queryFn: () => api.get<Batch[]>('/quota/batches', { year }) });
  const plans = usePlans();
  const plan = plans.data?.find((p) => p.year === year);
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<Batch> = [
    { key: 'ordinal', dataIndex: 'ordinal', title: t('quota.ordinal'), width: 60 },
    {
      key: 'name', dataIndex: 'name', title: t('quota.batchName'),
      render: (v: string, b) => <Link to="/quota/batches/$id" params={{ id: b.id }} data-testid="batch-link">{v}</Link>,
    },
    { key: 'status', dataIndex: 'status', title: t('quota.status'), render: (_, b) => <BatchStatusTag status={b.status} /> },
    { key: 'documentNo', dataIndex: 'documentNo', title: t('quota.documentNo'), render: (v: string | null) => v ?? '' },
    {
      key: 'totals', title: t('quota.batchTotals'),
      render: (_, b) => b.totals.length ? (
        <Space size={12} wrap>{b.totals.map((x) => <span key={x.indicator}>{label(x.indicator)} <strong>{formatTonnes(x.tonnesReo)}</strong></span>)}</Space>
      ) : <Typography.Text type="secondary">{t('quota.allocationsVisible', { count: b.allocations.length })}</Typography.Text>,
    },
    { key: 'count', title: t('quota.allocationCount'), align: 'right', render: (_, b) => b.allocations.length },
    { key: 'prepared', title: t('quota.preparedBy'), render: (_, b) => b.preparedByUsername ? `${b.preparedByUsername} · ${formatDateTime(b.preparedAt)}` : '' },
    { key: 'issued', title: t('quota.issuedBy'), render: (_, b) => b.issuedByUsername ? `${b.issuedByUsername} · ${formatDateTime(b.issuedAt)}` : '' },
  ];

  return (
    <>
      <PageHeader
        title={t('quota.batchesTitle')}
        extra={can(me, 'quota.allocate') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} disabled={plan?.status !== 'approved'} data-testid="batch-new">
            {t('quota.newBatch')}
          </Button>
        ) : null}
      />
      <FilterBar>
        <YearSelect value={year} onChange={setYear} />
        {plan ? (
          <Typography.Text type="secondary">
            <Link to="/quota/plans/$year" params={{ year: String(year) }}>{t('quota.planTitle', { year })}</Link>
            {' · '}{t(`quota.planStatus.${plan.status}`)}
            {plan.lines.map((l) => ` · ${label(l.indicator)} ${formatTonnes(l.effectiveTonnesReo)}`).join('')}
          </Typography.Text>
        ) : <Typography.Text type="secondary">{t('quota.noPlanForYear', { year })}</Typography.Text>}
      </FilterBar>
      {batches.isError ? <ErrorState error={batches.error} onRetry={() => void batches.refetch()} /> : (
        <Table<Batch>
          size="small" rowKey="id" loading={batches.isFetching} dataSource={batches.data ?? []} columns={columns}
          pagination={false} scroll={{ x: 'max-content' }} data-testid="batches-table"
        />
      )}
      {creating ? (
        <FormModal<{ year: number; name: string; documentNo?: string }>
          title={t('quota.newBatch')}
          testId="batch-modal"
          fields={['year', 'name', 'documentNo']}
          initialValues={{ year, name: t('quota.batchDefaultName', { n: (batches.data?.length ?? 0) + 1 }) }}
          onSubmit={async (v) => {
            const b = await api.post<Batch>('/quota/batches', { year: v.year, name: v.name.trim(), documentNo: v.documentNo?.trim() || null });
            // Open the new batch at once; the lists refresh in the background.
            void navigate({ to: '/quota/batches/$id', params: { id: b.id } });
            void qc.invalidateQueries({ queryKey: ['quota'] });
          }}
          onClose={() => setCreating(false)}
        >
          <Form.Item name="year" label={t('quota.year')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <InputNumber min={2000} max={2100} precision={0} data-testid="batch-year" />
          </Form.Item>
          <Form.Item name="name" label={t('quota.batchName')} rules={[{ required: true, whitespace: true, message: t('problems.rules.required') }]}>
            <Input data-testid="batch-name" />
          </Form.Item>
          <Form.Item name="documentNo" label={t('quota.documentNo')}>
            <Input data-testid="batch-document-no" />
          </Form.Item>
        </FormModal>
      ) : null}
    </>
  );
}
