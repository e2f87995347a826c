import { useState } from 'react';
import { Alert, Button, Card, Col, Flex, Input, Popconfirm, Row, Table, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { NATIONAL_KEY, reportsApi, type PendingReview, type ReportLevel, type ReportSummary } from '../../api/reports';
import { ErrorState, FilterBar, Loading, PageHeader, ProblemAlert } from '../../components/common';
import { formatDate, localName } from '../../lib/format';
import { can, isEnterpriseRole } from '../../lib/permissions';
import { problemSummary } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { ClosingSummaryView, IndicatorTable, LateTag, MassBalanceTable, PeriodPicker, previousPeriod, ReportDownloads, ReportStatusTag, useLevelLabel, usePeriodLabel } from './common';
import { ListedTable } from './ReportDetailPage';

function PendingTable({ rows }: { rows: PendingReview[] }) {
  const { t, i18n } = useTranslation();
  const level = useLevelLabel();
  const columns: TableColumnsType<PendingReview> = [
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 90, render: level },
    { key: 'name', title: t('common.name'), render: (_, p) => <Link to="/reports/$id" params={{ id: p.reportId }} data-testid="pending-link">{localName(i18n.language, p)}</Link> },
  ];
  return <Table<PendingReview> size="small" rowKey="reportId" dataSource={rows} columns={columns} pagination={false} data-testid="pending-table" />;
}

/** Officials: the compilation of their division for a period — what it would state now, what still awaits review — and submitting it upward. */
export function CompilePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const periodLabel = usePeriodLabel();
  const [period, setPeriod] = useState(previousPeriod());
  const [remarks, setRemarks] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [compiled, setCompiled] = useState<ReportSummary | null>(null);
  const unitKey = me.jurisdiction.level === 'national' ? NATIONAL_KEY : me.jurisdiction.divisionCode;
  const unitLevel = me.jurisdiction.level as ReportLevel;
  const preview = useQuery({ queryKey: ['reports', 'preview', period], queryFn: () => reportsApi.preview(period), retry: false });
  const own = useQuery({
    queryKey: ['reports', 'list', 'own-compilation', period, unitLevel],
    queryFn: () => reportsApi.list({ period, level: unitLevel }),
    select: (rows) => rows.filter((r) => r.subjectKey === unitKey),
    enabled: !!unitKey,
  });
  const compile = useMutation({
    mutationFn: () => reportsApi.compile(period, remarks.trim() || null),
    onSuccess: async (r) => {
      setCompiled(r.report);
      setProblems([]);
      message.success(r.unchanged ? t('reports.compileUnchanged') : t('reports.compiledMessage', { version: r.report.version }));
      await qc.invalidateQueries({ queryKey: ['reports'] });
    },
    onError: (e) => setProblems([problemSummary(t, e), ...(e instanceof ApiError ? (e.problem.errors ?? []).filter((x) => x.rule !== 'pending_review').map((x) => x.message) : [])]),
  });

  if (isEnterpriseRole(me.role) || !can(me, 'reports.read')) return <ErrorState error={new ApiError(403, {})} />;
  const latestOwn = own.data?.[0] ?? null;
  const shownCompiled = compiled && compiled.period === period ? compiled : null;
  const p = preview.data;

  return (
    <>
      <PageHeader title={t('reports.compileTitle')} />
      <Typography.Paragraph type="secondary">{t('reports.compileHelp')}</Typography.Paragraph>
      <FilterBar>
        <PeriodPicker value={period} onChange={(v) => { setPeriod(v); setProblems([]); setCompiled(null); }} testId="compile-period" />
        <Typography.Text strong>{p ? localName(i18n.language, p.content.subject) : ''} · {periodLabel(period)}</Typography.Text>
        {p ? <Typography.Text type="secondary" data-testid="compile-due">{t('reports.dueDate', { date: formatDate(p.dueDate) })}</Typography.Text> : null}
        {latestOwn ? (
          <Flex gap={4} align="center" data-testid="own-compilation">
            <Link to="/reports/$id" params={{ id: latestOwn.id }}>{t('reports.latestVersion', { version: latestOwn.version })}</Link>
            <ReportStatusTag status={latestOwn.status} testId="own-compilation-status" />
            <LateTag late={latestOwn.late} />
          </Flex>
        ) : null}
      </FilterBar>
      {latestOwn?.status === 'returned' ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('reports.compilationReturned')} description={latestOwn.returnReason} data-testid="compilation-returned" />
      ) : null}
      {shownCompiled ? (
        <Alert
          type="success" showIcon style={{ marginBottom: 12 }} data-testid="compile-success"
          title={t('reports.compiledMessage', { version: shownCompiled.version })}
          description={<Flex gap={12} align="center" wrap><Link to="/reports/$id" params={{ id: shownCompiled.id }} data-testid="compiled-link">{t('reports.openReport')}</Link><ReportDownloads id={shownCompiled.id} /></Flex>}
        />
      ) : null}
      {preview.isPending ? <Loading /> : preview.isError ? <ErrorState error={preview.error} onRetry={() => void preview.refetch()} /> : (
        <>
          {p!.pending.length ? (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="compile-pending" title={t('reports.pendingTitle', { count: p!.pending.length })}
              description={<PendingTable rows={p!.pending} />} />
          ) : null}
          <Card size="small" title={t('reports.previewLines', { count: p!.content.enterpriseReports })} style={{ marginBottom: 12 }}>
            <IndicatorTable lines={p!.content.lines} showExplanations={false} testId="preview-lines" />
          </Card>
          <Row gutter={12}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('reports.constituents', { count: p!.content.constituents.length })} style={{ marginBottom: 12 }}>
                <Table
                  size="small" rowKey="reportId" dataSource={p!.content.constituents} pagination={false} data-testid="preview-constituents" scroll={{ x: 'max-content' }}
                  locale={{ emptyText: t('reports.noConstituents') }}
                  columns={[
                    { key: 'name', title: t('common.name'), render: (_, c) => <Link to="/reports/$id" params={{ id: c.reportId }}>{localName(i18n.language, c)}</Link> },
                    { key: 'version', dataIndex: 'version', title: t('reports.version'), align: 'right' },
                    { key: 'late', dataIndex: 'late', title: '', render: (late: boolean) => <LateTag late={late} /> },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('reports.listed', { count: p!.content.listed.length })} style={{ marginBottom: 12 }}>
                <ListedTable rows={p!.content.listed} testId="preview-listed" />
              </Card>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col xs={24} xl={16}>
              <Card size="small" title={t('reports.massBalance')} style={{ marginBottom: 12 }}>
                <MassBalanceTable rows={p!.content.massBalance} />
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card size="small" title={t('reports.closingTitle')} style={{ marginBottom: 12 }}>
                <ClosingSummaryView closing={p!.content.closing} />
              </Card>
            </Col>
          </Row>
          {can(me, 'reports.compile') ? (
            <Card size="small" title={t('reports.compileSubmit')}>
              <ProblemAlert messages={problems} />
              <Typography.Text>{t('reports.remarks')}</Typography.Text>
              <Input.TextArea value={remarks} onChange={(e) => setRemarks(e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} style={{ margin: '4px 0 12px' }} data-testid="compile-remarks" />
              <Popconfirm
                title={t('reports.compileConfirm')} okText={t('reports.compile')} cancelText={t('common.cancel')}
                okButtonProps={{ loading: compile.isPending, ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
                onConfirm={() => compile.mutateAsync().catch(() => undefined)}
                disabled={p!.pending.length > 0}
              >
                <Button type="primary" icon={<SendOutlined />} loading={compile.isPending} disabled={p!.pending.length > 0} data-testid="compile-submit">{t('reports.compile')}</Button>
              </Popconfirm>
              {p!.pending.length > 0 ? <Typography.Text type="secondary" style={{ marginLeft: 12 }}>{t('reports.pendingBlocks')}</Typography.Text> : null}
            </Card>
          ) : null}
        </>
      )}
    </>
  );
}
