import { useState } from 'react';
import {
  Alert, Button, Card, Col, Flex, DatePicker, Descriptions, Empty, Form, Input, Popconfirm, Row, Select, Space, Steps, Table, Tag, Typography, App as AntApp,
} from 'antd';
import {
  ArrowLeftOutlined, CheckOutlined, EditOutlined, FileDoneOutlined, LockOutlined, RollbackOutlined, SendOutlined, SlidersOutlined, ApartmentOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { PLAN_STATUSES, SIGNING_MINISTRIES, type Indicator, type Plan, type PlanAdjustment, type PlanLine, type PlanSignoff } from '../../api/quota';
import { ErrorState, Loading, PageHeader, ProblemAlert } from '../../components/common';
import { FormModal } from '../../components/FormModal';
import { formatDate, formatDateTime, formatTonnes, trimDecimal } from '../../lib/format';
import { can } from '../../lib/permissions';
import { problemSummary } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { PlanStatusTag, useApprovalDocument, useIndicatorLabel, usePlans } from './common';
import { PLAN_FORM_FIELDS, PlanFormFields, planBody, type PlanFormValues } from './PlansPage';

type Dialog = 'edit' | 'return' | 'approval' | 'adjust' | null;

function ReturnModal({ year, onClose }: { year: number; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <FormModal<{ reason: string }>
      title={t('quota.returnTitle', { year })}
      testId="return-modal"
      okText={t('quota.return')}
      fields={['reason', 'decision']}
      mapField={(p) => (p[0] === 'decision' ? ['reason'] : p)}
      onSubmit={async (v) => {
        await api.post(`/quota/plans/${year}/signoffs`, { decision: 'return', reason: v.reason.trim() });
        await qc.invalidateQueries({ queryKey: ['quota'] });
      }}
      onClose={onClose}
    >
      <Form.Item name="reason" label={t('quota.returnReason')} rules={[{ required: true, whitespace: true, message: t('quota.returnReasonRequired') }]}>
        <Input.TextArea rows={3} data-testid="return-reason" />
      </Form.Item>
    </FormModal>
  );
}

const PREVIOUS_YEARS = 5;

/** The same indicators in the plans of the previous years, beside this one, so the signers can compare. */
function PreviousYears({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const label = useIndicatorLabel();
  const plans = usePlans();
  const previous = (plans.data ?? []).filter((x) => x.year < plan.year).sort((a, b) => b.year - a.year).slice(0, PREVIOUS_YEARS).reverse();
  const columnsOf = [...previous, plan];
  const value = (x: Plan, i: Indicator | 'mining_total'): number | null => {
    if (i === 'mining_total') {
      const parts = x.lines.filter((l) => l.indicator === 'mining' || l.indicator === 'mining_rock_type' || l.indicator === 'mining_ion_adsorption');
      return parts.length ? parts.reduce((sum, l) => sum + Number(l.effectiveTonnesReo), 0) : null;
    }
    const line = x.lines.find((l) => l.indicator === i);
    return line ? Number(line.effectiveTonnesReo) : null;
  };
  // Undivided history (`mining`) and split years compare on the mining total, below the split rows.
  const present = (i: Indicator) => columnsOf.some((x) => x.lines.some((l) => l.indicator === i));
  const indicators: (Indicator | 'mining_total')[] = [
    ...(['mining_rock_type', 'mining_ion_adsorption'] as const).filter(present),
    ...(present('mining') || present('mining_rock_type') || present('mining_ion_adsorption') ? ['mining_total' as const] : []),
    ...(present('smelting_separation') ? ['smelting_separation' as const] : []),
  ];
  const last = previous.at(-1);
  const cell = (v: number | null) => (v === null ? <Typography.Text type="secondary">—</Typography.Text> : formatTonnes(String(v)));
  const rows = indicators.map((i) => ({ key: i, indicator: i }));
  return (
    <Card size="small" title={t('quota.previousYears')} style={{ marginBottom: 12 }}>
      {plans.isError ? <ErrorState error={plans.error} onRetry={() => void plans.refetch()} /> : previous.length === 0 && !plans.isPending ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quota.previousYearsNone')} />
      ) : (
        <Table
          size="small" pagination={false} loading={plans.isPending} dataSource={rows} data-testid="plan-previous-years" scroll={{ x: 'max-content' }}
          columns={[
            { key: 'indicator', title: t('quota.indicatorLabel'), render: (_, r) => (r.indicator === 'mining_total' ? <strong>{t('quota.miningTotal')}</strong> : label(r.indicator)) },
            ...previous.map((x) => ({
              key: String(x.year), title: <Link to="/quota/plans/$year" params={{ year: String(x.year) }}>{x.year}</Link>, align: 'right' as const,
              render: (_: unknown, r: (typeof rows)[number]) => cell(value(x, r.indicator)),
            })),
            {
              key: 'this', title: t('quota.thisPlan', { year: plan.year }), align: 'right' as const, onCell: () => ({ style: { background: '#e6f4ff' } }), onHeaderCell: () => ({ style: { background: '#bae0ff' } }),
              render: (_: unknown, r: (typeof rows)[number]) => <strong>{cell(value(plan, r.indicator))}</strong>,
            },
            ...(last ? [{
              key: 'delta', title: t('quota.versusLastYear'), align: 'right' as const,
              render: (_: unknown, r: (typeof rows)[number]) => {
                const now = value(plan, r.indicator);
                const before = value(last, r.indicator);
                if (now === null || before === null || before === 0) return '';
                const change = ((now - before) / before) * 100;
                return <Typography.Text type="secondary">{change > 0 ? '+' : ''}{change.toFixed(1)}%</Typography.Text>;
              },
            }] : []),
          ]}
        />
      )}
    </Card>
  );
}

export function PlanDetailPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const label = useIndicatorLabel();
  const approvalDoc = useApprovalDocument();
  const { year: yearParam = '' } = useParams({ strict: false }) as { year?: string };
  const year = Number(yearParam);
  const plan = useQuery({ queryKey: ['quota', 'plans', year], queryFn: () => api.get<Plan>(`/quota/plans/${year}`) });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [actionError, setActionError] = useState<string[]>([]);

  const action = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) => api.post<Plan>(`/quota/plans/${year}/${path}`, body),
    onSuccess: async (_, { path }) => {
      setActionError([]);
      message.success(t(`quota.done.${path}`));
      await qc.invalidateQueries({ queryKey: ['quota'] });
    },
    onError: (e) => setActionError([problemSummary(t, e)]),
  });

  if (plan.isPending) return <Loading />;
  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  const p = plan.data;

  const myMinistry = me.department?.code && (SIGNING_MINISTRIES as readonly string[]).includes(me.department.code) ? me.department.code : null;
  const roundSignoffs = p.signoffs.filter((s) => s.round === p.round);
  const signedThisRound = !!myMinistry && roundSignoffs.some((s) => s.departmentCode === myMinistry);
  const canSign = p.status === 'draft' && can(me, 'quota.signoff') && !!myMinistry && !signedThisRound;
  const canPlan = can(me, 'quota.plan') && !p.historical;

  const buttons = [];
  if (p.status === 'draft' && canPlan) {
    buttons.push(<Button key="edit" icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="plan-edit">{t('common.edit')}</Button>);
  }
  if (canSign) {
    buttons.push(
      <Popconfirm key="agree" title={t('quota.agreeConfirm', { ministry: t(`quota.ministry.${myMinistry}`) })} okText={t('quota.agree')} cancelText={t('common.cancel')}
        okButtonProps={{ ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
        onConfirm={() => action.mutateAsync({ path: 'signoffs', body: { decision: 'agree' } }).catch(() => undefined)}>
        <Button type="primary" icon={<CheckOutlined />} loading={action.isPending} data-testid="plan-agree">{t('quota.agree')}</Button>
      </Popconfirm>,
      <Button key="return" danger icon={<RollbackOutlined />} onClick={() => setDialog('return')} data-testid="plan-return">{t('quota.return')}</Button>,
    );
  }
  if (p.status === 'agreed' && canPlan) {
    buttons.push(
      <Popconfirm key="submit" title={t('quota.submitConfirm')} okText={t('quota.submit')} cancelText={t('common.cancel')}
        okButtonProps={{ ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
        onConfirm={() => action.mutateAsync({ path: 'submit' }).catch(() => undefined)}>
        <Button type="primary" icon={<SendOutlined />} data-testid="plan-submit">{t('quota.submit')}</Button>
      </Popconfirm>,
    );
  }
  if (p.status === 'submitted' && canPlan) {
    buttons.push(<Button key="approval" type="primary" icon={<FileDoneOutlined />} onClick={() => setDialog('approval')} data-testid="plan-record-approval">{t('quota.recordApproval')}</Button>);
  }
  if (p.status === 'approved' && canPlan) {
    buttons.push(
      <Button key="adjust" icon={<SlidersOutlined />} onClick={() => setDialog('adjust')} data-testid="plan-adjust">{t('quota.adjust')}</Button>,
      <Popconfirm key="close" title={t('quota.closeConfirm', { year })} okText={t('quota.closeYear')} cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
        onConfirm={() => action.mutateAsync({ path: 'close' }).catch(() => undefined)}>
        <Button danger icon={<LockOutlined />} data-testid="plan-close">{t('quota.closeYear')}</Button>
      </Popconfirm>,
    );
  }
  if (p.status === 'approved' && can(me, 'quota.read')) {
    buttons.push(
      <Link key="batches" to="/quota/batches" search={{ year: p.year }}>
        <Button icon={<ApartmentOutlined />} data-testid="plan-batches">{t('quota.batchesOfYear')}</Button>
      </Link>,
    );
  }

  const stepIndex = PLAN_STATUSES.indexOf(p.status);
  const lineColumns = [
    { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: Indicator) => label(i) },
    { key: 'approved', dataIndex: 'approvedTonnesReo', title: p.status === 'approved' || p.status === 'closed' ? t('quota.approved') : t('quota.drafted'), align: 'right' as const, render: (v: string) => formatTonnes(v) },
    { key: 'adjustments', dataIndex: 'adjustmentsTonnesReo', title: t('quota.adjustments'), align: 'right' as const, render: (v: string) => formatTonnes(v, { signed: true }) },
    { key: 'effective', dataIndex: 'effectiveTonnesReo', title: t('quota.effective'), align: 'right' as const, render: (v: string) => <strong>{formatTonnes(v)}</strong> },
  ];

  return (
    <div data-testid="plan-detail">
      <PageHeader
        title={<Space><Link to="/quota/plans"><ArrowLeftOutlined /></Link>{t('quota.planTitle', { year: p.year })}<PlanStatusTag status={p.status} />{p.historical ? <Tag>{t('quota.historical')}</Tag> : null}</Space>}
        extra={buttons.length ? buttons : null}
      />
      <ProblemAlert messages={actionError} />
      <Steps
        size="small"
        style={{ marginBottom: 16 }}
        current={stepIndex}
        items={PLAN_STATUSES.map((s) => ({ title: t(`quota.planStatus.${s}`) }))}
      />
      {p.status === 'draft' && p.round > 1 ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('quota.returnedRound', { round: p.round })} />
      ) : null}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('quota.lines')} style={{ marginBottom: 12 }}>
            <Table<PlanLine> size="small" rowKey="id" dataSource={p.lines} columns={lineColumns} pagination={false} data-testid="plan-lines" />
          </Card>
          <PreviousYears plan={p} />
          <Card size="small" title={t('quota.basis')} style={{ marginBottom: 12 }}>
            {p.basisText ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="plan-basis">{p.basisText}</Typography.Paragraph> : null}
            {Object.keys(p.basisFigures).length ? (
              <Descriptions size="small" bordered column={2}>
                {Object.entries(p.basisFigures).map(([k, v]) => <Descriptions.Item key={k} label={t(`quota.figure.${k}`, { defaultValue: k })}>{v}</Descriptions.Item>)}
              </Descriptions>
            ) : null}
            {!p.basisText && !Object.keys(p.basisFigures).length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
          </Card>
          {p.adjustments.length ? (
            <Card size="small" title={t('quota.adjustmentHistory')} style={{ marginBottom: 12 }}>
              <Table<PlanAdjustment>
                size="small" rowKey="id" pagination={false} dataSource={p.adjustments}
                columns={[
                  { key: 'at', dataIndex: 'at', title: t('quota.at'), render: formatDateTime },
                  { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: Indicator) => label(i) },
                  { key: 'delta', dataIndex: 'deltaTonnesReo', title: t('quota.delta'), align: 'right', render: (v: string) => formatTonnes(v, { signed: true }) },
                  { key: 'reason', dataIndex: 'reason', title: t('quota.reason') },
                  { key: 'documentNo', dataIndex: 'documentNo', title: t('quota.documentNo') },
                  { key: 'username', dataIndex: 'username', title: t('quota.by') },
                ]}
              />
            </Card>
          ) : null}
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('quota.planInfo')} style={{ marginBottom: 12 }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('quota.status')}><PlanStatusTag status={p.status} /></Descriptions.Item>
              <Descriptions.Item label={t('quota.round')}>{p.round}</Descriptions.Item>
              <Descriptions.Item label={t('quota.submittedAt')}>{formatDateTime(p.submittedAt) || t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('quota.approvalDocumentNo')}><span data-testid="plan-approval-doc">{approvalDoc(p.approvalDocumentNo) ?? t('common.none')}</span></Descriptions.Item>
              <Descriptions.Item label={t('quota.approvedOn')}>{formatDate(p.approvedOn) || t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('quota.closedAt')}>{formatDateTime(p.closedAt) || t('common.none')}</Descriptions.Item>
              {p.note ? <Descriptions.Item label={t('quota.note')}>{p.note}</Descriptions.Item> : null}
            </Descriptions>
          </Card>
          <Card size="small" title={t('quota.signoffs', { round: p.round })} style={{ marginBottom: 12 }}>
            <Flex vertical gap={8} data-testid="plan-signoffs">
              {SIGNING_MINISTRIES.map((m) => {
                const s = roundSignoffs.find((x) => x.departmentCode === m);
                return (
                  <Space key={m} data-testid={`signoff-${m}`} wrap>
                    <strong style={{ display: 'inline-block', minWidth: 150 }}>{t(`quota.ministry.${m}`)}</strong>
                    {s ? (
                      <>
                        <Tag color={s.decision === 'agree' ? 'green' : 'red'} data-testid="signoff-decision">{t(`quota.decision.${s.decision}`)}</Tag>
                        <Typography.Text type="secondary">{s.username} · {formatDateTime(s.at)}</Typography.Text>
                        {s.reason ? <Typography.Text>{s.reason}</Typography.Text> : null}
                      </>
                    ) : (
                      <Tag data-testid="signoff-decision">{p.status === 'draft' ? t('quota.awaiting') : t('common.none')}</Tag>
                    )}
                  </Space>
                );
              })}
            </Flex>
            {p.signoffs.some((s) => s.round !== p.round) ? (
              <Table<PlanSignoff>
                style={{ marginTop: 12 }} size="small" pagination={false} rowKey={(s) => `${s.round}-${s.departmentCode}`}
                dataSource={p.signoffs.filter((s) => s.round !== p.round)}
                columns={[
                  { key: 'round', dataIndex: 'round', title: t('quota.round') },
                  { key: 'm', dataIndex: 'departmentCode', title: t('quota.ministryLabel'), render: (m: string) => t(`quota.ministry.${m}`, { defaultValue: m }) },
                  { key: 'd', dataIndex: 'decision', title: t('quota.decisionLabel'), render: (d: string) => <Tag color={d === 'agree' ? 'green' : 'red'}>{t(`quota.decision.${d}`)}</Tag> },
                  { key: 'r', dataIndex: 'reason', title: t('quota.reason') },
                  { key: 'at', dataIndex: 'at', title: t('quota.at'), render: formatDateTime },
                ]}
              />
            ) : null}
          </Card>
        </Col>
      </Row>

      {dialog === 'edit' ? (
        <FormModal<PlanFormValues>
          title={t('quota.editPlan', { year: p.year })}
          width={720}
          testId="plan-edit-modal"
          fields={PLAN_FORM_FIELDS}
          initialValues={{
            basisText: p.basisText,
            basisFigures: Object.entries(p.basisFigures).map(([key, value]) => ({ key, value })),
            lines: p.lines.map((l) => ({ indicator: l.indicator, amountTonnesReo: trimDecimal(l.approvedTonnesReo) })),
          }}
          onSubmit={async (v) => {
            const { year: _omit, ...body } = planBody(v) as ReturnType<typeof planBody> & { year?: number };
            void _omit;
            await api.patch(`/quota/plans/${p.year}`, body);
            await qc.invalidateQueries({ queryKey: ['quota'] });
          }}
          onClose={() => setDialog(null)}
        >
          <PlanFormFields withYear={false} />
        </FormModal>
      ) : null}
      {dialog === 'return' ? <ReturnModal year={p.year} onClose={() => setDialog(null)} /> : null}
      {dialog === 'approval' ? (
        <FormModal<{ documentNo: string; approvedOn: Dayjs }>
          title={t('quota.recordApproval')}
          testId="approval-modal"
          okText={t('quota.recordApproval')}
          fields={['documentNo', 'approvedOn']}
          onSubmit={async (v) => {
            await api.post(`/quota/plans/${p.year}/approval`, { documentNo: v.documentNo.trim(), approvedOn: v.approvedOn.format('YYYY-MM-DD') });
            await qc.invalidateQueries({ queryKey: ['quota'] });
            message.success(t('quota.done.approval'));
          }}
          onClose={() => setDialog(null)}
        >
          <Form.Item name="documentNo" label={t('quota.approvalDocumentNo')} rules={[{ required: true, whitespace: true, message: t('problems.rules.required') }]}>
            <Input placeholder={t('quota.approvalDocumentPlaceholder')} data-testid="approval-document-no" />
          </Form.Item>
          <Form.Item name="approvedOn" label={t('quota.approvedOn')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <DatePicker data-testid="approval-date" />
          </Form.Item>
        </FormModal>
      ) : null}
      {dialog === 'adjust' ? (
        <FormModal<{ indicator: Indicator; deltaTonnesReo: string; reason: string; documentNo: string }>
          title={t('quota.adjustTitle', { year: p.year })}
          testId="adjust-modal"
          fields={['indicator', 'deltaTonnesReo', 'reason', 'documentNo']}
          initialValues={{ indicator: p.lines[0]?.indicator }}
          onSubmit={async (v) => {
            await api.post(`/quota/plans/${p.year}/adjustments`, { ...v, deltaTonnesReo: String(v.deltaTonnesReo).trim() });
            await qc.invalidateQueries({ queryKey: ['quota'] });
            message.success(t('quota.done.adjustments'));
          }}
          onClose={() => setDialog(null)}
        >
          <Form.Item name="indicator" label={t('quota.indicatorLabel')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <Select options={p.lines.map((l) => ({ value: l.indicator, label: `${label(l.indicator)} (${formatTonnes(l.effectiveTonnesReo)})` }))} />
          </Form.Item>
          <Form.Item name="deltaTonnesReo" label={t('quota.delta')} extra={t('quota.deltaHelp')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <Input suffix={t('quota.tonnesReo')} data-testid="adjust-delta" />
          </Form.Item>
          <Form.Item name="reason" label={t('quota.reason')} rules={[{ required: true, whitespace: true, message: t('problems.rules.required') }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="documentNo" label={t('quota.documentNo')} rules={[{ required: true, whitespace: true, message: t('problems.rules.required') }]}>
            <Input />
          </Form.Item>
        </FormModal>
      ) : null}
    </div>
  );
}
