import { useState } from 'react';
import {
  Button, Card, Descriptions, Form, Input, Popconfirm, Radio, Segmented, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography, App as AntApp,
  type TableColumnsType,
} from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, PlusOutlined, SafetyOutlined, SplitCellsOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { CURRENT_INDICATORS, type Allocation, type Batch, type Indicator, type Notice } from '../../api/quota';
import { ErrorState, Loading, PageHeader, ProblemAlert } from '../../components/common';
import { FormModal } from '../../components/FormModal';
import { EnterpriseSelect, GroupSelect, useGroupNames } from '../../components/selects';
import { formatDate, formatDateTime, formatTonnes, localName } from '../../lib/format';
import { can } from '../../lib/permissions';
import { problemSummary } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { AllocationStatusTag, BatchStatusTag, useIndicatorLabel, useReductionBasis } from './common';

const BASIS_KEYS = ['capacity', 'technicalLevel', 'environmentalSafety', 'note'] as const;

interface AllocationValues {
  recipientKind: 'enterprise' | 'group';
  enterpriseId?: string;
  groupId?: string;
  indicator: Indicator;
  amountTonnesReo: string;
  basis?: Partial<Record<(typeof BASIS_KEYS)[number], string>>;
  override?: boolean;
  reductionOverride?: { tonnesReo: string; reason: string };
}

type Row = Allocation & { children?: Row[] };

function basisBody(basis: AllocationValues['basis']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of BASIS_KEYS) if (basis?.[k]?.trim()) out[k] = basis[k]!.trim();
  return out;
}

function BasisFields() {
  const { t } = useTranslation();
  return (
    <>
      {BASIS_KEYS.map((k) => (
        <Form.Item key={k} name={['basis', k]} label={t(`quota.basisKey.${k}`)} style={{ marginBottom: 8 }}>
          <Input data-testid={`allocation-basis-${k}`} />
        </Form.Item>
      ))}
    </>
  );
}

function AllocationModal({ batch, onClose }: { batch: Batch; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const label = useIndicatorLabel();
  const required = { required: true, message: t('problems.rules.required') };
  return (
    <FormModal<AllocationValues>
      title={t('quota.addAllocation')}
      width={680}
      testId="allocation-modal"
      fields={['recipientKind', 'enterpriseId', 'groupId', 'indicator', 'amountTonnesReo', 'basis', 'reductionOverride', 'year']}
      mapField={(p) => (p[0] === 'year' ? ['indicator'] : p)}
      initialValues={{ recipientKind: 'enterprise', indicator: 'mining_ion_adsorption', override: false }}
      onSubmit={async (v) => {
        await api.post(`/quota/batches/${batch.id}/allocations`, {
          ...(v.recipientKind === 'group' ? { groupId: v.groupId } : { enterpriseId: v.enterpriseId }),
          indicator: v.indicator,
          amountTonnesReo: String(v.amountTonnesReo ?? '').trim(),
          basis: basisBody(v.basis),
          ...(v.override && v.reductionOverride ? { reductionOverride: { tonnesReo: String(v.reductionOverride.tonnesReo ?? '').trim(), reason: v.reductionOverride.reason ?? '' } } : {}),
        });
        await qc.invalidateQueries({ queryKey: ['quota'] });
      }}
      onClose={onClose}
    >
      {(form) => (
        <>
          <Form.Item name="recipientKind" label={t('quota.recipientKind')}>
            <Radio.Group data-testid="allocation-recipient-kind" options={[
              { value: 'enterprise', label: <span data-testid="recipient-enterprise">{t('quota.recipient.enterprise')}</span> },
              { value: 'group', label: <span data-testid="recipient-group">{t('quota.recipient.group')}</span> },
            ]} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.recipientKind !== b.recipientKind || a.override !== b.override}>
            {() => (
              <>
                {form.getFieldValue('recipientKind') === 'group' ? (
                  <Form.Item name="groupId" label={t('quota.recipient.group')} rules={[required]}>
                    <GroupSelect data-testid="allocation-group" />
                  </Form.Item>
                ) : (
                  <Form.Item name="enterpriseId" label={t('quota.recipient.enterprise')} rules={[required]} extra={t('quota.eligibilityHelp')}>
                    <EnterpriseSelect data-testid="allocation-enterprise" />
                  </Form.Item>
                )}
              </>
            )}
          </Form.Item>
          <Space wrap align="start">
            <Form.Item name="indicator" label={t('quota.indicatorLabel')} rules={[required]}>
              <Select style={{ width: 220 }} options={CURRENT_INDICATORS.map((i) => ({ value: i, label: label(i) }))} data-testid="allocation-indicator" />
            </Form.Item>
            <Form.Item name="amountTonnesReo" label={t('quota.amount')} rules={[required]}>
              <Input suffix={t('quota.tonnesReo')} style={{ width: 220 }} data-testid="allocation-amount" />
            </Form.Item>
          </Space>
          <Typography.Text strong>{t('quota.allocationBasis')}</Typography.Text>
          <BasisFields />
          <Form.Item noStyle shouldUpdate={(a, b) => a.recipientKind !== b.recipientKind || a.override !== b.override}>
            {() => form.getFieldValue('recipientKind') === 'enterprise' ? (
              <>
                <Form.Item name="override" label={t('quota.overrideReduction')} valuePropName="checked" extra={t('quota.overrideHelp')} style={{ marginTop: 8 }}>
                  <Switch data-testid="allocation-override" />
                </Form.Item>
                {form.getFieldValue('override') ? (
                  <Space wrap align="start">
                    <Form.Item name={['reductionOverride', 'tonnesReo']} label={t('quota.reduction')} rules={[required]}>
                      <Input suffix={t('quota.tonnesReo')} style={{ width: 200 }} />
                    </Form.Item>
                    <Form.Item name={['reductionOverride', 'reason']} label={t('quota.overrideReason')} rules={[{ required: true, whitespace: true, message: t('quota.overrideReasonRequired') }]}>
                      <Input style={{ width: 320 }} />
                    </Form.Item>
                  </Space>
                ) : null}
              </>
            ) : null}
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function SubAllocationModal({ parent, groupName, onClose }: { parent: Allocation; groupName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const label = useIndicatorLabel();
  const left = Number(parent.amountTonnesReo) - Number(parent.subAllocatedTonnesReo ?? 0);
  return (
    <FormModal<{ enterpriseId: string; amountTonnesReo: string; basis?: AllocationValues['basis'] }>
      title={t('quota.subAllocateTitle', { group: groupName })}
      testId="sub-allocation-modal"
      okText={t('quota.recordSubAllocation')}
      fields={['enterpriseId', 'amountTonnesReo', 'basis', 'parentAllocationId']}
      mapField={(p) => (p[0] === 'parentAllocationId' ? null : p)}
      onSubmit={async (v) => {
        await api.post(`/quota/allocations/${parent.id}/sub-allocations`, {
          enterpriseId: v.enterpriseId, amountTonnesReo: String(v.amountTonnesReo ?? '').trim(), basis: basisBody(v.basis),
        });
        await qc.invalidateQueries({ queryKey: ['quota'] });
      }}
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">
        {t('quota.subAllocateInfo', {
          indicator: label(parent.indicator), amount: formatTonnes(parent.amountTonnesReo), done: formatTonnes(parent.subAllocatedTonnesReo ?? '0'),
          left: formatTonnes(left), due: formatDate(parent.subAllocationDue),
        })}
      </Typography.Paragraph>
      <Form.Item name="enterpriseId" label={t('quota.memberEnterprise')} rules={[{ required: true, message: t('problems.rules.required') }]}>
        <EnterpriseSelect filters={{ groupId: parent.groupId ?? undefined }} data-testid="sub-allocation-enterprise" />
      </Form.Item>
      <Form.Item name="amountTonnesReo" label={t('quota.amount')} rules={[{ required: true, message: t('problems.rules.required') }]}>
        <Input suffix={t('quota.tonnesReo')} style={{ width: 220 }} data-testid="sub-allocation-amount" />
      </Form.Item>
      <BasisFields />
    </FormModal>
  );
}

function NoticesTab({ batch }: { batch: Batch }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<'all' | 'unacknowledged'>('all');
  const notices = useQuery({ queryKey: ['quota', 'batch-notices', batch.id], queryFn: () => api.get<Notice[]>(`/quota/batches/${batch.id}/notices`) });
  if (notices.isError) return <ErrorState error={notices.error} onRetry={() => void notices.refetch()} />;
  const all = notices.data ?? [];
  const pending = all.filter((n) => !n.acknowledgedAt);
  const rows = filter === 'all' ? all : pending;
  const columns: TableColumnsType<Notice> = [
    { key: 'recipient', title: t('quota.recipientLabel'), render: (_, n) => <span data-testid="notice-recipient">{n.recipient.nameZh}</span> },
    { key: 'code', title: t('common.code'), render: (_, n) => n.recipient.code ?? '' },
    { key: 'kind', title: t('quota.recipientKind'), render: (_, n) => t(`quota.noticeRecipient.${n.recipient.kind}`) + (n.recipient.level ? ` · ${t(`enums.departmentLevel.${n.recipient.level}`, { defaultValue: n.recipient.level })}` : '') },
    { key: 'forwarded', title: t('quota.via'), render: (_, n) => n.forwardedFromId ? <Tag>{t('quota.forwardedCopy')}</Tag> : <Tag color="blue">{t('quota.direct')}</Tag> },
    { key: 'delivered', dataIndex: 'deliveredAt', title: t('quota.delivered'), render: formatDateTime },
    { key: 'read', dataIndex: 'readAt', title: t('quota.read'), render: (v: string | null) => v ? formatDateTime(v) : <Tag>{t('quota.unread')}</Tag> },
    {
      key: 'ack', title: t('quota.acknowledged'),
      render: (_, n) => n.acknowledgedAt ? <span>{formatDateTime(n.acknowledgedAt)} · {n.acknowledgedBy}</span> : <Tag color="orange" data-testid="notice-pending">{t('quota.notAcknowledged')}</Tag>,
    },
    { key: 'fwd', dataIndex: 'forwardedAt', title: t('quota.forwardedAt'), render: formatDateTime },
  ];
  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as 'all' | 'unacknowledged')}
          options={[
            { value: 'all', label: `${t('common.all')} (${all.length})` },
            { value: 'unacknowledged', label: <span data-testid="notices-unacknowledged">{t('quota.notAcknowledged')} ({pending.length})</span> },
          ]}
        />
      </Space>
      <Table<Notice> size="small" rowKey="id" loading={notices.isFetching} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="batch-notices" />
    </>
  );
}

export function BatchDetailPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const label = useIndicatorLabel();
  const groups = useGroupNames();
  const reductionBasis = useReductionBasis();
  const { id = '' } = useParams({ strict: false }) as { id?: string };
  const batch = useQuery({ queryKey: ['quota', 'batch', id], queryFn: () => api.get<Batch>(`/quota/batches/${encodeURIComponent(id)}`) });
  const [adding, setAdding] = useState(false);
  const [issuing, setIssuing] = useState(false);
  const [subParent, setSubParent] = useState<Allocation | null>(null);
  const [actionError, setActionError] = useState<string[]>([]);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());

  const prepare = useMutation({
    mutationFn: () => api.post<Batch>(`/quota/batches/${id}/prepare`),
    onSuccess: async () => {
      setActionError([]);
      message.success(t('quota.done.prepare'));
      await qc.invalidateQueries({ queryKey: ['quota'] });
    },
    onError: (e) => setActionError([problemSummary(t, e)]),
  });
  const withdraw = useMutation({
    mutationFn: (allocationId: string) => api.post<Allocation>(`/quota/allocations/${allocationId}/withdraw`),
    onSuccess: async () => {
      message.success(t('quota.done.withdraw'));
      await qc.invalidateQueries({ queryKey: ['quota'] });
    },
    onError: (e) => message.error(problemSummary(t, e)),
  });

  if (batch.isPending) return <Loading />;
  if (batch.isError) return <ErrorState error={batch.error} onRetry={() => void batch.refetch()} />;
  const b = batch.data;
  const groupName = (gid: string | null) => (gid ? localName(i18n.language, groups.get(gid)) || gid.slice(0, 8) : '');

  // Group allocations carry their members' sub-allocations as children.
  const byParent = new Map<string, Row[]>();
  for (const a of b.allocations) if (a.parentAllocationId) byParent.set(a.parentAllocationId, [...(byParent.get(a.parentAllocationId) ?? []), a]);
  const topIds = new Set(b.allocations.map((a) => a.id));
  const rows: Row[] = b.allocations
    .filter((a) => !a.parentAllocationId || !topIds.has(a.parentAllocationId))
    .map((a) => (byParent.has(a.id) ? { ...a, children: byParent.get(a.id) } : a));

  const columns: TableColumnsType<Row> = [
    {
      key: 'recipient', title: t('quota.recipientLabel'),
      render: (_, a) => a.groupId ? (
        <Space size={4}><Tag color="geekblue">{t('quota.recipient.group')}</Tag><span data-testid="allocation-recipient">{groupName(a.groupId)}</span></Space>
      ) : (
        <Space size={4}>
          {a.parentAllocationId ? <Tag>{t('quota.subAllocation')}</Tag> : null}
          {a.enterpriseId ? <Link to="/enterprises/$id" params={{ id: a.enterpriseId }} data-testid="allocation-recipient">{a.enterpriseNameZh ?? a.enterpriseId}</Link> : null}
        </Space>
      ),
    },
    { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: Indicator) => label(i) },
    { key: 'amount', dataIndex: 'amountTonnesReo', title: t('quota.amount'), align: 'right', render: (v: string) => <span data-testid="allocation-amount-cell">{formatTonnes(v)}</span> },
    {
      key: 'reduction', dataIndex: 'reductionTonnesReo', title: t('quota.reductionArt14'), align: 'right',
      render: (v: string, a) => Number(v) > 0 || a.reductionOverrideReason ? (
        <Tooltip title={<>{a.reductionBasis ? <div>{t('quota.reductionBasis')}: <span data-testid="reduction-basis">{reductionBasis(a.reductionBasis)}</span></div> : null}{a.reductionOverrideReason ? <div>{t('quota.overrideReason')}: {a.reductionOverrideReason}</div> : null}</>}>
          <span style={{ color: '#cf1322' }}>−{formatTonnes(v)}{a.reductionOverrideReason ? ` (${t('quota.overridden')})` : ''}</span>
        </Tooltip>
      ) : <span style={{ color: '#bfbfbf' }}>0</span>,
    },
    { key: 'net', dataIndex: 'netTonnesReo', title: t('quota.net'), align: 'right', render: (v: string) => <strong>{formatTonnes(v)}</strong> },
    {
      key: 'basis', title: t('quota.allocationBasis'),
      render: (_, a) => Object.keys(a.basis).length ? (
        <Typography.Text style={{ maxWidth: 280, fontSize: 12 }} ellipsis={{ tooltip: Object.entries(a.basis).map(([k, v]) => `${t(`quota.basisKey.${k}`, { defaultValue: k })}: ${v}`).join('；') }}>
          {Object.entries(a.basis).map(([k, v]) => `${t(`quota.basisKey.${k}`, { defaultValue: k })}: ${v}`).join('；')}
        </Typography.Text>
      ) : '',
    },
    { key: 'status', dataIndex: 'status', title: t('quota.status'), render: (_, a) => <AllocationStatusTag status={a.status} /> },
    {
      key: 'sub', title: t('quota.subAllocation'),
      render: (_, a) => a.groupId ? (
        <Space size={4} wrap>
          <span data-testid="sub-allocated">{formatTonnes(a.subAllocatedTonnesReo ?? '0')} / {formatTonnes(a.amountTonnesReo)}</span>
          {a.subAllocationDue && Number(a.subAllocatedTonnesReo ?? 0) < Number(a.amountTonnesReo) ? <Tag color="orange">{t('quota.dueBy', { date: formatDate(a.subAllocationDue) })}</Tag> : null}
        </Space>
      ) : '',
    },
    { key: 'createdBy', dataIndex: 'createdBy', title: t('quota.by') },
    {
      key: 'actions', title: t('common.actions'),
      render: (_, a) => (
        <Space size={4}>
          {a.status === 'draft' && b.status === 'draft' && can(me, 'quota.allocate') ? (
            <Popconfirm title={t('quota.withdrawConfirm')} okText={t('quota.withdraw')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
              onConfirm={() => withdraw.mutateAsync(a.id).catch(() => undefined)}>
              <Button size="small" danger data-testid="allocation-withdraw">{t('quota.withdraw')}</Button>
            </Popconfirm>
          ) : null}
          {a.groupId && a.status === 'issued' && can(me, 'quota.allocate') && Number(a.subAllocatedTonnesReo ?? 0) < Number(a.amountTonnesReo) ? (
            <Button size="small" icon={<SplitCellsOutlined />} onClick={() => setSubParent(a)} data-testid="allocation-sub-allocate">{t('quota.recordSubAllocation')}</Button>
          ) : null}
        </Space>
      ),
    },
  ];

  const buttons = [];
  if (b.status === 'draft' && can(me, 'quota.allocate')) {
    buttons.push(
      <Button key="add" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="allocation-add">{t('quota.addAllocation')}</Button>,
      <Popconfirm key="prepare" title={t('quota.prepareConfirm')} okText={t('quota.prepare')} cancelText={t('common.cancel')} okButtonProps={{ ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
        onConfirm={() => prepare.mutateAsync().catch(() => undefined)}>
        <Button type="primary" icon={<CheckCircleOutlined />} loading={prepare.isPending} data-testid="batch-prepare">{t('quota.prepare')}</Button>
      </Popconfirm>,
    );
  }
  if (b.status === 'prepared' && can(me, 'quota.approve')) {
    buttons.push(<Button key="issue" type="primary" icon={<SafetyOutlined />} onClick={() => setIssuing(true)} data-testid="batch-issue">{t('quota.issue')}</Button>);
  }

  const national = me.jurisdiction.level === 'national';
  return (
    <div data-testid="batch-detail">
      <PageHeader
        title={<Space><Link to="/quota/batches" search={{ year: b.year }}><ArrowLeftOutlined /></Link>{t('quota.batchTitle', { year: b.year, name: b.name })}<BatchStatusTag status={b.status} /></Space>}
        extra={buttons.length ? buttons : null}
      />
      <ProblemAlert messages={actionError} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('quota.year')}><Link to="/quota/plans/$year" params={{ year: String(b.year) }}>{b.year}</Link></Descriptions.Item>
          <Descriptions.Item label={t('quota.documentNo')}>{b.documentNo ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('quota.status')}><BatchStatusTag status={b.status} /></Descriptions.Item>
          <Descriptions.Item label={t('quota.preparedBy')}><span data-testid="batch-prepared-by">{b.preparedByUsername ? `${b.preparedByUsername} · ${formatDateTime(b.preparedAt)}` : t('common.none')}</span></Descriptions.Item>
          <Descriptions.Item label={t('quota.issuedBy')}><span data-testid="batch-issued-by">{b.issuedByUsername ? `${b.issuedByUsername} · ${formatDateTime(b.issuedAt)}` : t('common.none')}</span></Descriptions.Item>
          <Descriptions.Item label={t('quota.batchTotals')}>
            {b.totals.length ? b.totals.map((x) => `${label(x.indicator)} ${formatTonnes(x.tonnesReo)}`).join('；') : t('common.none')}
          </Descriptions.Item>
        </Descriptions>
        {b.status === 'prepared' ? <Typography.Text type="secondary">{t('quota.fourEyesHint', { user: b.preparedByUsername ?? '' })}</Typography.Text> : null}
      </Card>
      <Tabs
        items={[
          {
            key: 'allocations', label: t('quota.allocations'),
            children: (
              <Table<Row>
                size="small" rowKey="id" dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }}
                expandable={{
                  expandedRowKeys: rows.filter((r) => r.children && !collapsed.has(r.id)).map((r) => r.id),
                  onExpand: (open, r) => setCollapsed((c) => { const n = new Set(c); if (open) n.delete(r.id); else n.add(r.id); return n; }),
                }}
                data-testid="allocations-table"
              />
            ),
          },
          ...(national && b.status === 'issued' ? [{ key: 'notices', label: <span data-testid="tab-notices">{t('quota.noticesTab')}</span>, children: <NoticesTab batch={b} /> }] : []),
        ]}
      />
      {adding ? <AllocationModal batch={b} onClose={() => setAdding(false)} /> : null}
      {subParent ? <SubAllocationModal parent={subParent} groupName={groupName(subParent.groupId)} onClose={() => setSubParent(null)} /> : null}
      {issuing ? (
        <FormModal<{ documentNo?: string }>
          title={t('quota.issueTitle', { name: b.name })}
          testId="issue-modal"
          okText={t('quota.issue')}
          fields={['documentNo']}
          initialValues={{ documentNo: b.documentNo ?? '' }}
          onSubmit={async (v) => {
            await api.post(`/quota/batches/${b.id}/issue`, v.documentNo?.trim() ? { documentNo: v.documentNo.trim() } : {});
            message.success(t('quota.done.issue'));
            await qc.invalidateQueries({ queryKey: ['quota'] });
          }}
          onClose={() => setIssuing(false)}
        >
          <Typography.Paragraph>{t('quota.issueInfo')}</Typography.Paragraph>
          <Form.Item name="documentNo" label={t('quota.documentNo')}>
            <Input data-testid="issue-document-no" />
          </Form.Item>
        </FormModal>
      ) : null}
    </div>
  );
}
