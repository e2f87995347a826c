import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Progress, Spin, Table, Typography, Upload, type TableColumnsType } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatChinaTime } from './common';
import { ApiError } from '../../api/client';
import { templateUrl, uploadErrors, uploadWorkbook, XLSX_TYPE, type CaptureJob, type UploadError } from '../../api/trace';
import { ErrorState, PageHeader, ProblemAlert } from '../../components/common';

import { canSee } from '../../lib/permissions';
import { problemSummary, ruleMessage } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { CaptureErrors, CaptureStateTag } from './CapturesPage';

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number; name: string } | { kind: 'processing'; name: string }
  | { kind: 'done'; name: string; job: CaptureJob } | { kind: 'rejected'; name: string; errors: UploadError[]; summary: string } | { kind: 'failed'; name: string; messages: string[] };

/** Column letters sort as spreadsheet columns do: B < Z < AA. */
function columnOrder(c: string | null | undefined): number {
  if (!c) return 0;
  return [...c.toUpperCase()].reduce((n, ch) => (/[A-Z]/.test(ch) ? n * 26 + ch.charCodeAt(0) - 64 : n), 0) || 0;
}

function UploadErrorsTable({ errors }: { errors: UploadError[] }) {
  const { t } = useTranslation();
  const rows = [...errors].sort((a, b) => (a.sheet ?? '').localeCompare(b.sheet ?? '') || (a.row ?? 0) - (b.row ?? 0) || columnOrder(a.column) - columnOrder(b.column));
  const hasSheet = rows.some((r) => r.sheet);
  const columns: TableColumnsType<UploadError> = [
    ...(hasSheet ? [{ key: 'sheet', dataIndex: 'sheet', title: t('trace.upload.sheet'), width: 140 }] : []),
    { key: 'row', dataIndex: 'row', title: t('trace.upload.row'), width: 70, align: 'right', render: (v: number | null) => <span data-testid="upload-error-row">{v ?? ''}</span> },
    { key: 'column', dataIndex: 'column', title: t('trace.upload.column'), width: 150, render: (v: string | null) => <span data-testid="upload-error-column">{v ?? ''}</span> },
    { key: 'rule', dataIndex: 'rule', title: t('trace.rule'), width: 200, render: (_: string, e) => <span data-testid="upload-error-rule" data-rule={e.rule}>{ruleMessage(t, { ...e, message: '' })}</span> },
    { key: 'message', dataIndex: 'message', title: t('trace.message'), render: (v: string) => <span data-testid="upload-error-message">{v}</span> },
  ];
  return (
    <Table<UploadError>
      size="small" rowKey={(e, i) => `${e.sheet ?? ''}-${e.row ?? ''}-${e.column ?? ''}-${e.rule}-${i}`} dataSource={rows} columns={columns}
      pagination={{ pageSize: 100, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
      scroll={{ x: 'max-content' }} data-testid="upload-errors"
    />
  );
}

function JobCard({ job }: { job: CaptureJob }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('trace.upload.jobTitle')} data-testid="upload-job" extra={<Link to="/trace/captures">{t('trace.capturesTitle')}</Link>}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} items={[
        { key: 'state', label: t('common.state'), children: <CaptureStateTag job={job} /> },
        { key: 'events', label: t('trace.eventCount'), children: <span data-testid="upload-job-events">{job.eventCount}</span> },
        { key: 'stored', label: t('trace.storedCount'), children: <span data-testid="upload-job-stored">{job.storedCount}</span> },
        { key: 'duplicates', label: t('trace.duplicateCount'), children: job.duplicateCount },
        { key: 'submittedAt', label: t('trace.submittedAt'), children: formatChinaTime(job.submittedAt) },
        { key: 'id', label: t('trace.captureId'), children: <Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 12 }}>{job.captureID}</Typography.Text> },
      ]} />
      {job.errors.length ? <CaptureErrors errors={job.errors} /> : null}
    </Card>
  );
}

/** Upload: the month's flows as the XLSX template, turned into EPCIS events by the server (enterprise users). */
export function UploadPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const busy = phase.kind === 'uploading' || phase.kind === 'processing';

  if (!canSee(me, 'traceUpload')) return <ErrorState error={new ApiError(403, {})} />;

  const send = async (file: File) => {
    setPhase({ kind: 'uploading', percent: 0, name: file.name });
    try {
      const job = await uploadWorkbook(file, (percent) => setPhase(percent >= 100 ? { kind: 'processing', name: file.name } : { kind: 'uploading', percent, name: file.name }));
      setPhase({ kind: 'done', name: file.name, job });
      await qc.invalidateQueries({ queryKey: ['trace'] });
    } catch (e) {
      const errors = uploadErrors(e);
      if (e instanceof ApiError && e.status === 422 && errors.length) {
        setPhase({ kind: 'rejected', name: file.name, errors, summary: t('trace.upload.fixAndRetry') });
      } else {
        setPhase({ kind: 'failed', name: file.name, messages: [problemSummary(t, e), ...errors.map((x) => `${x.field ? `${x.field}: ` : ''}${ruleMessage(t, x)}`)] });
      }
    }
  };

  return (
    <>
      <PageHeader
        title={t('trace.upload.title')}
        extra={
          <Button icon={<DownloadOutlined />} href={templateUrl(i18n.language)} download data-testid="template-download">
            {t('trace.upload.template')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('trace.upload.help')}</Typography.Paragraph>
      <Upload.Dragger
        accept={`.xlsx,${XLSX_TYPE}`}
        multiple={false}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
        data-testid="upload-dragger"
        style={{ marginBottom: 12 }}
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">{t('trace.upload.drop')}</p>
        <p className="ant-upload-hint">{t('trace.upload.hint')}</p>
      </Upload.Dragger>
      {phase.kind === 'uploading' ? (
        <Flex vertical gap={4} style={{ marginBottom: 12 }} data-testid="upload-progress">
          <Typography.Text>{t('trace.upload.sending', { name: phase.name })}</Typography.Text>
          <Progress percent={phase.percent} status="active" />
        </Flex>
      ) : null}
      {phase.kind === 'processing' ? (
        <Flex gap={8} align="center" style={{ marginBottom: 12 }} data-testid="upload-progress">
          <Spin />
          <Typography.Text>{t('trace.upload.processing', { name: phase.name })}</Typography.Text>
        </Flex>
      ) : null}
      {phase.kind === 'done' ? (
        <>
          <Alert type={phase.job.success ? 'success' : 'warning'} showIcon style={{ marginBottom: 12 }} data-testid="upload-success"
            title={t('trace.upload.accepted', { name: phase.name, count: phase.job.storedCount })} />
          <JobCard job={phase.job} />
        </>
      ) : null}
      {phase.kind === 'rejected' ? (
        <>
          <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="upload-rejected"
            title={t('trace.upload.rejected', { name: phase.name, count: phase.errors.length })}
            description={phase.summary} />
          <UploadErrorsTable errors={phase.errors} />
        </>
      ) : null}
      {phase.kind === 'failed' ? <ProblemAlert messages={phase.messages} /> : null}
    </>
  );
}
