import { useState } from 'react';
import { Card, Descriptions, Flex, Layout, Result, Spin, Table, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { verifyReportFile, type VerifyResult } from '../../api/reports';
import { LanguageSwitch } from '../../components/AppLayout';
import { PageHeader } from '../../components/common';
import { problemSummary } from '../../lib/problems';
import { formatChinaTime } from '../trace/common';
import { useLevelLabel } from './common';

interface PublishedKey { kid: string; crv: string; x: string; createdAt: string; retiredAt: string | null }

type Phase = { kind: 'idle' } | { kind: 'checking'; name: string } | { kind: 'done'; name: string; result: VerifyResult } | { kind: 'failed'; name: string; message: string };

const mono = { fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' } as const;

function Keys() {
  const { t } = useTranslation();
  const keys = useQuery({ queryKey: ['reports', 'keys'], queryFn: () => api.get<{ keys: PublishedKey[] }>('/reports/keys'), staleTime: 5 * 60_000 });
  return (
    <Table<PublishedKey>
      size="small" rowKey="kid" loading={keys.isPending} dataSource={keys.data?.keys ?? []} pagination={false} scroll={{ x: 'max-content' }} data-testid="published-keys"
      columns={[
        { key: 'kid', dataIndex: 'kid', title: t('reports.keyId'), render: (v: string) => <span style={mono}>{v}</span> },
        { key: 'crv', dataIndex: 'crv', title: t('reports.algorithm') },
        { key: 'x', dataIndex: 'x', title: t('reports.publicKey'), render: (v: string) => <Typography.Text copyable style={mono}>{v}</Typography.Text> },
        { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), render: formatChinaTime },
        { key: 'retiredAt', dataIndex: 'retiredAt', title: t('reports.retiredAt'), render: (v: string | null) => (v ? formatChinaTime(v) : t('reports.keyInUse')) },
      ]}
    />
  );
}

/** Upload a downloaded report (PDF or signed JSON) and see whether its seal and signature hold. */
export function VerifyPanel({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const level = useLevelLabel();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  const check = async (file: File) => {
    setPhase({ kind: 'checking', name: file.name });
    try {
      setPhase({ kind: 'done', name: file.name, result: await verifyReportFile(file) });
    } catch (e) {
      setPhase({ kind: 'failed', name: file.name, message: problemSummary(t, e) });
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t('reports.verifyHelp')}</Typography.Paragraph>
      <Upload.Dragger
        accept=".pdf,.json,application/pdf,application/json" multiple={false} showUploadList={false} disabled={phase.kind === 'checking'}
        beforeUpload={(file) => { void check(file); return false; }}
        data-testid="verify-dragger" style={{ marginBottom: 12 }}
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">{t('reports.verifyDrop')}</p>
        <p className="ant-upload-hint">{t('reports.verifyHint')}</p>
      </Upload.Dragger>
      {phase.kind === 'checking' ? <Flex gap={8} align="center" style={{ marginBottom: 12 }}><Spin size="small" /><span>{t('reports.verifying', { name: phase.name })}</span></Flex> : null}
      {phase.kind === 'failed' ? (
        <Result status="error" title={t('reports.verifyFailed', { name: phase.name })} subTitle={phase.message} data-testid="verify-result" data-valid="error" />
      ) : null}
      {phase.kind === 'done' && phase.result.valid ? (
        <Result
          status="success" title={t('reports.verifyValid')} subTitle={phase.name} data-testid="verify-result" data-valid="true"
          extra={phase.result.seal ? (
            <Descriptions
              size="small" column={1} bordered style={{ textAlign: 'left', maxWidth: 760, margin: '0 auto' }} data-testid="verify-seal"
              items={[
                { key: 'report', label: t('reports.reportId'), children: signedIn ? <Link to="/reports/$id" params={{ id: phase.result.seal.reportId }} data-testid="verify-report-link">{phase.result.seal.reportId}</Link> : <span style={mono}>{phase.result.seal.reportId}</span> },
                { key: 'level', label: t('common.level'), children: level(phase.result.seal.level) },
                { key: 'period', label: t('reports.period'), children: <span data-testid="verify-period">{phase.result.seal.period}</span> },
                { key: 'version', label: t('reports.version'), children: phase.result.seal.version },
                { key: 'by', label: t('reports.sealedBy'), children: `${phase.result.seal.submittedByName} · ${formatChinaTime(phase.result.seal.submittedAt)}` },
                { key: 'hash', label: t('reports.contentHash'), children: <span style={mono} data-testid="verify-hash">{phase.result.seal.contentHash}</span> },
                { key: 'key', label: t('reports.keyId'), children: <span style={mono}>{phase.result.seal.keyId}</span> },
              ]}
            />
          ) : undefined}
        />
      ) : null}
      {phase.kind === 'done' && !phase.result.valid ? (
        <Result
          status="error" title={t('reports.verifyInvalid')} data-testid="verify-result" data-valid="false" data-reason={phase.result.reason}
          subTitle={<><div data-testid="verify-reason">{t(`reports.verifyReason.${phase.result.reason ?? 'malformed'}`, { defaultValue: phase.result.message ?? '' })}</div><Typography.Text type="secondary">{phase.name}</Typography.Text></>}
        />
      ) : null}
      <Card size="small" title={t('reports.publishedKeys')} style={{ marginTop: 12 }}>
        <Keys />
      </Card>
    </>
  );
}

/** In the console (menu 报告 → 报告验证). */
export function VerifyPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('reports.verifyTitle')} />
      <VerifyPanel signedIn />
    </>
  );
}

/** The same check for anyone, without signing in (/verify-report). */
export function PublicVerifyPage() {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: '#0f2f5c', display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 16px' }}>
        <Typography.Text strong style={{ color: '#fff' }} data-testid="app-title">{t('app.title')}</Typography.Text>
        <LanguageSwitch />
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1100, width: '100%', margin: '0 auto' }}>
        <div style={{ background: '#fff', padding: 16, borderRadius: 4 }}>
          <PageHeader title={t('reports.verifyTitle')} extra={<Link to="/login" search={{}}>{t('login.title')}</Link>} />
          <VerifyPanel signedIn={false} />
        </div>
      </Layout.Content>
    </Layout>
  );
}
