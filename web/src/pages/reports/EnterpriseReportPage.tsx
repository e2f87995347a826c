import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Flex, Form, Input, Row, Table, Tag, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '../../api/client';
import { reportsApi, type IndicatorLine, type Prefill, type ReportSummary } from '../../api/reports';
import { COMPACT_TAG, ErrorState, FilterBar, Loading, PageHeader, ProblemAlert } from '../../components/common';
import { formatDate } from '../../lib/format';
import { can, isEnterpriseRole } from '../../lib/permissions';
import { applyProblemToForm, fieldPath, problemSummary } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { formatChinaTime } from '../trace/common';
import {
  ClosingSummaryView, currentMonthInChina, IndicatorTable, isYearPeriod, LateTag, MassBalanceTable, PeriodPicker, previousPeriod, ReportDownloads, ReportStatusTag, usePeriodLabel,
} from './common';
import { ReportNotices } from './ReportNotices';

interface FormValues {
  lines: { explanation?: string }[];
  remarks?: string;
  correctionReason?: string;
}

/** Whether a period is over (a report covers a finished month or year), in China time. */
function periodEnded(period: string): boolean {
  const now = currentMonthInChina();
  if (isYearPeriod(period)) return Number(period) < now.year;
  const [y, m] = period.split('-').map(Number) as [number, number];
  return y < now.year || (y === now.year && m < now.month);
}

/** All versions of the enterprise's report for the period, newest first. */
function VersionsTable({ versions }: { versions: ReportSummary[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<ReportSummary> = [
    { key: 'version', dataIndex: 'version', title: t('reports.version'), align: 'right', width: 60, render: (v: number, r) => <Link to="/reports/$id" params={{ id: r.id }} data-testid="version-link">{t('reports.versionN', { version: v })}</Link> },
    { key: 'status', dataIndex: 'status', title: t('common.state'), render: (s: string, r) => <Flex gap={3}><ReportStatusTag status={s} testId="version-status" /><LateTag late={r.late} /></Flex> },
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('reports.submittedAt'), render: formatChinaTime },
    { key: 'submittedBy', dataIndex: 'submittedBy', title: t('reports.submittedBy') },
    { key: 'reviewedAt', dataIndex: 'reviewedAt', title: t('reports.reviewedAt'), render: formatChinaTime },
    { key: 'returnReason', dataIndex: 'returnReason', title: t('reports.returnReason'), render: (v: string | null) => v ?? '' },
    { key: 'hash', dataIndex: 'contentHash', title: t('reports.contentHash'), render: (v: string) => <Typography.Text code style={{ fontSize: 11 }} title={v}>{v.replace(/^sha256:/, '').slice(0, 12)}…</Typography.Text> },
  ];
  return <Table<ReportSummary> size="small" rowKey="id" dataSource={versions} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="report-versions" locale={{ emptyText: t('reports.noVersions') }} />;
}

function ReportForm({ enterpriseId, period, prefill, onSubmitted }: { enterpriseId: string; period: string; prefill: Prefill; onSubmitted: (r: ReportSummary | null, unchanged: boolean) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [form] = Form.useForm<FormValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const { content, explanationsRequired, latest } = prefill;
  const required = new Map(explanationsRequired.map((r) => [r.index, r.reason]));
  const correcting = !!latest && latest.status !== 'returned';
  const ended = periodEnded(period);
  const mayInput = can(me, 'reports.submit');

  // A fresh prefill (another period, or after a submission) resets the form to what the server holds.
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue({ lines: content.lines.map((l) => ({ explanation: l.explanation ?? '' })), remarks: content.remarks ?? '', correctionReason: '' });
  }, [form, content]);

  const submit = useMutation({
    mutationFn: (v: FormValues) => reportsApi.submitEnterprise({
      enterpriseId, period,
      // In the prefill's order, so the server's `lines.<i>` name the rows shown here.
      lines: content.lines.map((l, i) => ({ indicator: l.indicator, explanation: v.lines?.[i]?.explanation?.trim() || null })),
      remarks: v.remarks?.trim() || null,
      replacesReportId: latest?.id ?? null,
      correctionReason: correcting ? v.correctionReason?.trim() || null : null,
    }),
    onSuccess: (r) => onSubmitted(r.report, r.unchanged),
    onError: (e) => {
      if (isApiError(e, 409)) {
        // Someone else submitted meanwhile (another tab): show it and reload the latest version.
        setProblems([problemSummary(t, e)]);
        onSubmitted(null, false);
        return;
      }
      const applied = applyProblemToForm(t, form, e, ['lines', 'remarks', 'correctionReason'], (path) => (path[0] === 'period' ? null : path));
      // A missing explanation says why it is needed.
      if (e instanceof ApiError) {
        const explanationFields = (e.problem.errors ?? []).filter((x) => x.rule === 'required' && /^lines\.\d+\.explanation$/.test(x.field));
        form.setFields(explanationFields.map((x) => {
          const index = fieldPath(x.field)[1] as number;
          const reason = required.get(index) ?? 'differs_from_flows';
          return { name: ['lines', index, 'explanation'], errors: [t(`reports.explanationRequired.${reason}`, { defaultValue: t('problems.rules.required') })] };
        }));
      }
      setProblems(applied.general);
    },
  });

  const explanationColumn: TableColumnsType<IndicatorLine & { index: number }> = [{
    key: 'explain', title: t('reports.explanation'), width: 360,
    render: (_, l) => {
      const reason = required.get(l.index);
      return (
        <Flex vertical gap={2}>
          {reason ? <Tag color={reason === 'threshold_crossed' ? 'volcano' : 'gold'} style={{ ...COMPACT_TAG, alignSelf: 'flex-start' }} data-testid="explanation-reason" data-reason={reason}>{t(`reports.reason.${reason}`, { defaultValue: reason })}</Tag> : null}
          <Form.Item name={['lines', l.index, 'explanation']} required={!!reason} style={{ margin: 0 }} label={null}>
            <Input.TextArea
              autoSize={{ minRows: reason ? 2 : 1, maxRows: 6 }} maxLength={2000} disabled={!mayInput}
              placeholder={reason ? t('reports.explanationPlaceholder') : t('reports.explanationOptional')}
              data-testid={`explanation-${l.index}`} aria-required={!!reason}
            />
          </Form.Item>
        </Flex>
      );
    },
  }];

  return (
    <Form<FormValues> form={form} layout="vertical" onFinish={(v) => { setProblems([]); submit.mutate(v); }} data-testid="report-form" requiredMark>
      <Card size="small" title={t('reports.linesTitle')} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>{t('reports.linesHelp')}</Typography.Paragraph>
        <IndicatorTable lines={content.lines} showExplanations={false} extraColumns={explanationColumn} />
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('reports.massBalance')} style={{ marginBottom: 12 }}>
            <MassBalanceTable rows={content.massBalance} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('reports.closingTitle')} style={{ marginBottom: 12 }}>
            <ClosingSummaryView closing={content.closing} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('reports.submitTitle')}>
        <ProblemAlert messages={problems} />
        <Form.Item name="remarks" label={t('reports.remarks')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} disabled={!mayInput} data-testid="report-remarks" />
        </Form.Item>
        {correcting ? (
          <Form.Item
            name="correctionReason" label={t('reports.correctionReason')} extra={t('reports.correctionHelp', { version: latest!.version })}
            rules={[{ required: true, whitespace: true, message: t('reports.correctionReasonRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={2000} data-testid="correction-reason" />
          </Form.Item>
        ) : null}
        {mayInput ? (
          <Flex gap={12} align="center" wrap>
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={submit.isPending} disabled={!ended} data-testid="report-submit">
              {latest ? t('reports.submitCorrection') : t('reports.submit')}
            </Button>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{ended ? t('reports.submitHelp') : t('reports.notEnded')}</Typography.Text>
          </Flex>
        ) : <Typography.Text type="secondary">{t('reports.readOnlyRole')}</Typography.Text>}
      </Card>
    </Form>
  );
}

/** Enterprises: the implementation report of a month or a year (Art. 9), prefilled, explained where needed, sealed and submitted. */
export function EnterpriseReportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const periodLabel = usePeriodLabel();
  const [period, setPeriod] = useState(previousPeriod());
  const [submitted, setSubmitted] = useState<{ report: ReportSummary; unchanged: boolean } | null>(null);
  const enterpriseId = me.enterprise?.id ?? me.jurisdiction.enterpriseId ?? undefined;
  const prefill = useQuery({
    queryKey: ['reports', 'prefill', enterpriseId, period],
    queryFn: () => reportsApi.prefill(enterpriseId!, period),
    enabled: !!enterpriseId,
    retry: false,
  });
  const versions = useQuery({
    queryKey: ['reports', 'list', 'versions', enterpriseId, period],
    queryFn: () => reportsApi.list({ enterpriseId, period, level: 'enterprise', includeSuperseded: true }),
    enabled: !!enterpriseId,
  });

  if (!isEnterpriseRole(me.role) || !enterpriseId) return <ErrorState error={new ApiError(403, {})} />;

  const latest = prefill.data?.latest ?? null;
  const shownSubmission = submitted && submitted.report.period === period ? submitted : null;
  const onSubmitted = async (report: ReportSummary | null, unchanged: boolean) => {
    if (report) {
      setSubmitted({ report, unchanged });
      message.success(unchanged ? t('reports.unchanged') : t('reports.submitted', { version: report.version }));
    }
    await qc.invalidateQueries({ queryKey: ['reports'] });
  };

  return (
    <>
      <PageHeader title={t('reports.enterpriseTitle')} extra={latest ? <ReportDownloads id={latest.id} /> : undefined} />
      <Typography.Paragraph type="secondary">{t('reports.enterpriseHelp')}</Typography.Paragraph>
      <ReportNotices />
      <FilterBar>
        <PeriodPicker value={period} onChange={(p) => { setPeriod(p); setSubmitted(null); }} />
        <Typography.Text strong data-testid="report-period-label">{periodLabel(period)}</Typography.Text>
        {prefill.data ? <Typography.Text type="secondary" data-testid="report-due">{t('reports.dueDate', { date: formatDate(prefill.data.dueDate) })}</Typography.Text> : null}
        {latest ? (
          <Flex gap={4} align="center">
            <Typography.Text type="secondary">{t('reports.latestVersion', { version: latest.version })}</Typography.Text>
            <ReportStatusTag status={latest.status} testId="latest-status" />
          </Flex>
        ) : prefill.data ? <Tag style={COMPACT_TAG} data-testid="latest-status" data-status="none">{t('reports.notSubmitted')}</Tag> : null}
      </FilterBar>
      {shownSubmission ? (
        <Alert
          type="success" showIcon style={{ marginBottom: 12 }} data-testid="report-submitted"
          title={shownSubmission.unchanged ? t('reports.unchanged') : t('reports.submitted', { version: shownSubmission.report.version })}
          description={(
            <Flex gap={12} wrap align="center">
              {shownSubmission.report.late ? <Tag color="orange" style={COMPACT_TAG} data-testid="submitted-late">{t('reports.lateSubmission')}</Tag> : null}
              <Link to="/reports/$id" params={{ id: shownSubmission.report.id }} data-testid="submitted-link">{t('reports.openReport')}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{shownSubmission.report.contentHash}</Typography.Text>
            </Flex>
          )}
        />
      ) : null}
      {latest?.status === 'returned' ? (
        <Alert
          type="warning" showIcon style={{ marginBottom: 12 }} data-testid="report-returned"
          title={t('reports.returnedTitle', { version: latest.version })}
          description={<><Typography.Text strong>{t('reports.returnReason')}：</Typography.Text><span data-testid="return-reason">{latest.returnReason}</span></>}
        />
      ) : null}
      {prefill.isPending ? <Loading /> : prefill.isError ? (
        isApiError(prefill.error, 422) ? <Alert type="info" showIcon data-testid="report-not-required" title={problemSummary(t, prefill.error)} /> : <ErrorState error={prefill.error} onRetry={() => void prefill.refetch()} />
      ) : (
        <ReportForm key={period} enterpriseId={enterpriseId} period={period} prefill={prefill.data} onSubmitted={(r, u) => void onSubmitted(r, u)} />
      )}
      <Card size="small" title={t('reports.versions')} style={{ marginTop: 12 }}>
        {versions.isError ? <ErrorState error={versions.error} /> : <VersionsTable versions={versions.data ?? []} />}
      </Card>
    </>
  );
}
