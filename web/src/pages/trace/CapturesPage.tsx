import { useState } from 'react';
import { Button, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { traceApi, type CaptureJob } from '../../api/trace';
import { COMPACT_TAG, ErrorState, FilterBar, PageHeader } from '../../components/common';
import { EnterpriseName } from '../../components/selects';

import { useEnterpriseUser, formatChinaTime } from './common';

type JobState = 'running' | 'success' | 'failed';
const stateOf = (j: CaptureJob): JobState => (j.running ? 'running' : j.success ? 'success' : 'failed');
const STATE_COLOURS: Record<JobState, string> = { running: 'processing', success: 'green', failed: 'red' };

export function CaptureStateTag({ job }: { job: CaptureJob }) {
  const { t } = useTranslation();
  const s = stateOf(job);
  return <Tag color={STATE_COLOURS[s]} style={COMPACT_TAG} data-testid="capture-state">{t(`trace.captureState.${s}`)}</Tag>;
}

/** A capture job's errors: objects with field / rule / message (or anything else, shown as JSON). */
export function CaptureErrors({ errors }: { errors: unknown[] }) {
  const { t } = useTranslation();
  const rows = errors.map((e, i) => {
    const o = (e && typeof e === 'object' ? e : { message: String(e) }) as Record<string, unknown>;
    const str = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
    return { key: i, field: str(o.field), rule: str(o.rule), message: str(o.message ?? o.detail ?? o.title) || JSON.stringify(o) };
  });
  return (
    <Table
      size="small" pagination={false} dataSource={rows} data-testid="capture-errors"
      columns={[
        { key: 'field', dataIndex: 'field', title: t('trace.field'), width: 240, render: (v: string) => (v ? <Typography.Text code>{v}</Typography.Text> : '') },
        { key: 'rule', dataIndex: 'rule', title: t('trace.rule'), width: 160, render: (v: string) => (v ? t(`problems.rules.${v}`, { defaultValue: v }) : '') },
        { key: 'message', dataIndex: 'message', title: t('trace.message') },
      ]}
    />
  );
}

/** Capture log: the recent EPCIS capture jobs within the user's jurisdiction (GET /epcis/capture). */
export function CapturesPage() {
  const { t } = useTranslation();
  const { enterpriseUser } = useEnterpriseUser();
  const [state, setState] = useState<JobState>();
  const jobs = useQuery({ queryKey: ['trace', 'captures'], queryFn: traceApi.captureJobs, refetchInterval: (q) => (q.state.data?.some((j) => j.running) ? 3000 : false) });
  const rows = (jobs.data ?? []).filter((j) => !state || stateOf(j) === state);

  const columns: TableColumnsType<CaptureJob> = [
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('trace.submittedAt'), width: 160, render: formatChinaTime, sorter: (a, b) => a.submittedAt.localeCompare(b.submittedAt), defaultSortOrder: 'descend' },
    { key: 'state', title: t('common.state'), width: 90, render: (_, j) => <CaptureStateTag job={j} /> },
    ...(enterpriseUser ? [] : [{ key: 'enterprise', title: t('trace.enterprise'), ellipsis: true, render: (_: unknown, j: CaptureJob) => <EnterpriseName id={j.enterpriseId} /> }]),
    { key: 'submittedBy', dataIndex: 'submittedBy', title: t('trace.submittedBy'), width: 130 },
    { key: 'eventCount', dataIndex: 'eventCount', title: t('trace.eventCount'), align: 'right', width: 80 },
    { key: 'storedCount', dataIndex: 'storedCount', title: t('trace.storedCount'), align: 'right', width: 80 },
    { key: 'duplicateCount', dataIndex: 'duplicateCount', title: t('trace.duplicateCount'), align: 'right', width: 80, render: (v: number) => (v ? <Typography.Text type="warning">{v}</Typography.Text> : v) },
    { key: 'errors', title: t('trace.errorCount'), align: 'right', width: 70, render: (_, j) => (j.errors.length ? <Typography.Text type="danger" data-testid="capture-error-count">{j.errors.length}</Typography.Text> : 0) },
    { key: 'finishedAt', dataIndex: 'finishedAt', title: t('trace.finishedAt'), width: 160, render: formatChinaTime },
    { key: 'captureID', dataIndex: 'captureID', title: t('trace.captureId'), render: (v: string) => <Typography.Text copyable={{ text: v }} style={{ fontFamily: 'monospace', fontSize: 12 }}>{v.slice(-8)}</Typography.Text> },
  ];

  return (
    <>
      <PageHeader title={t('trace.capturesTitle')} extra={<Button icon={<ReloadOutlined />} onClick={() => void jobs.refetch()} loading={jobs.isFetching}>{t('trace.refresh')}</Button>} />
      <Typography.Paragraph type="secondary">{t('trace.capturesHelp')}</Typography.Paragraph>
      <FilterBar>
        <Select<JobState>
          allowClear placeholder={t('trace.captureStatePlaceholder')} value={state} onChange={setState} style={{ width: 160 }} data-testid="capture-state-filter"
          options={(['running', 'success', 'failed'] as const).map((s) => ({ value: s, label: t(`trace.captureState.${s}`) }))}
        />
      </FilterBar>
      {jobs.isError ? <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} /> : (
        <Table<CaptureJob>
          size="small" rowKey="captureID" loading={jobs.isFetching} dataSource={rows} columns={columns} data-testid="captures-table"
          pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('trace.noCaptures') }}
          expandable={{ expandedRowRender: (j) => <CaptureErrors errors={j.errors} />, rowExpandable: (j) => j.errors.length > 0 }}
        />
      )}
    </>
  );
}
