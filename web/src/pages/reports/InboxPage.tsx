import { useState } from 'react';
import { Flex, Select, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { REPORT_LEVELS, REPORT_STATUSES, reportsApi, type ReportLevel, type ReportStatus, type ReportSummary } from '../../api/reports';
import { ErrorState, FilterBar, PageHeader } from '../../components/common';
import { DivisionText, useDivisionNames } from '../../components/divisions';
import { formatDate, localName } from '../../lib/format';
import { can, isEnterpriseRole } from '../../lib/permissions';
import { useMe } from '../../lib/session';
import { formatChinaTime } from '../trace/common';
import { LateTag, PeriodPicker, previousPeriod, ReportStatusTag, useLevelLabel, usePeriodLabel } from './common';
import { ReportNotices } from './ReportNotices';

function ReportsTable({ rows, loading, testId }: { rows: ReportSummary[]; loading: boolean; testId: string }) {
  const { t, i18n } = useTranslation();
  const level = useLevelLabel();
  const periodLabel = usePeriodLabel();
  const names = useDivisionNames(rows.map((r) => r.divisionCode));
  const columns: TableColumnsType<ReportSummary> = [
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 80, render: level },
    {
      key: 'subject', title: t('reports.subject'),
      render: (_, r) => <Link to="/reports/$id" params={{ id: r.id }} data-testid="report-link" data-report-id={r.id}>{localName(i18n.language, r)}</Link>,
      sorter: (a, b) => a.nameZh.localeCompare(b.nameZh, 'zh'),
    },
    { key: 'division', dataIndex: 'divisionCode', title: t('common.division'), render: (c: string | null) => <DivisionText code={c} names={names} /> },
    { key: 'period', dataIndex: 'period', title: t('reports.period'), render: periodLabel, sorter: (a, b) => a.period.localeCompare(b.period) },
    { key: 'version', dataIndex: 'version', title: t('reports.version'), align: 'right', width: 60 },
    { key: 'status', dataIndex: 'status', title: t('common.state'), render: (s: string, r) => <Flex gap={3}><ReportStatusTag status={s} /><LateTag late={r.late} /></Flex> },
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('reports.submittedAt'), render: formatChinaTime, sorter: (a, b) => a.submittedAt.localeCompare(b.submittedAt) },
    { key: 'due', dataIndex: 'dueDate', title: t('reports.due'), render: formatDate },
    { key: 'count', dataIndex: 'enterpriseReports', title: t('reports.enterpriseReports'), align: 'right' },
  ];
  return (
    <Table<ReportSummary>
      size="small" rowKey="id" loading={loading} dataSource={rows} columns={columns} data-testid={testId} scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
      locale={{ emptyText: t('reports.noReports') }}
    />
  );
}

function Inbox() {
  const inbox = useQuery({ queryKey: ['reports', 'list', 'inbox'], queryFn: () => reportsApi.list({ inbox: true }) });
  if (inbox.isError) return <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />;
  return <ReportsTable rows={inbox.data ?? []} loading={inbox.isFetching} testId="inbox-table" />;
}

function AllReports() {
  const { t } = useTranslation();
  const level = useLevelLabel();
  const [period, setPeriod] = useState(previousPeriod());
  const [lvl, setLvl] = useState<ReportLevel>();
  const [status, setStatus] = useState<ReportStatus>();
  const list = useQuery({ queryKey: ['reports', 'list', 'all', period, lvl, status], queryFn: () => reportsApi.list({ period, level: lvl, status }) });
  return (
    <>
      <FilterBar>
        <PeriodPicker value={period} onChange={setPeriod} testId="list-period" />
        <Select<ReportLevel> allowClear placeholder={t('common.level')} value={lvl} onChange={setLvl} style={{ width: 140 }} data-testid="list-level"
          options={REPORT_LEVELS.map((l) => ({ value: l, label: level(l) }))} />
        <Select<ReportStatus> allowClear placeholder={t('common.state')} value={status} onChange={setStatus} style={{ width: 140 }} data-testid="list-status"
          options={REPORT_STATUSES.map((s) => ({ value: s, label: t(`reports.status.${s}`) }))} />
      </FilterBar>
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : <ReportsTable rows={list.data ?? []} loading={list.isFetching} testId="reports-table" />}
    </>
  );
}

/** Officials: the reports awaiting their department's review, and all reports within their jurisdiction. */
export function InboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [tab, setTab] = useState<'inbox' | 'all'>(can(me, 'reports.review') ? 'inbox' : 'all');
  if (isEnterpriseRole(me.role) || !can(me, 'reports.read')) return <ErrorState error={new ApiError(403, {})} />;
  return (
    <>
      <PageHeader title={t('reports.inboxTitle')} />
      <Typography.Paragraph type="secondary">{t('reports.inboxHelp')}</Typography.Paragraph>
      <ReportNotices />
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'inbox' | 'all')}
        items={[
          ...(can(me, 'reports.review') ? [{ key: 'inbox', label: <span data-testid="tab-inbox">{t('reports.awaitingReview')}</span>, children: <Inbox /> }] : []),
          { key: 'all', label: <span data-testid="tab-all">{t('reports.allReports')}</span>, children: <AllReports /> },
        ]}
      />
    </>
  );
}
