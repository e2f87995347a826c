import { useState, type ReactNode } from 'react';
import { Button, Popconfirm, Segmented, Space, Table, Tag, Tooltip, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { CheckOutlined, EyeOutlined, ShareAltOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Allocation, Notice } from '../../api/quota';
import { COMPACT_TAG, ErrorState, FilterBar, PageHeader } from '../../components/common';
import { useGroupNames } from '../../components/selects';
import { formatDateTime, formatTonnes, localName } from '../../lib/format';
import { canSee } from '../../lib/permissions';
import { useMe } from '../../lib/session';
import { useIndicatorLabel } from './common';
import { problemSummary } from '../../lib/problems';

export function NoticesPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const label = useIndicatorLabel();
  const groups = useGroupNames();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<'all' | 'pending'>('all');
  const notices = useQuery({ queryKey: ['quota', 'my-notices'], queryFn: () => api.get<Notice[]>('/quota/notices') });
  const act = useMutation({
    mutationFn: ({ id, what }: { id: string; what: 'read' | 'acknowledge' | 'forward' }) => api.post<Notice | Notice[]>(`/quota/notices/${id}/${what}`),
    onSuccess: async (res, { what }) => {
      if (what === 'forward') message.success(t('quota.forwardedTo', { count: Array.isArray(res) ? res.length : 0, names: Array.isArray(res) ? res.map((n) => n.recipient.nameZh).join('、') : '' }));
      else message.success(t(`quota.done.notice_${what}`));
      await qc.invalidateQueries({ queryKey: ['quota'] });
    },
    onError: (e) => message.error(problemSummary(t, e)),
  });

  const all = [...(notices.data ?? [])].sort((a, b) => b.deliveredAt.localeCompare(a.deliveredAt));
  const pending = all.filter((n) => !n.acknowledgedAt);
  const rows = filter === 'all' ? all : pending;

  // The allocations a notice concerns: those of its batch (within the caller's jurisdiction), the recipient's own for an enterprise.
  const years = [...new Set(all.map((n) => n.year))].sort();
  const allocations = useQueries({
    queries: years.map((year) => ({ queryKey: ['quota', 'allocations', year], queryFn: () => api.get<Allocation[]>('/quota/allocations', { year }), retry: false })),
  });
  const byBatch = new Map<string, Allocation[]>();
  const loadedYears = new Set<number>();
  allocations.forEach((q, k) => {
    if (!q.data) return;
    loadedYears.add(years[k]!);
    for (const a of q.data) if (a.status !== 'withdrawn') byBatch.set(a.batchId, [...(byBatch.get(a.batchId) ?? []), a]);
  });
  const concerns = (n: Notice): Allocation[] | null => {
    if (!loadedYears.has(n.year)) return null;
    const list = byBatch.get(n.batchId) ?? [];
    return n.recipient.kind === 'enterprise' ? list.filter((a) => a.enterpriseId === n.recipient.id) : list;
  };
  const who = (a: Allocation) => (a.groupId ? localName(i18n.language, groups.get(a.groupId)) || a.groupId.slice(0, 8) : a.enterpriseNameZh ?? '');
  const readsBatches = canSee(me, 'quotaBatches');
  const ellipsis = (text: string, node: ReactNode = text) => <Tooltip title={text} placement="topLeft"><span>{node}</span></Tooltip>;
  const iconButton = (title: string, button: ReactNode) => <Tooltip title={title}>{button}</Tooltip>;

  const columns: TableColumnsType<Notice> = [
    {
      key: 'batch', title: t('quota.batchName'), width: 150, ellipsis: { showTitle: false },
      render: (_, n) => {
        const text = `${t('quota.yearLabel', { year: n.year })} · ${n.batchName}`;
        const inner = <span data-testid="notice-batch">{text}</span>;
        return ellipsis(text, readsBatches
          ? <Link to="/quota/batches/$id" params={{ id: n.batchId }} aria-label={t('quota.openBatch')} data-testid="notice-batch-link">{inner}</Link>
          : inner);
      },
    },
    {
      key: 'recipient', title: t('quota.recipientLabel'), width: 150, ellipsis: { showTitle: false },
      render: (_, n) => ellipsis(`${n.recipient.nameZh}${n.recipient.code ? ` (${n.recipient.code})` : ''}`, n.recipient.nameZh),
    },
    {
      key: 'concerns', title: t('quota.noticeConcerns'), ellipsis: { showTitle: false },
      render: (_, n) => {
        const list = concerns(n);
        if (list === null) return '';
        if (list.length === 0) return <Typography.Text type="secondary">{t('quota.noticeConcernsNone')}</Typography.Text>;
        const own = n.recipient.kind === 'enterprise';
        const parts = list.map((a) => `${own ? '' : `${who(a)} `}${label(a.indicator)} ${formatTonnes(a.netTonnesReo)} ${t('quota.t')}`);
        return ellipsis(parts.join('；'), <span data-testid="notice-concerns">{parts.join('；')}</span>);
      },
    },
    { key: 'via', title: t('quota.via'), width: 92, render: (_, n) => n.forwardedFromId ? <Tag style={COMPACT_TAG}>{t('quota.forwardedCopy')}</Tag> : <Tag color="blue" style={COMPACT_TAG}>{t('quota.direct')}</Tag> },
    { key: 'delivered', dataIndex: 'deliveredAt', title: t('quota.delivered'), width: 160, render: formatDateTime },
    {
      key: 'state', title: t('quota.status'), width: 130,
      render: (_, n) => (
        <Space size={4}>
          {n.readAt
            ? <Tooltip title={`${t('quota.read')} ${formatDateTime(n.readAt)}`}><Tag style={COMPACT_TAG}>{t('quota.read')}</Tag></Tooltip>
            : <Tag style={COMPACT_TAG}>{t('quota.unread')}</Tag>}
          {n.acknowledgedAt
            ? <Tooltip title={`${formatDateTime(n.acknowledgedAt)} · ${n.acknowledgedBy ?? ''}`}><Tag color="green" style={COMPACT_TAG} data-testid="notice-acknowledged">{t('quota.acknowledgedTag')}</Tag></Tooltip>
            : <Tag color="orange" style={COMPACT_TAG} data-testid="notice-pending">{t('quota.notAcknowledged')}</Tag>}
        </Space>
      ),
    },
    { key: 'fwd', dataIndex: 'forwardedAt', title: t('quota.forwardedAt'), width: 160, render: (v: string | null) => v ? <span data-testid="notice-forwarded-at">{formatDateTime(v)}</span> : '' },
    {
      key: 'actions', title: t('common.actions'), width: 100, fixed: 'right',
      render: (_, n) => (
        <Space size={4}>
          {!n.readAt ? iconButton(t('quota.markRead'), <Button size="small" icon={<EyeOutlined />} aria-label={t('quota.markRead')} onClick={() => act.mutate({ id: n.id, what: 'read' })} data-testid="notice-read" />) : null}
          {!n.acknowledgedAt ? iconButton(t('quota.acknowledge'), <Button size="small" type="primary" icon={<CheckOutlined />} aria-label={t('quota.acknowledge')} onClick={() => act.mutate({ id: n.id, what: 'acknowledge' })} data-testid="notice-acknowledge" />) : null}
          {n.canForward ? (
            <Popconfirm title={t('quota.forwardConfirm')} okText={t('quota.forward')} cancelText={t('common.cancel')} okButtonProps={{ ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
              onConfirm={() => act.mutateAsync({ id: n.id, what: 'forward' }).catch(() => undefined)}>
              {iconButton(t('quota.forward'), <Button size="small" icon={<ShareAltOutlined />} aria-label={t('quota.forward')} data-testid="notice-forward" />)}
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('quota.noticesTitle')} />
      <FilterBar>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as 'all' | 'pending')}
          options={[
            { value: 'all', label: `${t('common.all')} (${all.length})` },
            { value: 'pending', label: <span data-testid="notices-pending-filter">{t('quota.notAcknowledged')} ({pending.length})</span> },
          ]}
        />
        <Typography.Text type="secondary">{t('quota.noticesHelp')}</Typography.Text>
      </FilterBar>
      {notices.isError ? <ErrorState error={notices.error} onRetry={() => void notices.refetch()} /> : (
        <Table<Notice> size="small" rowKey="id" loading={notices.isFetching} dataSource={rows} columns={columns} pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true }} tableLayout="fixed" scroll={{ x: 1100 }} data-testid="notices-table" />
      )}
    </>
  );
}
