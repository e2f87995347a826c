import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Popconfirm, Row, Table, Tag, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { reportsApi, type CarriedExplanation, type Constituent, type ListedUnit, type ReportDetail, type ReportSummary } from '../../api/reports';
import { COMPACT_TAG, ErrorState, Loading, PageHeader } from '../../components/common';
import { DivisionText, useDivisionNames } from '../../components/divisions';
import { FormModal } from '../../components/FormModal';
import { formatDate, localName } from '../../lib/format';
import { problemSummary } from '../../lib/problems';
import { useIndicatorLabel } from '../quota/common';
import { formatChinaTime } from '../trace/common';
import {
  ClosingSummaryView, IndicatorTable, LateTag, ListedReasonTag, MassBalanceTable, ReportDownloads, ReportStatusTag, useLevelLabel, usePeriodLabel,
} from './common';

const mono = { fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' } as const;

function ConstituentsTable({ rows }: { rows: Constituent[] }) {
  const { t, i18n } = useTranslation();
  const level = useLevelLabel();
  const columns: TableColumnsType<Constituent> = [
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 90, render: level },
    { key: 'name', title: t('common.name'), render: (_, c) => <Link to="/reports/$id" params={{ id: c.reportId }} data-testid="constituent-link">{localName(i18n.language, c)}</Link> },
    { key: 'version', dataIndex: 'version', title: t('reports.version'), align: 'right', width: 60 },
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('reports.submittedAt'), render: formatChinaTime },
    { key: 'late', dataIndex: 'late', title: t('reports.timeliness'), render: (late: boolean) => (late ? <LateTag late /> : <Tag color="green" style={COMPACT_TAG}>{t('reports.onTime')}</Tag>) },
    { key: 'hash', dataIndex: 'contentHash', title: t('reports.contentHash'), render: (v: string) => <Typography.Text style={mono} title={v}>{v.replace(/^sha256:/, '').slice(0, 16)}…</Typography.Text> },
  ];
  return <Table<Constituent> size="small" rowKey="reportId" dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="constituents-table" locale={{ emptyText: t('reports.noConstituents') }} />;
}

export function ListedTable({ rows, testId = 'listed-table' }: { rows: ListedUnit[]; testId?: string }) {
  const { t, i18n } = useTranslation();
  const level = useLevelLabel();
  const names = useDivisionNames(rows.map((r) => r.viaKey));
  const columns: TableColumnsType<ListedUnit> = [
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 90, render: level },
    { key: 'name', title: t('common.name'), render: (_, u) => <span data-testid="listed-name">{localName(i18n.language, u)}</span> },
    { key: 'reason', dataIndex: 'reason', title: t('reports.listedReasonLabel'), render: (r: ListedUnit['reason']) => <ListedReasonTag reason={r} /> },
    { key: 'via', dataIndex: 'viaKey', title: t('reports.via'), render: (v: string | null) => (v ? (/^\d{6}$/.test(v) ? <DivisionText code={v} names={names} /> : v) : '') },
  ];
  return <Table<ListedUnit> size="small" rowKey={(u) => `${u.level}:${u.key}:${u.reason}`} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid={testId} locale={{ emptyText: t('reports.noneListed') }} />;
}

function ExplanationsTable({ rows }: { rows: CarriedExplanation[] }) {
  const { t, i18n } = useTranslation();
  const level = useLevelLabel();
  const indicator = useIndicatorLabel();
  const columns: TableColumnsType<CarriedExplanation> = [
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 90, render: level },
    { key: 'name', title: t('common.name'), render: (_, e) => localName(i18n.language, e) },
    { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: string | null) => (i ? indicator(i) : t('reports.remarks')) },
    { key: 'text', dataIndex: 'text', title: t('reports.explanation'), render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> },
  ];
  return <Table<CarriedExplanation> size="small" rowKey={(e, i) => `${e.key}:${e.indicator ?? ''}:${i}`} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="explanations-table" locale={{ emptyText: t('reports.noExplanations') }} />;
}

export function VersionsList({ versions, current }: { versions: ReportSummary[]; current: string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<ReportSummary> = [
    {
      key: 'version', dataIndex: 'version', title: t('reports.version'), width: 80,
      render: (v: number, r) => (r.id === current ? <strong>{t('reports.versionN', { version: v })}</strong> : <Link to="/reports/$id" params={{ id: r.id }} data-testid="version-link">{t('reports.versionN', { version: v })}</Link>),
    },
    { key: 'status', dataIndex: 'status', title: t('common.state'), render: (s: string, r) => <Flex gap={3}><ReportStatusTag status={s} testId="version-status" /><LateTag late={r.late} /></Flex> },
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('reports.submittedAt'), render: formatChinaTime },
    { key: 'submittedBy', dataIndex: 'submittedBy', title: t('reports.submittedBy') },
    { key: 'reviewedBy', title: t('reports.reviewedBy'), render: (_, r) => (r.reviewedBy ? `${r.reviewedBy} · ${formatChinaTime(r.reviewedAt)}` : '') },
    { key: 'returnReason', dataIndex: 'returnReason', title: t('reports.returnReason'), render: (v: string | null) => v ?? '' },
  ];
  return <Table<ReportSummary> size="small" rowKey="id" dataSource={versions} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="report-versions" />;
}

function SealBlock({ report }: { report: ReportDetail }) {
  const { t, i18n } = useTranslation();
  const s = report.seal;
  return (
    <Descriptions
      size="small" column={1} bordered data-testid="report-seal" styles={{ label: { whiteSpace: 'nowrap' } }}
      items={[
        { key: 'hash', label: t('reports.contentHash'), children: <Typography.Text copyable style={mono} data-testid="seal-hash">{s.contentHash}</Typography.Text> },
        { key: 'key', label: t('reports.keyId'), children: <Typography.Text copyable style={mono} data-testid="seal-key">{s.keyId}</Typography.Text> },
        { key: 'alg', label: t('reports.algorithm'), children: s.algorithm },
        { key: 'signature', label: t('reports.signature'), children: <Typography.Text copyable style={mono} data-testid="seal-signature">{report.signature}</Typography.Text> },
        {
          // The sealed name is the Chinese one; in English the subject's English name stands in for it (the sealed text in the tooltip).
          key: 'by', label: t('reports.sealedBy'),
          children: <span title={s.submittedByName}>{`${i18n.language === 'en' && report.level === 'enterprise' ? localName(i18n.language, report) : i18n.language === 'en' ? t('reports.departmentOf', { name: localName(i18n.language, report) }) : s.submittedByName} (${s.submittedBy}) · ${formatChinaTime(s.submittedAt)}`}</span>,
        },
        { key: 'replaces', label: t('reports.replaces'), children: s.replacesReportId ? <Link to="/reports/$id" params={{ id: s.replacesReportId }}>{s.replacesReportId}</Link> : t('common.none') },
      ]}
    />
  );
}

function ReviewActions({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [returning, setReturning] = useState(false);
  const done = async (text: string) => {
    message.success(text);
    await qc.invalidateQueries({ queryKey: ['reports'] });
  };
  const accept = useMutation({
    mutationFn: () => reportsApi.accept(report.id),
    onSuccess: () => done(t('reports.acceptedMessage')),
    onError: (e) => message.error(problemSummary(t, e)),
  });
  return (
    <>
      <Flex gap={8} data-testid="review-actions">
        <Popconfirm
          title={t('reports.acceptConfirm')} okText={t('reports.accept')} cancelText={t('common.cancel')}
          okButtonProps={{ loading: accept.isPending, ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
          onConfirm={() => accept.mutateAsync().catch(() => undefined)}
        >
          <Button type="primary" icon={<CheckCircleOutlined />} loading={accept.isPending} data-testid="report-accept">{t('reports.accept')}</Button>
        </Popconfirm>
        <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="report-return">{t('reports.return')}</Button>
      </Flex>
      {returning ? (
        <FormModal<{ reason: string }>
          title={t('reports.returnTitle')} fields={['reason']} testId="return-modal" okText={t('reports.return')}
          onClose={() => setReturning(false)}
          onSubmit={async (v) => {
            await reportsApi.returnReport(report.id, v.reason.trim());
            await done(t('reports.returnedMessage'));
          }}
        >
          <Form.Item name="reason" label={t('reports.returnReason')} extra={t('reports.returnHelp')} rules={[{ required: true, whitespace: true, message: t('reports.returnReasonRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} data-testid="return-reason-input" />
          </Form.Item>
        </FormModal>
      ) : null}
    </>
  );
}

/** One report or compilation: content, seal, versions; accept or return it when it awaits this department's review. */
export function ReportDetailPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const router = useRouter();
  const periodLabel = usePeriodLabel();
  const level = useLevelLabel();
  const report = useQuery({ queryKey: ['reports', 'detail', id], queryFn: () => reportsApi.get(id) });
  const divisions = useDivisionNames([report.data?.divisionCode, report.data?.recipientDivisionCode]);
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const c = r.content;
  const compilation = r.level !== 'enterprise';

  return (
    <>
      <PageHeader
        title={<span data-testid="report-title">{localName(i18n.language, r)} · {periodLabel(r.period)}</span>}
        extra={<>
          <Button size="small" icon={<ArrowLeftOutlined />} onClick={() => router.history.back()}>{t('common.back')}</Button>
          <ReportDownloads id={r.id} />
        </>}
      />
      {r.status === 'returned' ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="detail-returned" title={t('reports.returnedTitle', { version: r.version })}
          description={<><Typography.Text strong>{t('reports.returnReason')}：</Typography.Text><span data-testid="detail-return-reason">{r.returnReason}</span></>} />
      ) : null}
      {r.status === 'superseded' ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('reports.supersededHelp')} /> : null}
      <Card size="small" style={{ marginBottom: 12 }} title={t('reports.summaryTitle')} extra={r.canReview ? <ReviewActions report={r} /> : null}>
        <Descriptions
          size="small" column={{ xs: 1, md: 2, xl: 4 }} data-testid="report-summary"
          items={[
            { key: 'level', label: t('common.level'), children: <Tag style={COMPACT_TAG} data-testid="detail-level">{level(r.level)}</Tag> },
            { key: 'subject', label: t('reports.subject'), children: <span data-testid="detail-subject">{localName(i18n.language, r)}</span> },
            ...(r.creditCode ? [{ key: 'credit', label: t('reports.creditCode'), children: r.creditCode }] : []),
            { key: 'division', label: t('common.division'), children: <DivisionText code={r.divisionCode} names={divisions} /> },
            { key: 'period', label: t('reports.period'), children: <span data-testid="detail-period">{r.period}</span> },
            { key: 'version', label: t('reports.version'), children: <span data-testid="detail-version">{r.version}</span> },
            { key: 'status', label: t('common.state'), children: <Flex gap={3}><ReportStatusTag status={r.status} testId="detail-status" /><LateTag late={r.late} /></Flex> },
            { key: 'due', label: t('reports.due'), children: formatDate(r.dueDate) },
            { key: 'submitted', label: t('reports.submittedAt'), children: `${formatChinaTime(r.submittedAt)} · ${r.submittedBy}` },
            { key: 'reviewed', label: t('reports.reviewedAt'), children: r.reviewedBy ? `${formatChinaTime(r.reviewedAt)} · ${r.reviewedBy}` : t('common.none') },
            { key: 'recipient', label: t('reports.recipient'), children: r.recipientDivisionCode ? <DivisionText code={r.recipientDivisionCode} names={divisions} /> : t('reports.noRecipient') },
            { key: 'count', label: t('reports.enterpriseReports'), children: <span data-testid="detail-enterprise-reports">{r.enterpriseReports}</span> },
            ...(r.correctionReason ? [{ key: 'correction', label: t('reports.correctionReason'), children: <span data-testid="detail-correction">{r.correctionReason}</span> }] : []),
          ]}
        />
      </Card>
      <Card size="small" title={compilation ? t('reports.compiledLines') : t('reports.linesTitle')} style={{ marginBottom: 12 }}>
        <IndicatorTable lines={c.lines} showExplanations={!compilation} />
        {c.remarks ? <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }} data-testid="detail-remarks"><Typography.Text strong>{t('reports.remarks')}：</Typography.Text>{c.remarks}</Typography.Paragraph> : null}
      </Card>
      {compilation ? (
        <Row gutter={12}>
          <Col xs={24} xl={12}>
            <Card size="small" title={t('reports.constituents', { count: c.constituents.length })} style={{ marginBottom: 12 }}>
              <ConstituentsTable rows={c.constituents} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card size="small" title={t('reports.listed', { count: c.listed.length })} style={{ marginBottom: 12 }}>
              <ListedTable rows={c.listed} />
            </Card>
          </Col>
          <Col span={24}>
            <Card size="small" title={t('reports.carriedExplanations')} style={{ marginBottom: 12 }}>
              <ExplanationsTable rows={c.explanations} />
            </Card>
          </Col>
        </Row>
      ) : null}
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('reports.massBalance')} style={{ marginBottom: 12 }}>
            <MassBalanceTable rows={c.massBalance} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('reports.closingTitle')} style={{ marginBottom: 12 }}>
            <ClosingSummaryView closing={c.closing} />
          </Card>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('reports.sealTitle')} style={{ marginBottom: 12 }} extra={<Link to="/reports/verify">{t('reports.verifyLink')}</Link>}>
            <SealBlock report={r} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('reports.versions')} style={{ marginBottom: 12 }}>
            <VersionsList versions={r.versions} current={r.id} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
